"""The employers' waiting queue: tickets, their event log, and the daily counters."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.queue import TicketStatus
from app.extensions import db

from .base import str_enum, utcnow
from .employer import Employer
from .task_order import TaskOrder


class TicketCounter(db.Model):
    """The last number issued per service and (local) day; history is never reset."""

    __tablename__ = "ticket_counter"

    service_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


_OPEN_AT_WINDOW = text("status IN ('called', 'serving') AND \"window\" IS NOT NULL")


class Ticket(db.Model):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("issued_service", "day", "seq"),
        # A window deals with one ticket at a time, even when two calls race.
        Index("uq_ticket_open_window", "day", "window", unique=True,
              sqlite_where=_OPEN_AT_WINDOW, postgresql_where=_OPEN_AT_WINDOW),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The service the number was issued for (its prefix and sequence) and the service the
    # ticket now waits for (a transfer changes only the latter).
    issued_service: Mapped[str] = mapped_column(String(20))
    service_code: Mapped[str] = mapped_column(String(20), index=True)
    day: Mapped[date] = mapped_column(index=True)
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(8))  # e.g. A007
    status: Mapped[TicketStatus] = mapped_column(
        str_enum(TicketStatus), default=TicketStatus.WAITING, index=True
    )
    window: Mapped[int | None]
    recalls: Mapped[int] = mapped_column(default=0)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    task_order_id: Mapped[int | None] = mapped_column(ForeignKey("task_order.id"))
    status_token: Mapped[str] = mapped_column(String(43), unique=True)
    # For staff: e.g. the employer details given differ from the stored ones.
    notice: Mapped[str | None] = mapped_column(String(200))
    terminal: Mapped[str | None] = mapped_column(String(64))  # the kiosk it was issued at
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]  # first call: wait time = called_at - issued_at
    last_called_at: Mapped[datetime | None]  # latest call or recall (the display announces it)
    serving_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]  # done or no-show
    # The state it was finished from (called or serving): what a 撤销 restores; cleared by it.
    finished_from: Mapped[TicketStatus | None] = mapped_column(str_enum(TicketStatus))

    employer: Mapped[Employer | None] = relationship()
    task_order: Mapped[TaskOrder | None] = relationship()
