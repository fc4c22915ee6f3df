"""Deals: one worker engaged on one posting, step by step (``app.domain.deals``).

Every step is one conditional UPDATE on the deal's state (a second click, or a colleague
acting on the same deal at the same moment, gets a ``Conflict`` instead of a second step)
and one audit entry with the time and who acted, committed together.

A place on a posting is taken by one conditional UPDATE of the posting's ``taken`` count
(``taken < headcount``, still published, still valid): of two people taking the last place
at the same moment one gets it and the other is told kindly that it is gone, on SQLite and
PostgreSQL alike. A cancelled deal gives its place back.

The agreement (劳务协议) is generated from the deal when both sides sign (``sign``), kept as
the canonical text it was signed as and sealed: its text, seal and check are
``app/services/deal_seal.py``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.clock import local_today, to_local
from app.crypto import vault
from app.domain import Conflict, Invalid, InvalidFields
from app.domain.deals import (
    DEAL,
    NOT_OPEN,
    PLACE_GONE,
    ConfirmedVia,
    DealSource,
    DealStatus,
    FalseKind,
    NoteKind,
    Side,
    check_age,
    is_inter_provincial,
    is_short_term,
)
from app.domain.disputes import PaymentMethod, clean_statement, read_signatures
from app.domain.idcard import birth_date_of
from app.domain.masking import mask_business_name, mask_name
from app.domain.ratings import RaterRole
from app.domain.task_orders import PayUnit, TaskStatus
from app.domain.validation import format_yuan
from app.extensions import db
from app.hall_config import hall
from app.models import (
    Deal,
    DealNote,
    DealSignature,
    EmployerType,
    TaskOrder,
    Worker,
    utcnow,
)

from . import audit, deal_seal, idempotency, ratings, task_orders
from .disputes import Signed  # one signature as the touchscreen sends it

STALE = "该交易刚刚已被其他人办理，请刷新页面查看最新状态"
ALREADY_APPLIED = "您已经报名了这个岗位，不用再报名；请按凭条上的时间地点前往"
REASON_MAX = 300


# -- acceptance ----------------------------------------------------------------------------

def open_deal_of(worker: Worker, task: TaskOrder) -> Deal | None:
    """The worker's deal on this posting that is not cancelled (one per worker and posting)."""
    return db.session.scalar(select(Deal).where(
        Deal.worker_id == worker.id, Deal.task_order_id == task.id, Deal.status != DealStatus.CANCELLED))


def is_false(kind: FalseKind, record_id: int) -> bool:
    return task_orders.false_record(kind, record_id) is not None


def accept(task: TaskOrder, worker: Worker, *, source: DealSource, user=None, terminal: str | None = None,
           form_key: str | None = None, today: date | None = None,
           print_slip: Callable[[Deal], None] | None = None) -> Deal:
    """Engage ``worker`` on ``task``: the worker's application at the kiosk, or staff's match.

    Refused (``Conflict``, in words for the person): a worker under 16, a 16–17-year-old for
    a trade forbidden to minors, a worker record confirmed false, a second application of
    the same worker, and a posting that is no longer open or whose last place was just
    taken. The same ``form_key`` engages once however often it is sent. ``print_slip`` is
    called with the new deal inside the transaction (the application slip)."""
    if (found := idempotency.find(form_key, Deal)) is not None:
        return found
    today = today or local_today()
    if worker.anonymised_at is not None or worker.id_cipher is None:
        raise Conflict("该零工的登记信息已注销，请重新登记后再报名")
    if is_false(FalseKind.WORKER, worker.id):
        raise Conflict("该零工的登记信息已被确认为虚假信息，不能报名；请到服务台核实")
    trade = hall().trades_by_code[task.trade_code]
    check_age(birth_date_of(vault().decrypt(worker.id_cipher)), trade, max(today, task.work_date))
    if open_deal_of(worker, task) is not None:
        raise Conflict(ALREADY_APPLIED)
    taken = db.session.execute(
        update(TaskOrder).where(TaskOrder.id == task.id, TaskOrder.status == TaskStatus.PUBLISHED,
                                TaskOrder.valid_until >= today, TaskOrder.taken < TaskOrder.headcount)
        .values(taken=TaskOrder.taken + 1).execution_options(synchronize_session=False)).rowcount
    if not taken:
        db.session.rollback()
        db.session.refresh(task)
        still_open = (task.status == TaskStatus.PUBLISHED and task.valid_until is not None
                      and task.valid_until >= today)
        raise Conflict(PLACE_GONE if still_open else NOT_OPEN)
    suggested = is_inter_provincial(worker.from_other_province, task.outside_fujian)
    deal = Deal(task_order_id=task.id, worker_id=worker.id, employer_id=task.employer_id, source=source,
                terminal=terminal, created_by_id=user.id if user else None, pay=task.pay,
                pay_unit=task.pay_unit, interprovincial_suggested=suggested,
                verify_token=secrets.token_urlsafe(24), worker_token=secrets.token_urlsafe(24),
                employer_token=secrets.token_urlsafe(24))
    db.session.add(deal)
    try:
        db.session.flush()
    except IntegrityError:  # the same worker on the same posting at the same moment elsewhere
        db.session.rollback()
        raise Conflict(ALREADY_APPLIED) from None
    idempotency.remember(form_key, "deal", deal)
    audit.record(audit.ref(deal), "accept", after={
        "status": deal.status.value, "task_order": task.id, "worker": worker.number,
        "source": source.value, "inter_provincial_suggested": suggested}, actor=_actor(user))
    if print_slip is not None:
        print_slip(deal)
    db.session.commit()
    db.session.refresh(task)
    return deal


