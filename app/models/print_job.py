"""The print outbox: every slip is a job written in the same transaction as its record.

A worker process sends the jobs of one printer in order. It holds that printer through
a lease on ``PrinterState`` (so two workers never print to one printer at once), and
backs off per printer, not per job.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.workflow import LabelledEnum
from app.extensions import db

from .base import str_enum, utcnow


class JobStatus(LabelledEnum):
    PENDING = "pending", "等待打印"  # waiting to be sent (also after a failed attempt)
    SENDING = "sending", "正在打印"  # claimed by a worker holding the printer's lease
    PRINTED = "printed", "已打印"
    BROKEN = "broken", "无法打印"  # can never print (bad content); staff see it
    CANCELLED = "cancelled", "已取消"


class PrintJob(db.Model):
    __tablename__ = "print_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(40), default="default", index=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. worker_slip, queue_ticket
    subject: Mapped[str] = mapped_column(String(60), index=True)  # e.g. worker:12
    title: Mapped[str] = mapped_column(String(80))  # what staff see in the list
    receipt: Mapped[dict] = mapped_column(JSON)  # printers.Receipt.to_dict()
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus),
        default=JobStatus.PENDING,
        index=True,
    )
    # Set when a delivery was doubtful or staff asked for a reprint: prints with a banner,
    # ``reprint_note`` (e.g. "上一张打印中断，此张为补打"), or 补打 when it has none.
    mark_reprint: Mapped[bool] = mapped_column(default=False)
    reprint_note: Mapped[str | None] = mapped_column(String(40))
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_job.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Set when the person's data was erased: the receipt no longer holds it.
    scrubbed_at: Mapped[datetime | None]

    requested_by: Mapped["StaffUser | None"] = relationship()  # noqa: F821 (app.models.staff)


class PrinterState(db.Model):
    """One row per configured printer: its lease, back-off and last known status."""

    __tablename__ = "printer_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    problem: Mapped[str | None] = mapped_column(String(40))  # offline, paper_out, ...
    paper_near_end: Mapped[bool] = mapped_column(default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_checked_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
