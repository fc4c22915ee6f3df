"""The demo year (``flask --app wsgi demo-data``): one hall's plausible first year, ending today.

``app.demo_plan.plan(seed, scale)`` draws every record from ``random.Random(seed)`` with times relative to
the hall's today (the same seed on the same day gives the same records and the same score);
``load(plan)`` writes them in bulk, in one transaction, with an audit entry saying that demo
data was loaded. Personal data is stored as registration and check-in store it: ID and phone
numbers encrypted, with their keyed hashes (``app.crypto``). Tokens in QR codes are random
(``secrets``), never drawn from the seed.

The year is sized so that the score page shows realistic values, several just below their
next tier (at ``scale`` 1): 2,400 workers (C1: 4 points, 100 short of 5), 1,950 postings
published in bulk and 13 by the walked deals (C2: 1,963, 8 points, 37 short of 10), 960
completed deals in bulk and 3 walked (C3: 963, 5 points, 37 short of 8; ``app/demo_deals.py``,
with G1 12, G2 and G3 2 confirmed, and C4's 3 false records, 4 points), 11 livestreams with
one month missed (D1: 11), 3,900 followers (F1: 8 points, 100 short of 10), 1,500
satisfaction ratings of which exactly 7 % are bad (B7: 93.0 %, 5 points).
``app/demo_disputes.py`` then files the year's dispute cases and incidents through their
services (E1: 14 cases, 5 points; B8: 2 incidents, 4 points; B9's suggestion 3). The
assessor's mid-year visit has scored the manual items (30 of 33 points: A1 6, as all eight
system functions run but the deal steps are new), so the year stands at 89, 良好, one point
below 优秀: the next tier of C1, C2 or C3 would carry it over, and the page says what that is
worth. ``scale`` shrinks or grows the counts of workers, employers, task orders, tickets,
bulk deals and ratings (livestreams, followers, the refused bursts, the walked deals and the
false records stay as they are).

A database that already holds hall records is refused unless ``force``: the demo year is then
added beside them (nothing is ever deleted); people whose ID number is already registered are
skipped, employers already known by phone are reused, the contract settings and existing
accounts are kept as they are, and ticket numbers continue the day's sequence.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import func, insert, select

from app.clock import hall_tz, local_now, to_local
from app.crypto import vault
from app.domain.idcard import parse_id_number
from app.domain.periods import to_utc
from app.domain.queue import TicketStatus, format_number
from app.domain.ratings import CLOSING_STEPS, Channel, FollowUpStatus
from app.domain.workdays import Calendar
from app.extensions import db
from app.hall_config import hall
from app.models import (
    AssessmentSettings,
    CalendarDay,
    DisputeCase,
    Employer,
    FollowerCount,
    FollowUpEntry,
    Incident,
    Livestream,
    ManualScore,
    Rating,
    RatingFollowUp,
    RatingReason,
    RatingRefusal,
    ScoreSnapshot,
    StaffUser,
    TaskOrder,
    Ticket,
    TicketCounter,
    Worker,
    WorkerAvailability,
    WorkerTrade,
)
from app.services import accounts, assessment, audit, scoring

from . import demo_deal_walks, demo_deals, demo_disputes
from .demo_plan import EXIT_ADDRESS, EXIT_TERMINAL, FOLLOWERS, STAFF, Plan

BATCH = 500
CONTRACT = {"contract_amount": Decimal("500000.00"), "bid_price": Decimal("500000.00"),
            "network_fee": Decimal("100000.00")}
# The assessor's on-site points (A1…B9) and notes, entered unless the year already has some.
MANUAL = {"A1": ("6", "八项功能均已上线运行；接单、价格确认、电子协议（含保险）、支付和结算"
                      "上线时间尚短，线上完成的交易还不多"),
          "A2": ("2.5", "有日常维护记录，尚无恢复演练记录"), "B1": ("2", "制度、岗位职责和投诉电话已上墙"),
          "B2": ("3", "登记、等候、调解区域齐全"), "B3": ("3", "设备网络正常"),
          "B4": ("2.5", "消防器材齐全，消毒记录不全"), "B5": ("5", "专职4人"), "B6": ("3", "证照齐全"),
          "B9": ("3", "未发现变相收费")}
# Which hall records make a database "not empty" (accounts do not: a manager may exist).
RECORDS = ((Worker, "零工"), (Employer, "用工方"), (TaskOrder, "招工信息"), (Ticket, "排队号"),
           (Livestream, "直播记录"), (FollowerCount, "关注人数"), (Rating, "满意度评价"),
           (ManualScore, "考核评分"), (ScoreSnapshot, "考核锁定"), (AssessmentSettings, "考核设置"),
           (DisputeCase, "纠纷案件"), (Incident, "事件登记"))


class DemoRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_empty(force: bool = False) -> None:
    """Refuse a database holding hall records, unless ``force``."""
    found = [(label, n) for model, label in RECORDS
             if (n := db.session.scalar(select(func.count()).select_from(model)))]
    if found and not force:
        listed = "、".join(f"{label} {n} 条" for label, n in found)
        raise DemoRefused(f"数据库中已有记录（{listed}）：演示数据只装入空数据库。"
                          "如确要在这些记录之外再加一年演示数据，请加 --force（不会删除任何记录）。")


# -- writing it --------------------------------------------------------------------------

@dataclass
class Loaded:
    plan: Plan
    password: str | None  # None: the accounts existed already
    counts: dict[str, int]
    settings_kept: bool

    def summary(self) -> list[str]:
        c, p = self.counts, self.plan
        start = assessment.service_start()
        lines = [f"演示数据已载入（种子 {p.seed}，规模 {p.scale:g}，截至 {p.today}）：",
                 f"  零工 {c['workers']} 人，用工方 {c['employers']} 家，招工信息 {c['orders']} 条"
                 f"（已发布 {c['published']} 条），排队号 {c['tickets']} 张，直播 {c['livestreams']} 场，"
                 f"关注人数 {FOLLOWERS}",
                 f"  满意度评价 {c['ratings']} 条（不满意的 {c['follow_ups']} 条已建回访），"
                 f"评价终端被拒绝的重复评价 {c['refused']} 次",
                 f"  服务起始日期 {start}" + ("（沿用原有考核设置）" if self.settings_kept else
                                            "；合同金额 {contract_amount:,} 元，中标价 {bid_price:,} 元，"
                                            "网络建设费 {network_fee:,} 元".format(**CONTRACT))]
        lines.append(f"  纠纷案件 {c['cases']} 件（另有 {c['merged']} 件重复申请已合并），双方评价调解 "
                     f"{c['case_ratings']} 条；事件登记 {c['incidents']} 条（{c['voided']} 条已作废）")
        lines.append(f"  交易 {c['deals'] + c['walked']} 笔（其中 {c['walked']} 笔逐步经交易流程办理，"
                     f"各状态都有），确认虚假信息 {c['false_records']} 条")
        if c["skipped"]:
            lines.append(f"  跳过身份证号已登记的 {c['skipped']} 人")
        names = "、".join(username for username, *_ in STAFF)
        lines.append(f"  账号：{names}" + (f"，密码：{self.password}（只显示这一次）" if self.password
                                           else "（已存在，密码未改）"))
        card = scoring.card(assessment.current_number())
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
    staff_ids = [staff[u] for u, *_ in STAFF[2:]]
    orders, ticket_ids, order_ids = _write_visits(plan, visits, employer_ids, staff_ids, progress)
    deals_written = demo_deals.write_bulk(plan.deals, order_ids, worker_ids, employer_ids, staff_ids,
                                          plan.seed)
    _write(Livestream, [dict(s, created_by_id=staff["demo-manager"]) for s in plan.livestreams], progress)
    _write(FollowerCount, [dict(f, created_by_id=staff["demo-manager"]) for f in plan.followers], progress)
    ratings = _write_ratings(plan, worker_ids, ticket_ids, staff_ids, progress)
    counts = {"workers": len(worker_ids), "skipped": skipped, "employers": len(set(employer_ids)),
              "orders": orders, "tickets": len(ticket_ids), "livestreams": len(plan.livestreams),
              "published": sum(1 for v in visits if v["order"] and v["order"]["published_at"]),
              "deals": deals_written, **ratings}
    audit.record(audit.Ref("demo_data", None), "load_demo",
                 after={"seed": plan.seed, "scale": plan.scale, "today": plan.today.isoformat(), **counts})
    _manual_points(staff["demo-assessor"])
    db.session.commit()
    # The cases and incidents go through their services step by step (numbers, workflow,
    # audit), each committed at its moment: after the bulk year, not inside its transaction.
    steps = demo_disputes.plan(plan.seed, plan.service_start, plan.today, plan.workers, plan.employers,
                               worker_ids)
    written = demo_disputes.write(steps, staff_ids)
    counts.update(cases=len(written.cases) - 1, merged=1, case_ratings=written.ratings,
                  incidents=len(written.incidents), voided=1)
    # A dozen deals and the records confirmed false go through their services the same way.
    used = {d["worker"] for d in plan.deals}
    steps = demo_deal_walks.plan_walked(plan.seed, plan.today, plan.workers, plan.employers, worker_ids,
                                   employer_ids, used)
    walked = demo_deal_walks.write_walked(steps, staff_ids)
    counts.update(walked=len(walked.deals), false_records=walked.false_records)
    progress(1)
    return Loaded(plan, given if created else None, counts, kept)


def _manual_points(assessor_id: int) -> None:
    """The assessor's mid-year scores for the current year, unless some were entered."""
    number = assessment.current_number()
    if assessment.manual_entries(number) or assessment.current_snapshot(number):
        return
    assessor = db.session.get(StaffUser, assessor_id)
    for key, (points, note) in MANUAL.items():
        assessment.enter_manual(number, key, points, note, assessor, commit=False)


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
    assessment.record_rubrics(manager_id)
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


