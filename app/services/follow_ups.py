"""The follow-ups of bad ratings: the list as staff, the manager and the assessor read it,
the alert bar's count, and what staff record on one (``record_step``, ``reveal_phone``, each
through the workflow and the audit trail). A rating's follow-up is opened by
``app/services/ratings.py``; due dates are the working-day calendar's
(``app/services/workdays.py``), which moves them when it changes (``_move_follow_ups``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select, true, update
from sqlalchemy.orm import selectinload

from app.clock import local_today, to_local
from app.crypto import vault
from app.domain import Conflict, Invalid
from app.domain.ratings import (
    FOLLOW_UP,
    LEVEL_BY_VALUE,
    NO_PHONE_IN_NOTE,
    NOTE_MAX,
    ROLE_ICONS,
    Channel,
    FollowUpStatus,
    FollowUpStep,
    Level,
    follow_up_action,
)
from app.domain.validation import clean_text, contains_phone_number
from app.extensions import db
from app.hall_config import hall
from app.models import FollowUpEntry, Rating, RatingFollowUp, Role, Ticket, utcnow

from . import audit, ratings, workdays

PER_PAGE = 50


class Shown:
    """Which follow-ups the list shows (the ``show`` parameter)."""

    OPEN, DONE, ALL = "open", "done", "all"
    LABELS = {OPEN: "待处理和处理中", DONE: "已办结", ALL: "全部"}

    @classmethod
    def of(cls, raw: str | None) -> str:
        return raw if raw in cls.LABELS else cls.OPEN


@dataclass(frozen=True)
class Due:
    """Where a follow-up stands against its due day, in working days."""

    on: date
    overdue: bool
    days: int  # working days left (not overdue) or past the due day (overdue)

    @property
    def text(self) -> str:
        if self.overdue:
            # Past the due day by a weekend only: overdue, with no working day lost yet.
            return f"已超期 {self.days} 个工作日" if self.days else "已超期"
        return f"还剩 {self.days} 个工作日" if self.days else "今天到期"


@dataclass(frozen=True)
class Row:
    """One follow-up as the list and the detail page show it (the phone masked)."""

    follow_up: RatingFollowUp
    level: Level
    role_icon: str
    service: str  # 评价终端 · 出口 / 排队号 A007 · 2号窗口 / 零工登记
    reasons: str
    phone_mask: str  # 尾号1234, or "" without a phone
    due: Due | None  # None once done

    @property
    def rating(self) -> Rating:
        return self.follow_up.rating

    @property
    def rated_at(self) -> datetime:
        return self.follow_up.rating.at


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int


def phone_mask(last4: str | None) -> str:
    """The call-back phone as every screen shows it: only its last four digits are kept."""
    return f"尾号{last4}" if last4 else ""


def _filter(shown: str):
    if shown == Shown.DONE:
        return RatingFollowUp.status == FollowUpStatus.DONE
    if shown == Shown.ALL:
        return true()
    return RatingFollowUp.status != FollowUpStatus.DONE


def page(shown: str, number: int = 1, today: date | None = None) -> Page:
    """A page of the list: open ones by due day (so the overdue come first), done ones
    newest closed first."""
    today = today or local_today()
    where = _filter(shown)
    total = db.session.scalar(select(func.count()).select_from(RatingFollowUp).where(where))
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(1, number), pages)
    done = RatingFollowUp.status == FollowUpStatus.DONE
    found = list(db.session.scalars(
        select(RatingFollowUp).where(where)
        .options(selectinload(RatingFollowUp.rating))
        .order_by(case((done, 1), else_=0), case((done, None), else_=RatingFollowUp.due_on),
                  RatingFollowUp.closed_at.desc(), RatingFollowUp.id)
        .offset((number - 1) * PER_PAGE).limit(PER_PAGE)))
    return Page(rows(found, today), total, number, pages)


def rows(found: list[RatingFollowUp], today: date | None = None) -> list[Row]:
    today = today or local_today()
    tickets = _tickets([f.rating for f in found])
    dues: dict[date, Due] = {}
    shaped = []
    for follow_up in found:
        rating = follow_up.rating
        due = None
        if follow_up.status != FollowUpStatus.DONE:
            if follow_up.due_on not in dues:  # many share a due day: one count each
                dues[follow_up.due_on] = due_against(follow_up.due_on, today)
            due = dues[follow_up.due_on]
        shaped.append(Row(follow_up, LEVEL_BY_VALUE[rating.level], ROLE_ICONS.get(rating.role, ""),
                          _service(rating, tickets), "、".join(r.label for r in rating.reason_codes),
                          phone_mask(rating.phone_last4), due))
    return shaped


def due_against(due_on: date, today: date) -> Due:
    if due_on < today:
        return Due(due_on, True, workdays.working_days_between(due_on, today))
    return Due(due_on, False, workdays.working_days_between(today, due_on))


def _tickets(found: list[Rating]) -> dict[int, Ticket]:
    """The queue tickets the slips' ratings were for, in one query."""
    ids = [int(r.service.split(":")[1]) for r in found
           if r.service_kind == "ticket" and r.service and r.service.split(":")[1].isdigit()]
    if not ids:
        return {}
    return {t.id: t for t in db.session.scalars(select(Ticket).where(Ticket.id.in_(ids)))}




def _service(rating: Rating, tickets: dict[int, Ticket]) -> str:
    if rating.channel == Channel.TERMINAL:
        named = ratings.terminal_label(rating.terminal)
        return Channel.TERMINAL.label + (f" · {named}" if named else "")
    parts = [Channel.SLIP.label, ratings.SERVICE_KINDS.get(rating.service_kind or "", "服务")]
    if rating.service_kind == "ticket":
        ticket = tickets.get(int(rating.service.split(":")[1]))
        if ticket is not None:
            parts[-1] += f" {ticket.number}"
    if rating.window:
        parts.append(f"{rating.window}号窗口")
    return " · ".join(parts)


