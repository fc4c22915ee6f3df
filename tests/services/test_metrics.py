"""The counters: every registered counter equals its drill-down list, with records placed
on both sides of the period's boundaries; the console's figures; hours in other zones.

A new counter needs records in ``placed`` (before and after each boundary) and its
expectation in ``EXPECTED``; ``test_every_counter_has_an_expectation`` says so.
"""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.domain.deals import DealStatus, FalseKind, PostingSource
from app.domain.periods import LocalPeriod
from app.domain.queue import TicketStatus
from app.domain.task_orders import COUNTED_STATES
from app.extensions import db
from app.models import (
    AuditEntry,
    Deal,
    EmployerType,
    FalseRecord,
    RatingRefusal,
    Role,
    StaffUser,
    TaskOrder,
    TaskStatus,
    Ticket,
    Worker,
    utcnow,
)
from app.services import deals, disputes, metrics, queue, ratings, task_orders
from tests import factories
from tests.deal_steps import deal_at
from tests.factories import staff_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
_FAR = itertools.count(100)  # workers from Jiangxi (360426…), each a new ID number


@dataclass
class Placed:
    """The records a scenario placed in one period, as (table, id)."""

    tickets: set = field(default_factory=set)
    workers: set = field(default_factory=set)
    drafted: set = field(default_factory=set)
    published: set = field(default_factory=set)
    livestreams: set = field(default_factory=set)
    followers: set = field(default_factory=set)
    full_time: set = field(default_factory=set)  # accounts: the same in every period
    ratings: set = field(default_factory=set)
    satisfied: set = field(default_factory=set)
    verified: set = field(default_factory=set)
    refusals: set = field(default_factory=set)  # (day, terminal) of the days' refusal counts
    cases: set = field(default_factory=set)  # dispute cases received, not merged (E1)
    merged: set = field(default_factory=set)  # duplicates merged into their original
    hall_incidents: set = field(default_factory=set)  # the five kinds B8 names, not voided
    fee_incidents: set = field(default_factory=set)  # 违规收费, not voided (B9)
    other_incidents: set = field(default_factory=set)  # 其他 and 违规收费, not voided
    voided_incidents: set = field(default_factory=set)
    period: LocalPeriod | None = None


def _audit_entries(placed: Placed) -> set:
    """Every entry the scenario's actions wrote within the period (the trail is the record)."""
    return {_key(e) for e in db.session.scalars(select(AuditEntry)) if placed.period.contains(e.at)}


def _key(record) -> tuple:
    if isinstance(record, RatingRefusal):  # one row per day and terminal
        return (record.__tablename__, record.day.isoformat(), record.terminal)
    return (type(record).__tablename__, record.id)


def _tickets(placed: Placed, *statuses, called=False) -> set:
    tickets = [db.session.get(Ticket, i) for _, i in placed.tickets]
    return {_key(t) for t in tickets
            if (not statuses or t.status in statuses) and (not called or t.called_at is not None)}


def _orders(placed: Placed, at: str, *also) -> set:
    """Task orders whose ``at`` falls in the period (and that meet ``also``)."""
    return {_key(t) for t in db.session.scalars(select(TaskOrder))
            if getattr(t, at) is not None and placed.period.contains(getattr(t, at)) and all(c(t) for c in also)}


def _counted(t: TaskOrder) -> bool:
    return t.status in COUNTED_STATES


def _deals(placed: Placed, at: str, *also) -> set:
    return {_key(d) for d in db.session.scalars(select(Deal))
            if getattr(d, at) is not None and placed.period.contains(getattr(d, at)) and all(c(d) for c in also)}


def _expired(placed: Placed) -> set:
    days = placed.period
    return {_key(t) for t in db.session.scalars(select(TaskOrder))
            if t.valid_until is not None and days.first_day <= t.valid_until <= days.last_day
            and t.valid_until < local_today() and t.status == TaskStatus.PUBLISHED and t.taken < t.headcount}


def _late(t: TaskOrder) -> bool:
    return (t.published_at - t.created_at) > timedelta(hours=24)


def _for_enterprise(t: TaskOrder) -> bool:
    return t.source == PostingSource.ENTERPRISE and t.employer.employer_type == EmployerType.ENTERPRISE


