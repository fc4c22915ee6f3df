"""The demo year's postings and deals (items A1, C2–C4, G1–G3), in bulk; the deals walked
through the deal services at past moments are ``app/demo_deal_walks.py``.

``plan_bulk`` (pure, from the seed) completes the bulk year's published postings as the
posting service leaves them — each valid for ``POSTING_VALID_DAYS`` from publication, never
past its work date; a dozen published by staff on behalf of enterprises (G1); three
published more than a day after receipt (the late-publication warning) — and draws the
year's completed deals (C3, just below 1,000 at scale 1): each a real worker of the year (an
adult from Fujian, registered before they applied) on a real posting whose work is over,
every step timed in order, with exact two-place amounts. A posting's ``taken`` is its number
of deals; one left with places after its validity was closed by staff, except five nobody
closed (the expired-posting warning). An enterprise's short-term posting with a completed
deal is a short-term need solved (G2) at its first completion, as ``deals.complete`` records
it. ``write_bulk`` inserts them with their drawn signatures and each agreement's content and
seal as ``deals.sign`` makes them.
"""

from __future__ import annotations

import base64
import random
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

from app.clock import hall_tz, to_local
from app.domain.deals import (
    ConfirmedVia,
    DealSource,
    DealStatus,
    PostingSource,
    Side,
    is_short_term,
    valid_until,
)
from app.domain.disputes import PaymentMethod
from app.domain.idcard import age_on, parse_id_number
from app.domain.periods import to_utc
from app.extensions import db
from app.hall_config import hall
from app.models import (
    Deal,
    DealSignature,
    Employer,
    EmployerType,
    PayUnit,
    TaskStatus,
    Worker,
)

from .demo_disputes import signature
from .services import deal_seal

COMPLETED = 960  # bulk completed deals at scale 1 (C3 with the walked ones: 963, 37 short of 8)
FOR_ENTERPRISES, LATE, EXPIRED = 12, 3, 5  # G1 postings; the two warnings beside C4
INSURERS = ("中国人寿沙县支公司", "中国人保财险三明分公司", "太平洋财险三明中心支公司")
UNINSURED = ("用工方已为其购买团体意外险，本次不另投保", "零工本人已有意外险，不愿重复投保")
CLOSED_REASON = "有效期已满，已下架"
KIOSK_TERMINAL = "大厅触屏一体机1"


def moment_at(day: date, hour: float) -> datetime:
    """Naive UTC of a hall-local day at ``hour`` (9.5: 9:30)."""
    return to_utc(datetime.combine(day, time(0), tzinfo=hall_tz())) + timedelta(hours=hour)


def _png(data_url: str) -> bytes:
    return base64.b64decode(data_url.split(",", 1)[1])


def _wage(pay: Decimal, unit: PayUnit, days: int, rng: random.Random) -> Decimal:
    """What the work came to: the day's pay times the days, eight hours a day, or pieces."""
    count = {PayUnit.DAY: days, PayUnit.HOUR: 8 * days, PayUnit.PIECE: rng.randrange(80, 400, 10)}[unit]
    return (pay * count).quantize(Decimal("0.01"))


# -- the bulk year: postings completed, deals drawn ------------------------------------------------

