"""The demo year's dispute cases (item E1) and incident log (items B8, B9).

Unlike the rest of the demo year (written in bulk by ``app/demo.py``), every case step and
every incident goes through its service, where the invariants live: the gapless yearly case
numbers, the workflow, the signatures' checks, the audit trail. Each step runs with the
app's clock placed at the moment it happened (``app.clock.placed_at``), all steps in the
order they happened, so numbers follow the dates and the trail reads like a year's work.

At any scale: 14 cases counted for E1 (5 points) in every state a case can be in, with
their sessions, signed agreements, follow-ups and both parties' ratings from their slips
(all satisfied: B7's rate stays 93.0 %), and one duplicate merged (not counted); four
incidents, two of B8's kinds (4 points), one 其他 and one entered twice and voided; no
违规收费 (B9's suggestion stays 3 points).
"""

from __future__ import annotations

import base64
import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from PIL import Image, ImageDraw

from app.clock import hall_tz, local_now, placed_at, to_local
from app.domain.disputes import FACTS, WANTS, CaseChannel, CaseKind, Party, read_filing
from app.domain.periods import to_utc
from app.domain.ratings import read_answer
from app.extensions import db
from app.models import StaffUser, Worker, utcnow

from . import demo_people as people
from .services import disputes, incidents, ratings

KIOSK_ADDRESS = "192.168.10.51"  # the kiosk cases were filed at (the demo's hall network)


@dataclass(order=True)
class Step:
    at: datetime  # naive UTC: the moment the clock is placed at
    order: int  # ties: in the order planned
    case: int = field(compare=False)  # the case's place in the plan (-1: an incident)
    do: Callable = field(compare=False)  # do(written, staff) with the clock placed


# A case's path: (state it ends in, kind, the applicant is an employer, channel)
PATHS = (("performed", CaseKind.WAGES, False, CaseChannel.COUNTER),
         ("performed", CaseKind.WAGES, False, CaseChannel.KIOSK),
         ("declined", CaseKind.OTHER, False, CaseChannel.PHONE),
         ("performed", CaseKind.MISMATCH, False, CaseChannel.KIOSK),
         ("referred_after_fail", CaseKind.INJURY, False, CaseChannel.COUNTER),
         ("withdrawn", CaseKind.WAGES, False, CaseChannel.PHONE),
         ("performed", CaseKind.NO_SHOW, True, CaseChannel.COUNTER),
         ("referred_unpaid", CaseKind.WAGES, False, CaseChannel.KIOSK),
         ("performed", CaseKind.WAGES, False, CaseChannel.PHONE),
         # the open ones and the recent failure, relative to today
         ("failed", CaseKind.WAGES, False, CaseChannel.COUNTER),
         ("agreed", CaseKind.MISMATCH, False, CaseChannel.KIOSK),
         ("mediating", CaseKind.WAGES, False, CaseChannel.COUNTER),
         ("accepted", CaseKind.NO_SHOW, True, CaseChannel.PHONE),
         ("received", CaseKind.WAGES, False, CaseChannel.KIOSK))
CLOSED = 9  # the first nine are spread over the year, the rest are recent
# Days before today the recent ones were received.
RECENT = {"failed": 20, "agreed": 16, "mediating": 14, "accepted": 3, "received": 1}
AMOUNTS = {CaseKind.WAGES: (600, 900, 1200, 1500, 2400, 3600), CaseKind.MISMATCH: (300, 450, 800),
           CaseKind.NO_SHOW: (200, 500), CaseKind.INJURY: (5000, 8600), CaseKind.OTHER: (None,)}
INCIDENTS = (  # (kind, month of the year, hour, place, involved, police, outcome)
    ("fight", 3, 8.2, "东侧候工区", "两名零工（男，40岁左右）", True,
     "两人因争抢一个搬运活计发生推搡，保安当场制止，派出所民警到场调解，双方和解"),
    ("other", 5, 10.5, "登记窗口前", "一名老年零工", False,
     "在大厅中暑晕倒，工作人员拨打120送医，已通知家属"),
    ("false_hiring", 7, 9.4, "招聘信息发布区", "一名自称劳务公司的男子", False,
     "张贴的高薪岗位经核实不存在，已撤下信息，提醒在场零工不要交押金，报告人社局"),
)


