"""The demo year (``flask --app wsgi demo-data``): one hall's plausible first year, ending today.

``plan(seed, scale)`` draws every record from ``random.Random(seed)`` with times relative to
the hall's today (the same seed on the same day gives the same records and the same score);
``load(plan)`` writes them in bulk, in one transaction, with one audit entry saying that demo
data was loaded. Personal data is stored as registration and check-in store it: ID and phone
numbers encrypted, with their keyed hashes (``app.crypto``). Tokens in QR codes are random
(``secrets``), never drawn from the seed.

The year is sized so that the score page shows realistic values, several just below their
next tier (at ``scale`` 1): 2,400 workers (C1: 4 points, 100 short of 5), 1,950 postings
published (C2: 8 points, 50 short of 10), 11 livestreams with one month missed (D1: 11), and
3,900 followers (F1: 8 points, 100 short of 10). The assessor's mid-year visit has scored the
manual items (29 of 33 points: A1 5, as several system functions are still being built), so
the year stands at 75, 合格, five points below 良好. ``scale`` shrinks or grows the counts of
workers, employers, task orders and tickets (livestreams and followers stay as they are).

A database that already holds hall records is refused unless ``force``: the demo year is then
added beside them (nothing is ever deleted); people whose ID number is already registered are
skipped, employers already known by phone are reused, the contract settings and existing
accounts are kept as they are, and ticket numbers continue the day's sequence.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from app.clock import hall_tz, local_now
from app.crypto import vault
from app.domain.idcard import parse_id_number
from app.domain.periods import LocalPeriod, to_utc
from app.domain.queue import TicketStatus, format_number
from app.domain.scoring import add_months
from app.domain.trades import AVAILABILITY
from app.domain.validation import clean_uscc
from app.extensions import db
from app.hall_config import hall
from app.models import (
    AssessmentSettings,
    Employer,
    EmployerType,
    FollowerCount,
    Livestream,
    LivestreamKind,
    ManualScore,
    PayUnit,
    Role,
    ScoreSnapshot,
    StaffUser,
    TaskOrder,
    TaskStatus,
    Ticket,
    TicketCounter,
    Worker,
    WorkerAvailability,
    WorkerTrade,
)
from app.services import accounts, audit, scoring
from app.services.scoring import months

from . import demo_people as people

BATCH = 500
# The year at scale 1 (see the module's docstring).
WORKERS, PUBLISHED, REJECTED, NO_SHOW_HIRES = 2400, 1950, 110, 70
OTHER_VISITS, HOUSEHOLDS, ENTERPRISES = 830, 760, 140
LIVESTREAMS, FOLLOWERS = 11, 3900
CONTRACT = {"contract_amount": Decimal("500000.00"), "bid_price": Decimal("500000.00"),
            "network_fee": Decimal("100000.00")}
# The assessor's on-site points (A1…B9) and notes, entered unless the year already has some.
MANUAL = {"A1": ("5", "岗位任务订单、统计分析已运行；接单、价格确认、支付、合同、结算、投诉功能建设中"),
          "A2": ("2.5", "有日常维护记录，尚无恢复演练记录"), "B1": ("2", "制度、岗位职责和投诉电话已上墙"),
          "B2": ("3", "登记、等候、调解区域齐全"), "B3": ("3", "设备网络正常"),
          "B4": ("2.5", "消防器材齐全，消毒记录不全"), "B5": ("5", "专职4人"), "B6": ("3", "证照齐全"),
          "B9": ("3", "未发现变相收费")}
STAFF = (("demo-manager", "陈经理", Role.MANAGER, True),
         ("demo-assessor", "区人社局考核员", Role.ASSESSOR, True),
         ("demo-staff1", "林小燕", Role.STAFF, True), ("demo-staff2", "黄建华", Role.STAFF, True),
         ("demo-staff3", "张丽萍", Role.STAFF, True), ("demo-staff4", "吴志强", Role.STAFF, False))
# Which hall records make a database "not empty" (accounts do not: a manager may exist).
RECORDS = ((Worker, "零工"), (Employer, "用工方"), (TaskOrder, "招工信息"), (Ticket, "排队号"),
           (Livestream, "直播记录"), (FollowerCount, "关注人数"), (ManualScore, "考核评分"),
           (ScoreSnapshot, "考核锁定"), (AssessmentSettings, "考核设置"))


class DemoRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Plan:
    seed: int
    scale: float
    today: date
    service_start: date
    workers: list[dict] = field(default_factory=list)
    employers: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)  # tickets, with their task orders
    livestreams: list[dict] = field(default_factory=list)
    followers: list[dict] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Rows to write, for the progress bar."""
        trades = sum(len(w["trades"]) + len(w["availability"]) for w in self.workers)
        orders = sum(1 for v in self.visits if v["order"])
        return (len(STAFF) + len(self.workers) + trades + len(self.employers) + orders
                + len(self.visits) + len(self.livestreams) + len(self.followers) + 2)


