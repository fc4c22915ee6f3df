"""The staff console's reading of dispute cases: the list (open, closed, all; a search by
number), each case's row with its clock, the alert bar's line, a case's timeline, and the
parties' phones revealed to the member of staff who calls (audited). The steps themselves
are ``app/services/disputes.py``'s.

Names are masked in the list (张**) for everyone; the assessor reads every case masked and
cannot act. The timeline is read from the audit trail, where every step of a case is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from app.clock import local_today
from app.domain import Conflict, Invalid
from app.domain.disputes import CASE, MEDIATION_DAYS, OPEN_STATES, CaseStatus, ClockLevel, Party
from app.domain.masking import mask_name, mask_phone
from app.extensions import db
from app.models import AuditEntry, DisputeCase, Role, StaffUser

from . import audit, disputes
from .ratings import terminal_label

PER_PAGE = 50
CLOSED_STATES = [s for s in CaseStatus if s not in OPEN_STATES]
REVEAL = "reveal_party_phone"


class Shown:
    """Which cases the list shows (the ``show`` parameter)."""

    OPEN, CLOSED, ALL = "open", "closed", "all"
    LABELS = {OPEN: "办理中", CLOSED: "已结束", ALL: "全部"}

    @classmethod
    def of(cls, raw: str | None) -> str:
        return raw if raw in cls.LABELS else cls.OPEN


@dataclass(frozen=True)
class Row:
    """One case as the list shows it: names masked, the clock that runs now."""

    case: DisputeCase
    applicant: str  # 李*
    other_party: str  # 王** (沙县******), the company after the name when told
    clock: disputes.CaseClock | None
    pay_overdue: bool  # an agreed case past its payment deadline

    @property
    def level(self) -> str:
        if self.pay_overdue:
            return ClockLevel.OVERDUE.value
        return self.clock.clock.level.value if self.clock else ""


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int


def other_party_masked(case: DisputeCase) -> str:
    name = mask_name(case.other_party_name)
    company = case.other_party_company
    return f"{name}（{mask_name(company)}）" if company and company != case.other_party_name else name


def row(case: DisputeCase, today: date | None = None) -> Row:
    today = today or local_today()
    pay_overdue = bool(case.status == CaseStatus.AGREED and case.pay_by and case.pay_by < today)
    return Row(case, mask_name(case.applicant_name), other_party_masked(case), disputes.clock_of(case, today),
               pay_overdue)


NUMBER_TEXT = re.compile(r"[^0-9A-Za-z-]")


def clean_query(raw: str | None) -> str:
    """What may be searched for: part of a case number (2026-JF-0007, JF-0007, 0007)."""
    return NUMBER_TEXT.sub("", (raw or "").strip())[:16].upper()


def page(shown: str, number: int = 1, query: str = "", today: date | None = None) -> Page:
    """A page of the list. Open cases the most urgent first (``disputes.open_cases``), then
    closed ones newest closed first. A search by number looks at every case."""
    today = today or local_today()
    if query:
        found = list(db.session.scalars(select(DisputeCase).where(DisputeCase.number.contains(query))
                                        .order_by(DisputeCase.received_at.desc()).limit(PER_PAGE)))
        return Page([row(c, today) for c in found], len(found), 1, 1)
    urgent = disputes.open_cases() if shown in (Shown.OPEN, Shown.ALL) else []
    closed_total = (db.session.scalar(select(func.count()).select_from(DisputeCase)
                                      .where(DisputeCase.status.in_(CLOSED_STATES)))
                    if shown in (Shown.CLOSED, Shown.ALL) else 0)
    total = len(urgent) + closed_total
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(1, number), pages)
    start, end = (number - 1) * PER_PAGE, number * PER_PAGE
    cases = urgent[start:end]
    if closed_total and len(cases) < PER_PAGE:
        offset = max(0, start - len(urgent))
        cases += list(db.session.scalars(
            select(DisputeCase).where(DisputeCase.status.in_(CLOSED_STATES))
            .order_by(DisputeCase.closed_at.desc(), DisputeCase.id.desc())
            .offset(offset).limit(PER_PAGE - len(cases))))
    return Page([row(c, today) for c in cases], total, number, pages)


def open_counts() -> dict[CaseStatus, int]:
    """Open cases by state, in workflow order (the list's summary)."""
    counted = dict(db.session.execute(select(DisputeCase.status, func.count()).where(
        DisputeCase.status.in_(list(OPEN_STATES))).group_by(DisputeCase.status)).all())
    return {s: counted.get(s, 0) for s in CaseStatus if s in OPEN_STATES}


# -- the alert bar ------------------------------------------------------------------------

@dataclass(frozen=True)
class Alert:
    level: str  # error (overdue), warning (applications waiting to be accepted)
    text: str


def overdue_count(today: date | None = None) -> int:
    """Open cases past a deadline, as the list marks them red: not accepted or declined by
    the acceptance day, mediating beyond the 15th day (the levels of ``disputes.clock_of``),
    or an agreement not yet performed past its payment day."""
    today = today or local_today()
    return db.session.scalar(select(func.count()).select_from(DisputeCase).where(or_(
        and_(DisputeCase.status == CaseStatus.RECEIVED, DisputeCase.accept_due < today),
        and_(DisputeCase.status.in_([CaseStatus.ACCEPTED, CaseStatus.MEDIATING]),
             DisputeCase.accepted_on < today - timedelta(days=MEDIATION_DAYS)),
        and_(DisputeCase.status == CaseStatus.AGREED, DisputeCase.pay_by < today))))


def alert_for(role: Role, today: date | None = None) -> Alert | None:
    """Staff and the manager are told of overdue cases; staff also of applications still
    waiting to be accepted. None for the assessor."""
    if role not in (Role.STAFF, Role.MANAGER):
        return None
    overdue = overdue_count(today)
    if overdue:
        return Alert("error", f"{overdue} 件纠纷案件已超期")
    if role == Role.STAFF:
        waiting = db.session.scalar(select(func.count()).select_from(DisputeCase).where(
            DisputeCase.status == CaseStatus.RECEIVED))
        return Alert("warning", f"{waiting} 件纠纷申请待受理") if waiting else None
    return None


# -- a case's timeline ----------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    at: datetime
    title: str
    by: str = ""
    text: str = ""
    attendees: str = ""
    kind: str = "step"  # step, session, follow_up, closed
    order: str = ""  # what comes first within a minute (see ``timeline``)


STEPS_SHOWN = {"accept", "decline", "agree", "fail", "perform", "refer", "withdraw", "merge"}


def timeline(case: DisputeCase) -> list[Event]:
    """What happened, in order: the application, each step from the audit trail (who and
    when, the reason given), each session (when it was held, who attended, what was said)
    and each follow-up of an agreement."""
    steps = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == DisputeCase.__tablename__, AuditEntry.record_id == case.id,
        AuditEntry.action.in_(STEPS_SHOWN)).order_by(AuditEntry.id)))
    names = _names({e.actor_id for e in steps if e.actor_kind == "staff"} | {e.by_id for e in case.entries}
                   | ({case.created_by_id} if case.created_by_id else set()))
    # A kiosk as staff know it (大厅1号机, or 未命名终端 with a tag): never its network address.
    filed_by = names.get(case.created_by_id, "") if case.created_by_id else terminal_label(case.terminal)
    events = [Event(case.received_at, f"收到申请（{case.channel.label}）", filed_by, order="received")]
    last_closing = max((i for i, e in enumerate(steps) if CASE.moves[e.action].target not in OPEN_STATES),
                       default=None)
    for i, entry in enumerate(steps):
        target = CASE.moves[entry.action].target
        closing = target not in OPEN_STATES
        # The latest reason in full (the trail keeps 200 characters of each).
        text = case.closing_reason if i == last_closing and case.closing_reason else (entry.detail or "")
        if entry.action == "agree":  # the agreement's terms are on its own panel
            text = ""
        events.append(Event(entry.at, target.label if closing else CASE.label(entry.action),
                            names.get(entry.actor_id, entry.actor_label), text,
                            kind="closed" if closing else "step", order=target.value))
    for item in case.entries:
        session = item.kind.value == "session"
        events.append(Event(item.at, "调解" if session else "履行回访", names.get(item.by_id, ""), item.text,
                            item.attendees if session else "", kind=item.kind.value, order=item.kind.value))
    # Sessions are entered to the minute: one held in the minute of the acceptance follows it.
    rank = {"received": 0, "accepted": 1, "session": 2, "follow_up": 2}
    return sorted(events, key=lambda e: (e.at.replace(second=0, microsecond=0), rank.get(e.order, 3)))


