"""The demo year's plan (``flask --app wsgi demo-data``): every record of one hall's plausible
first year, drawn from ``random.Random(seed)`` with times relative to the hall's today, before
anything is written (``app/demo.py`` writes it). The sizes at scale 1 are below; see
``app/demo.py`` for what they make the score page show."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.clock import hall_tz, local_now
from app.domain.periods import LocalPeriod, to_utc
from app.domain.queue import TicketStatus
from app.domain.scoring import add_months
from app.domain.trades import AVAILABILITY
from app.domain.validation import clean_uscc
from app.hall_config import hall
from app.models import (
    EmployerType,
    LivestreamKind,
    PayUnit,
    Role,
    TaskStatus,
)
from app.services.scoring import months

from . import demo_people as people

# The year at scale 1 (see the module's docstring).
WORKERS, PUBLISHED, REJECTED, NO_SHOW_HIRES = 2400, 1950, 110, 70
OTHER_VISITS, HOUSEHOLDS, ENTERPRISES = 830, 760, 140
LIVESTREAMS, FOLLOWERS = 11, 3900
STAFF = (("demo-manager", "陈经理", Role.MANAGER, True),
         ("demo-assessor", "区人社局考核员", Role.ASSESSOR, True),
         ("demo-staff1", "林小燕", Role.STAFF, True), ("demo-staff2", "黄建华", Role.STAFF, True),
         ("demo-staff3", "张丽萍", Role.STAFF, True), ("demo-staff4", "吴志强", Role.STAFF, False))


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