# What each counter must list in a period: the oracle, from the records placed in it.
EXPECTED = {
    "tickets_issued": lambda p: _tickets(p),
    "tickets_waiting": lambda p: _tickets(p, TicketStatus.WAITING),
    "tickets_done": lambda p: _tickets(p, TicketStatus.DONE),
    "tickets_no_show": lambda p: _tickets(p, TicketStatus.NO_SHOW),
    "avg_wait_minutes": lambda p: _tickets(p, called=True),
    "avg_service_minutes": lambda p: _tickets(p, TicketStatus.DONE),
    "workers_registered": lambda p: {_key(w) for w in db.session.scalars(select(Worker))
                                     if p.period.contains(w.first_registered_at)},
    "task_orders_drafted": lambda p: _orders(p, "created_at"),
    "task_orders_published": lambda p: _orders(p, "published_at", _counted),
    "postings_for_enterprises": lambda p: _orders(p, "published_at", _counted, _for_enterprise),
    "postings_late": lambda p: _orders(p, "published_at", _counted, _late),
    "postings_expired": _expired,
    "false_records": lambda p: {_key(r) for r in db.session.scalars(select(FalseRecord))
                                if p.period.contains(r.confirmed_at)},
    "enterprise_needs_solved": lambda p: _orders(p, "need_solved_at", _counted),
    "deals_accepted": lambda p: _deals(p, "accepted_at"),
    "prices_confirmed": lambda p: _deals(p, "priced_at"),
    "agreements_signed": lambda p: _deals(p, "signed_at"),
    "employer_payments": lambda p: _deals(p, "paid_at"),
    "wages_settled": lambda p: _deals(p, "settled_at"),
    "deals_completed": lambda p: _deals(p, "completed_at", lambda d: d.status == DealStatus.COMPLETED),
    "inter_provincial_services": lambda p: _deals(p, "interprovincial_at", lambda d: d.status != DealStatus.CANCELLED),
    "inter_provincial_suggested": lambda p: _deals(
        p, "accepted_at", lambda d: d.interprovincial_suggested, lambda d: d.interprovincial_at is None,
        lambda d: d.interprovincial_dismissed_at is None, lambda d: d.status != DealStatus.CANCELLED),
    "livestreams": lambda p: p.livestreams,
    "followers": lambda p: p.followers,
    "full_time_staff": lambda p: p.full_time,
    "audit_entries": _audit_entries,
    "ratings_total": lambda p: p.ratings,
    "ratings_satisfied": lambda p: p.satisfied,
    "ratings_verified": lambda p: p.verified,
    "ratings_refused": lambda p: p.refusals,
    "disputes_received": lambda p: p.cases,
    "disputes_merged": lambda p: p.merged,
    "hall_incidents": lambda p: p.hall_incidents,
    "fee_incidents": lambda p: p.fee_incidents,
    "incidents_other": lambda p: p.other_incidents,
    "incidents_voided": lambda p: p.voided_incidents,
}

PERIODS = {
    "day at a month end": LocalPeriod.day(date(2026, 11, 30), SHANGHAI),
    "February": LocalPeriod.month(2026, 2, SHANGHAI),
    "leap February": LocalPeriod.month(2028, 2, SHANGHAI),
    "assessment year": LocalPeriod.assessment_year(date(2026, 1, 1), 1, SHANGHAI),
    "assessment year from July": LocalPeriod.assessment_year(date(2026, 7, 1), 1, SHANGHAI),
}


