"""The employer's task order (发包方岗位任务订单): what work is needed, for how much.

A check-in (or staff, from a phone call or for an enterprise) creates it as a draft; staff
review it and publish it as a job posting (C2). Workers take its places through deals
(``app.models.deal``); ``taken`` counts the places held by deals not cancelled, and is only
changed by one conditional UPDATE (``app.services.deals``), so two people can never take
the last place together.
"""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.task_orders import PayUnit, TaskStatus
from app.extensions import db

from .base import str_enum, utcnow
from .employer import Employer


class TaskOrder(db.Model):
    __tablename__ = "task_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    trade_code: Mapped[str] = mapped_column(String(20), index=True)
    headcount: Mapped[int]
    pay: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pay_unit: Mapped[PayUnit] = mapped_column(str_enum(PayUnit))
    work_date: Mapped[date]
    work_time: Mapped[time | None]
    location: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus), default=TaskStatus.DRAFT, index=True)
    # PostingSource: checkin, phone, enterprise (published for an enterprise: item G1)
    source: Mapped[str] = mapped_column(String(20), default="checkin")
    requirements: Mapped[str] = mapped_column(String(200), default="")
    duration_days: Mapped[int] = mapped_column(default=1)  # how many days the work lasts
    outside_fujian: Mapped[bool] = mapped_column(default=False)  # workplace outside Fujian (G3)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # received
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))  # staff entry
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    valid_until: Mapped[date | None] = mapped_column(index=True)  # last day on the board
    taken: Mapped[int] = mapped_column(default=0)  # places held by deals not cancelled
    closed_at: Mapped[datetime | None]  # closed, voided or confirmed false: left the board
    close_reason: Mapped[str | None] = mapped_column(String(200))
    # An enterprise's short-term posting with its first completed deal (item G2), when.
    need_solved_at: Mapped[datetime | None] = mapped_column(index=True)

    @property
    def places_left(self) -> int:
        return max(0, self.headcount - self.taken)

    @property
    def number(self) -> str:
        """The posting number shown on screens and slips."""
        return f"ZG{self.id:06d}"

    employer: Mapped[Employer] = relationship()
