"""Dispute cases: filing (kiosk or staff), the workflow's steps, and finding cases.

- ``file_case``: a checked application becomes a case with the year's next number
  (2026-JF-0007). Numbers are gapless and unique under concurrent filing: the year's counter
  row is bumped with an atomic UPDATE … RETURNING in the transaction that inserts the case
  (as queue numbers are), so a rollback leaves no gap. A form sent twice (its one-time key)
  files one case.
- Every step (``accept``, ``decline``, ``record_session``, ``agree``, ``fail``,
  ``record_follow_up``, ``perform``, ``refer``, ``withdraw``, ``merge``) goes through the
  workflow ``app.domain.disputes.CASE`` and the audit trail, and moves the case with a
  conditional UPDATE on its current state: two members of staff pressing at once cannot
  both move it; the second is told to look again.
- Nothing deletes a case. Merging keeps the duplicate with the reason and a link to its
  original; the assessor sees merged cases too.
- The acceptance deadline is in working days (``app/services/workdays.py``) and moves when
  the calendar changes (``_move_accept_due``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case as sql_case
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.clock import local_today, to_local
from app.crypto import vault
from app.database import insert_if_missing
from app.domain import Conflict, Invalid, InvalidFields
from app.domain.disputes import (
    ACCEPT_WORKING_DAYS,
    CASE,
    CLOSING_STATES,
    NAME_MAX,
    RATEABLE_STATES,
    REASON_MAX,
    ApplicantRole,
    CaseChannel,
    CaseStatus,
    Clock,
    EntryKind,
    Filing,
    Party,
    PaymentMethod,
    acceptance_clock,
    case_number,
    clean_statement,
    mediation_clock,
    read_signatures,
)
from app.domain.masking import mask_name
from app.domain.ratings import RaterRole
from app.domain.validation import clean_money
from app.extensions import db
from app.models import (
    Deal,
    DisputeCase,
    DisputeCounter,
    DisputeEntry,
    DisputeSignature,
    Employer,
    Rating,
    Worker,
    utcnow,
)
from app.terminals import current_terminal

from . import audit, dispute_slips, idempotency, printing, ratings, slips, workdays, workers
from .registration import refuse_other_name

MAX_AGREED = Decimal("1000000")
STALE = "该案件刚被其他工作人员处理过，请刷新页面后再操作"


# -- filing -------------------------------------------------------------------------------------

def next_seq(year: int) -> int:
    """Bump and return the year's case counter (inside the caller's transaction)."""
    insert_if_missing(DisputeCounter, year=year, last_seq=0)
    return db.session.execute(
        update(DisputeCounter).where(DisputeCounter.year == year)
        .values(last_seq=DisputeCounter.last_seq + 1).returning(DisputeCounter.last_seq)
    ).scalar_one()


def file_case(filing: Filing, *, channel: CaseChannel, form_key: str | None = None,
              worker: Worker | None = None, user=None, slip_printer: str | None = None,
              deal: Deal | None = None) -> DisputeCase:
    """File an application; the same form key files one case however often it is sent.

    ``worker``: the applicant as recognised from their slip's QR; an ID number of a
    registered worker links the case to that worker too. ``slip_printer``: print the
    applicant's slip there (``dispute_slips.filing_slip``), in the case's own transaction.
    ``deal``: the deal the dispute is about (a task not completed, filed from the deal's
    page): the case is linked to it, and to its worker and employer."""
    if (found := idempotency.find(form_key, DisputeCase)) is not None:
        return found
    pii = vault()
    now = utcnow()
    today = to_local(now).date()
    if worker is None and filing.id_number is not None and filing.applicant_role == ApplicantRole.WORKER:
        # As registration does: an ID number registered under another name is refused.
        refuse_other_name(filing.id_number, filing.applicant_name)
        worker = workers.by_id_number(filing.id_number.number)
    if deal is not None:  # the deal's own parties, whichever of them applies
        worker, employer = worker or deal.worker, deal.employer
    else:
        by_employer = filing.applicant_role == ApplicantRole.EMPLOYER
        employer = _employer_by_phone(filing.applicant_phone if by_employer else filing.other_party_phone)
    if filing.applicant_role == ApplicantRole.EMPLOYER and worker is None and filing.other_party_phone:
        worker = db.session.scalar(select(Worker).where(
            Worker.phone_hash == pii.blind_index("phone", filing.other_party_phone),
            Worker.anonymised_at.is_(None)).limit(1))
    try:
        seq = next_seq(today.year)
        case = DisputeCase(
            year=today.year, seq=seq, number=case_number(today.year, seq), status=CaseStatus.RECEIVED,
            kind=filing.kind, channel=channel, applicant_role=filing.applicant_role,
            applicant_name=filing.applicant_name, applicant_phone_cipher=pii.encrypt(filing.applicant_phone),
            applicant_phone_last4=filing.applicant_phone[-4:],
            applicant_id_cipher=(pii.encrypt(filing.id_number.number)
                                 if filing.id_number is not None and worker is None else None),
            worker_id=worker.id if worker else None, employer_id=employer.id if employer else None,
            other_party_name=filing.other_party_name, other_party_company=filing.other_party_company,
            other_party_phone_cipher=(pii.encrypt(filing.other_party_phone)
                                      if filing.other_party_phone else None),
            other_party_phone_last4=filing.other_party_phone[-4:] if filing.other_party_phone else None,
            amount=filing.amount, facts=filing.facts, wants=filing.wants,
            received_at=now, received_on=today, accept_due=workdays.due(today, ACCEPT_WORKING_DAYS),
            created_by_id=user.id if user else None, deal_id=deal.id if deal is not None else None,
            terminal=current_terminal().name if channel == CaseChannel.KIOSK else None,
            applicant_token=secrets.token_urlsafe(24), respondent_token=secrets.token_urlsafe(24))
        db.session.add(case)
        db.session.flush()
        idempotency.remember(form_key, "dispute", case)
        if slip_printer is not None:
            printing.enqueue(**dispute_slips.filing_slip(case, slips.public_base_url()), printer=slip_printer)
        audit.record(audit.ref(case), "file", after={
            "number": case.number, "kind": case.kind.value, "channel": channel.value,
            "applicant_role": case.applicant_role.value, "applicant": mask_name(case.applicant_name),
            "amount": str(case.amount) if case.amount is not None else None,
            **({"deal": deal.number} if deal is not None else {})},
            actor=audit.Actor.staff(user) if user else None)
        db.session.commit()
    except IntegrityError:  # the same form, sent again at the same instant, won the key
        db.session.rollback()
        if (found := idempotency.find(form_key, DisputeCase)) is not None:
            return found
        raise
    return case


def _employer_by_phone(phone: str | None) -> Employer | None:
    if not phone:
        return None
    return db.session.scalar(select(Employer).where(
        Employer.phone_hash == vault().blind_index("employer-phone", phone)))


# -- finding ------------------------------------------------------------------------------------

def get(case_id: int) -> DisputeCase | None:
    return db.session.get(DisputeCase, case_id)


def by_number(number: str) -> DisputeCase | None:
    number = (number or "").strip().upper()
    if not number or len(number) > 16:
        return None
    return db.session.scalar(select(DisputeCase).where(DisputeCase.number == number))


def by_token(token: str) -> tuple[DisputeCase, Party] | None:
    """The case a slip's QR opens, and whose slip it is (applicant or respondent)."""
    if not token or len(token) > 64:
        return None
    found = db.session.scalar(select(DisputeCase).where(
        (DisputeCase.applicant_token == token) | (DisputeCase.respondent_token == token)))
    if found is None:
        return None
    return found, (Party.APPLICANT if found.applicant_token == token else Party.RESPONDENT)


