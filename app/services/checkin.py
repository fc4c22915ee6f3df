"""Employer check-in: the employer's record, a draft task order and a queue ticket,
with its slip, all in one transaction. A repeated form key returns the same ticket."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.crypto import vault
from app.domain import InvalidFields
from app.domain.masking import mask_business_name, mask_name
from app.extensions import db
from app.models import (
    Attempt,
    AttemptKind,
    Employer,
    EmployerType,
    Outcome,
    PayUnit,
    TaskOrder,
    Ticket,
    utcnow,
)
from app.terminals import current_terminal

from . import audit, idempotency, queue, slips
from .printing import enqueue

MISMATCH_NOTICE = "填写的雇主信息与该手机号登记的不一致，请核实身份后再办理"


@dataclass(frozen=True)
class CheckinData:
    employer_type: str
    employer_name: str | None
    uscc: str | None
    contact_name: str
    phone: str
    service: str
    trade: str | None = None
    headcount: int | None = None
    pay: Decimal | None = None
    pay_unit: str | None = None
    work_date: date | None = None
    work_time: time | None = None
    location: str | None = None
    description: str = ""
    # A returning employer confirmed at the kiosk: the stored details are used as they are.
    returning: bool = False


@dataclass(frozen=True)
class CheckinResult:
    ticket: Ticket
    ahead: int


def find_employer(phone: str) -> Employer | None:
    return db.session.scalar(
        select(Employer).where(Employer.phone_hash == vault().blind_index("employer-phone", phone))
    )


# The 老客户 lookup answers at most this many times per client address in the window.
LOOKUP_LIMIT = 5
LOOKUP_WINDOW = timedelta(minutes=10)


class TooManyLookups(Exception):
    message = "查询次数过多，请稍后再试，或直接填写信息"


def lookup_employer(phone: str, client: str) -> Employer | None:
    """The employer of a phone number, rate-limited per client; every lookup is recorded
    (found, not found, refused) so that the manager sees repeated probing."""
    now = utcnow()
    recent = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.kind == AttemptKind.EMPLOYER_LOOKUP, Attempt.client == client[:64],
        Attempt.outcome != Outcome.REFUSED, Attempt.at > now - LOOKUP_WINDOW))
    employer = None if recent >= LOOKUP_LIMIT else find_employer(phone)
    outcome = (Outcome.REFUSED if recent >= LOOKUP_LIMIT
               else Outcome.FOUND if employer else Outcome.NOT_FOUND)
    db.session.add(Attempt(kind=AttemptKind.EMPLOYER_LOOKUP, client=client[:64], outcome=outcome, at=now))
    db.session.commit()
    if outcome == Outcome.REFUSED:
        raise TooManyLookups()
    return employer


def returning_summary(employer: Employer) -> str:
    """What a returning employer is shown to confirm it is them: masked, nothing more."""
    summary = mask_name(employer.contact_name)
    if employer.employer_name:
        summary += f" · {mask_business_name(employer.employer_name)}"
    return summary


def check_in(data: CheckinData, *, form_key: str, today: date, public_base_url: str) -> CheckinResult:
    existing = _by_form_key(form_key)
    if existing is None:
        try:
            employer, differs = save_employer(data)
            task = _task_order(data, employer) if data.trade else None
            ticket = queue.new_ticket(data.service, today, employer_id=employer.id,
                                      task_order_id=task.id if task else None,
                                      notice=MISMATCH_NOTICE if differs else None,
                                      terminal=current_terminal().name)
            idempotency.remember(form_key, "checkin", ticket)
            enqueue(**slips.ticket_slip(ticket, queue.waiting_ahead(ticket), public_base_url),
                    printer=current_terminal().printer)  # the kiosk's own printer
            if task is not None:
                audit.record(audit.ref(task), "create", after={
                    "status": task.status.value, "ticket": ticket.number, "trade": task.trade_code})
            db.session.commit()
            existing = ticket
        except IntegrityError:
            # The same form submitted twice at once (a double tap): the first one won.
            db.session.rollback()
            existing = _by_form_key(form_key)
            if existing is None:
                raise
    return CheckinResult(ticket=existing, ahead=queue.waiting_ahead(existing))


def _by_form_key(form_key: str) -> Ticket | None:
    return idempotency.find(form_key, Ticket)


def save_employer(data: CheckinData) -> tuple[Employer, bool]:
    """The employer for this phone, and whether the details given differ from the stored
    ones. A kiosk never overwrites a known employer's identity: staff check it instead.
    Staff entering a posting (``task_orders.create_posting``) find or create it the same way."""
    pii = vault()
    employer = find_employer(data.phone)
    if data.returning:
        if employer is None:
            raise InvalidFields({"phone": "未找到该手机号的登记信息，请填写雇主信息"})
        employer.last_seen_at = utcnow()
        return employer, False
    contact = data.contact_name
    if "*" in contact:
        contact = resolve_contact(data.phone, contact)
        if contact is None:
            raise InvalidFields({"contact_name": "请输入联系人姓名"})
    enterprise = data.employer_type == EmployerType.ENTERPRISE.value
    details = {"employer_type": EmployerType(data.employer_type), "contact_name": contact,
               "employer_name": data.employer_name if enterprise else None,
               "uscc": data.uscc if enterprise else None}
    if employer is None:
        employer = Employer(phone_hash=pii.blind_index("employer-phone", data.phone),
                            phone_cipher=pii.encrypt(data.phone), phone_last4=data.phone[-4:],
                            **details)
        db.session.add(employer)
        differs = False
    else:
        differs = any(getattr(employer, k) != v for k, v in details.items())
    employer.last_seen_at = utcnow()
    db.session.flush()
    return employer, differs


def _task_order(data: CheckinData, employer: Employer) -> TaskOrder:
    task = TaskOrder(employer_id=employer.id, trade_code=data.trade, headcount=data.headcount,
                     pay=data.pay, pay_unit=PayUnit(data.pay_unit), work_date=data.work_date,
                     work_time=data.work_time, location=data.location,
                     description=data.description, source="checkin")
    db.session.add(task)
    db.session.flush()
    return task



def resolve_contact(phone: str, shown_name: str) -> str | None:
    """The stored contact name behind a masked one (王**), or None if it does not match."""
    employer = find_employer(phone)
    if employer is not None and mask_name(employer.contact_name) == shown_name:
        return employer.contact_name
    return None
