"""Task orders: staff review of drafts from check-ins; the open postings on the board."""

from datetime import date

from sqlalchemy import select

from app.clock import local_today
from app.domain import Conflict
from app.domain.queue import TicketStatus
from app.domain.task_orders import TASK_ORDERS
from app.extensions import db
from app.models import StaffUser, TaskOrder, TaskStatus, Ticket, utcnow

from . import audit


def review(task: TaskOrder, publish: bool, staff_id: int, window: int) -> TaskOrder:
    """Publish or reject a draft; only the window now serving its ticket, and only today."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.task_order_id == task.id))
    if ticket is None or ticket.day != local_today():
        raise Conflict("只能审核今天取号的招工信息；更早的请用工方重新取号登记")
    if ticket.window != window or ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVING):
        raise Conflict(f"{ticket.number} 号不在本窗口办理，不能审核它的招工信息；"
                       f"请刷新页面，审核本窗口当前号的招工信息")
    action = "publish" if publish else "reject"
    before, now = task.status, utcnow()
    task.status = TASK_ORDERS.apply(task.status, action)
    task.reviewed_at, task.reviewed_by_id = now, staff_id
    task.published_at = now if publish else None
    audit.record(audit.ref(task), action, before={"status": before.value},
                 after={"status": task.status.value, "ticket": ticket.number},
                 actor=audit.Actor.staff(db.session.get(StaffUser, staff_id)))
    db.session.commit()
    return task


def open_postings(today: date, limit: int = 12) -> list[TaskOrder]:
    """Published and not yet past their work date, newest first."""
    return list(db.session.scalars(
        select(TaskOrder).where(TaskOrder.status == TaskStatus.PUBLISHED, TaskOrder.work_date >= today)
        .order_by(TaskOrder.published_at.desc()).limit(limit)
    ))