def check_empty(force: bool = False) -> None:
    """Refuse a database holding hall records, unless ``force``."""
    found = [(label, n) for model, label in RECORDS
             if (n := db.session.scalar(select(func.count()).select_from(model)))]
    if found and not force:
        listed = "、".join(f"{label} {n} 条" for label, n in found)
        raise DemoRefused(f"数据库中已有记录（{listed}）：演示数据只装入空数据库。"
                          "如确要在这些记录之外再加一年演示数据，请加 --force（不会删除任何记录）。")


# -- the plan: every record, drawn from the seed -----------------------------------------

def plan(seed: int = 1, scale: float = 1.0, today: date | None = None) -> Plan:
    today = today or local_now().date()
    start = add_months(today.replace(day=1), -10)  # ≈ 11 months ago: year 1 is current
    rng = random.Random(f"demo-year:{seed}")
    result = Plan(seed, scale, today, start)
    days = _open_days(rng, start, today)
    result.workers = _workers(rng, round(WORKERS * scale), days, today)
    result.employers = _employers(rng, round(HOUSEHOLDS * scale), round(ENTERPRISES * scale))
    result.visits = _visits(rng, scale, days, result.employers) + _today(rng, today, result.employers)
    result.livestreams, result.followers = _promotion(rng, start, today)
    return result


def _open_days(rng: random.Random, start: date, today: date) -> list[tuple[date, float]]:
    """The days before today, each with how busy it is: busier as the hall becomes known,
    quieter on Sundays."""
    total = (today - start).days
    return [(start + timedelta(days=i),
             (0.5 + i / total) * (0.6 if (start + timedelta(days=i)).weekday() == 6 else 1.0)
             * rng.uniform(0.8, 1.2)) for i in range(total)]


def _pick_days(rng: random.Random, days, count: int) -> list[date]:
    return sorted(rng.choices([d for d, _ in days], [w for _, w in days], k=count))


def _moment(day: date, minutes: float) -> datetime:
    """Naive UTC of a hall-local day plus minutes after midnight."""
    return to_utc(datetime.combine(day, time(0), tzinfo=hall_tz())) + timedelta(minutes=minutes)


def _office_minutes(rng: random.Random) -> float:
    """A moment of the hall's day: busiest early, when employers come for the day's hands."""
    if rng.random() < 0.65:
        return rng.uniform(7.5 * 60, 11.5 * 60)
    return rng.uniform(13.5 * 60, 17.5 * 60)


def _workers(rng: random.Random, count: int, days, today: date) -> list[dict]:
    trades = hall().trades
    ids, phones, result = set(), set(), []
    for day in _pick_days(rng, days, count):
        first = _moment(day, _office_minutes(rng))
        minor, male = rng.random() < 0.012, rng.random() < 0.62
        number = people.id_number(rng, day, today, minor=minor, male=male, taken=ids)
        allowed = [t.code for t in trades if not (minor and t.minors_forbidden)]
        visits = rng.choices((1, 2, 3), (88, 9, 3))[0]
        last = first if visits == 1 else _moment(
            min(day + timedelta(days=rng.randint(7, 120)), today - timedelta(days=1)), _office_minutes(rng))
        result.append({"name": people.name(rng, male), "id_number": number,
                       "phone": people.phone(rng, phones),
                       "trades": sorted(rng.sample(allowed, rng.choices((1, 2, 3), (45, 40, 15))[0])),
                       "availability": ["any"] if rng.random() < 0.7 else sorted(
                           rng.sample([a.code for a in AVAILABILITY[1:]], rng.randint(1, 2))),
                       "wage": Decimal(rng.choice((120, 150, 160, 180, 200, 220, 250, 280, 300, 350))),
                       "first": first, "last": max(first, last), "count": visits})
    return result


