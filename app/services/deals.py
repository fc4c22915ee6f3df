"""Deals: one worker engaged on one posting, step by step (``app.domain.deals``).

Every step is one conditional UPDATE on the deal's state (a second click, or a colleague
acting on the same deal at the same moment, gets a ``Conflict`` instead of a second step)
and one audit entry with the time and who acted, committed together.

A place on a posting is taken by one conditional UPDATE of the posting's ``taken`` count
(``taken < headcount``, still published, still valid): of two people taking the last place
at the same moment one gets it and the other is told kindly that it is gone, on SQLite and
PostgreSQL alike. A cancelled deal gives its place back.

The agreement (劳务协议) is generated from the deal when both sides sign, kept as the
canonical text it was signed as, and sealed with a keyed hash only the server can make
(``seal``). ``verify`` rebuilds the content from the deal's rows as they are now and checks
it against the kept text, the signatures against their digests, and the seal: any field
altered in the database afterwards no longer verifies.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
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
    canonical,
    check_age,
    is_inter_provincial,
    is_short_term,
    png_digest,
)
from app.domain.disputes import PaymentMethod, clean_party_name, clean_statement, read_signature
from app.domain.idcard import birth_date_of
from app.domain.masking import mask_business_name, mask_id_number, mask_name
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
    FalseRecord,
    TaskOrder,
    Worker,
    utcnow,
)

from . import audit, idempotency, ratings
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
    return db.session.scalar(select(FalseRecord.id).where(
        FalseRecord.kind == kind, FalseRecord.record_id == record_id)) is not None


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


def agreement_content(deal: Deal) -> dict:
    """The 劳务协议 as generated from the deal's rows and the hall's settings: what both
    sides sign. ID numbers masked; money as exact text."""
    task, worker, employer = deal.task_order, deal.worker, deal.employer
    trade = hall().trades_by_code[task.trade_code]
    enterprise = employer.employer_type == EmployerType.ENTERPRISE and employer.employer_name
    return {
        "number": deal.number,
        "employer": {"name": employer.employer_name if enterprise else employer.contact_name,
                     "contact": employer.contact_name, "uscc": employer.uscc or ""},
        "worker": {"name": worker.name, "number": worker.number,
                   "id_number": mask_id_number(vault().decrypt(worker.id_cipher)) if worker.id_cipher
                   else ""},
        "work": {"posting": task.number, "trade_code": task.trade_code, "trade": trade.name,
                 "description": task.description,
                 "requirements": task.requirements, "place": task.location,
                 "date": task.work_date.isoformat(),
                 "time": task.work_time.strftime("%H:%M") if task.work_time else "",
                 "days": task.duration_days},
        "pay": {"amount": str(deal.pay), "unit": deal.pay_unit.value, "unit_label": deal.pay_unit.label},
        "terms": AGREEMENT_TERMS,
        "hall": hall().name,
    }


# The clauses every 劳务协议 of the hall carries (the parties' own details come from the deal).
AGREEMENT_TERMS = {
    "payment": "甲方在工作完成当日（按天计酬的，按实际工作天数）向乙方足额支付劳务报酬，"
               "可通过现金、微信、支付宝或银行转账支付；零工市场登记付款和结算情况。",
    "insurance": "甲方为乙方在工作期间投保意外伤害保险（保险信息在本协议签订后登记）；"
                 "未投保的，须登记原因，工作期间发生意外由甲方依法承担责任。",
    "safety": "甲方提供必要的劳动保护和安全条件，不得安排乙方从事与本协议不符的工作。",
    "dispute": "发生争议的，双方先协商；协商不成的，可向零工市场申请免费调解，"
               "或向劳动人事争议仲裁委员会申请仲裁、向人民法院起诉。",
}


def _signatures_digest(deal: Deal) -> dict[str, dict[str, str]]:
    return {s.side.value: {"signer": s.signer, "png": png_digest(s.png)} for s in deal.signatures}


def agreement_text(deal: Deal, signed_at: datetime | None = None) -> str:
    """The agreement as signed: its content, the signatures' digests and the signing time
    (``deal.signed_at`` unless given), as the canonical text that is sealed."""
    moment = signed_at or deal.signed_at
    return canonical({**agreement_content(deal), "signatures": _signatures_digest(deal),
                      "signed_at": moment.isoformat() if moment else ""})


# What ``verify`` compares between the kept text and the deal's rows now: the deal's own
# facts. The hall's name, the trade's name and the standard clauses are settings and code,
# which may change after signing without altering what was signed: the kept text says them.
_FACTS = {"number": (), "employer": ("name", "contact", "uscc"), "worker": ("name", "number", "id_number"),
          "work": ("posting", "trade_code", "description", "requirements", "place", "date", "time", "days"),
          "pay": ("amount", "unit"), "signatures": None, "signed_at": ()}
# A worker whose personal data was erased at their request (``workers.anonymise``): the
# rows no longer hold their name and ID number, which the kept text still does.
_ERASED = {"worker": ("number",)}


def _facts(content: dict, erased: bool) -> dict:
    picked = {}
    for key, fields in (_FACTS | (_ERASED if erased else {})).items():
        value = content.get(key)
        picked[key] = {f: value.get(f) for f in fields} if fields and isinstance(value, dict) else value
    return picked


def seal(text: str) -> str:
    """A keyed hash of the agreement's text (the server's hashing key, ``app.crypto``)."""
    return vault().blind_index("deal-agreement", text)


def sign(deal: Deal, signatures: dict[Side, Signed], user=None, terminal: str | None = None) -> Deal:
    """Both sides sign the agreement at once, all or nothing: ``{side: Signed(name, data
    URL)}`` as the touchscreen sends them; each signature checked like the mediation
    agreement's (``read_signature``). The content is generated and sealed here."""
    errors: dict[str, str] = {}
    images: dict[Side, tuple[str, bytes]] = {}
    for side in Side:
        sent = signatures.get(side)
        try:
            signer = clean_party_name(sent.signer if sent else "", label=f"{side.label}姓名")
            images[side] = (signer, read_signature(sent.data_url if sent else None, who=side.label))
        except Invalid as err:
            errors[f"signature_{side.value}"] = err.message
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
        text = agreement_text(deal, signed_at=now)
        return _move(deal, "sign", user, signed_at=now, agreement_content=text, agreement_seal=seal(text),
                     after={"seal": seal(text)[:16]})
    except IntegrityError:  # signed at the same moment elsewhere: its signatures are stored first
        db.session.rollback()
        raise Conflict(STALE) from None


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    problem: str = ""  # why not, for the check page


def verify(deal: Deal) -> Verdict:
    """Is the agreement the one both sides signed, unaltered? The seal over the kept text
    (nobody without the server's key can reseal an altered one), then the deal's own facts
    in its rows now (parties, work, pay, signatures, signing time) against the kept text."""
    if deal.agreement_content is None or deal.agreement_seal is None:
        return Verdict(False, "该协议尚未签订")
    text = deal.agreement_content
    if not hmac.compare_digest(seal(text), deal.agreement_seal):
        return Verdict(False, "协议内容与签订时的校验码不符，可能已被改动")
    erased = deal.worker.anonymised_at is not None
    if _facts(json.loads(text), erased) != _facts(json.loads(agreement_text(deal)), erased):
        return Verdict(False, "交易记录与签订的协议不一致，可能已被改动")
    return Verdict(True)


def signed_content(deal: Deal) -> dict | None:
    return json.loads(deal.agreement_content) if deal.agreement_content else None


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