def _at(day: date, hours: float) -> datetime:
    return to_utc(datetime.combine(day, time(0), tzinfo=hall_tz())) + timedelta(hours=hours)


def _working(day: date, later: int = 0) -> date:
    """``later`` days on, then the next weekday (the demo does not read the hall's calendar)."""
    day += timedelta(days=later)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def signature(rng: random.Random) -> str:
    """A drawn signature as the touchscreen sends it: a few joined strokes, slanting right."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x = rng.uniform(50, 90)
    for _glyph in range(rng.randint(2, 3)):
        points = []
        for step in range(24):
            angle = step / 23 * math.pi * rng.uniform(2.5, 4)
            points.append((x + step * 5 + 18 * math.cos(angle), 100 + rng.uniform(30, 45) * math.sin(angle)
                           - step * 0.8))
        draw.line(points, fill=(20, 20, 20, 255), width=5, joint="curve")
        x += rng.uniform(140, 170)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


class Written:
    """What the steps wrote so far (cases by their place in the plan)."""

    def __init__(self):
        self.cases, self.incidents, self.ratings = {}, [], 0
        self.entered_twice = None  # the incident entered a second time, to be voided


def plan(seed: int, start: date, today: date, workers: list[dict], employers: list[dict],
         worker_ids: dict[int, int]) -> list[Step]:
    """Every step of the year's cases and incidents, in the order they happened."""
    rng = random.Random(f"demo-disputes:{seed}")
    steps: list[Step] = []
    span = max((today - start).days - 40, 30)
    days = sorted(start + timedelta(days=10 + rng.randrange(span)) for _ in range(CLOSED))
    for n, (path, kind, by_employer, channel) in enumerate(PATHS):
        received = _working(days[n] if n < CLOSED else today - timedelta(days=RECENT[path]))
        form, worker = _form(rng, kind, by_employer, workers, employers, worker_ids, received)
        steps += _case_steps(rng, n, path, received, today, form, worker, channel)
    duplicate_of = len(PATHS) - 2  # the accepted one: applied again by phone the same day
    steps += _duplicate(steps, duplicate_of, len(PATHS))
    steps += _incidents(rng, start, today)
    # A recent step that would fall on a weekend pushed past now happens just before now
    # (in the order planned): the clock is never placed in the future.
    latest = to_utc(local_now()) - timedelta(minutes=30)
    for n, step in enumerate(steps):
        step.order, step.at = n, min(step.at, latest + timedelta(seconds=n))
    return sorted(steps)


def _form(rng, kind, by_employer, workers, employers, worker_ids, received) -> tuple[dict, int | None]:
    """The application: a worker (a registered one, linked, when there is one) or an
    employer (a known one, by their phone) against the other party."""
    facts, wants = FACTS[kind], WANTS[kind]
    amount = rng.choice(AMOUNTS[kind])
    form = {"kind": kind.value, "amount": str(amount) if amount else "", "id_number": "",
            "facts": "，".join(rng.sample(facts, min(2, len(facts)))) if facts else "想了解零工的社保怎么交",
            "wants": wants[0] if wants else "请告诉我该去哪里办", "other_party_company": ""}
    worker = None
    if by_employer:
        employer = rng.choice(employers)
        form.update(applicant_role="employer", applicant_name=employer["contact"],
                    applicant_phone=employer["phone"], other_party_name=people.name(rng),
                    other_party_phone=people.phone(rng, set()))
    else:
        known = [n for n, w in enumerate(workers) if w["first"].date() < received and n in worker_ids]
        place = rng.choice(known) if known and rng.random() < 0.7 else None
        person = workers[place] if place is not None else {"name": people.name(rng),
                                                            "phone": people.phone(rng, set())}
        worker = worker_ids[place] if place is not None else None
        boss = f"{people.name(rng)[0]}老板"
        phone = people.phone(rng, set()) if rng.random() < 0.8 else ""  # not every worker has the boss's
        form.update(applicant_role="worker", applicant_name=person["name"], applicant_phone=person["phone"],
                    other_party_name=boss, other_party_phone=phone)
    if form["other_party_phone"] == form["applicant_phone"]:
        form["other_party_phone"] = ""
    return form, worker