def _employers(rng: random.Random, households: int, enterprises: int) -> list[dict]:
    phones, names, result = set(), set(), []
    for n in range(households + enterprises):
        enterprise = n >= households
        record = {"type": EmployerType.ENTERPRISE if enterprise else EmployerType.INDIVIDUAL,
                  "contact": people.name(rng), "phone": people.phone(rng, phones), "name": None, "uscc": None}
        if enterprise:
            record["name"] = people.company(rng, names)
            record["uscc"] = clean_uscc(people.uscc(rng))
        result.append(record)
    return result


def _visits(rng: random.Random, scale: float, days, employers: list[dict]) -> list[dict]:
    """Past days' tickets, each done or missed (过号); 招工 ones with their task order."""
    services = list(hall().services.values())
    hire = next(s for s in services if s.creates_task)
    others = [s for s in services if not s.creates_task] or [hire]
    kinds = ([TaskStatus.PUBLISHED] * round(PUBLISHED * scale)
             + [TaskStatus.REJECTED] * round(REJECTED * scale)
             + [None] * round(NO_SHOW_HIRES * scale) + ["other"] * round(OTHER_VISITS * scale))
    rng.shuffle(kinds)
    visits = []
    for day, kind in zip(_pick_days(rng, days, len(kinds)), kinds, strict=True):
        service = rng.choice(others) if kind == "other" else hire
        status = TicketStatus.NO_SHOW if kind is None or (kind == "other" and rng.random() < 0.06) \
            else TicketStatus.DONE
        visit = _ticket_times(rng, day, status, issued=_moment(day, _office_minutes(rng)))
        visit.update(service=service.code, day=day, window=_window(rng, service.code), status=status,
                     order=None if kind == "other" else _order(rng, day, kind, visit))
        visits.append(visit)
    # Every employer comes at least once; enterprises come back more often than households.
    order, weights = list(range(len(employers))), [4 if e["uscc"] else 1 for e in employers]
    rng.shuffle(order)
    for n, visit in enumerate(visits):
        visit["employer"] = order[n] if n < len(order) else rng.choices(range(len(order)), weights)[0]
    return sorted(visits, key=lambda v: v["issued_at"])


def _ticket_times(rng: random.Random, day: date, status: TicketStatus, issued: datetime,
                  until: datetime | None = None) -> dict:
    called = issued + timedelta(minutes=rng.uniform(1, 25))
    times = {"issued_at": issued, "called_at": called, "last_called_at": called, "recalls": 0,
             "serving_at": None, "finished_at": None, "finished_from": None}
    if status == TicketStatus.NO_SHOW:
        times["recalls"] = rng.randint(1, 3)
        times["last_called_at"] = called + timedelta(minutes=times["recalls"] * 1.5)
        times.update(finished_at=times["last_called_at"] + timedelta(minutes=1),
                     finished_from=TicketStatus.CALLED)
    elif status in (TicketStatus.SERVING, TicketStatus.DONE):
        times["serving_at"] = called + timedelta(minutes=rng.uniform(0.5, 2))
        if status == TicketStatus.DONE:
            times.update(finished_at=times["serving_at"] + timedelta(minutes=rng.uniform(3, 20)),
                         finished_from=TicketStatus.SERVING)
    if until is not None:  # today: everything has happened by now
        for key in ("called_at", "last_called_at", "serving_at", "finished_at"):
            if times[key] is not None:
                times[key] = min(times[key], until)
    return times


def _window(rng: random.Random, service_code: str) -> int:
    return rng.choice([w for w, codes in sorted(hall().windows.items()) if service_code in codes])


def _order(rng: random.Random, day: date, status: TaskStatus | None, visit: dict) -> dict:
    trade = rng.choice(hall().trades).code
    unit = rng.choices((PayUnit.DAY, PayUnit.HOUR, PayUnit.PIECE), (80, 15, 5))[0]
    pay = {PayUnit.DAY: rng.randrange(150, 360, 10), PayUnit.HOUR: rng.randrange(18, 42, 2),
           PayUnit.PIECE: rng.choice((1, 2, 3, 5))}[unit]
    reviewed = None
    if status is not None:
        reviewed = visit["serving_at"] + (visit["finished_at"] - visit["serving_at"]) * rng.uniform(0.2, 0.8)
    return {"trade_code": trade, "headcount": rng.choices((1, 2, 3, 5, 10, 20), (35, 25, 18, 12, 7, 3))[0],
            "pay": Decimal(pay), "pay_unit": unit,
            "work_date": day + timedelta(days=rng.choice((0, 1, 1, 2, 3, 7))),
            "work_time": rng.choice((None, None, time(7, 0), time(7, 30), time(8, 0), time(13, 30))),
            "location": people.place(rng),
            "description": "，".join(rng.sample(hall().phrases, min(rng.randint(0, 2), len(hall().phrases)))),
            "status": status or TaskStatus.DRAFT, "reviewed_at": reviewed,
            "published_at": reviewed if status == TaskStatus.PUBLISHED else None}


