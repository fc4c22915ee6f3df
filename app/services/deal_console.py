"""The staff console's reading of deals (交易): the list (进行中 by state, 已完成, 已取消,
省际建议 still undecided; a search by deal number, worker number or masked name), each
deal's row with its next step, a deal's step history from the audit trail (who and when),
why a deal was suggested as inter-provincial, the disputes filed from it, and the reading
of the price form into the service's arguments (the insurance and payment forms are read
by ``app.domain.deals``). The steps themselves are ``app/services/deals.py``'s.

Names are masked in the list for everyone; the assessor reads every deal masked and cannot
act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, or_, select

from app.clock import hall_tz, local_today
from app.crypto import vault
from app.domain import Invalid, InvalidFields
from app.domain.deal_forms import read_insurance as _read_insurance
from app.domain.deal_forms import read_payment as _read_payment
from app.domain.deals import DEAL, OPEN_DEAL_STATES, STEP_ORDER, DealStatus, NoteKind, Side, clean_pay
from app.domain.disputes import PaymentMethod
from app.domain.masking import mask_name
from app.domain.task_orders import PayUnit
from app.domain.validation import format_yuan
from app.extensions import db
from app.hall_config import hall
from app.models import Deal, DisputeCase, StaffUser, TaskOrder, Worker, utcnow

from . import audit, dispute_console
from .deal_slips import employer_shown
from .ratings import terminal_label

PER_PAGE = 50


class Shown:
    """Which deals the list shows (the ``show`` parameter; ``state`` narrows 进行中)."""

    OPEN, COMPLETED, CANCELLED, SUGGESTED = "open", "completed", "cancelled", "suggested"
    LABELS = {OPEN: "进行中", COMPLETED: "已完成", CANCELLED: "已取消", SUGGESTED: "省际建议"}

    @classmethod
    def of(cls, raw: str | None) -> str:
        return raw if raw in cls.LABELS else cls.OPEN


OPEN_ORDER = [s for s in STEP_ORDER if s in OPEN_DEAL_STATES]


def open_state(raw: str | None) -> DealStatus | None:
    """A state of 进行中 to narrow the list to, or None (all open ones)."""
    try:
        state = DealStatus(raw or "")
    except ValueError:
        return None
    return state if state in OPEN_DEAL_STATES else None


@dataclass(frozen=True)
class Row:
    """One deal as the list shows it: names masked, what comes next."""

    deal: Deal
    worker: str  # 李*（G000012）
    employer: str  # 沙县******, or 王* for a household
    trade: str
    next_step: str


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int


def row(deal: Deal) -> Row:
    trade = hall().trades_by_code.get(deal.task_order.trade_code)
    return Row(deal, f"{mask_name(deal.worker.name)}（{deal.worker.number}）", employer_shown(deal),
               trade.name if trade else deal.task_order.trade_code, DEAL.next_steps.get(deal.status, ""))


_NUMBER = re.compile(r"^(JY|G)?0*(\d{1,9})$")
_NAME = re.compile(r"^[\u3400-\u9fff·*＊]{1,20}$")


def clean_query(raw: str | None) -> str:
    """What may be searched for: a deal number (JY0000123, 123), a worker number (G000012)
    or a name as the list masks it (张*, 张)."""
    return re.sub(r"\s", "", raw or "")[:20].upper()


def _search(query: str, by_name: bool):
    """The condition a search puts on the list. A number: that deal, or that worker's deals;
    a name (``by_name``: not for the assessor, who reads names masked and could otherwise
    find the hidden characters one by one): workers whose name begins as typed (张** also
    by its length)."""
    number = _NUMBER.match(query)
    if number:
        prefix, digits = number[1], int(number[2])
        if prefix == "JY":
            return Deal.id == digits
        if prefix == "G":
            return Deal.worker_id == digits
        return or_(Deal.id == digits, Deal.worker_id == digits)
    if by_name and _NAME.match(query):
        stars = query.replace("＊", "*")
        known = stars.rstrip("*")
        if not known or "*" in known:
            return None
        names = select(Worker.id).where(Worker.name.startswith(known, autoescape=True),
                                        Worker.anonymised_at.is_(None))
        if stars != known:  # 张** is a name of three characters
            names = names.where(func.length(Worker.name) == len(stars))
        return Deal.worker_id.in_(names)
    return None


def _shown(shown: str, state: DealStatus | None):
    if shown == Shown.COMPLETED:
        return Deal.status == DealStatus.COMPLETED, Deal.completed_at.desc()
    if shown == Shown.CANCELLED:
        return Deal.status == DealStatus.CANCELLED, Deal.cancelled_at.desc()
    if shown == Shown.SUGGESTED:
        return (Deal.interprovincial_suggested.is_(True) & Deal.interprovincial_at.is_(None)
                & Deal.interprovincial_dismissed_at.is_(None) & (Deal.status != DealStatus.CANCELLED),
                Deal.accepted_at.asc())
    states = [state] if state else list(OPEN_DEAL_STATES)
    return Deal.status.in_(states), Deal.accepted_at.asc()


def page(shown: str, state: DealStatus | None = None, number: int = 1, query: str = "",
         by_name: bool = True) -> Page:
    """A page of the list: open deals the oldest first (they wait longest), finished ones
    the newest first. A search looks at every deal."""
    if query:
        condition = _search(query, by_name)
        if condition is None:
            return Page([], 0, 1, 1)
        found = list(db.session.scalars(select(Deal).where(condition).order_by(Deal.id.desc())
                                        .limit(PER_PAGE)))
        return Page([row(d) for d in found], len(found), 1, 1)
    condition, order = _shown(shown, state)
    total = db.session.scalar(select(func.count()).select_from(Deal).where(condition))
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(1, number), pages)
    found = db.session.scalars(select(Deal).where(condition).order_by(order, Deal.id)
                               .offset((number - 1) * PER_PAGE).limit(PER_PAGE))
    return Page([row(d) for d in found], total, number, pages)


def open_counts() -> dict[DealStatus, int]:
    """Open deals by state, in workflow order (the list's summary)."""
    counted = dict(db.session.execute(select(Deal.status, func.count()).where(
        Deal.status.in_(list(OPEN_DEAL_STATES))).group_by(Deal.status)).all())
    return {s: counted.get(s, 0) for s in OPEN_ORDER}


def suggested_count() -> int:
    condition, _ = _shown(Shown.SUGGESTED, None)
    return db.session.scalar(select(func.count()).select_from(Deal).where(condition))


def of_worker(worker: Worker) -> list[Deal]:
    """A worker's deals, newest first (the worker's page)."""
    return list(db.session.scalars(select(Deal).where(Deal.worker_id == worker.id)
                                   .order_by(Deal.accepted_at.desc(), Deal.id.desc())))


def of_posting(task: TaskOrder) -> list[Deal]:
    return list(db.session.scalars(select(Deal).where(Deal.task_order_id == task.id).order_by(Deal.id)))


def cases_of(deal: Deal) -> list[DisputeCase]:
    """The dispute cases filed about this deal."""
    return list(db.session.scalars(select(DisputeCase).where(DisputeCase.deal_id == deal.id)
                                   .order_by(DisputeCase.id)))


# -- a deal's step history ----------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    at: datetime
    title: str
    by: str = ""
    text: str = ""


def _title(action: str, after: dict) -> str:
    if action == "accept":
        source = after.get("source")
        return "报名接单（零工在触屏报名）" if source == "kiosk" else "报名接单（工作人员撮合）"
    if action in ("accept_price", "confirm_price"):
        side = Side(after["side"]).label if after.get("side") in Side._value2member_map_ else ""
        unit = PayUnit(after["unit"]).label if after.get("unit") in PayUnit._value2member_map_ else ""
        done = "，双方均已确认" if action == "confirm_price" else ""
        return f"{side}确认价格 {_yuan(after.get('pay'))} {unit}{done}"
    if action == "note":
        kind = after.get("kind")
        return NoteKind(kind).label if kind in NoteKind._value2member_map_ else "备注"
    if action == "inter_provincial_confirm":
        return "确认为省际用工服务"
    if action == "inter_provincial_dismiss":
        return "排除省际用工建议"
    if action in DEAL.moves:
        return DEAL.moves[action].target.label
    return action


def _yuan(raw) -> str:
    """An amount the trail kept as exact text (\"200.00\"), as screens write it (200)."""
    try:
        return format_yuan(Decimal(raw))
    except (TypeError, ArithmeticError):
        return str(raw or "")


def history(deal: Deal) -> list[Event]:
    """Every step of the deal in order, from the audit trail: what, when, and who (a member
    of staff by name, a kiosk by its label)."""
    entries = audit.trail_of(deal)
    ids = {e.actor_id for e in entries if e.actor_kind == "staff" and e.actor_id}
    names = dict(db.session.execute(select(StaffUser.id, StaffUser.display_name)
                                    .where(StaffUser.id.in_(ids))).all()) if ids else {}
    events = []
    for entry in entries:
        after = entry.after or {}
        text = entry.detail or ""
        if entry.action == "insure":
            text = (f"未投保：{after['uninsured']}" if after.get("uninsured") else
                    f"{after.get('insurer', '')}，保单 {after.get('policy', '')}，"
                    f"保费 {_yuan(after.get('premium'))} 元")
        elif entry.action in ("pay", "settle"):
            method = after.get("method")
            label = PaymentMethod(method).label if method in PaymentMethod._value2member_map_ else ""
            text = f"{_yuan(after.get('amount'))} 元，{label}"
        who = (terminal_label(entry.actor_label) if entry.actor_kind == "terminal"
               else names.get(entry.actor_id, entry.actor_label or ""))
        events.append(Event(entry.at, _title(entry.action, after), who, text))
    return events


# -- inter-provincial (G3) ------------------------------------------------------------------------

def inter_provincial_undecided(deal: Deal) -> bool:
    return (deal.interprovincial_suggested and deal.interprovincial_at is None
            and deal.interprovincial_dismissed_at is None and deal.status != DealStatus.CANCELLED)


def inter_provincial_reasons(deal: Deal) -> list[str]:
    """Why the deal was suggested as inter-provincial service, in staff's words."""
    reasons = []
    if deal.worker.from_other_province:
        reasons.append("零工身份证显示户籍地不在福建省")
    if deal.task_order.outside_fujian:
        reasons.append(f"工作地点在福建省外（{deal.task_order.location}）")
    return reasons


# -- reading the step forms ---------------------------------------------------------------------

@dataclass(frozen=True)
class PriceForm:
    side: Side
    pay: object  # Decimal
    unit: PayUnit


def read_price(form) -> PriceForm:
    """The price form: which side confirmed, the amount and its unit."""
    errors: dict[str, str] = {}
    try:
        side = Side((form.get("side") or "").strip())
    except ValueError:
        side, errors["side"] = None, "请选择是哪一方确认价格"
    unit_raw = (form.get("pay_unit") or "").strip()
    try:
        unit = PayUnit(unit_raw)
    except ValueError:
        unit, errors["pay_unit"] = None, "请选择工资单位"
    pay = None
    if unit is not None:
        try:
            pay = clean_pay(form.get("pay"), unit.value)
        except Invalid as err:
            errors["pay"] = err.message
    if errors:
        raise InvalidFields(errors)
    return PriceForm(side, pay, unit)


def read_insurance(form) -> dict:
    return _read_insurance(form, local_today())


def read_payment(form, label: str) -> dict:
    return _read_payment(form, label, tz=hall_tz(), now=utcnow())


def redact(deal: Deal, text: str | None) -> str:
    """A deal's free text (a note, a cancellation's reason) as the assessor reads it: the
    parties' and the signers' names masked, long numbers hidden (``dispute_console``'s rule)."""
    employer = deal.employer
    names = {deal.worker.name, employer.contact_name, employer.employer_name,
             *(s.signer for s in deal.signatures)}
    return dispute_console.masked_text(text, names)


# -- a task not completed: the dispute filed from the deal ---------------------------------------

def dispute_defaults(deal: Deal) -> dict[str, str]:
    """The staff filing form pre-filled from the deal: the worker applies, the employer is
    the other party; staff choose the kind and write what happened and what is wanted. The
    phones are not put on the page: left blank, the registered ones are used
    (``known_applicant``)."""
    employer = deal.employer
    return {"channel": "counter", "applicant_role": "worker", "applicant_name": deal.worker.name or "",
            "other_party_name": employer.contact_name, "other_party_company": employer.employer_name or "",
            "facts": f"交易 {deal.number}（岗位 {deal.task_order.number}）：", "deal": str(deal.id)}


def known_applicant(deal: Deal, role: str) -> tuple[str | None, str | None]:
    """The applicant's registered name and phone when it is one of the deal's parties: what
    the filing uses for a field left blank (``read_filing``'s known_…)."""
    pii = vault()
    if role == "worker" and deal.worker.phone_cipher:
        return deal.worker.name, pii.decrypt(deal.worker.phone_cipher)
    if role == "employer":
        return deal.employer.contact_name, pii.decrypt(deal.employer.phone_cipher)
    return None, None


def deal_of(raw: str | None) -> Deal | None:
    """The deal a filing form names (its hidden ``deal`` field), if any."""
    raw = (raw or "").strip()
    return db.session.get(Deal, int(raw)) if raw.isdigit() and len(raw) <= 9 else None