class Scenario:
    """Places records just before and just after a boundary, moving the frozen clock."""

    def __init__(self, clock, staff_id):
        self.clock, self.staff = clock, staff_id
        self.draft_at_boundary = None

    def at(self, boundary: datetime, delta: timedelta) -> None:
        self.clock.move_to((boundary + delta).replace(tzinfo=UTC))

    def before(self, boundary: datetime, placed: Placed) -> None:
        """The last minutes of a period: served and no-show tickets, and at its very
        last microsecond a waiting ticket, a worker and a draft task order."""
        self.at(boundary, -timedelta(minutes=10))
        done, gone = factories.ticket(), factories.ticket()
        self.at(boundary, -timedelta(minutes=8))
        queue.call_next(done.day, 1, self.staff)  # waited 2 minutes
        queue.act(done, "serve", self.staff, 1)
        self.at(boundary, -timedelta(minutes=5))
        queue.act(done, "done", self.staff, 1)  # served 3 minutes
        self.at(boundary, -timedelta(minutes=4))
        queue.call_next(gone.day, 2, self.staff)  # waited 6 minutes
        self.at(boundary, -timedelta(minutes=3))
        queue.act(gone, "no_show", self.staff, 2)
        self.at(boundary, -timedelta(microseconds=1))
        waiting = factories.ticket("other")  # windows 1 and 2 never call it
        placed.tickets |= {_key(done), _key(gone), _key(waiting)}
        placed.workers.add(_key(factories.worker()))
        self.draft_at_boundary = factories.task_order()
        placed.drafted.add(_key(self.draft_at_boundary))
        published = factories.task_order(status=TaskStatus.PUBLISHED)
        placed.drafted.add(_key(published))  # every task order is created as a draft first
        placed.published.add(_key(published))
        placed.livestreams.add(_key(factories.livestream()))
        factories.livestream(voided=True)  # voided: never counted
        placed.followers.add(_key(factories.follower_count(followers=1200)))
        factories.follower_count(followers=9999, voided=True)
        self.rate(placed, slip=done)
        self.troubles(placed)

    def rate(self, placed: Placed, slip) -> None:
        """A satisfied and a bad rating at the exit terminal, a refused press right after
        the first, and a rating of ``slip`` (a served ticket) from its QR."""
        good = factories.rating(1, address="10.0.0.1")
        with pytest.raises(ratings.StuffingRefused):
            factories.rating(2, address="10.0.0.1")
        bad = factories.rating(5, reasons=["waited"], address="10.0.0.2")
        verified = factories.rating(3, slip=slip)
        placed.ratings |= {_key(good), _key(bad), _key(verified)}
        placed.satisfied |= {_key(good), _key(verified)}
        placed.verified.add(_key(verified))
        placed.refusals.add((RatingRefusal.__tablename__, local_today().isoformat(), "10.0.0.1"))

    def troubles(self, placed: Placed) -> None:
        """At this moment: a dispute case and a duplicate merged into it (received now, merged
        at once), an incident of each kind group, and a voided fight."""
        staff = db.session.get(StaffUser, self.staff)
        case, duplicate = factories.dispute(), factories.dispute(channel="counter", user=staff)
        disputes.merge(duplicate, case.number, "同一件事重复申请", staff)
        placed.cases.add(_key(case))
        placed.merged.add(_key(duplicate))
        now = utcnow()
        fight, fee, other = (factories.incident(kind, occurred_at=now) for kind in ("extortion", "fee", "other"))
        voided = factories.incident("fight", voided=True, occurred_at=now)
        placed.hall_incidents.add(_key(fight))
        placed.fee_incidents.add(_key(fee))
        placed.other_incidents |= {_key(fee), _key(other)}
        placed.voided_incidents.add(_key(voided))
        self.deals(staff)

    def deals(self, staff: StaffUser) -> None:
        """At this moment: a deal completed on an enterprise's short-term posting published
        for it (G1, G2, C3 and every step), a cancelled deal, a confirmed and a suggested
        inter-provincial deal, a posting and a worker confirmed false, a voided posting,
        a late publication (received 25 hours ago), and postings that expire unfilled on
        this day. The oracles in ``EXPECTED`` read them back by their times."""
        company = factories.employer(employer_type=EmployerType.ENTERPRISE, employer_name="三明某某食品有限公司",
                                     uscc="91350427MA2XXXXX0A")
        ours = factories.posting(employer=company, source=PostingSource.ENTERPRISE.value, duration_days=5)
        deal_at(DealStatus.COMPLETED, staff, task=ours)
        deal_at(DealStatus.CANCELLED, staff)
        far = factories.worker(id_number=factories.make_id("19850101", prefix="360426", seq=f"{next(_FAR):03d}"))
        confirmed = deal_at(DealStatus.ACCEPTED, staff, person=far)
        deals.decide_inter_provincial(confirmed, True, staff)
        gone = deal_at(DealStatus.ACCEPTED, staff, person=factories.worker(
            id_number=factories.make_id("19850101", prefix="360426", seq=f"{next(_FAR):03d}")))
        deals.decide_inter_provincial(gone, True, staff)
        deals.cancel(gone, "零工未到岗", staff)  # confirmed, then no service: not in G3
        deal_at(DealStatus.ACCEPTED, staff, outside_fujian=True)  # suggested, undecided
        false = factories.posting()
        task_orders.mark_false(FalseKind.POSTING, false, "电话核实无此用工", "回访录音编号0001", staff)
        task_orders.mark_false(FalseKind.WORKER, factories.worker(), "冒用他人身份证", "派出所核查回执", staff)
        task_orders.void(factories.posting(), "重复登记", staff)
        factories.task_order(status=TaskStatus.PUBLISHED, created_at=utcnow() - timedelta(hours=25))
        factories.posting(valid_until=local_today())  # unfilled on its last day

    def after(self, boundary: datetime, placed: Placed) -> None:
        """The first minutes of a period: the draft from just before is published at its
        first moment; tickets, a worker and task orders as above, other durations."""
        self.at(boundary, timedelta(0))
        draft = self.draft_at_boundary
        draft.status, draft.published_at = TaskStatus.PUBLISHED, utcnow()
        db.session.commit()
        placed.published.add(_key(draft))
        done, gone = factories.ticket(), factories.ticket()
        placed.workers.add(_key(factories.worker()))
        placed.drafted.add(_key(factories.task_order()))
        placed.livestreams.add(_key(factories.livestream()))
        placed.followers.add(_key(factories.follower_count(followers=1300)))
        self.troubles(placed)
        self.at(boundary, timedelta(minutes=1))
        queue.call_next(done.day, 1, self.staff)  # waited 1 minute
        queue.act(done, "serve", self.staff, 1)
        self.at(boundary, timedelta(minutes=11))
        queue.act(done, "done", self.staff, 1)  # served 10 minutes
        self.at(boundary, timedelta(minutes=12))
        queue.call_next(gone.day, 2, self.staff)  # waited 12 minutes
        queue.act(gone, "no_show", self.staff, 2)
        self.at(boundary, timedelta(minutes=14))
        waiting = factories.ticket("other")  # windows 1 and 2 never call it
        placed.tickets |= {_key(done), _key(gone), _key(waiting)}
        self.rate(placed, slip=done)


