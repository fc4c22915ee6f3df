"""Registering a worker at the kiosk: one record per person, its slip in the same commit."""

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.crypto import vault
from app.database import insert_if_missing
from app.domain import InvalidFields
from app.domain.idcard import IdNumber, is_under_minimum_age
from app.extensions import db
from app.hall_config import hall
from app.models import ReplacedQr, UnderageRefusal, Worker, WorkerAvailability, WorkerTrade, utcnow
from app.terminals import current_terminal

from . import audit, idempotency, slips
from .printing import enqueue

# Says no more than needed: not the registered name, not who registered it.
NAME_MISMATCH = "这个身份证号码已登记，姓名与登记信息不一致，请到服务窗口核对"


@dataclass(frozen=True)
class RegistrationData:
    name: str
    id_number: IdNumber
    phone: str
    trades: list[str]
    expected_wage: Decimal
    availability: list[str]


@dataclass(frozen=True)
class RegistrationResult:
    worker: Worker
    is_new: bool


class UnderageRefused(Exception):
    """The person is under 16 on the day: nothing about them is stored."""


def register_worker(data: RegistrationData, *, today: date, public_base_url: str,
                    form_key: str | None = None, count_refusal: bool = True) -> RegistrationResult:
    """Create the worker, or update the same person's record; enqueue their slip.

    A form submitted twice (the same ``form_key``) returns the first result unchanged.
    """
    screen_age(data.id_number, today, count=count_refusal)
    for attempt in (1, 2):
        done = _by_form_key(form_key)
        if done is not None:
            return RegistrationResult(worker=done, is_new=done.registration_count == 1)
        try:
            result = _save(data, form_key)
            # The slip comes out of the printer of the kiosk the person stands at.
            enqueue(**slips.worker_slip(result.worker, public_base_url),
                    printer=current_terminal().printer)
            worker = result.worker
            # No name, ID or phone in the trail: it cannot be erased when the person asks.
            audit.record(audit.ref(worker), "register" if result.is_new else "update",
                         after={"number": worker.number, "trades": sorted(data.trades)})
            db.session.commit()
            return result
        except IntegrityError:
            # The same ID (or form) at another kiosk in the same instant: the second try
            # finds that record.
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _by_form_key(form_key: str | None) -> Worker | None:
    return idempotency.find(form_key, Worker)


def screen_age(id_number: IdNumber, today: date, *, count: bool = True) -> None:
    """Refuse anyone under 16 on ``today``: only the day's anonymous count goes up (unless
    this form was counted already)."""
    if is_under_minimum_age(id_number.birth_date, today):
        if count:
            _count_refusal(today)
        raise UnderageRefused()


def refuse_other_name(id_number: IdNumber, name: str) -> None:
    """At the review step, before the confirm tap: an ID number registered under another
    name is refused (``_save`` checks again, for a record made in the meantime)."""
    registered = db.session.scalar(
        select(Worker.name).where(Worker.id_hash == vault().blind_index("id", id_number.number)))
    if registered is not None and registered != name:
        raise InvalidFields({"id_number": NAME_MISMATCH})


def _save(data: RegistrationData, form_key: str | None) -> RegistrationResult:
    pii = vault()
    id_hash = pii.blind_index("id", data.id_number.number)
    worker = db.session.scalar(select(Worker).where(Worker.id_hash == id_hash))
    is_new = worker is None
    now = utcnow()
    if is_new:
        worker = Worker(
            id_hash=id_hash,
            id_cipher=pii.encrypt(data.id_number.number),
            sex=data.id_number.sex,
            from_other_province=data.id_number.is_from_outside_fujian,
            first_registered_at=now,
            registration_count=1,
        )
        db.session.add(worker)
    elif worker.name != data.name:
        # Someone else's ID number typed at the kiosk must not take over their record.
        raise InvalidFields({"id_number": NAME_MISMATCH})
    else:
        worker.registration_count = Worker.registration_count + 1  # atomic in SQL
    worker.name = data.name
    worker.phone_cipher = pii.encrypt(data.phone)
    worker.phone_hash = pii.blind_index("phone", data.phone)
    worker.phone_last4 = data.phone[-4:]
    worker.expected_wage = data.expected_wage
    worker.availability = [WorkerAvailability(code=c) for c in data.availability or ["any"]]
    worker.last_terminal = current_terminal().name
    worker.trades = [WorkerTrade(trade_code=code) for code in data.trades]
    worker.consent_version = hall().privacy_version  # the notice the person agreed to
    worker.consent_at = now
    worker.last_registered_at = now
    # Every slip carries a fresh QR: an older slip's QR stops opening the record, and opens
    # a page that says a newer slip replaced it (slips.was_replaced).
    if not is_new:  # (two kiosks re-registering the person at once replace the same QR)
        insert_if_missing(ReplacedQr, token_hash=slips.token_hash(worker.qr_token), worker_id=worker.id,
                          replaced_at=now)
    worker.qr_token = secrets.token_urlsafe(24)
    db.session.flush()
    idempotency.remember(form_key, "register", worker)
    return RegistrationResult(worker=worker, is_new=is_new)


def _count_refusal(day: date) -> None:
    bumped = db.session.execute(
        update(UnderageRefusal).where(UnderageRefusal.day == day).values(count=UnderageRefusal.count + 1)
    ).rowcount
    if not bumped:
        db.session.add(UnderageRefusal(day=day, count=1))
    try:
        db.session.commit()
    except IntegrityError:  # another kiosk created the day's row first
        db.session.rollback()
        _count_refusal(day)
