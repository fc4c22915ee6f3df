"""Task orders: staff review of drafts from check-ins; the open postings on the board."""

from datetime import date

from sqlalchemy import select

from app.domain.queue import TransitionRefused
from app.extensions import db
from app.models import TaskOrder, TaskStatus, utcnow


def review(task: TaskOrder, publish: bool, staff_id: int) -> TaskOrder:
    if task.status != TaskStatus.DRAFT:
        raise TransitionRefused(f"该招工信息已{task.status.label}，不能再审核")
    now = utcnow()
    task.status = TaskStatus.PUBLISHED if publish else TaskStatus.REJECTED
    task.reviewed_at, task.reviewed_by_id = now, staff_id
    task.published_at = now if publish else None
    db.session.commit()
    return task


def open_postings(today: date, limit: int = 12) -> list[TaskOrder]:
    """Published and not yet past their work date, newest first."""
    return list(db.session.scalars(
        select(TaskOrder).where(TaskOrder.status == TaskStatus.PUBLISHED, TaskOrder.work_date >= today)
        .order_by(TaskOrder.published_at.desc()).limit(limit)
    ))