@pytest.fixture(params=list(PERIODS), ids=list(PERIODS))
def placed(request, ctx, frozen_clock):
    """Records around both boundaries of the period: {"previous"|"period"|"next": Placed}."""
    period = PERIODS[request.param]
    staff = staff_user()
    staff_user("parttime").full_time = False
    staff_user("gone").active = False
    staff_user("bureau", Role.ASSESSOR)  # the labour bureau's, not the hall's staff
    db.session.commit()
    sides = {side: Placed(full_time={_key(staff)}, period=in_period) for side, in_period in
             (("previous", period.previous()), ("period", period), ("next", period.next()))}
    scenario = Scenario(frozen_clock, staff.id)
    scenario.before(period.start, sides["previous"])
    scenario.after(period.start, sides["period"])
    scenario.before(period.end, sides["period"])
    scenario.after(period.end, sides["next"])
    # Read from after the next period: every posting placed has expired by then.
    frozen_clock.move_to((period.next().end + timedelta(days=2)).replace(tzinfo=UTC))
    return period, sides


def _drill_down(measure) -> list:
    return list(db.session.scalars(measure.records))


def test_every_counter_equals_its_drill_down_list(placed):
    """Each counter in the period and either side of it (all counters in one test, as
    placing the records is the slow part; every failing counter is reported)."""
    period, sides = placed
    failures = []
    for key, counter in metrics.REGISTRY.items():
        minutes_between, figure = counter.tally(period).minutes_between, counter.tally(period).figure
        for side, in_period in (("previous", period.previous()), ("period", period), ("next", period.next())):
            measure = metrics.measure(key, in_period)
            rows = _drill_down(measure)
            if not rows:
                failures.append(f"{key}, {side}: no records; place some in the Scenario")
                continue
            if counter.tally(period).summed is not None:
                expected_value = sum(getattr(r, counter.tally(period).summed.key) for r in rows)
            elif figure is not None:  # the newest record's figure
                expected_value = getattr(max(rows, key=lambda r: tuple(getattr(r, c.key) for c in
                                                                       counter.tally(period).newest)), figure.key)
            elif minutes_between is None:
                expected_value = len(rows)
            else:
                start, end = (c.key for c in minutes_between)
                expected_value = mean((getattr(r, end) - getattr(r, start)).total_seconds() / 60 for r in rows)
            if measure.value != pytest.approx(expected_value, abs=1e-6):
                failures.append(f"{key}, {side}: value {measure.value}, drill-down gives {expected_value}")
            listed, placed_there = {_key(r) for r in rows}, EXPECTED[key](sides[side])
            if listed != placed_there:
                failures.append(f"{key}, {side}: lists {sorted(listed)}, placed {sorted(placed_there)}")
    assert not failures, "\n".join(failures)