def _write_workers(workers: list[dict], progress) -> tuple[dict[int, int], int]:
    """Workers as registration stores them (numbers encrypted, keyed hashes beside them); a
    person whose ID number is registered already is skipped (``force``). Their ids by their
    place in the plan."""
    pii, consent = vault(), hall().privacy_version
    taken = set(db.session.scalars(select(Worker.id_hash).where(Worker.id_hash.is_not(None))))
    rows, kept, places = [], [], []
    for place, w in enumerate(workers):
        id_hash = pii.blind_index("id", w["id_number"])
        if id_hash in taken:
            continue
        number = parse_id_number(w["id_number"], w["first"].date())
        kept.append(w)
        places.append(place)
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
    return dict(zip(places, ids, strict=True)), len(workers) - len(kept)


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
                  progress) -> tuple[int, dict[int, int], dict[int, int]]:
    """Task orders, then tickets numbered per service and day (after any issued already).
    The tickets' ids by the visit's place in the plan; the task orders' by ``id(visit)``."""
    rng = random.Random(f"demo-reviewers:{plan.seed}")
    with_orders = [v for v in visits if v["order"]]
    rows = []
    for v in with_orders:
        row = {"source": "checkin", **v["order"]}
        by_staff = row.pop("by_staff", False)  # published by staff on behalf of an enterprise (G1)
        rows.append(dict(row, employer_id=employer_ids[v["employer"]], created_at=v["issued_at"],
                         reviewed_by_id=rng.choice(staff_ids) if row["reviewed_at"] else None,
                         created_by_id=rng.choice(staff_ids) if by_staff else None))
    written = _write(TaskOrder, rows, progress, returning=True)
    order_ids = iter(written)
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
    ids = _write(Ticket, rows, progress, returning=True)
    places = {id(v): n for n, v in enumerate(plan.visits)}
    return (len(with_orders), {places[id(v)]: i for v, i in zip(visits, ids, strict=True)},
            {id(v): i for v, i in zip(with_orders, written, strict=True)})