def _names(ids: set) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    found = select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
    return dict(db.session.execute(found).all())


def handler_name(case: DisputeCase) -> str:
    return _names({case.handler_id}).get(case.handler_id, "") if case.handler_id else ""


def duplicates(case: DisputeCase) -> list[DisputeCase]:
    """The cases merged into this one."""
    return list(db.session.scalars(select(DisputeCase).where(DisputeCase.merged_into_id == case.id)
                                   .order_by(DisputeCase.id)))


def referred_at(case: DisputeCase) -> datetime | None:
    """When the case was referred to arbitration (its trail's entry)."""
    if case.status != CaseStatus.REFERRED:
        return None
    return db.session.scalar(select(AuditEntry.at).where(
        AuditEntry.record_type == DisputeCase.__tablename__, AuditEntry.record_id == case.id,
        AuditEntry.action == "refer").order_by(AuditEntry.id.desc()).limit(1))


# -- the parties' phones -------------------------------------------------------------------

_LONG_NUMBER = re.compile(r"\d[\d\s-]{5,}\d")


def redact(case: DisputeCase, text: str | None) -> str:
    """A case's free text (what happened, a session's attendees and words, a reason, the
    terms) as the assessor reads it: every name the case knows (the parties, the other
    party's company, the registered worker and employer, the signers) masked as on the list
    (李*, 王**), and every run of seven or more digits (a phone, an ID number) hidden. The
    assessor checks progress and outcome, not the people."""
    text = text or ""
    names = {case.applicant_name, case.other_party_name, case.other_party_company,
             *(s.signer for s in case.signatures)}
    if case.worker is not None and not case.worker.anonymised_at:
        names.add(case.worker.name)
    if case.employer is not None:
        names.add(case.employer.display_name)
    return masked_text(text, names)