def test_every_counter_has_an_expectation():
    assert set(metrics.REGISTRY) == set(EXPECTED)
    for counter in metrics.REGISTRY.values():
        assert counter.label and counter.key


def test_values_around_a_boundary_are_those_placed(ctx, frozen_clock):
    """The same scenario, figures spelt out: the day after a month's end."""
    period = LocalPeriod.day(date(2026, 12, 1), SHANGHAI)
    scenario = Scenario(frozen_clock, staff_user().id)
    scenario.before(period.start, Placed())
    scenario.after(period.start, Placed())
    assert metrics.values(period) == {
        "tickets_issued": 3, "tickets_waiting": 1, "tickets_done": 1, "tickets_no_show": 1,
        "avg_wait_minutes": pytest.approx((1 + 12) / 2), "avg_service_minutes": pytest.approx(10),
        # a worker, and six more for the deals and the false record; the draft from before
        # published, and seven postings (the false and the voided one are not counted)
        "workers_registered": 7, "task_orders_drafted": 9, "task_orders_published": 8,
        "livestreams": 1, "followers": 1300, "full_time_staff": 1,
        "audit_entries": metrics.values(period)["audit_entries"],
        "ratings_total": 3, "ratings_satisfied": 2, "ratings_verified": 1, "ratings_refused": 1,
        "disputes_received": 1, "disputes_merged": 1, "hall_incidents": 1, "fee_incidents": 1,
        "incidents_other": 2, "incidents_voided": 1,
        "postings_for_enterprises": 1, "postings_late": 1, "postings_expired": 0,  # its last day is today
        "false_records": 2, "enterprise_needs_solved": 1, "deals_accepted": 5, "prices_confirmed": 1,
        "agreements_signed": 1, "employer_payments": 1, "wages_settled": 1, "deals_completed": 1,
        "inter_provincial_services": 1, "inter_provincial_suggested": 1,
    }
    before = metrics.values(period.previous())
    assert (before["tickets_issued"], before["avg_wait_minutes"], before["avg_service_minutes"]) == \
        (3, pytest.approx((2 + 6) / 2), pytest.approx(3))
    assert metrics.values(period.next()) == {
        "tickets_issued": 0, "tickets_waiting": 0, "tickets_done": 0, "tickets_no_show": 0,
        "avg_wait_minutes": None, "avg_service_minutes": None,
        "workers_registered": 0, "task_orders_drafted": 0, "task_orders_published": 0,
        "livestreams": 0, "followers": None, "full_time_staff": 1, "audit_entries": 0,
        "ratings_total": 0, "ratings_satisfied": 0, "ratings_verified": 0, "ratings_refused": 0,
        "disputes_received": 0, "disputes_merged": 0, "hall_incidents": 0, "fee_incidents": 0,
        "incidents_other": 0, "incidents_voided": 0,
        "postings_for_enterprises": 0, "postings_late": 0, "postings_expired": 0, "false_records": 0,
        "enterprise_needs_solved": 0, "deals_accepted": 0, "prices_confirmed": 0, "agreements_signed": 0,
        "employer_payments": 0, "wages_settled": 0, "deals_completed": 0, "inter_provincial_services": 0,
        "inter_provincial_suggested": 0,
    }
    assert _drill_down(metrics.measure("avg_wait_minutes", period.next())) == []