def of_worker(worker: Worker) -> list[DisputeCase]:
    """The cases linked to a worker's record (as applicant or as the other party), newest first."""
    return list(db.session.scalars(select(DisputeCase).where(DisputeCase.worker_id == worker.id)
                                   .order_by(DisputeCase.received_at.desc())))


def applicant_phone(case: DisputeCase) -> str:
    return vault().decrypt(case.applicant_phone_cipher)


def other_party_phone(case: DisputeCase) -> str | None:
    return vault().decrypt(case.other_party_phone_cipher) if case.other_party_phone_cipher else None


@dataclass(frozen=True)
class CaseClock:
    """The clock a case's screen shows now: acceptance (received) or mediation (accepted,
    mediating); None once neither runs."""

    name: str  # 受理期限 / 调解期限
    clock: Clock


def clock_of(case: DisputeCase, today: date | None = None) -> CaseClock | None:
    today = today or local_today()
    if case.status == CaseStatus.RECEIVED:
        return CaseClock("受理期限", acceptance_clock(case.received_on, case.accept_due, today))
    if case.status.clock_runs and case.accepted_on is not None:
        return CaseClock("调解期限", mediation_clock(case.accepted_on, today))
    return None


# -- the steps ----------------------------------------------------------------------------------

def _move(case: DisputeCase, action: str, user, *, detail: str | None = None, after: dict | None = None,
          **values) -> DisputeCase:
    """Apply ``action`` to the case (refused by the workflow with its reason), set ``values``
    with the new state in one conditional UPDATE, and record it in the audit trail; the
    caller adds what else belongs to the step and this commits it."""
    before = case.status
    target = CASE.apply(before, action)
    now = utcnow()
    if target in CLOSING_STATES and case.closed_at is None:
        values.setdefault("closed_at", now)
    moved = db.session.execute(
        update(DisputeCase).where(DisputeCase.id == case.id, DisputeCase.status == before)
        .values(status=target, **values).execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict(STALE)
    audit.record(audit.ref(case), action, before={"status": before.value},
                 after={"status": target.value, **(after or {})}, detail=detail,
                 actor=audit.Actor.staff(user))
    db.session.commit()
    db.session.refresh(case)
    return case


def _reason(raw: str | None, label: str) -> str:
    try:
        return clean_statement(raw, label=label, minimum=2, maximum=REASON_MAX)
    except Invalid as err:
        raise InvalidFields({"reason": err.message}) from None


def accept(case: DisputeCase, user) -> DisputeCase:
    now = utcnow()
    return _move(case, "accept", user, accepted_at=now, accepted_on=to_local(now).date(), handler_id=user.id)


def decline(case: DisputeCase, reason: str | None, user) -> DisputeCase:
    text = _reason(reason, "不予受理的理由")
    return _move(case, "decline", user, closing_reason=text, detail=text)


def record_session(case: DisputeCase, *, held_at: datetime, attendees: str | None, text: str | None,
                   user) -> DisputeCase:
    """A mediation session: when (``held_at``, UTC naive like every stored time), who
    attended, what was said. Also from 已受理: the first session starts the mediation."""
    errors = {}
    try:
        who = clean_statement(attendees, label="参加人员", minimum=1, maximum=200)
    except Invalid as err:
        errors["attendees"] = err.message
    try:
        said = clean_statement(text, label="调解情况", minimum=2, maximum=2000)
    except Invalid as err:
        errors["text"] = err.message
    if held_at > utcnow():
        errors["held_at"] = "调解时间不能晚于现在"
    elif case.accepted_at and held_at < case.accepted_at.replace(second=0, microsecond=0):
        errors["held_at"] = "调解时间不能早于受理时间"
    if errors:
        raise InvalidFields(errors)
    CASE.apply(case.status, "session")  # refused before anything is added
    db.session.add(DisputeEntry(case_id=case.id, kind=EntryKind.SESSION, at=held_at, attendees=who, text=said,
                                by_id=user.id))
    return _move(case, "session", user, after={"held_at": held_at.isoformat(timespec="minutes")})


@dataclass(frozen=True)
class Signed:
    """One signature as sent from the touchscreen: the signer's name and the drawn image."""

    signer: str
    data_url: str


def agree(case: DisputeCase, *, amount: str | None, pay_by: date | None, method: str | None,
          terms: str | None, signatures: dict[Party, Signed], user) -> DisputeCase:
    """The mediation agreement: the amount, deadline and method of payment, the terms, and
    the three signatures (applicant, other party, mediator), all or nothing."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    try:
        values["agreed_amount"] = clean_money(amount, label="协议金额", maximum=MAX_AGREED, required=False,
                                              allow_zero=True)
    except Invalid as err:
        errors["amount"] = err.message
    if pay_by is None:
        errors["pay_by"] = "请选择履行期限"
    elif pay_by < local_today():
        errors["pay_by"] = "履行期限不能早于今天"
    try:
        values["pay_method"] = PaymentMethod(method or "")
    except ValueError:
        if values.get("agreed_amount"):
            errors["method"] = "请选择支付方式"
        values["pay_method"] = None
    try:
        values["agreement_terms"] = clean_statement(terms, label="协议内容", minimum=4, maximum=2000)
    except Invalid as err:
        errors["terms"] = err.message
    images = read_signatures(signatures, Party, errors)
    if errors:
        raise InvalidFields(errors)
    CASE.apply(case.status, "agree")
    now = utcnow()
    try:
        for party, (signer, png) in images.items():
            db.session.add(DisputeSignature(case_id=case.id, party=party, signer=signer[:NAME_MAX], png=png,
                                            signed_at=now))
        return _move(case, "agree", user, agreed_at=now, pay_by=pay_by, **values, after={
            "amount": str(values["agreed_amount"]) if values["agreed_amount"] is not None else None,
            "pay_by": pay_by.isoformat(),
            "method": values["pay_method"].value if values["pay_method"] else None})
    except IntegrityError:  # signed at the same moment elsewhere: its signatures are stored first
        db.session.rollback()
        raise Conflict(STALE) from None


def fail(case: DisputeCase, reason: str | None, user) -> DisputeCase:
    text = _reason(reason, "调解不成的原因")
    return _move(case, "fail", user, closing_reason=text, detail=text)


def record_follow_up(case: DisputeCase, *, at: datetime, text: str | None, user) -> DisputeCase:
    """A follow-up of a signed agreement (a call, a visit): is it being performed?"""
    try:
        said = clean_statement(text, label="回访情况", minimum=2, maximum=1000)
    except Invalid as err:
        raise InvalidFields({"text": err.message}) from None
    if at > utcnow():
        raise InvalidFields({"at": "回访时间不能晚于现在"})
    if case.agreed_at and at < case.agreed_at.replace(second=0, microsecond=0):
        raise InvalidFields({"at": "回访时间不能早于签订协议的时间"})
    CASE.apply(case.status, "follow_up")
    db.session.add(DisputeEntry(case_id=case.id, kind=EntryKind.FOLLOW_UP, at=at, text=said, by_id=user.id))
    return _move(case, "follow_up", user)


def perform(case: DisputeCase, note: str | None, user) -> DisputeCase:
    text = _reason(note, "履行情况")
    return _move(case, "perform", user, performed_at=utcnow(), closing_reason=text, detail=text)


def refer(case: DisputeCase, reason: str | None, user) -> DisputeCase:
    text = _reason(reason, "转仲裁的原因")
    return _move(case, "refer", user, closing_reason=text, detail=text)


def withdraw(case: DisputeCase, reason: str | None, user) -> DisputeCase:
    text = _reason(reason, "撤回的原因")
    return _move(case, "withdraw", user, closing_reason=text, detail=text)


def merge(case: DisputeCase, into_number: str | None, reason: str | None, user) -> DisputeCase:
    """Merge a duplicate filing into its original (named by its number); both stay."""
    errors = {}
    original = by_number(into_number or "")
    if original is None:
        errors["into"] = "请输入原案件的编号，如 2026-JF-0007"
    elif original.id == case.id:
        errors["into"] = "不能合并到本案件自己"
    elif original.status == CaseStatus.MERGED:
        errors["into"] = f"{original.number} 本身已合并到 {original.merged_into.number}，请合并到该案件"
    try:
        text = _reason(reason, "合并的理由")
    except InvalidFields as err:
        errors.update(err.errors)
    if errors:
        raise InvalidFields(errors)
    return _move(case, "merge", user, merged_into_id=original.id, closing_reason=text,
                 detail=f"合并到 {original.number}：{text}", after={"into": original.number})


def actions(case: DisputeCase) -> list[str]:
    """What staff can do with the case now (the workflow's table order)."""
    return CASE.allowed(case.status)


# -- lists --------------------------------------------------------------------------------------

def open_cases() -> list[DisputeCase]:
    """Every open case, the most urgent first: overdue ones, then by the nearest deadline.

    The deadline of a received case is its acceptance day; of an accepted or mediating one,
    its 15th day; an agreed case waits on its payment deadline."""
    today = local_today()
    cases = list(db.session.scalars(select(DisputeCase).where(
        DisputeCase.status.in_([s for s in CaseStatus if s.is_open]))))

    def urgency(case: DisputeCase):
        shown = clock_of(case, today)
        due = shown.clock.due if shown else (case.pay_by or date.max)
        return (due >= today, due, case.received_at)

    return sorted(cases, key=urgency)


def status_order():
    """SQL ordering of cases by their state in workflow order (for lists by state)."""
    return sql_case({status.value: i for i, status in enumerate(CaseStatus)}, value=DisputeCase.status)


@workdays.moves_due_dates
def _move_accept_due() -> int:
    """After a calendar change: every case still awaiting acceptance, counted again."""
    moved = 0
    for case in db.session.scalars(select(DisputeCase).where(DisputeCase.status == CaseStatus.RECEIVED)):
        due = workdays.due(case.received_on, ACCEPT_WORKING_DAYS)
        if due != case.accept_due:
            case.accept_due, moved = due, moved + 1
    return moved


# -- rating the mediation from a slip --------------------------------------------------------

def case_service(found: tuple[DisputeCase, Party]) -> ratings.RatedService:
    """The mediation as the holder of one of the case's slips rates it: the applicant's
    (from filing) or the other party's; each once, once the mediation is over."""
    case, party = found
    applicant_role = (RaterRole.WORKER if case.applicant_role == ApplicantRole.WORKER else RaterRole.EMPLOYER)
    other_role = RaterRole.EMPLOYER if applicant_role == RaterRole.WORKER else RaterRole.WORKER
    ended = case.agreed_at or case.closed_at
    return ratings.RatedService(
        "case", f"case:{case.id}:{party.value}", f"纠纷调解 {case.number}",
        to_local(ended).date() if ended else case.received_on,
        applicant_role if party == Party.APPLICANT else other_role,
        not_yet=None if case.status in RATEABLE_STATES else "调解结束后即可在这里评价本次调解服务")


def satisfaction(case: DisputeCase) -> list[Rating]:
    """The parties' ratings of this case's mediation (at most one per slip)."""
    keys = [f"case:{case.id}:{party.value}" for party in (Party.APPLICANT, Party.RESPONDENT)]
    return list(db.session.scalars(select(Rating).where(Rating.service.in_(keys)).order_by(Rating.at)))


ratings.slip_kind("c", by_token, case_service)
