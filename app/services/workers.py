"""Reading worker records for screens and paper: always masked, decrypted on the server."""

import hmac
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, or_, select

from app.crypto import vault
from app.database import purge_old_versions
from app.domain import Invalid
from app.domain.idcard import birth_date_of, is_minor_worker, parse_id_number
from app.domain.masking import mask_id_number, mask_phone
from app.domain.trades import trade_names
from app.extensions import db
from app.hall_config import hall
from app.models import Attempt, AttemptKind, Outcome, ReplacedQr, Worker, utcnow

from . import audit, printing


@dataclass(frozen=True)
class WorkerCard:
    """What any screen or slip may show about a worker."""

    id: int
    number: str
    name: str
    masked_id: str
    masked_phone: str
    trades: str
    expected_wage: Decimal
    availability: list[str]
    is_minor: bool
    anonymised: bool
    deletion_requested: bool


def card(worker: Worker, today: date) -> WorkerCard:
    pii = vault()
    anonymised = worker.anonymised_at is not None
    id_number = "" if anonymised else pii.decrypt(worker.id_cipher)
    return WorkerCard(
        id=worker.id,
        number=worker.number,
        name=worker.name,
        masked_id=mask_id_number(id_number) if id_number else "",
        masked_phone="" if anonymised else mask_phone(pii.decrypt(worker.phone_cipher)),
        trades=trade_names(worker.trade_codes, hall().trades),
        expected_wage=worker.expected_wage,
        availability=worker.availability_codes,
        is_minor=bool(id_number) and is_minor_worker(birth_date_of(id_number), today),
        anonymised=anonymised,
        deletion_requested=worker.deletion_requested_at is not None,
    )


def search(query: str, limit: int = 50) -> list[Worker]:
    """By name (part of it), by the phone's last four digits, or by full ID number."""
    query = (query or "").strip()
    stmt = select(Worker).where(Worker.anonymised_at.is_(None))
    if query:
        conditions = [Worker.name.contains(query, autoescape=True)]
        if query.isdigit() and len(query) == 4:
            conditions.append(Worker.phone_last4 == query)
        try:
            id_number = parse_id_number(query)
            conditions.append(Worker.id_hash == vault().blind_index("id", id_number.number))
        except Invalid:
            pass
        stmt = stmt.where(or_(*conditions))
    return list(db.session.scalars(stmt.order_by(Worker.last_registered_at.desc()).limit(limit)))


def by_token(token: str) -> Worker | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Worker).where(Worker.qr_token == token, Worker.anonymised_at.is_(None))
    )


def by_id_number(number: str) -> Worker | None:
    """The registered worker with this (parsed, 18-character) ID number: by its blind index."""
    return db.session.scalar(select(Worker).where(
        Worker.id_hash == vault().blind_index("id", number), Worker.anonymised_at.is_(None)))


# The kiosk checks a worker by ID number and the phone's last 4 digits: 10,000 possible
# last 4s, so wrong ones are limited per terminal and per ID number (the 老客户 lookup's way).
CHECK_LIMIT = 5
CHECK_WINDOW = timedelta(minutes=10)
TOO_MANY_CHECKS = "核对失败次数过多，请10分钟后再试，或带身份证到服务台办理"


def check_worker(number: str, last4: str, client: str) -> Worker | None:
    """The worker with this ID number whose phone ends in ``last4``, else None. After
    ``CHECK_LIMIT`` wrong tries within ``CHECK_WINDOW`` from this terminal, or for this ID
    number from any terminal, every try is refused (``Invalid``, even a right one) and so
    tells nothing. Each try is recorded (``Attempt``, the ID number only as a keyed hash)."""
    now = utcnow()
    key = vault().blind_index("worker-check", number)[:40]
    misses = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.kind == AttemptKind.WORKER_CHECK, Attempt.outcome.in_([Outcome.NOT_FOUND, Outcome.REFUSED]),
        Attempt.at > now - CHECK_WINDOW, or_(Attempt.client == client[:64], Attempt.account == key)))
    worker = None if misses >= CHECK_LIMIT else by_id_number(number)
    found = worker is not None and hmac.compare_digest(worker.phone_last4 or "", last4)
    outcome = Outcome.REFUSED if misses >= CHECK_LIMIT else Outcome.FOUND if found else Outcome.NOT_FOUND
    db.session.add(Attempt(kind=AttemptKind.WORKER_CHECK, account=key, client=client[:64], outcome=outcome,
                           at=now))
    db.session.commit()
    if outcome == Outcome.REFUSED:
        raise Invalid(TOO_MANY_CHECKS, "id_number")
    return worker if found else None


def request_deletion(worker: Worker) -> None:
    if worker.deletion_requested_at is None:
        worker.deletion_requested_at = utcnow()
        audit.record(audit.ref(worker), "request_deletion", after={"number": worker.number})
        db.session.commit()


def anonymise(worker: Worker) -> None:
    """Erase everything that identifies the person; the row stays so past counts hold."""
    worker.name = "已注销"
    worker.id_cipher = worker.id_hash = None
    worker.phone_cipher = worker.phone_hash = worker.phone_last4 = None
    worker.sex = worker.from_other_province = None
    worker.qr_token = f"anonymised-{worker.id}"  # the old QR opens nothing any more
    db.session.execute(delete(ReplacedQr).where(ReplacedQr.worker_id == worker.id))  # nor do older ones
    worker.trades = []
    worker.availability = []
    worker.anonymised_at = utcnow()
    printing.scrub(f"worker:{worker.id}")
    audit.record(audit.ref(worker), "anonymise", after={"number": worker.number})
    db.session.commit()
    purge_old_versions()