def _case_steps(rng, n, path, received, today, form, worker, channel) -> list[Step]:
    def step(day: date, hours: float, do) -> None:
        out.append(Step(_at(day, hours + rng.uniform(0, 0.4)), 0, n, do))

    def file(written, staff):
        user = None if channel == CaseChannel.KIOSK else staff
        linked = db.session.get(Worker, worker) if worker else None
        filing = read_filing(form)
        if channel == CaseChannel.KIOSK:
            with current_app.test_request_context("/kiosk/dispute", method="POST",
                                                  environ_base={"REMOTE_ADDR": KIOSK_ADDRESS}):
                written.cases[n] = disputes.file_case(filing, channel=channel, worker=linked)
        else:
            written.cases[n] = disputes.file_case(filing, channel=channel, worker=linked, user=user)

    out: list[Step] = []
    step(received, rng.choice((9, 10, 14, 15)), file)
    if path == "received":
        return out
    if path == "declined":
        step(_working(received, 1), 10, lambda w, s: disputes.decline(
            w.cases[n], "不属于劳动报酬争议，已告知到社保窗口咨询", s))
        return out
    accepted = _working(received, 1)
    step(accepted, 9.5, lambda w, s: disputes.accept(w.cases[n], s))
    if path == "accepted":
        return out
    if path == "withdrawn":
        step(_working(accepted, 2), 11, lambda w, s: disputes.withdraw(
            w.cases[n], "对方已主动联系并付清，申请人撤回申请", s))
        _rate(step, rng, n, _working(accepted, 3), Party.APPLICANT, 2)
        return out
    first = _working(accepted, 2)
    _session(step, n, first, "双方到场，各自陈述经过；对方承认拖欠，但对金额有异议，约定下次带记工单再谈")
    if path == "mediating":
        _session(step, n, today - timedelta(days=3), "核对记工单，差额部分对方同意再核实")
        return out
    if path in ("failed", "referred_after_fail"):
        second = _working(first, 3)
        _session(step, n, second, "对方不同意承担医药费，双方分歧较大" if path != "failed"
                 else "对方坚持已按天结清，拒绝补差额")
        fail_day = min(_working(second, 1), today - timedelta(days=1))
        step(fail_day, 16, lambda w, s: disputes.fail(w.cases[n], "双方意见分歧较大，无法达成调解协议", s))
        if path == "failed":  # who went on to arbitration did not rate
            _rate(step, rng, n, fail_day + timedelta(days=1), Party.APPLICANT, 3)
        else:
            step(_working(fail_day, 2), 10, lambda w, s: disputes.refer(
                w.cases[n], "调解不成，申请人要求申请劳动争议仲裁", s))
        return out
    agreed = _working(first, 1)
    pay_by = (today + timedelta(days=10) if path == "agreed"
              else agreed + timedelta(days=rng.choice((5, 7, 10))))
    amount = form["amount"] and str(int(float(form["amount"]) * rng.choice((0.8, 0.9, 1))))
    names = (form["applicant_name"], form["other_party_name"])
    signed = {party: disputes.Signed(name, signature(rng)) for party, name in
              ((Party.APPLICANT, names[0]), (Party.RESPONDENT, names[1]))}
    method, mediator = rng.choice(("wechat", "cash", "alipay", "bank")), signature(rng)
    step(agreed, 15.5, lambda w, s: disputes.agree(
        w.cases[n], amount=amount or "0", pay_by=pay_by, method=method,
        terms=f"被申请人于 {pay_by.month} 月 {pay_by.day} 日前一次性支付申请人 {amount or 0} 元，"
              "双方再无其他争议",
        signatures={**signed, Party.MEDIATOR: disputes.Signed(s.display_name, mediator)}, user=s))
    if path != "referred_unpaid":
        _rate(step, rng, n, _working(agreed, 1), Party.APPLICANT, 1)
    if path == "agreed":
        step(today - timedelta(days=2), 10, lambda w, s: disputes.record_follow_up(
            w.cases[n], at=_just_before(), text="电话回访：对方表示月底前付清", user=s))
        return out
    if n < 2:  # the first two respondents rated it too
        _rate(step, rng, n, _working(agreed, 2), Party.RESPONDENT, rng.choice((1, 2, 2, 3)))
    follow = pay_by + timedelta(days=1)
    if path == "referred_unpaid":
        step(follow, 10, lambda w, s: disputes.record_follow_up(
            w.cases[n], at=_just_before(), text="电话回访：对方未按期付款，电话不接", user=s))
        step(_working(follow, 2), 11, lambda w, s: disputes.refer(
            w.cases[n], "对方未履行调解协议，申请人申请劳动争议仲裁", s))
        return out
    step(follow, 10, lambda w, s: disputes.record_follow_up(
        w.cases[n], at=_just_before(), text="电话回访申请人：已收到约定款项", user=s))
    step(follow, 10.5, lambda w, s: disputes.perform(w.cases[n], "申请人确认已收到全部款项", s))
    return out