def plan_bulk(seed: int, scale: float, today: date, visits: list[dict], workers: list[dict],
              employers: list[dict]) -> list[dict]:
    """Complete the published postings of ``visits`` (their order dicts, in place) and draw
    the year's completed deals on them (see the module's docstring)."""
    rng = random.Random(f"demo-deals:{seed}")
    days = hall().posting_valid_days
    published = [v for v in visits if v["order"] and v["order"]["status"] == TaskStatus.PUBLISHED]
    for visit in published:
        order = visit["order"]
        order["valid_until"] = valid_until(to_local(order["published_at"]).date(), order["work_date"], days)
    old = [v for v in published if (today - v["day"]).days > 20]
    for visit in rng.sample(old, min(LATE, len(old))):  # reviewed two days later: late
        order = visit["order"]
        late = moment_at(visit["day"] + timedelta(days=2), rng.uniform(9, 11.5))
        order["published_at"] = order["reviewed_at"] = late
        published_on = to_local(order["published_at"]).date()
        order["work_date"] = max(order["work_date"], published_on + timedelta(days=1))
        order["valid_until"] = valid_until(published_on, order["work_date"], days)
    enterprise = [v for v in published if employers[v["employer"]]["type"] == EmployerType.ENTERPRISE]
    for visit in rng.sample(enterprise, min(FOR_ENTERPRISES, len(enterprise))):
        visit["order"].update(source=PostingSource.ENTERPRISE.value, by_staff=True)
    result = _deals(rng, round(COMPLETED * scale), today, published, workers)
    taken = defaultdict(list)
    for deal in result:
        taken[id(deal["visit"])].append(deal)
    left = []
    for visit in published:
        order, its = visit["order"], taken[id(visit)]
        order["taken"] = len(its)
        if its and employers[visit["employer"]]["type"] == EmployerType.ENTERPRISE \
                and is_short_term(order.get("duration_days", 1)):
            order["need_solved_at"] = min(d["completed_at"] for d in its)
        if order["valid_until"] < today and order["taken"] < order["headcount"]:
            left.append(order)
    expired = {id(o) for o in rng.sample(left, min(EXPIRED, len(left)))}
    for order in left:
        if id(order) not in expired:  # staff took it off the board the morning after
            order.update(status=TaskStatus.CLOSED, close_reason=CLOSED_REASON,
                         closed_at=moment_at(order["valid_until"] + timedelta(days=1), rng.uniform(8.5, 10)))
    return result


def _deals(rng: random.Random, count: int, today: date, published: list[dict],
           workers: list[dict]) -> list[dict]:
    """``count`` completed deals on postings whose work is over, each by an adult worker from
    Fujian registered before applying, never twice on one posting."""
    numbers = [parse_id_number(w["id_number"], w["first"].date()) for w in workers]
    fujian = [n for n, number in enumerate(numbers) if not number.is_from_outside_fujian]
    births = {n: numbers[n].birth_date for n in fujian}
    by_trade = defaultdict(list)
    for n in fujian:
        for code in workers[n]["trades"]:
            by_trade[code].append(n)
    done = [v for v in published if v["order"]["work_date"] < today - timedelta(days=1)]
    rng.shuffle(done)
    result = []
    for visit in done:
        if len(result) >= count:
            break
        order = visit["order"]
        accepted_by = order["published_at"] + timedelta(minutes=rng.uniform(10, 240))
        fits = lambda n, order=order, at=accepted_by: (workers[n]["first"] <= at  # noqa: E731
                                                       and age_on(births[n], order["work_date"]) >= 18)
        chosen = [n for n in by_trade[order["trade_code"]] if fits(n)] or [n for n in fujian if fits(n)]
        k = min(rng.randint(1, order["headcount"]), count - len(result), len(chosen))
        for person in rng.sample(chosen, k):
            result.append(_steps(rng, visit, person, order, today))
    return result


def _steps(rng: random.Random, visit: dict, person: int, order: dict, today: date) -> dict:
    """One completed deal's steps, in order: applied after publication, priced and signed that
    hour, insured, paid by the employer at the end of the work, the wage settled, completed."""
    accepted = order["published_at"] + timedelta(minutes=rng.uniform(5, 180))
    priced = accepted + timedelta(minutes=rng.uniform(2, 15))
    signed = priced + timedelta(minutes=rng.uniform(3, 20))
    insured = signed + timedelta(minutes=rng.uniform(2, 30))
    days = order.get("duration_days", 1)
    last_day = min(order["work_date"] + timedelta(days=days - 1), today - timedelta(days=1))
    paid = max(moment_at(last_day, rng.uniform(17, 19)), insured + timedelta(hours=1))
    settled = paid + timedelta(minutes=rng.uniform(10, 90))
    completed = settled + timedelta(minutes=rng.uniform(5, 60))
    wage = _wage(order["pay"], order["pay_unit"], days, rng)
    kiosk = rng.random() < 0.55
    insurance = ({"uninsured_reason": rng.choice(UNINSURED)} if rng.random() < 0.15 else
                 {"insurer": rng.choice(INSURERS), "policy_number": f"YW{rng.randrange(10**9, 10**10)}",
                  "premium": Decimal(rng.choice(("2.00", "3.50", "5.00"))) * days,
                  "cover_from": order["work_date"],
                  "cover_to": order["work_date"] + timedelta(days=days - 1)})
    method = rng.choices(list(PaymentMethod), (30, 45, 15, 10))[0]
    return {"visit": visit, "worker": person, "source": DealSource.KIOSK if kiosk else DealSource.STAFF,
            "accepted_at": accepted, "pay": order["pay"], "pay_unit": order["pay_unit"],
            "worker_price_at": priced - timedelta(minutes=1),
            "worker_price_via": ConfirmedVia.KIOSK if kiosk else ConfirmedVia.STAFF,
            "employer_price_at": priced, "employer_price_via": ConfirmedVia.STAFF, "priced_at": priced,
            "signed_at": signed, "insured_at": insured, **insurance,
            "paid_amount": wage, "paid_method": method,
            "paid_reference": "" if method == PaymentMethod.CASH else f"{rng.randrange(10**11, 10**12)}",
            "paid_at": paid, "wage_amount": wage,
            "wage_method": rng.choice((PaymentMethod.CASH, PaymentMethod.WECHAT)),
            "wage_reference": "", "settled_at": settled, "completed_at": completed}


