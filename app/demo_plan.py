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
from app.domain.ratings import Channel, FollowUpStep, RaterRole, Reason
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

from . import demo_deals
from . import demo_people as people

# The year at scale 1 (see the module's docstring).
WORKERS, PUBLISHED, REJECTED, NO_SHOW_HIRES = 2400, 1950, 110, 70
OTHER_VISITS, HOUSEHOLDS, ENTERPRISES = 830, 760, 140
LIVESTREAMS, FOLLOWERS = 11, 3900
# Satisfaction ratings (B7) at scale 1: 7 % bad, so the year's rate is 93.0 % (5 points);
# a fifth from slips (a ticket's or a registration's QR); refused bursts on a few days.
RATINGS, BAD_SHARE, SLIP_SHARE, REFUSED_DAYS = 1500, 0.07, 0.2, 5
EXIT_TERMINAL, EXIT_ADDRESS = "出口评价终端", "192.168.10.60"
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
    ratings: list[dict] = field(default_factory=list)  # with their reasons and follow-up
    refusals: list[dict] = field(default_factory=list)  # presses refused at the exit terminal
    deals: list[dict] = field(default_factory=list)  # completed deals on the published postings

    @property
    def size(self) -> int:
        """Rows to write, for the progress bar."""
        trades = sum(len(w["trades"]) + len(w["availability"]) for w in self.workers)
        orders = sum(1 for v in self.visits if v["order"])
        return (len(STAFF) + len(self.workers) + trades + len(self.employers) + orders
                + len(self.visits) + len(self.livestreams) + len(self.followers)
                + len(self.ratings) + len(self.refusals) + 2)


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
    result.deals = demo_deals.plan_bulk(seed, scale, today, result.visits, result.workers, result.employers)
    result.ratings, result.refusals = _ratings(random.Random(f"demo-ratings:{seed}"), scale, days, today,
                                               result.visits, result.workers)
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


# -- satisfaction ratings (B7) --------------------------------------------------------------

# The hours of a rating (8:00–18:00): people rate on their way out, most after the morning rush.
RATING_HOURS = {8: 3, 9: 9, 10: 12, 11: 10, 12: 4, 13: 3, 14: 7, 15: 8, 16: 7, 17: 5}
BAD_REASONS = {Reason.WAITED: 45, Reason.ATTITUDE: 15, Reason.FALSE_INFO: 18, Reason.INCONVENIENT: 15,
               Reason.OTHER: 7}
COMMENTS = ("排队时间太长", "窗口人手不够", "招工信息和实际不符", "工作人员说话不耐烦", "打印凭条等了很久",
            "不知道去哪个窗口", "岗位工资和说的不一样")
# What staff did about a bad rating, by its first reason (the closing step's note).
CORRECTIONS = {Reason.WAITED: "已调整高峰时段排班，上午增开一个窗口",
               Reason.ATTITUDE: "已约谈当班工作人员，组织服务礼仪培训",
               Reason.FALSE_INFO: "已核实该岗位信息，责令用工方更正，不实信息已下架",
               Reason.INCONVENIENT: "已在大厅增设指引牌，导办员主动引导",
               Reason.OTHER: "已记录意见并在周例会上通报整改"}


