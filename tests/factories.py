"""Test data with keyword overrides: form data (``registration``, ``checkin``) and model
objects (``worker``, ``employer``, ``task_order``, ``ticket``).

The model factories need an app context and commit what they build. Records whose
invariants a service owns are made through it (a worker: encryption, one record per ID
number; a ticket: its number); the others directly. Times come from the clock, so under
``frozen_clock`` a record is placed exactly where the test put the clock.
"""

import itertools
import re
from datetime import datetime, timedelta
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

from app.clock import local_today
from app.config import Defaults
from app.crypto import vault
from app.domain.idcard import IdNumber, parse_id_number
from app.extensions import db
from app.models import (
    DisputeCase,
    Employer,
    EmployerType,
    FollowerCount,
    Incident,
    Livestream,
    LivestreamKind,
    PayUnit,
    Rating,
    Role,
    TaskOrder,
    TaskStatus,
    Ticket,
    Worker,
    utcnow,
)
from app.services import accounts, disputes, queue, ratings
from app.services.registration import RegistrationData, register_worker

_serial = itertools.count(1)

VALID_IDS = ["360426199101010071", "120103198806018241", "34052419800101001X"]


def make_id(birth: str, prefix: str = "350405", seq: str = "123") -> str:
    """A valid 18-digit ID number for a birth date YYYYMMDD (check character computed)."""
    body = prefix + birth + seq
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def registration(**overrides) -> dict:
    data = {
        "name": "张三",
        "id_number": make_id("19800101"),
        "phone": "13812345678",
        "trades": ["mason", "porter"],
        "expected_wage": "200",
        "availability": ["any"],
        "consent": "1",
    }
    data.update(overrides)
    return data


def staff_user(username="xiaoli", role=Role.STAFF, password="correct-horse-1"):
    return accounts.create_user(username, password, role, display_name="小李")


def login(client, username="xiaoli", password="correct-horse-1"):
    from tests.conftest import csrf_from

    page = client.get("/staff/login")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": token})


def as_user(app, username: str):
    """A test client signed in as ``username``."""
    client = app.test_client()
    assert login(client, username=username).status_code == 303
    return client