def _actor(user) -> audit.Actor:
    return audit.Actor.staff(user) if user is not None else audit.Actor.current()


# -- the steps -------------------------------------------------------------------------------

def _move(deal: Deal, action: str, user, *, detail: str | None = None, after: dict | None = None,
          **values) -> Deal:
    """Apply ``action`` (refused by the workflow with its reason), set ``values`` with the new
    state in one conditional UPDATE, record it in the audit trail, and commit."""
    before = deal.status
    target = DEAL.apply(before, action)
    moved = db.session.execute(
        update(Deal).where(Deal.id == deal.id, Deal.status == before)
        .values(status=target, **values).execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict(STALE)
    audit.record(audit.ref(deal), action, before={"status": before.value},
                 after={"status": target.value, **(after or {})}, detail=detail, actor=_actor(user))
    db.session.commit()
    db.session.refresh(deal)
    return deal


def confirm_price(deal: Deal, side: Side, pay, unit: PayUnit, via: ConfirmedVia, user=None) -> Deal:
    """One side accepts ``pay`` per ``unit`` (a changed price clears the other side's
    acceptance: both must accept the same one). Both accepted: the deal is priced."""
    DEAL.apply(deal.status, "confirm_price")  # refused before anything is written
    changed = (pay, unit) != (deal.pay, deal.pay_unit)
    now = utcnow()
    values = {"pay": pay, "pay_unit": unit}
    if changed:
        values |= {"worker_price_at": None, "worker_price_via": None,
                   "employer_price_at": None, "employer_price_via": None}
    values |= ({"worker_price_at": now, "worker_price_via": via} if side == Side.WORKER
               else {"employer_price_at": now, "employer_price_via": via})
    other_done = not changed and deal.price_confirmed_by(
        Side.EMPLOYER if side == Side.WORKER else Side.WORKER)
    after = {"side": side.value, "via": via.value, "pay": str(pay), "unit": unit.value}
    if other_done:
        return _move(deal, "confirm_price", user, after=after, priced_at=now, **values)
    moved = db.session.execute(
        update(Deal).where(Deal.id == deal.id, Deal.status == DealStatus.ACCEPTED)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict(STALE)
    audit.record(audit.ref(deal), "accept_price", after=after, actor=_actor(user))
    db.session.commit()
    db.session.refresh(deal)
    return deal


def sign(deal: Deal, signatures: dict[Side, Signed], user=None, terminal: str | None = None) -> Deal:
    """Both sides sign the agreement at once, all or nothing: ``{side: Signed(name, data
    URL)}`` as the touchscreen sends them; each signature checked like the mediation
    agreement's (``read_signatures``). The content is generated and sealed here."""
    errors: dict[str, str] = {}
    images = read_signatures(signatures, Side, errors)
    if errors:
        raise InvalidFields(errors)
    DEAL.apply(deal.status, "sign")
    now = utcnow()
    try:
        for side, (signer, png) in images.items():
            db.session.add(DealSignature(deal_id=deal.id, side=side, signer=signer[:40], png=png,
                                         signed_at=now, terminal=terminal))
        db.session.flush()
        db.session.refresh(deal)
        text = deal_seal.agreement_text(deal, signed_at=now)
        sealed = deal_seal.seal(text)
        return _move(deal, "sign", user, signed_at=now, agreement_content=text, agreement_seal=sealed,
                     after={"seal": sealed[:16]})
    except IntegrityError:  # signed at the same moment elsewhere: its signatures are stored first
        db.session.rollback()
        raise Conflict(STALE) from None


def insure(deal: Deal, *, insurer: str | None = None, policy_number: str | None = None, premium=None,
           cover_from: date | None = None, cover_to: date | None = None, uninsured_reason: str | None = None,
           user=None) -> Deal:
    """The insurance as cleaned by the form (``read_insurance``): a policy, or none with why."""
    values = {"insurer": insurer, "policy_number": policy_number, "premium": premium,
              "cover_from": cover_from, "cover_to": cover_to, "uninsured_reason": uninsured_reason,
              "insured_at": utcnow()}
    after = ({"uninsured": uninsured_reason} if uninsured_reason
             else {"insurer": insurer, "policy": policy_number, "premium": str(premium)})
    return _move(deal, "insure", user, after=after, **values)


def pay(deal: Deal, *, amount, method: PaymentMethod, reference: str, paid_at: datetime, user=None) -> Deal:
    """The employer's payment as told: amount, method, reference, when (naive UTC), not
    before the deal was accepted (its minute)."""
    _not_before(paid_at, deal.accepted_at, "付款时间不能早于接单时间")
    return _move(deal, "pay", user, paid_amount=amount, paid_method=method, paid_reference=reference,
                 paid_at=paid_at, after={"amount": str(amount), "method": method.value})


def settle(deal: Deal, *, amount, method: PaymentMethod, reference: str, settled_at: datetime,
           user=None) -> Deal:
    """The wage paid to the worker as told: amount, method, when (naive UTC), not before the
    employer's payment (its minute)."""
    _not_before(settled_at, deal.paid_at or deal.accepted_at, "结算时间不能早于雇主付款时间")
    return _move(deal, "settle", user, wage_amount=amount, wage_method=method, wage_reference=reference,
                 settled_at=settled_at, after={"amount": str(amount), "method": method.value})


def _not_before(moment: datetime, earlier: datetime, message: str) -> None:
    """A time typed to the minute, not before an earlier step's (its minute): ``InvalidFields``
    under ``on``, the form's date field."""
    if moment < earlier.replace(second=0, microsecond=0):
        raise InvalidFields({"on": message})


def complete(deal: Deal, user=None) -> Deal:
    """The deal is done (C3 by this time). An enterprise's short-term posting with its first
    completed deal becomes a short-term need solved (G2), once."""
    task = deal.task_order
    if task.status == TaskStatus.FALSE or is_false(FalseKind.WORKER, deal.worker_id):
        DEAL.apply(deal.status, "complete")  # a refused step says so first
        raise Conflict("该交易的招工信息或零工信息已确认为虚假，交易不能完成，请取消该交易")
    now = utcnow()
    if (deal.employer.employer_type == EmployerType.ENTERPRISE and is_short_term(task.duration_days)
            and task.need_solved_at is None):
        db.session.execute(update(TaskOrder)
                           .where(TaskOrder.id == task.id, TaskOrder.need_solved_at.is_(None))
                           .values(need_solved_at=now).execution_options(synchronize_session=False))
    deal = _move(deal, "complete", user, completed_at=now)
    db.session.refresh(task)
    return deal


def cancel(deal: Deal, reason: str | None, user=None) -> Deal:
    """Cancelled with a reason from any state before completion; the place goes back."""
    text = cancel_reason(reason)
    before = deal.status
    DEAL.apply(before, "cancel")
    db.session.execute(update(TaskOrder).where(TaskOrder.id == deal.task_order_id, TaskOrder.taken > 0)
                       .values(taken=TaskOrder.taken - 1).execution_options(synchronize_session=False))
    return _move(deal, "cancel", user, cancelled_at=utcnow(), cancel_reason=text, cancelled_from=before,
                 detail=text)


def cancel_reason(raw: str | None) -> str:
    """A cancellation's reason as the service takes it (a form checks it before its confirm
    page); ``InvalidFields`` under ``reason``."""
    return _reason(raw, "取消的原因")


def _reason(raw: str | None, label: str) -> str:
    try:
        return clean_statement(raw, label=label, minimum=2, maximum=REASON_MAX)
    except Invalid as err:
        raise InvalidFields({"reason": err.message}) from None


def add_note(deal: Deal, kind: NoteKind, text: str | None, user) -> DealNote:
    """A negotiation note (a task not completed) or a remark, in any state."""
    try:
        cleaned = clean_statement(text, label="内容", minimum=2, maximum=1000)
    except Invalid as err:
        raise InvalidFields({"text": err.message}) from None
    note = DealNote(deal_id=deal.id, kind=kind, text=cleaned, by_id=user.id)
    db.session.add(note)
    db.session.flush()
    audit.record(audit.ref(deal), "note", after={"kind": kind.value, "note": note.id}, actor=_actor(user))
    db.session.commit()
    return note


def decide_inter_provincial(deal: Deal, confirm: bool, user) -> Deal:
    """Staff confirm (G3, counted by this time) or dismiss the suggestion; either once."""
    if deal.interprovincial_at is not None or deal.interprovincial_dismissed_at is not None:
        raise Conflict("该交易的省际用工已经确认或排除过了")
    if not deal.interprovincial_suggested:
        raise Conflict("该交易的零工来自福建省内、工作地点也在省内，不是省际用工；"
                       "如工作地点在省外，请先在招工信息中注明")
    if deal.status == DealStatus.CANCELLED:
        raise Conflict("已取消的交易不能确认为省际用工")
    now = utcnow()
    column = Deal.interprovincial_at if confirm else Deal.interprovincial_dismissed_at
    moved = db.session.execute(
        update(Deal).where(Deal.id == deal.id, Deal.interprovincial_at.is_(None),
                           Deal.interprovincial_dismissed_at.is_(None))
        .values({column: now, Deal.interprovincial_by_id: user.id})
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict(STALE)
    audit.record(audit.ref(deal), "inter_provincial_confirm" if confirm else "inter_provincial_dismiss",
                 actor=_actor(user))
    db.session.commit()
    db.session.refresh(deal)
    return deal


# -- slips and their rating link ---------------------------------------------------------------

def by_token(token: str) -> tuple[Deal, Side] | None:
    """The deal a slip's QR opens (/d/<token>), and whose slip it is."""
    if not token or len(token) > 64:
        return None
    found = db.session.scalar(select(Deal).where(
        (Deal.worker_token == token) | (Deal.employer_token == token)))
    if found is None:
        return None
    return found, (Side.WORKER if found.worker_token == token else Side.EMPLOYER)


def by_verify_token(token: str) -> Deal | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Deal).where(Deal.verify_token == token))


def deal_service(found: tuple[Deal, Side]) -> ratings.RatedService:
    """The deal as the holder of one of its slips rates it: once it is completed or
    cancelled, each side once, for RATING_SLIP_DAYS from that day."""
    deal, side = found
    over = not deal.status.is_open
    # The slip's link rates for RATING_SLIP_DAYS from the deal's end (completed or cancelled).
    ended = deal.completed_at or deal.cancelled_at or deal.accepted_at
    return ratings.RatedService(
        "deal", f"deal:{deal.id}:{side.value}", f"交易服务 {deal.number}",
        to_local(ended).date(), RaterRole.WORKER if side == Side.WORKER else RaterRole.EMPLOYER,
        not_yet=None if over else "交易完成后即可在这里评价本次服务")


ratings.slip_kind("d", by_token, deal_service)


# -- what the screens show of a deal ------------------------------------------------------------

def parties_masked(deal: Deal) -> dict[str, str]:
    """The two parties as screens and slips show them (never a full ID or phone number)."""
    employer = deal.employer
    name = (mask_business_name(employer.employer_name) if employer.employer_name
            else mask_name(employer.contact_name))
    return {"worker": f"{mask_name(deal.worker.name)}（{deal.worker.number}）", "employer": name,
            "pay": f"{format_yuan(deal.pay)} {deal.pay_unit.label}"}