def _today(rng: random.Random, today: date, employers: list[dict]) -> list[dict]:
    """Today's queue so far, timed before now: a few done, one ticket called and one being
    served at the first two windows, some waiting."""
    now = to_utc(local_now())
    since = max(_moment(today, 0), now - timedelta(hours=2))
    services = list(hall().services.values())
    hire = next(s for s in services if s.creates_task)
    others = [s for s in services if not s.creates_task] or [hire]
    wanted = [(rng.choice(others), TicketStatus.DONE, None) for _ in range(3)]
    wanted += [(hire, status, window) for window, status in
               zip([w for w, codes in sorted(hall().windows.items()) if hire.code in codes][:2],
                   (TicketStatus.CALLED, TicketStatus.SERVING), strict=False)]
    wanted += [(hire, TicketStatus.WAITING, None)] * 2 + [(rng.choice(others), TicketStatus.WAITING, None)]
    moments = sorted(since + (now - since) * rng.random() for _ in wanted)
    visits = []
    for (service, status, window), issued in zip(wanted, moments, strict=True):
        visit = {"issued_at": issued, "called_at": None, "last_called_at": None, "recalls": 0,
                 "serving_at": None, "finished_at": None, "finished_from": None}
        if status != TicketStatus.WAITING:
            visit = _ticket_times(rng, today, status, issued, until=now)
            window = window or _window(rng, service.code)
        visit.update(service=service.code, day=today, status=status, window=window,
                     employer=rng.randrange(len(employers)),
                     order=_order(rng, today, None, visit) if service.creates_task else None)
        visits.append(visit)
    return visits


def _promotion(rng: random.Random, start: date, today: date) -> tuple[list[dict], list[dict]]:
    """Livestreams: one a month but one month missed, eleven in all; follower counts at each
    month's end, growing to just under 4,000."""
    year = LocalPeriod.assessment_year(start, 1, hall_tz())
    done = [m for m in months(year) if m.last_day < today]
    current = [m for m in months(year) if m.first_day <= today <= m.last_day and m.first_day < today]
    missed = rng.choice(done[1:]) if len(done) > 1 else None
    held = [m for m in done if m is not missed]
    held += current + rng.sample(held, min(len(held), max(LIVESTREAMS - len(held) - len(current), 0)))
    streams = []
    for month in sorted(held[:LIVESTREAMS], key=lambda m: m.first_day):
        last = min(month.last_day, today - timedelta(days=1))
        held_on = month.first_day + timedelta(days=rng.randint(0, (last - month.first_day).days))
        streams.append({"held_on": held_on, "platform": rng.choice(("抖音", "视频号", "快手")),
                        "kind": rng.choice(list(LivestreamKind)), "minutes": rng.randrange(45, 125, 5),
                        "viewers": rng.randrange(300, 5000), "postings_promoted": rng.randint(5, 30),
                        "created_at": _moment(held_on, 20 * 60)})
    followers, figure = [], FOLLOWERS
    for month in reversed(done):
        followers.append({"counted_on": month.last_day, "followers": figure,
                          "created_at": _moment(month.last_day, 17 * 60)})
        figure = max(figure - rng.randint(250, 450), 50)
    return streams, followers[::-1]


# -- writing it --------------------------------------------------------------------------

@dataclass
class Loaded:
    plan: Plan
    password: str | None  # None: the accounts existed already
    counts: dict[str, int]
    settings_kept: bool

    def summary(self) -> list[str]:
        c, p = self.counts, self.plan
        start = scoring.service_start()
        lines = [f"演示数据已载入（种子 {p.seed}，规模 {p.scale:g}，截至 {p.today}）：",
                 f"  零工 {c['workers']} 人，用工方 {c['employers']} 家，招工信息 {c['orders']} 条"
                 f"（已发布 {c['published']} 条），排队号 {c['tickets']} 张，直播 {c['livestreams']} 场，"
                 f"关注人数 {FOLLOWERS}",
                 f"  服务起始日期 {start}" + ("（沿用原有考核设置）" if self.settings_kept else
                                            "；合同金额 {contract_amount:,} 元，中标价 {bid_price:,} 元，"
                                            "网络建设费 {network_fee:,} 元".format(**CONTRACT))]
        if c["skipped"]:
            lines.append(f"  跳过身份证号已登记的 {c['skipped']} 人")
        names = "、".join(username for username, *_ in STAFF)
        lines.append(f"  账号：{names}" + (f"，密码：{self.password}（只显示这一次）" if self.password
                                           else "（已存在，密码未改）"))
        card = scoring.card(scoring.current_number())
        lines.append(f"  考核第{card.number}年目前：总分 {card.content['total']}，{card.content['grade']}")
        return lines