def text_of(resp) -> str:
    """A page's text as a person reads it (scripts, styles and tags dropped, spaces folded)."""
    html = resp.get_data(as_text=True)
    html = re.sub(r"<(script|style|title|desc)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def hall_today():
    """Today in the hall (by the clock, frozen or not), not on the machine's calendar."""
    return datetime.now(ZoneInfo(Defaults.HALL_TIMEZONE)).date()


def checkin(**overrides) -> dict:
    data = {
        "employer_type": "individual",
        "employer_name": "",
        "uscc": "",
        "contact_name": "王老板",
        "phone": "13905980001",
        "service": "hire",
        "trade": "porter",
        "headcount": "3",
        "pay": "200",
        "pay_unit": "day",
        "work_date": (hall_today() + timedelta(days=1)).isoformat(),
        "location": "凤岗街道水南村",
        "description": "包吃，日结",
    }
    data.update(overrides)
    return data


VALID_USCC = "91110000600037341L"


def _apply(record, attributes: dict):
    for name, value in attributes.items():
        if not hasattr(type(record), name):
            raise TypeError(f"{type(record).__name__} has no attribute {name!r}")
        setattr(record, name, value)


def worker(**overrides) -> Worker:
    """A worker registered at the kiosk, through the registration service (and its slip).

    Registration fields (name, id_number, phone, trades, expected_wage, availability) go to
    the service; other keywords are set on the record afterwards. Each call is a new
    person unless ``id_number`` is given.
    """
    n = next(_serial)
    fields = {"name": "张三", "id_number": make_id("19800101", seq=f"{n % 1000:03d}"),
              "phone": f"138{n:08d}", "trades": ["mason", "porter"], "expected_wage": Decimal("200"),
              "availability": ["any"]}
    for name in list(fields):
        if name in overrides:
            fields[name] = overrides.pop(name)
    if not isinstance(fields["id_number"], IdNumber):
        fields["id_number"] = parse_id_number(fields["id_number"], local_today())
    result = register_worker(RegistrationData(**fields), today=local_today(),
                             public_base_url="http://hall.test")
    _apply(result.worker, overrides)
    db.session.commit()
    return result.worker


def employer(phone: str | None = None, **overrides) -> Employer:
    """A household employer (``employer_type=EmployerType.ENTERPRISE`` with a name and
    ``uscc`` for a company); the phone is encrypted as check-in does."""
    phone = phone or f"139{next(_serial):08d}"
    pii = vault()
    record = Employer(employer_type=EmployerType.INDIVIDUAL, contact_name="王老板",
                      phone_hash=pii.blind_index("employer-phone", phone),
                      phone_cipher=pii.encrypt(phone), phone_last4=phone[-4:])
    _apply(record, overrides)
    db.session.add(record)
    db.session.commit()
    return record


def task_order(**overrides) -> TaskOrder:
    """A draft task order of a new employer (or ``employer=``); ``status=TaskStatus.PUBLISHED``
    also sets the review and publication time to now, and its validity to its work date,
    unless given."""
    record = TaskOrder(trade_code="porter", headcount=3, pay=Decimal("200"), pay_unit=PayUnit.DAY,
                       work_date=local_today() + timedelta(days=1), location="凤岗街道水南村",
                       description="包吃，日结", status=TaskStatus.DRAFT, source="checkin")
    if "employer" not in overrides and "employer_id" not in overrides:
        overrides["employer"] = employer()
    _apply(record, overrides)
    if record.status == TaskStatus.PUBLISHED and record.published_at is None:
        record.reviewed_at = record.published_at = utcnow()
    if record.status == TaskStatus.PUBLISHED and record.valid_until is None:
        record.valid_until = record.work_date
    db.session.add(record)
    db.session.commit()
    return record


def ticket(service: str = "hire", day=None, **fields) -> Ticket:
    """A waiting ticket with the next number, through the queue service; ``day`` is the
    hall's today by default. Move it on with ``queue.call_next`` and ``queue.act``."""
    record = queue.new_ticket(service, day or local_today(), **fields)
    db.session.commit()
    return record


def livestream(voided: bool = False, **overrides) -> Livestream:
    """A livestream held today (hall-local), entered by nobody in particular."""
    record = Livestream(held_on=local_today(), platform="抖音", kind=LivestreamKind.RECRUITING,
                        minutes=60, viewers=300, postings_promoted=5)
    if voided:
        record.voided_at, record.void_reason = utcnow(), "重复登记"
    return _saved(record, overrides)


def follower_count(followers: int = 1000, voided: bool = False, **overrides) -> FollowerCount:
    record = FollowerCount(counted_on=local_today(), followers=followers)
    if voided:
        record.voided_at, record.void_reason = utcnow(), "录错了"
    return _saved(record, overrides)


def rating(level: int = 1, role: str = "worker", reasons=(), phone: str = "", comment: str = "",
           address: str | None = None, slip=None) -> Rating:
    """A rating through the ratings service, at the clock's moment: from the exit terminal
    (a new network address each time unless ``address``, so the stuffing limits stay out of
    the way), or for ``slip`` (a worker or a ticket) as if rated from its QR."""
    from flask import current_app

    from app.domain.ratings import read_answer

    answer = read_answer(str(level), role, list(reasons), comment, phone)
    if slip is not None:
        service = (ratings.registration_service(slip) if isinstance(slip, Worker)
                   else ratings.ticket_service(slip))
        return ratings.rate_service(service, answer)
    address = address or f"10.9.{next(_serial) % 250}.{next(_serial) % 250}"
    with current_app.test_request_context("/kiosk/rate", method="POST",
                                          environ_base={"REMOTE_ADDR": address}):
        return ratings.rate_at_terminal(answer)


def _saved(record, overrides: dict):
    _apply(record, overrides)
    db.session.add(record)
    db.session.commit()
    return record


def dispute_form(**overrides) -> dict:
    """The kiosk's dispute form as posted (without its CSRF token and one-time key): a worker
    whose wages were not paid."""
    form = {"applicant_role": "worker", "applicant_name": "李四", "applicant_phone": "13800000001",
            "id_number": "", "other_party_name": "王老板", "other_party_phone": "13900000002",
            "kind": "wages", "amount": "1200", "facts": "活干完了，工钱没给", "wants": "要回全部工钱"}
    form.update(overrides)
    return form


def dispute(channel: str = "phone", user=None, worker=None, **form) -> DisputeCase:
    """A case filed through the dispute service (its number, its deadline), at the clock's
    moment; ``form`` overrides ``dispute_form``'s fields."""
    from app.domain.disputes import CaseChannel, read_filing

    return disputes.file_case(read_filing(dispute_form(**form)), channel=CaseChannel(channel), user=user,
                              worker=worker)


def signature(ink: int = 40) -> str:
    """A signature as the touchscreen's canvas sends it: a PNG data URL with a stroke drawn
    (``ink`` 0: an empty box)."""
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(40, 100), (40 + ink * 12, 60), (80 + ink * 12, 150)], fill=(0, 0, 0, 255),
                                   width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def incident(kind: str = "fight", voided: bool = False, **overrides) -> Incident:
    """An incident in the hall an hour ago (hall clock), entered directly."""
    from app.domain.disputes import IncidentKind

    record = Incident(kind=IncidentKind(kind), occurred_at=utcnow() - timedelta(hours=1), place="大厅东侧",
                      involved_cipher=vault().encrypt("张三 李四"), police_called=False, outcome="已劝离")
    if voided:
        record.voided_at, record.void_reason = utcnow(), "重复登记"
    return _saved(record, overrides)


def posting(**overrides) -> TaskOrder:
    """A published posting on the board (three places, valid until its work date unless
    given), of a new household employer unless ``employer=``."""
    return task_order(status=TaskStatus.PUBLISHED, **overrides)