def write_bulk(deals_planned: list[dict], order_ids: dict[int, int], worker_ids: dict[int, int],
               employer_ids: list[int], staff_ids: list[int], seed: int) -> int:
    """Insert the planned deals (a worker or posting not written, ``force``: skipped), both
    sides' drawn signatures, and each agreement's content and seal. The number written."""
    rng = random.Random(f"demo-deal-signatures:{seed}")
    inks = [_png(signature(rng)) for _ in range(12)]
    rows, signs = [], []
    for planned in deals_planned:
        visit = planned["visit"]
        if id(visit) not in order_ids or planned["worker"] not in worker_ids:
            continue
        row = {k: v for k, v in planned.items() if k not in ("visit", "worker")}
        row.update(task_order_id=order_ids[id(visit)], worker_id=worker_ids[planned["worker"]],
                   employer_id=employer_ids[visit["employer"]], status=DealStatus.COMPLETED,
                   terminal=KIOSK_TERMINAL if planned["source"] == DealSource.KIOSK else None,
                   created_by_id=None if planned["source"] == DealSource.KIOSK else rng.choice(staff_ids),
                   verify_token=secrets.token_urlsafe(24), worker_token=secrets.token_urlsafe(24),
                   employer_token=secrets.token_urlsafe(24))
        rows.append(row)
        signs.append(row["signed_at"])
    ids = []
    for first in range(0, len(rows), 500):
        ids += db.session.scalars(insert(Deal).returning(Deal.id, sort_by_parameter_order=True),
                                  rows[first:first + 500]).all()
    names = dict(db.session.execute(select(Worker.id, Worker.name).where(
        Worker.id.in_({r["worker_id"] for r in rows}))).all())
    contacts = dict(db.session.execute(select(Employer.id, Employer.contact_name).where(
        Employer.id.in_({r["employer_id"] for r in rows}))).all())
    signatures = []
    for deal_id, row, at in zip(ids, rows, signs, strict=True):
        signatures += [{"deal_id": deal_id, "side": Side.WORKER, "signer": names[row["worker_id"]],
                        "png": rng.choice(inks), "signed_at": at, "terminal": row["terminal"]},
                       {"deal_id": deal_id, "side": Side.EMPLOYER, "signer": contacts[row["employer_id"]],
                        "png": rng.choice(inks), "signed_at": at, "terminal": row["terminal"]}]
    for first in range(0, len(signatures), 500):
        db.session.execute(insert(DealSignature), signatures[first:first + 500])
    _seal(ids)
    return len(ids)


def _seal(ids: list[int]) -> None:
    """Each agreement's content as ``deals.sign`` generates it, and its seal."""
    for first in range(0, len(ids), 500):
        found = db.session.scalars(select(Deal).where(Deal.id.in_(ids[first:first + 500])).options(
            selectinload(Deal.worker), selectinload(Deal.employer), selectinload(Deal.task_order))).all()
        values = []
        for deal in found:
            # the same text deals.sign seals (its signatures' digest included)
            text = deal_seal.agreement_text(deal)
            values.append({"id": deal.id, "agreement_content": text, "agreement_seal": deal_seal.seal(text)})
        db.session.execute(update(Deal), values)