def load(plan: Plan, password: str | None = None, force: bool = False, progress=lambda n: None) -> Loaded:
    """Write the plan in one transaction (all of it or nothing), with one audit entry."""
    check_empty(force)
    given = password or secrets.token_urlsafe(12)
    staff, created = _staff(given)
    kept = _settings(plan, staff["demo-manager"])
    progress(len(STAFF) + 1)
    worker_ids, skipped = _write_workers(plan.workers, progress)
    visits = _free_windows(plan)
    employer_ids = _write_employers(plan.employers, visits, progress)
    orders, tickets = _write_visits(plan, visits, employer_ids, [staff[u] for u, *_ in STAFF[2:]], progress)
    _write(Livestream, [dict(s, created_by_id=staff["demo-manager"]) for s in plan.livestreams], progress)
    _write(FollowerCount, [dict(f, created_by_id=staff["demo-manager"]) for f in plan.followers], progress)
    counts = {"workers": len(worker_ids), "skipped": skipped, "employers": len(set(employer_ids)),
              "orders": orders, "tickets": tickets, "livestreams": len(plan.livestreams),
              "published": sum(1 for v in visits if v["order"] and v["order"]["published_at"])}
    audit.record(audit.Ref("demo_data", None), "load_demo",
                 after={"seed": plan.seed, "scale": plan.scale, "today": plan.today.isoformat(), **counts})
    _manual_points(staff["demo-assessor"])
    db.session.commit()
    progress(1)
    return Loaded(plan, given if created else None, counts, kept)


def _manual_points(assessor_id: int) -> None:
    """The assessor's mid-year scores for the current year, unless some were entered."""
    number = scoring.current_number()
    if scoring.manual_entries(number) or scoring.current_snapshot(number):
        return
    assessor = db.session.get(StaffUser, assessor_id)
    for key, (points, note) in MANUAL.items():
        scoring.enter_manual(number, key, points, note, assessor, commit=False)


def _staff(password: str) -> tuple[dict[str, int], bool]:
    """The demo accounts (an existing one is kept as it is)."""
    ids, created = {}, False
    for username, display, role, full_time in STAFF:
        user = db.session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            try:
                user = accounts.create_user(username, password, role, display, commit=False)
            except accounts.AccountError as err:
                db.session.rollback()
                raise DemoRefused(f"演示账号 {username}：{err.message}") from None
            user.full_time, created = full_time, True
        ids[username] = user.id
    return ids, created


def _settings(plan: Plan, manager_id: int) -> bool:
    """The contract settings, unless the database has its own (kept: True)."""
    if db.session.get(AssessmentSettings, 1) is not None:
        return True
    db.session.add(AssessmentSettings(id=1, service_start=plan.service_start, updated_by_id=manager_id,
                                      **CONTRACT))
    scoring.record_rubrics(manager_id)
    return False


def _write(model, rows: list[dict], progress, returning: bool = False) -> list[int]:
    """Insert rows in batches (executemany); the new ids in order when ``returning``."""
    ids = []
    for first in range(0, len(rows), BATCH):
        batch = rows[first:first + BATCH]
        if returning:
            ids += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                      batch).all()
        else:
            db.session.execute(insert(model), batch)
        progress(len(batch))
    return ids


