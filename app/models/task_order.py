"""The employer's task order (发包方岗位任务订单): what work is needed, for how much.

A check-in creates it as a draft; staff review it and publish it as a job posting (C2).
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
    source: Mapped[str] = mapped_column(String(20), default="checkin")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    published_at: Mapped[datetime | None] = mapped_column(index=True)

    employer: Mapped[Employer] = relationship()