def test_the_console_figures_come_from_the_counters(ctx, frozen_clock):
    from app.clock import hall_period

    staff = staff_user().id
    frozen_clock.move_to("2026-11-28 09:50")
    a, b = factories.ticket(), factories.ticket()
    frozen_clock.tick(minutes=10)
    queue.call_next(a.day, 1, staff)
    queue.act(a, "serve", staff, 1)
    frozen_clock.tick(minutes=6)
    queue.act(a, "done", staff, 1)
    frozen_clock.tick(minutes=4)
    queue.call_next(b.day, 1, staff)
    queue.act(b, "no_show", staff, 1)
    frozen_clock.move_to("2026-11-28 14:05")
    factories.ticket()
    today = hall_period()
    assert today == LocalPeriod.day(date(2026, 11, 28), SHANGHAI)
    figures = metrics.queue_figures(today)
    assert (figures.issued, figures.done, figures.no_show, figures.waiting) == (3, 1, 1, 1)
    assert figures.avg_wait_minutes == pytest.approx(15.0, abs=0.01)  # 10 and 20 minutes
    assert figures.avg_service_minutes == pytest.approx(6.0, abs=0.01)
    assert figures.no_show_rate == 0.5
    assert metrics.queue_hourly(today) == [
        {"hour": 9, "issued": 2, "no_show": 1, "avg_wait_minutes": pytest.approx(15.0)},
        {"hour": 14, "issued": 1, "no_show": 0, "avg_wait_minutes": None},
    ]


@pytest.mark.parametrize(("zone", "day", "moments", "hours"), [
    # the clocks go forward at 02:00: 01:30 PST and 03:30 PDT are an hour apart
    ("America/Los_Angeles", date(2026, 3, 8),
     ["2026-03-08 00:10-08:00", "2026-03-08 01:30-08:00", "2026-03-08 03:30-07:00", "2026-03-08 23:59:59-07:00"],
     {0: 1, 1: 1, 3: 1, 23: 1}),
    # the clocks go back at 02:00: 01:30 is shown twice
    ("America/Los_Angeles", date(2026, 11, 1),
     ["2026-11-01 01:30-07:00", "2026-11-01 01:30-08:00", "2026-11-01 02:30-08:00"],
     {1: 2, 2: 1}),
    # half an hour from UTC: 09:45 and 10:15 in the hall are the same UTC hour
    ("Asia/Kolkata", date(2026, 11, 28), ["2026-11-28 09:45+05:30", "2026-11-28 10:15+05:30"],
     {9: 1, 10: 1}),
    ("Asia/Shanghai", date(2026, 11, 28),
     ["2026-11-28 00:00+08:00", "2026-11-28 07:59:59+08:00", "2026-11-28 08:00+08:00",
      "2026-11-28 23:59:59.999999+08:00"],
     {0: 1, 7: 1, 8: 1, 23: 1}),
])
def test_tickets_per_hour_of_the_halls_clock_in_any_zone(make_app, frozen_clock, zone, day, moments, hours):
    from app.clock import hall_period, local_today

    app = make_app(HALL_TIMEZONE=zone)
    with app.app_context():
        for moment in moments:
            frozen_clock.move_to(moment)
            assert local_today() == day
            factories.ticket()
        period = hall_period()
        assert period == LocalPeriod.day(day, ZoneInfo(zone))
        assert metrics.per_hour("tickets_issued", period) == hours
        assert metrics.measure("tickets_issued", period).value == len(moments)


def test_a_ticket_numbered_just_before_midnight_counts_on_its_day(ctx, frozen_clock):
    """The day a ticket was numbered for decides its period, even if it was stored a moment
    after midnight (check-in read the date just before)."""
    frozen_clock.move_to("2026-11-28 00:00:00.5")
    late = factories.ticket(day=date(2026, 11, 27))
    yesterday = LocalPeriod.day(date(2026, 11, 27), SHANGHAI)
    assert metrics.measure("tickets_issued", yesterday).value == 1
    assert [t.id for t in _drill_down(metrics.measure("tickets_issued", yesterday))] == [late.id]
    assert metrics.per_hour("tickets_issued", yesterday) == {23: 1}  # the day's last hour
    assert metrics.measure("tickets_issued", yesterday.next()).value == 0


def test_drill_downs_list_model_objects_in_time_order(ctx, frozen_clock):
    first = factories.worker(name="李四")
    frozen_clock.tick(minutes=1)
    second = factories.worker(name="王五")
    rows = _drill_down(metrics.measure("workers_registered", LocalPeriod.day(date(2026, 11, 28), SHANGHAI)))
    assert [w.id for w in rows] == [first.id, second.id] and all(isinstance(w, Worker) for w in rows)
    task = factories.task_order(status=TaskStatus.PUBLISHED)
    listed = _drill_down(metrics.measure("task_orders_published", LocalPeriod.month(2026, 11, SHANGHAI)))
    assert listed == [task] and isinstance(listed[0], TaskOrder)