def _write_workers(workers: list[dict], progress) -> tuple[list[int], int]:
    """Workers as registration stores them (numbers encrypted, keyed hashes beside them); a
    person whose ID number is registered already is skipped (``force``)."""
    pii, consent = vault(), hall().privacy_version
    taken = set(db.session.scalars(select(Worker.id_hash).where(Worker.id_hash.is_not(None))))
    rows, kept = [], []
    for w in workers:
        id_hash = pii.blind_index("id", w["id_number"])
        if id_hash in taken:
            continue
        number = parse_id_number(w["id_number"], w["first"].date())
        kept.append(w)
        rows.append({"name": w["name"], "id_hash": id_hash, "id_cipher": pii.encrypt(number.number),
                     "sex": number.sex, "from_other_province": number.is_from_outside_fujian,
                     "phone_cipher": pii.encrypt(w["phone"]),
                     "phone_hash": pii.blind_index("phone", w["phone"]),
                     "phone_last4": w["phone"][-4:], "expected_wage": w["wage"],
                     "qr_token": secrets.token_urlsafe(24), "consent_version": consent,
                     "consent_at": w["first"],
                     "first_registered_at": w["first"], "last_registered_at": w["last"],
                     "registration_count": w["count"]})
    ids = _write(Worker, rows, progress, returning=True)
    quiet = lambda n: None  # noqa: E731 (counted below, with the skipped ones)
    _write(WorkerTrade, [{"worker_id": i, "trade_code": c}
                         for i, w in zip(ids, kept, strict=True) for c in w["trades"]], quiet)
    _write(WorkerAvailability, [{"worker_id": i, "code": c}
                                for i, w in zip(ids, kept, strict=True) for c in w["availability"]], quiet)
    progress(len(workers) - len(kept) + sum(len(w["trades"]) + len(w["availability"]) for w in workers))
    return ids, len(workers) - len(kept)


def _free_windows(plan: Plan) -> list[dict]:
    """The plan's visits, less today's open calls at a window that has one open already."""
    busy = set(db.session.scalars(select(Ticket.window).where(
        Ticket.day == plan.today, Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]))))
    return [v for v in plan.visits if not (v["day"] == plan.today and v["window"] in busy
                                           and v["status"] in (TicketStatus.CALLED, TicketStatus.SERVING))]


def _write_employers(employers: list[dict], visits: list[dict], progress) -> list[int]:
    """Their ids in plan order, first and last seen at their visits; a phone already known is
    that employer (``force``)."""
    pii, seen = vault(), defaultdict(list)
    for visit in visits:
        seen[visit["employer"]].append(visit["issued_at"])
    hashes = [pii.blind_index("employer-phone", e["phone"]) for e in employers]
    known = dict(db.session.execute(select(Employer.phone_hash, Employer.id)).all())
    rows = [{"employer_type": e["type"], "employer_name": e["name"], "uscc": e["uscc"],
             "contact_name": e["contact"], "phone_hash": h, "phone_cipher": pii.encrypt(e["phone"]),
             "phone_last4": e["phone"][-4:],
             **({"created_at": min(seen[n]), "last_seen_at": max(seen[n])} if seen[n] else {})}
            for n, (e, h) in enumerate(zip(employers, hashes, strict=True)) if h not in known]
    new = iter(_write(Employer, rows, progress, returning=True))
    progress(len(employers) - len(rows))
    return [known[h] if h in known else next(new) for h in hashes]


def _write_visits(plan: Plan, visits: list[dict], employer_ids: list[int], staff_ids: list[int],
                  progress) -> tuple[int, int]:
    """Task orders, then tickets numbered per service and day (after any issued already)."""
    rng = random.Random(f"demo-reviewers:{plan.seed}")
    with_orders = [v for v in visits if v["order"]]
    order_ids = iter(_write(TaskOrder, [
        dict(v["order"], employer_id=employer_ids[v["employer"]], source="checkin", created_at=v["issued_at"],
             reviewed_by_id=rng.choice(staff_ids) if v["order"]["reviewed_at"] else None)
        for v in with_orders], progress, returning=True))
    counters = {(c.service_code, c.day): c for c in db.session.scalars(
        select(TicketCounter).where(TicketCounter.day >= plan.service_start))}
    prefixes, rows = {code: s.prefix for code, s in hall().services.items()}, []
    for v in visits:
        counter = counters.get((v["service"], v["day"]))
        if counter is None:
            counter = counters[v["service"], v["day"]] = TicketCounter(
                service_code=v["service"], day=v["day"], last_seq=0)
            db.session.add(counter)
        counter.last_seq += 1
        rows.append({"issued_service": v["service"], "service_code": v["service"], "day": v["day"],
                     "seq": counter.last_seq,
                     "number": format_number(prefixes[v["service"]], counter.last_seq),
                     "employer_id": employer_ids[v["employer"]], "status_token": secrets.token_urlsafe(24),
                     "task_order_id": next(order_ids) if v["order"] else None,
                     **{k: v[k] for k in ("status", "window", "recalls", "issued_at", "called_at",
                                          "last_called_at", "serving_at", "finished_at", "finished_from")}})
    _write(Ticket, rows, progress)
    return len(with_orders), len(rows)