def _write_ratings(plan: Plan, worker_ids: dict[int, int], ticket_ids: dict[int, int], staff_ids: list[int],
                   progress) -> dict[str, int]:
    """Ratings as the ratings service stores them (a slip's tied to its service, once; a
    call-back phone encrypted), their reasons, the follow-ups of bad ones due on the
    working day the hall's calendar gives, the steps staff recorded, and the refused presses.
    A slip whose ticket or worker was not written (``force``) is rated at the terminal."""
    pii, rng = vault(), random.Random(f"demo-follow-ups:{plan.seed}")
    rows = []
    for r in plan.ratings:
        row = {"at": r["at"], "level": r["level"], "role": r["role"], "channel": r["channel"],
               "terminal": None, "address": None, "service": None, "service_kind": None,
               "window": r.get("window"), "comment": r["comment"], "phone_cipher": None, "phone_last4": None}
        if r.get("visit") in ticket_ids:
            row.update(service=f"ticket:{ticket_ids[r['visit']]}", service_kind="ticket")
        elif r.get("worker") in worker_ids:
            count = plan.workers[r["worker"]]["count"]
            row.update(service=f"registration:{worker_ids[r['worker']]}:{count}", service_kind="registration")
        else:
            row.update(channel=Channel.TERMINAL, terminal=EXIT_TERMINAL, address=EXIT_ADDRESS, window=None)
        if r["phone"]:
            row.update(phone_cipher=pii.encrypt(r["phone"]), phone_last4=r["phone"][-4:])
        rows.append(row)
    ids = _write(Rating, rows, progress, returning=True)
    quiet = lambda n: None  # noqa: E731 (counted with the ratings)
    _write(RatingReason, [{"rating_id": i, "reason": reason} for i, r in zip(ids, plan.ratings, strict=True)
                          for reason in r["reasons"]], quiet)
    bad = [(i, r) for i, r in zip(ids, plan.ratings, strict=True) if r["level"] >= 4]
    first = min((to_local(r["at"]).date() for _, r in bad), default=plan.today)
    calendar = Calendar.of(db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(
        CalendarDay.day > first)).all())
    days, now = hall().follow_up_days, to_utc(local_now())
    follow_ups, steps = [], []
    for rating_id, r in bad:
        due = calendar.add(to_local(r["at"]).date(), days)
        # the steps on working days before the due day (the overdue one: before it was due)
        last = min(to_utc(datetime.combine(due, time(17), tzinfo=hall_tz())), now)
        moments = sorted(r["at"] + (last - r["at"]) * rng.uniform(0.1, 0.9) for _ in r["steps"])
        closed = bool(r["steps"]) and r["steps"][-1][0] in CLOSING_STEPS
        by = rng.choice(staff_ids)
        status = FollowUpStatus.DONE if closed else \
            FollowUpStatus.IN_PROGRESS if r["steps"] else FollowUpStatus.OPEN
        follow_ups.append({"rating_id": rating_id, "status": status, "due_on": due, "created_at": r["at"],
                           "closed_at": moments[-1] if closed else None,
                           "closed_by_id": by if closed else None})
        steps.append([{"step": step, "note": note, "at": at, "by_id": by}
                      for (step, note), at in zip(r["steps"], moments, strict=True)])
    follow_up_ids = _write(RatingFollowUp, follow_ups, quiet, returning=True)
    _write(FollowUpEntry, [dict(step, follow_up_id=f) for f, listed in zip(follow_up_ids, steps, strict=True)
                           for step in listed], quiet)
    known = set(db.session.execute(select(RatingRefusal.day, RatingRefusal.terminal)).all())
    refusals = [r for r in plan.refusals if (r["day"], r["terminal"]) not in known]
    _write(RatingRefusal, refusals, progress)
    progress(len(plan.refusals) - len(refusals))
    return {"ratings": len(ids), "follow_ups": len(follow_up_ids),
            "refused": sum(r["count"] for r in refusals)}
