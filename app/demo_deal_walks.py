"""The demo year's deals walked through the deal services (items A1, C3, C4, G3); the bulk
year's postings and deals are ``app/demo_deals.py``.

``write_walked`` runs about fifteen deals through the deal services at past moments
(``app.clock.placed_at``, as ``app/demo_disputes.py`` files its cases): one in every state,
three cancelled (one after a negotiation when the task was not completed), two confirmed as
inter-provincial service (G3) and three suggestions left for staff; and three records
confirmed false (C4: 4 points), two postings and one worker.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.clock import placed_at
from app.domain.deals import (
    ConfirmedVia,
    DealSource,
    DealStatus,
    FalseKind,
    NoteKind,
    PostingSource,
    Side,
)
from app.domain.disputes import PaymentMethod
from app.domain.idcard import age_on, parse_id_number
from app.extensions import db
from app.hall_config import hall
from app.models import (
    Deal,
    EmployerType,
    PayUnit,
    StaffUser,
    TaskOrder,
    TaskStatus,
    Worker,
)

from .demo_deals import INSURERS, KIOSK_TERMINAL, moment_at
from .demo_disputes import signature
from .services import deals, task_orders
from .services.disputes import Signed

# -- deals walked through the services ------------------------------------------------------------

@dataclass(order=True)
class Step:
    at: datetime
    order: int
    do: Callable = field(compare=False)  # do(walked, staff) with the clock placed


@dataclass
class Walked:
    deals: dict[str, Deal] = field(default_factory=dict)
    postings: dict[str, TaskOrder] = field(default_factory=dict)
    false_records: int = 0


# A walked deal: its key, the state it ends in, days before today it was accepted, the worker is
# from another province (a suggestion: G3), and what staff decided about it.
WALKS = (("c1", DealStatus.COMPLETED, 41, True, "confirm"), ("c2", DealStatus.COMPLETED, 33, False, None),
         ("c3", DealStatus.COMPLETED, 26, True, "confirm"),
         ("x1", DealStatus.CANCELLED, 19, False, None), ("x2", DealStatus.CANCELLED, 15, False, None),
         ("x3", DealStatus.CANCELLED, 12, False, None),
         ("s6", DealStatus.SETTLED, 6, False, None), ("s5", DealStatus.PAID, 5, False, None),
         ("s4", DealStatus.INSURED, 3, False, None), ("s3", DealStatus.SIGNED, 2, True, None),
         ("s2", DealStatus.PRICED, 2, True, None), ("s1", DealStatus.ACCEPTED, 1, True, None),
         ("k1", DealStatus.PRICED, 0, False, None))  # applied at the kiosk this morning
ORDER = (DealStatus.ACCEPTED, DealStatus.PRICED, DealStatus.SIGNED, DealStatus.INSURED, DealStatus.PAID,
         DealStatus.SETTLED, DealStatus.COMPLETED)
# Where each cancelled deal stopped, and why.
CANCELS = {"x1": (DealStatus.ACCEPTED, "零工临时有事，不能按时到岗"),
           "x2": (DealStatus.PRICED, "用工方工程延期，暂不需要用工"),
           "x3": (DealStatus.SIGNED, "任务未完成：开工当天暴雨停工，双方协商一致取消")}
NEGOTIATION = ("开工当天暴雨停工，未能完成任务。经工作人员协调，双方同意取消本次交易，"
               "用工方补贴零工半天误工费 100 元")
# Confirmed false (C4): days before today, the reason, the evidence.
FALSE_POSTINGS = ((58, "电话核实：该公司并无此招工计划，系他人冒用公司名义发布",
                   "致电用工方座机核实通话记录；公司出具的情况说明"),
                  (22, "岗位实际为收取押金的中介，工价与实际严重不符",
                   "3 名零工反映被要求先交 300 元押金；现场核实记录"))
FALSE_WORKER = (47, "冒用他人身份证登记，本人到场核实后确认登记信息不实",
                "身份证原件与登记照片不符；本人书面说明")


def plan_walked(seed: int, today: date, workers: list[dict], employers: list[dict],
                worker_ids: dict[int, int], employer_ids: list[int], avoid: set[int]) -> list[Step]:
    """The walked deals' and false records' steps, in time order."""
    rng = random.Random(f"demo-walked:{seed}")
    steps: list[Step] = []

    def step(at: datetime, do: Callable) -> None:
        steps.append(Step(at, len(steps), do))

    outside, fujian = [], []
    for place, w in enumerate(workers):
        if place not in worker_ids or place in avoid:
            continue
        number = parse_id_number(w["id_number"], w["first"].date())
        if age_on(number.birth_date, today) < 18 or w["first"].date() > today - timedelta(days=60):
            continue
        (outside if number.is_from_outside_fujian else fujian).append(place)
    rng.shuffle(outside)
    rng.shuffle(fujian)
    enterprises = [n for n, e in enumerate(employers) if e["type"] == EmployerType.ENTERPRISE]
    households = [n for n, e in enumerate(employers) if e["type"] != EmployerType.ENTERPRISE]
    for key, state, ago, from_outside, decided in WALKS:
        person = worker_ids[(outside if from_outside else fujian).pop()]
        is_enterprise = key == "c2"  # an enterprise's three-day need, solved (G2)
        employer = employer_ids[rng.choice(enterprises if is_enterprise else households)]
        day = today - timedelta(days=ago)
        _walk(step, rng, key, state, day, person, employer, 3 if is_enterprise else 1, decided, today)
    for n, (ago, reason, evidence) in enumerate(FALSE_POSTINGS):
        day = today - timedelta(days=ago)
        key = f"f{n}"
        _publish(step, key, day, employer_ids[rng.choice(households)], rng, 1, day + timedelta(days=2))

        def false_posting(w, s, key=key, reason=reason, evidence=evidence):
            task_orders.mark_false(FalseKind.POSTING, w.postings[key], reason, evidence, s)
            w.false_records += 1

        step(moment_at(day + timedelta(days=1), 10.2), false_posting)
    ago, reason, evidence = FALSE_WORKER
    liar = worker_ids[fujian.pop()]

    def false_worker(w, s):
        task_orders.mark_false(FalseKind.WORKER, db.session.get(Worker, liar), reason, evidence, s)
        w.false_records += 1

    step(moment_at(today - timedelta(days=ago), 15.5), false_worker)
    return sorted(steps)


def _publish(step, key: str, day: date, employer_id: int, rng: random.Random, duration: int,
             work_date: date) -> None:
    """A posting received by phone at 8:40 and published by staff at 9:00 (one place)."""
    trade = rng.choice([t for t in hall().trades if not t.minors_forbidden] or hall().trades)
    unit = PayUnit.DAY
    pay = Decimal(rng.randrange(160, 320, 10))

    def receive(w, s):
        task = TaskOrder(employer_id=employer_id, trade_code=trade.code, headcount=1, pay=pay, pay_unit=unit,
                         work_date=work_date, work_time=time(8, 0), location="沙县区凤岗街道",
                         description="包午饭", status=TaskStatus.DRAFT, source=PostingSource.PHONE.value,
                         duration_days=duration, created_by_id=s.id)
        db.session.add(task)
        db.session.commit()
        w.postings[key] = task

    step(moment_at(day, 8 + 40 / 60), receive)
    step(moment_at(day, 9), lambda w, s: task_orders.publish_posting(w.postings[key], s))


def _walk(step, rng: random.Random, key: str, state: DealStatus, day: date, worker_id: int,
          employer_id: int, duration: int, decided: str | None, today: date) -> None:
    over = state in (DealStatus.PAID, DealStatus.SETTLED, DealStatus.COMPLETED, DealStatus.CANCELLED)
    work_date = day + timedelta(days=1) if over else max(day + timedelta(days=1), today + timedelta(days=1))
    _publish(step, key, day, employer_id, rng, duration, work_date)
    kiosk = key == "k1"
    hour = 9.5 if not kiosk else 9.2

    def accept(w, s):
        task = w.postings[key]
        w.deals[key] = deals.accept(task, db.session.get(Worker, worker_id),
                                    source=DealSource.KIOSK if kiosk else DealSource.STAFF,
                                    user=None if kiosk else s, terminal=KIOSK_TERMINAL if kiosk else None)
        if kiosk:  # 接受工价，确认报名: the worker's own confirmation at the posting's pay
            d = w.deals[key]
            w.deals[key] = deals.confirm_price(d, Side.WORKER, d.pay, d.pay_unit, ConfirmedVia.KIOSK)

    step(moment_at(day, hour), accept)
    stop = CANCELS[key][0] if key in CANCELS else state
    last = ORDER.index(stop)
    if last >= 1:
        def price(w, s):
            d = w.deals[key]
            if not d.price_confirmed_by(Side.WORKER):
                d = deals.confirm_price(d, Side.WORKER, d.pay, d.pay_unit, ConfirmedVia.STAFF, s)
            w.deals[key] = deals.confirm_price(d, Side.EMPLOYER, d.pay, d.pay_unit, ConfirmedVia.STAFF, s)

        step(moment_at(day, hour + 0.2), price)
    if last >= 2:
        ink = (signature(rng), signature(rng))

        def sign(w, s):
            d = w.deals[key]
            w.deals[key] = deals.sign(d, {Side.WORKER: Signed(d.worker.name, ink[0]),
                                          Side.EMPLOYER: Signed(d.employer.contact_name, ink[1])}, s,
                                      terminal=KIOSK_TERMINAL)

        step(moment_at(day, hour + 0.4), sign)
    if last >= 3:
        insurer = rng.choice(INSURERS)

        def insure(w, s):
            d = w.deals[key]
            first = d.task_order.work_date
            w.deals[key] = deals.insure(d, insurer=insurer, policy_number=f"YW{d.id:010d}",
                                        premium=Decimal("3.50") * duration, cover_from=first,
                                        cover_to=first + timedelta(days=duration - 1), user=s)

        step(moment_at(day, hour + 0.6), insure)
    end = day + timedelta(days=duration)  # the last day of work
    if last >= 4:
        def pay(w, s):
            d = w.deals[key]
            amount = (d.pay * duration).quantize(Decimal("0.01"))
            w.deals[key] = deals.pay(d, amount=amount, method=PaymentMethod.WECHAT,
                                     reference=f"4200{d.id:010d}", paid_at=moment_at(end, 17.5), user=s)

        step(moment_at(end, 17.8), pay)
    if last >= 5:
        def settle(w, s):
            d = w.deals[key]
            w.deals[key] = deals.settle(d, amount=d.paid_amount, method=PaymentMethod.CASH, reference="",
                                        settled_at=moment_at(end, 18), user=s)

        step(moment_at(end, 18.1), settle)
    if last >= 6:
        step(moment_at(end, 18.3), lambda w, s: w.deals.__setitem__(key, deals.complete(w.deals[key], s)))
    if decided:
        step(moment_at(end + timedelta(days=1), 9.3), lambda w, s: w.deals.__setitem__(
            key, deals.decide_inter_provincial(w.deals[key], decided == "confirm", s)))
    if key in CANCELS:
        reason = CANCELS[key][1]
        cancel_day = max(day, work_date) if key == "x3" else day + timedelta(days=1)
        if key == "x3":
            step(moment_at(cancel_day, 15), lambda w, s: deals.add_note(w.deals[key], NoteKind.NEGOTIATION,
                                                                       NEGOTIATION, s))
        step(moment_at(cancel_day, 15.5), lambda w, s: w.deals.__setitem__(
            key, deals.cancel(w.deals[key], reason, s)))
        step(moment_at(cancel_day, 15.7), lambda w, s: task_orders.close(
            w.postings[key], "交易已取消，用工方不再招人", s))


def write_walked(steps: list[Step], staff_ids: list[int]) -> Walked:
    """Run the steps in order, each with the clock placed at its moment."""
    walked = Walked()
    staff = [db.session.get(StaffUser, i) for i in staff_ids]
    for n, found in enumerate(steps):
        with placed_at(found.at):
            found.do(walked, staff[n % len(staff)])
    return walked