def masked_text(text: str | None, names) -> str:
    """``text`` with each of ``names`` masked (李*, 王**) and every run of seven or more
    digits (a phone, an ID number) hidden: free text as the assessor reads it."""
    text = text or ""
    for name in sorted((n for n in set(names) if n and len(n) > 1), key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return _LONG_NUMBER.sub(lambda m: "*" * len(m.group()), text)


def masked_phones(case: DisputeCase) -> dict[Party, str]:
    """Each party's phone as screens show it (138****0001); the other party's may be unknown."""
    shown = {Party.APPLICANT: mask_phone(disputes.applicant_phone(case))}
    other = disputes.other_party_phone(case)
    if other:
        shown[Party.RESPONDENT] = mask_phone(other)
    return shown


def reveal_phone(case: DisputeCase, party: Party, *, user) -> str:
    """A party's number in full, for the member of staff who calls; audited (never the
    number itself). Only while the case is open: nobody calls about a closed case."""
    if not case.status.is_open:
        raise Conflict("该案件已结束，不再显示完整号码")
    phone = disputes.applicant_phone(case) if party == Party.APPLICANT else disputes.other_party_phone(case)
    if not phone:
        raise Invalid("申请人没有提供对方的电话", "phone")
    audit.record(audit.ref(case), REVEAL, detail=f"查看{party.label}电话", actor=audit.Actor.staff(user))
    db.session.commit()
    return phone
