"""The hall's working-day calendar, kept by staff: public holidays and the weekend days
worked in their place. Deadlines in working days read it here (``due``); a change to it
moves the due dates of everything still open that counts in working days, in the same
transaction (``_MOVERS``: a bad rating's follow-up now, a dispute's acceptance next).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from app.domain import Invalid
from app.domain.validation import clean_text
from app.domain.workdays import Calendar, DayKind, search_span
from app.extensions import db
from app.models import CalendarDay, utcnow

from . import audit, locks

NAME_MAX = 20


def calendar_for(start: date, days: int) -> Calendar:
    """The calendar's exceptions from ``start`` as far as ``days`` working days can reach."""
    rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(
        CalendarDay.day > start, CalendarDay.day <= start + search_span(days))).all()
    return Calendar.of(rows)


def due(start: date, days: int) -> date:
    """The ``days``-th working day after ``start``."""
    return calendar_for(start, days).add(start, days)


def working_days_between(start: date, end: date) -> int:
    rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(
        CalendarDay.day > start, CalendarDay.day <= end)).all()
    return Calendar.of(rows).between(start, end)


def days_of_year(year: int) -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)))


def has_year(year: int) -> bool:
    """Whether any holiday of ``year`` was entered (the screens warn when next year has none)."""
    return db.session.scalar(select(CalendarDay.day).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31),
        CalendarDay.kind == DayKind.HOLIDAY).limit(1)) is not None


# Whoever keeps due dates in working days registers how to move them (called in the
# calendar change's transaction, after the change).
_MOVERS: list[Callable[[], int]] = []


def moves_due_dates(fn: Callable[[], int]) -> Callable[[], int]:
    _MOVERS.append(fn)
    return fn


def set_day(day: date, kind: DayKind | None, name: str, *, user) -> int:
    """Mark ``day`` a holiday or a worked weekend day, or (``kind`` None) a plain day again.

    ``Invalid`` for a nonsensical entry (a weekend marked a holiday, a weekday marked
    worked). Returns how many open due dates moved."""
    if kind is None:
        label = ""
    else:
        label = clean_text(name, label="名称", minimum=0, maximum=NAME_MAX)
        if kind == DayKind.HOLIDAY and day.weekday() >= 5:
            raise Invalid("周六、周日本来就不上班，不必设为放假", "day")
        if kind == DayKind.WORKDAY and day.weekday() < 5:
            raise Invalid("周一至周五本来就上班，只有周末调休上班才需要登记", "day")
    locks.hold("calendar")
    by = user.id  # read before a new row is pending: an expired user reloads (and autoflushes)
    row = db.session.get(CalendarDay, day)
    before = {"kind": row.kind.value, "name": row.name} if row else None
    if kind is None:
        if row is None:
            db.session.rollback()
            return 0
        db.session.delete(row)
    else:
        if row is None:
            row = CalendarDay(day=day)
            db.session.add(row)
        row.kind, row.name, row.updated_at, row.updated_by_id = kind, label, utcnow(), by
    db.session.flush()
    moved = sum(mover() for mover in _MOVERS)
    audit.record(audit.Ref("calendar_day", None), "set_day" if kind else "clear_day", before=before,
                 after={"kind": kind.value, "name": label} if kind else None,
                 detail=f"{day.isoformat()}（{moved} 项期限随之调整）",
                 actor=audit.Actor.staff(user))
    db.session.commit()
    return moved

