"""The staff console of postings (/staff/postings): its tabs and search, where a posting
stands, its deals and the wording flags its reviewer sees. The changes of state are
``app/services/task_orders.py``'s.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain.deals import discrimination_flags
from app.domain.task_orders import TaskStatus
from app.extensions import db
from app.models import Deal, TaskOrder

from .task_orders import on_board


def flags(task: TaskOrder) -> list[str]:
    """The discrimination flags of a posting's wording, for its reviewer."""
    return discrimination_flags(task.description, task.requirements)


TABS = {"review": "待审核", "open": "在招", "ended": "已结束", "false": "虚假"}
LIST_LIMIT = 100
_NUMBER = re.compile(r"^(?:ZG)?0*(\d{1,9})$", re.IGNORECASE)


def _tab(tab: str, today: date):
    if tab == "review":
        return TaskOrder.status == TaskStatus.DRAFT
    if tab == "open":
        return on_board(today)
    if tab == "false":
        return TaskOrder.status == TaskStatus.FALSE
    left = (TaskOrder.valid_until.is_(None) | (TaskOrder.valid_until < today)
            | (TaskOrder.taken >= TaskOrder.headcount))
    return (TaskOrder.status.in_((TaskStatus.REJECTED, TaskStatus.CLOSED, TaskStatus.VOIDED))
            | ((TaskOrder.status == TaskStatus.PUBLISHED) & left))


def console_list(tab: str, query: str, today: date) -> tuple[list[TaskOrder], int]:
    """The console's postings of a tab (or, searched, of every tab: by number or place),
    newest first, at most ``LIST_LIMIT``; and how many there are in all."""
    text = " ".join((query or "").split())[:40]
    if text:
        number = _NUMBER.match(text)
        where = (TaskOrder.id == int(number[1])) if number else TaskOrder.location.contains(
            text, autoescape=True)
    else:
        where = _tab(tab, today)
    total = db.session.scalar(select(func.count()).select_from(TaskOrder).where(where))
    rows = db.session.scalars(select(TaskOrder).where(where).options(joinedload(TaskOrder.employer))
                              .order_by(TaskOrder.created_at.desc(), TaskOrder.id.desc()).limit(LIST_LIMIT))
    return list(rows), total


def board_state(task: TaskOrder, today: date) -> str:
    """Where a posting stands, as the console says it: 在招, 已到期, 已招满, or its status."""
    if task.status != TaskStatus.PUBLISHED:
        return task.status.label
    if task.taken >= task.headcount:
        return "已招满"
    if task.valid_until is None or task.valid_until < today:
        return "已到期"
    return "在招"


def deals_of(task: TaskOrder) -> list[Deal]:
    return list(db.session.scalars(select(Deal).where(Deal.task_order_id == task.id).order_by(Deal.id)))