def row(follow_up: RatingFollowUp, today: date | None = None) -> Row:
    return rows([follow_up], today)[0]


def steps_offered(follow_up: RatingFollowUp) -> list[FollowUpStep]:
    """The steps that make sense now: none once done; call steps only with a phone, and
    未留电话 only without one (``record_step`` refuses the others anyway)."""
    if follow_up.status == FollowUpStatus.DONE:
        return []
    if follow_up.rating.phone_cipher:
        return [FollowUpStep.CALL_NO_ANSWER, FollowUpStep.PROGRESS, FollowUpStep.CALLED_BACK,
                FollowUpStep.CORRECTED]
    return [FollowUpStep.PROGRESS, FollowUpStep.CORRECTED, FollowUpStep.NO_CONTACT]


def open_count() -> int:
    return db.session.scalar(select(func.count()).select_from(RatingFollowUp).where(
        RatingFollowUp.status != FollowUpStatus.DONE))


@dataclass(frozen=True)
class Alert:
    level: str  # error (the manager's overdue), warning (staff's open ones)
    text: str


def alert_for(role: Role, today: date | None = None) -> Alert | None:
    """The alert bar's line: the manager is told of overdue follow-ups, staff of open ones;
    one COUNT query, none for the assessor."""
    if role == Role.MANAGER:
        overdue = overdue_count(today)
        return Alert("error", f"{overdue} 条差评回访已超期") if overdue else None
    if role == Role.STAFF:
        waiting = open_count()
        return Alert("warning", f"{waiting} 条差评待回访") if waiting else None
    return None


def next_year_missing(today: date | None = None) -> int | None:
    """In November and December: next year, when none of its holidays were entered yet."""
    today = today or local_today()
    if today.month < 11 or workdays.has_year(today.year + 1):
        return None
    return today.year + 1


# -- following up bad ratings ----------------------------------------------------------------

def record_step(follow_up: RatingFollowUp, step: FollowUpStep, note: str, *, user) -> RatingFollowUp:
    """Record a call, progress or the corrective action; a closing step closes it."""
    status = FOLLOW_UP.apply(follow_up.status, follow_up_action(step))
    needs_phone = step in (FollowUpStep.CALL_NO_ANSWER, FollowUpStep.CALLED_BACK)
    if needs_phone and not follow_up.rating.phone_cipher:
        raise Invalid("这条评价没有留电话，不能电话回访；请记录整改措施", "step")
    if step == FollowUpStep.NO_CONTACT and follow_up.rating.phone_cipher:
        raise Invalid("这条评价留了电话，请先电话回访", "step")
    text = clean_text(note, label="处理说明", minimum=0 if step == FollowUpStep.CALL_NO_ANSWER else 2,
                      maximum=NOTE_MAX)
    if contains_phone_number(text):  # shown to the assessor as written
        raise Invalid(NO_PHONE_IN_NOTE, "note")
    before = follow_up.status  # the UPDATE below refreshes the object in the session
    # Two members of staff closing the same follow-up at once: the second finds it changed.
    changed = db.session.execute(
        update(RatingFollowUp).where(RatingFollowUp.id == follow_up.id, RatingFollowUp.status == before)
        .values(status=status, closed_at=utcnow() if status == FollowUpStatus.DONE else None,
                closed_by_id=user.id if status == FollowUpStatus.DONE else None)).rowcount
    if not changed:
        db.session.rollback()
        raise Conflict("这条回访刚被其他工作人员更新，请刷新后再操作")
    db.session.add(FollowUpEntry(follow_up_id=follow_up.id, step=step, note=text, by_id=user.id))
    # The note stays on the follow-up (staff and the assessor read it there), out of the
    # trail: a trail entry can never be erased, and a note may name someone.
    audit.record(audit.ref(follow_up), step.value, before={"status": before.value},
                 after={"status": status.value}, actor=audit.Actor.staff(user))
    db.session.commit()
    db.session.refresh(follow_up)
    return follow_up


def reveal_phone(follow_up: RatingFollowUp, *, user) -> str:
    """The call-back number in full, for the member of staff who calls; the reveal is audited."""
    if not follow_up.rating.phone_cipher:
        raise Invalid("这条评价没有留电话")
    if follow_up.status == FollowUpStatus.DONE:  # nobody calls about a closed follow-up
        raise Conflict("这条回访已办结，不再显示完整号码")
    audit.record(audit.ref(follow_up), "reveal_phone", detail="查看回访电话", actor=audit.Actor.staff(user))
    db.session.commit()
    return vault().decrypt(follow_up.rating.phone_cipher)


def overdue_count(today: date | None = None) -> int:
    """Open follow-ups past their due day (flagged to the manager)."""
    return db.session.scalar(select(func.count()).select_from(RatingFollowUp).where(
        RatingFollowUp.status != FollowUpStatus.DONE, RatingFollowUp.due_on < (today or local_today())))


@workdays.moves_due_dates
def _move_follow_ups() -> int:
    """After a calendar change: every open follow-up's due day, counted again."""
    moved = 0
    days = hall().follow_up_days
    still_open = select(RatingFollowUp).where(RatingFollowUp.status != FollowUpStatus.DONE)
    for follow_up in db.session.scalars(still_open):
        due = workdays.due(to_local(follow_up.created_at).date(), days)
        if due != follow_up.due_on:
            follow_up.due_on, moved = due, moved + 1
    return moved