def _ratings(rng: random.Random, scale: float, days, today: date, visits: list[dict],
             workers: list[dict]) -> tuple[list[dict], list[dict]]:
    """The year's ratings, ending now: an exact share bad (the rate does not depend on luck),
    from the exit terminal on working days between 8:00 and 18:00, and a share from slips
    rated soon after the visit or registration they are for (each service once); bad
    ones with reasons, some with a call-back phone, and the follow-up each had."""
    count = max(round(RATINGS * scale), 1)
    bad = round(count * BAD_SHARE)
    levels = [4 if n < bad * 0.7 else 5 for n in range(bad)]
    good = count - bad
    levels += [1] * round(good * 0.62) + [2] * round(good * 0.28)
    levels += [3] * (count - len(levels))
    rng.shuffle(levels)
    now = to_utc(local_now())
    done = [n for n, v in enumerate(visits) if v["status"] == TicketStatus.DONE and v["finished_at"] < now]
    slips = round(count * SLIP_SHARE)
    tickets = rng.sample(done, min(slips // 2, len(done)))
    registrations = rng.sample(range(len(workers)), min(slips - len(tickets), len(workers)))
    working = [(d, w) for d, w in days if d.weekday() < 5] or days
    ratings, phones = [], set()
    for n, level in enumerate(levels):
        if n < len(tickets):
            visit = visits[tickets[n]]
            at = min(visit["finished_at"] + timedelta(minutes=rng.uniform(2, 240)),
                     now - timedelta(minutes=1))
            rating = {"at": at, "role": RaterRole.EMPLOYER, "channel": Channel.SLIP, "visit": tickets[n],
                      "window": visit["window"]}
        elif n < len(tickets) + len(registrations):
            person = workers[registrations[n - len(tickets)]]
            at = min(person["last"] + timedelta(minutes=rng.uniform(3, 600)), now - timedelta(minutes=1))
            rating = {"at": at, "role": RaterRole.WORKER, "channel": Channel.SLIP,
                      "worker": registrations[n - len(tickets)]}
        else:
            day = rng.choices([d for d, _ in working], [w for _, w in working])[0]
            hour = rng.choices(list(RATING_HOURS), list(RATING_HOURS.values()))[0]
            at = _moment(day, hour * 60 + rng.uniform(0, 60))
            rating = {"at": at, "role": rng.choices(list(RaterRole), (55, 35, 10))[0],
                      "channel": Channel.TERMINAL}
        rating.update(level=level, reasons=[], phone=None, comment="")
        if level >= 4:
            rating["reasons"] = sorted(set(rng.choices(list(BAD_REASONS), list(BAD_REASONS.values()),
                                                       k=rng.choice((1, 1, 2)))), key=list(Reason).index)
            if rng.random() < 0.4:
                rating["phone"] = _callback_phone(rng, phones)
            if rng.random() < 0.3:
                rating["comment"] = rng.choice(COMMENTS)
        ratings.append(rating)
    ratings.sort(key=lambda r: r["at"])
    _follow_ups(rng, [r for r in ratings if r["level"] >= 4], today)
    return ratings, _refusals(rng, working)


def _callback_phone(rng: random.Random, taken: set[str]) -> str:
    """A made-up call-back number in the 1380000xxxx block."""
    while (number := f"1380000{rng.randrange(10**4):04d}") in taken:
        pass
    taken.add(number)
    return number


def _follow_ups(rng: random.Random, bad: list[dict], today: date) -> None:
    """What became of each bad rating (oldest first): closed with its steps, except the two
    newest (one untouched, one with a first call that was not answered) and one about two
    months old, still open past its due day."""
    if not bad:
        return
    old = [r for r in bad if (today - r["at"].date()).days > 50]
    overdue = rng.choice(old) if old else None
    for n, rating in enumerate(bad):
        phone, first = rating["phone"] is not None, rating["reasons"][0]
        steps = []
        if rating is overdue or n == len(bad) - 2:
            steps = [(FollowUpStep.CALL_NO_ANSWER, "") if phone
                     else (FollowUpStep.PROGRESS, "已转窗口负责人核实")]
        elif n < len(bad) - 1:  # the newest stays untouched
            if phone and rng.random() < 0.3:
                steps.append((FollowUpStep.CALL_NO_ANSWER, ""))
            if phone:
                steps.append((FollowUpStep.CALLED_BACK, f"已回访，说明情况并致歉；{CORRECTIONS[first]}"))
            else:
                steps.append(rng.choice(((FollowUpStep.NO_CONTACT, CORRECTIONS[first]),
                                         (FollowUpStep.CORRECTED, CORRECTIONS[first]))))
        rating["steps"] = steps
        rating["overdue"] = rating is overdue


def _refusals(rng: random.Random, working) -> list[dict]:
    """A few bursts at the exit terminal (a child pressing the faces over and over): the
    presses refused on those days."""
    chosen = rng.sample([d for d, _ in working], min(REFUSED_DAYS, len(working)))
    return [{"day": day, "terminal": EXIT_TERMINAL, "count": rng.randint(3, 18)} for day in sorted(chosen)]