def _just_before() -> datetime:
    """The placed moment, a few minutes earlier (a call just made, recorded now)."""
    return utcnow() - timedelta(minutes=5)


def _session(step, n: int, day: date, said: str) -> None:
    step(day, 15, lambda w, s: disputes.record_session(
        w.cases[n], held_at=_just_before() - timedelta(minutes=40), attendees="申请人、被申请人、调解员",
        text=said, user=s))


def _rate(step, rng: random.Random, n: int, day: date, party: Party, level: int) -> None:
    def rate(written, _staff):
        service = disputes.case_service((written.cases[n], party))
        ratings.rate_service(service, read_answer(str(level), "worker"))
        written.ratings += 1

    step(day, rng.choice((11, 16, 19)), rate)


def _duplicate(steps: list[Step], original: int, n: int) -> list[Step]:
    """The same person applies again by phone that afternoon; staff merge it the next morning."""
    filed = next(s for s in steps if s.case == original)

    def file(written, staff):
        case = written.cases[original]
        form = {"applicant_role": case.applicant_role.value, "applicant_name": case.applicant_name,
                "applicant_phone": disputes.applicant_phone(case), "id_number": "",
                "other_party_name": case.other_party_name, "other_party_phone": "", "kind": case.kind.value,
                "amount": "", "facts": "之前来申请过，打电话问问进度", "wants": case.wants}
        written.cases[n] = disputes.file_case(read_filing(form), channel=CaseChannel.PHONE, user=staff)

    def merge(written, staff):
        disputes.merge(written.cases[n], written.cases[original].number, "同一申请人就同一件事重复申请",
                       staff)

    return [Step(filed.at + timedelta(hours=4), 0, n, file),
            Step(filed.at + timedelta(hours=4, minutes=30), 0, n, merge)]


def _incidents(rng: random.Random, start: date, today: date) -> list[Step]:
    steps = []
    for kind, month, hour, place, involved, police, outcome in INCIDENTS:
        day = _working(min(start.replace(day=1) + timedelta(days=31 * (month - 1) + rng.randrange(20)),
                           today - timedelta(days=7)))
        happened = _at(day, hour)

        data = incidents.IncidentData(kind, to_local(happened).replace(tzinfo=None), place, involved, police,
                                      outcome)

        def log(written, staff, data=data):
            written.incidents.append(incidents.log(data, staff))

        steps.append(Step(happened + timedelta(minutes=50), 0, -1, log))
        if kind == "fight":  # entered a second time by another member of staff, voided the next day
            def again(written, staff, data=data):
                written.entered_twice = incidents.log(data, staff)
                written.incidents.append(written.entered_twice)

            def void(written, staff):
                incidents.void(written.entered_twice, "与当天上午的登记重复", staff)

            steps.append(Step(happened + timedelta(minutes=70), 0, -1, again))
            steps.append(Step(happened + timedelta(days=1, hours=1), 0, -1, void))
    return steps


def write(steps: list[Step], staff_ids: list[int]) -> Written:
    """Run the steps, each with the clock placed at its moment, staff taking turns."""
    written = Written()
    staff = [db.session.get(StaffUser, i) for i in staff_ids]
    for n, found in enumerate(steps):
        with placed_at(found.at):
            found.do(written, staff[(found.case if found.case >= 0 else n) % len(staff)])
    return written
