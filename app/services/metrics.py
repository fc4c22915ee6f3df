"""Named counters over hall-local periods: each gives a value and the records behind it.

A counter is a small function of a ``LocalPeriod`` (``app/domain/periods.py``) that returns
a ``Tally``: the query of the records it counts and how they add up, either their number
(``count``) or the average minutes between two of their timestamps (``average_minutes``).
``measure(key, period)`` computes the value in SQL *from that very query*, and hands the
query back as the drill-down list, so a figure and its list cannot disagree.

Records are placed in a period by an indexed column compared with the period's constants,
never by converting each row: a naive-UTC timestamp with ``during(column, period)``
(``period.start <= column < period.end``); the ticket's hall-local ``day`` with
``on_days(Ticket.day, period)``. Tickets are counted by ``day`` because ``issued_at`` has no
index, and ``day`` is the local day of issue by construction (numbers restart on it).

The console's 今日统计 is ``queue_figures(day)`` and ``queue_hourly(day)`` over
these same counters. Per hour: the period knows the moments the hall's clock starts each
hour (zoneinfo: right on days the clocks change, and in zones with half-hour offsets), and
SQL sorts each record into those hours by comparing its UTC timestamp with them.

Adding a counter (the score page's counters plug in here) is one small function plus its
registry entry, the decorator::

    @counter("calls_made", "叫号次数")
    def calls_made(period: LocalPeriod) -> Tally:
        return count(select(AuditEntry).where(AuditEntry.record_type == "ticket",
                                              AuditEntry.action == "call",
                                              during(AuditEntry.at, period)),
                     at=AuditEntry.at)

The test in ``tests/services/test_metrics.py`` then checks it against its drill-down list
around the period's boundaries (records placed on both sides of them go in its fixture).
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute

from app.database import epoch_seconds, seconds_between
from app.domain.disputes import FEE_INCIDENT_KINDS, HALL_INCIDENT_KINDS, CaseStatus, IncidentKind
from app.domain.periods import LocalPeriod
from app.domain.queue import TicketStatus
from app.domain.ratings import DEFAULT_SATISFIED, Channel, satisfied_values
from app.extensions import db
from app.models import (
    AuditEntry,
    DisputeCase,
    FollowerCount,
    Incident,
    Livestream,
    Rating,
    RatingRefusal,
    Role,
    StaffUser,
    TaskOrder,
    Ticket,
    Worker,
)


@dataclass(frozen=True)
class Tally:
    """What a counter counts in a period. Build it with ``count`` or ``average_minutes``."""

    records: Select  # the drill-down list: exactly the rows behind the value
    at: InstrumentedAttribute  # the column placing a record in time (for the per-hour split)
    # None: the value is the number of records; else the average minutes from one to the other
    minutes_between: tuple[InstrumentedAttribute, InstrumentedAttribute] | None = None
    # A figure entered with each record (e.g. a follower count): the value is the newest
    # record's figure, ordered by ``newest`` (the list shows every record of the period)
    figure: InstrumentedAttribute | None = None
    newest: tuple[InstrumentedAttribute, ...] = ()
    # A number kept per record (e.g. presses refused on a day): the value is their sum
    summed: InstrumentedAttribute | None = None

    def aggregate(self, columns) -> ColumnElement:
        """The value as a SQL aggregate over the records' columns (``subquery.c``)."""
        if self.summed is not None:
            return func.sum(columns[self.summed.key])
        if self.minutes_between is None:
            return func.count()
        start, end = (columns[c.key] for c in self.minutes_between)
        return func.avg(seconds_between(start, end))

    def finish(self, raw) -> int | float | None:
        if self.minutes_between is None:
            return int(raw or 0)
        return None if raw is None else float(raw) / 60


def count(records: Select, *, at: InstrumentedAttribute) -> Tally:
    return Tally(records, at)


def total(records: Select, summed: InstrumentedAttribute, *, at: InstrumentedAttribute) -> Tally:
    """The sum of ``summed`` over the records (0 without records)."""
    return Tally(records, at, summed=summed)


def latest(records: Select, figure: InstrumentedAttribute, *, newest: tuple[InstrumentedAttribute, ...],
           at: InstrumentedAttribute) -> Tally:
    """The ``figure`` of the newest record (by ``newest``, descending); None without records."""
    return Tally(records, at, figure=figure, newest=newest)


def average_minutes(records: Select, start: InstrumentedAttribute, end: InstrumentedAttribute, *,
                    at: InstrumentedAttribute) -> Tally:
    """The average minutes from ``start`` to ``end``, over the records having both."""
    return Tally(records.where(start.is_not(None), end.is_not(None)), at, (start, end))


def during(column, period: LocalPeriod) -> ColumnElement[bool]:
    """A naive-UTC timestamp column within the period: two comparisons, the index is used."""
    return and_(column >= period.start, column < period.end)


def on_days(column, period: LocalPeriod) -> ColumnElement[bool]:
    """A hall-local date column within the period's days."""
    return and_(column >= period.first_day, column <= period.last_day)


def local_seconds(column, period: LocalPeriod):
    """SQL: the hall's clock time of a naive-UTC timestamp column as whole seconds since
    1970-01-01 (an integer): the zone's offset added, chosen by a CASE on the constants of
    ``LocalPeriod.utc_offsets()`` (one constant in Asia/Shanghai). ``// 86400`` of it is
    the hall-local day, ``// 3600`` the clock hour."""
    spans = period.utc_offsets()
    offset = literal(spans[0][1])
    if len(spans) > 1:
        offset = case(*[(column < begins, before) for (_b, before), (begins, _a) in zip(spans, spans[1:],
                                                                                        strict=False)],
                      else_=spans[-1][1])
    return epoch_seconds(column) + offset


@dataclass(frozen=True)
class Counter:
    key: str
    label: str  # Chinese, for the people reading the figure
    unit: str  # "" for a number of records, else e.g. 分钟
    # The period, and what the item reading it tells it (``Item.options``: B7's satisfied
    # levels); every option has a default, so a counter also reads on its own.
    tally: Callable[..., Tally]


REGISTRY: dict[str, Counter] = {}


def counter(key: str, label: str, unit: str = ""):
    """Register the decorated function as the counter ``key``."""

    def register(fn: Callable[[LocalPeriod], Tally]):
        if key in REGISTRY:
            raise ValueError(f"counter {key!r} is registered twice")
        REGISTRY[key] = Counter(key, label, unit, fn)
        return fn

    return register


@dataclass(frozen=True)
class Measure:
    counter: Counter
    period: LocalPeriod
    value: int | float | None  # None: an average of nothing
    records: Select  # the drill-down: db.session.scalars(records) lists what was counted


def measure(key: str, period: LocalPeriod, **options) -> Measure:
    found = REGISTRY[key]
    tally = found.tally(period, **options)
    if tally.figure is not None:
        newest = tally.records.with_only_columns(tally.figure).order_by(None).order_by(
            *(column.desc() for column in tally.newest)).limit(1)
        return Measure(found, period, db.session.scalar(newest), tally.records)
    # The list's order is no part of a count or an average: without it the database counts
    # straight off the index (SQLite otherwise materialises and sorts every row first).
    rows = tally.records.order_by(None).subquery()
    raw = db.session.scalar(select(tally.aggregate(rows.c)).select_from(rows))
    return Measure(found, period, tally.finish(raw), tally.records)


def per_hour(key: str, day: LocalPeriod, **options) -> dict[int, int | float]:
    """A counter's value per clock hour of a day, for the hours that have records."""
    tally = REGISTRY[key].tally(day, **options)
    rows = tally.records.subquery()
    at = rows.c[tally.at.key]
    hours = day.clock_hours()
    # Each record goes to the last hour begun at its moment (a CASE on the UTC column,
    # no conversion per row). A record outside the day but counted in it (a ticket stored
    # just after midnight for the day read a moment before) goes to the nearest hour.
    whens = [(at < begins, hour) for (hour, _), (_, begins) in pairwise(hours)]
    bucket = case(*whens, else_=hours[-1][0])
    placed = select(bucket.label("hall_hour"), *rows.c).subquery()
    result = db.session.execute(
        select(placed.c.hall_hour, tally.aggregate(placed.c)).group_by(placed.c.hall_hour)
    ).all()
    return {hour: tally.finish(raw) for hour, raw in result}


# -- the queue ---------------------------------------------------------------------------

def _tickets(period: LocalPeriod, *conditions) -> Select:
    return (select(Ticket).where(on_days(Ticket.day, period), *conditions)
            .order_by(Ticket.issued_at, Ticket.id))


@counter("tickets_issued", "取号")
def tickets_issued(period: LocalPeriod) -> Tally:
    return count(_tickets(period), at=Ticket.issued_at)


@counter("tickets_waiting", "等候")
def tickets_waiting(period: LocalPeriod) -> Tally:
    """Tickets of the period still waiting now."""
    return count(_tickets(period, Ticket.status == TicketStatus.WAITING), at=Ticket.issued_at)


@counter("tickets_done", "办结")
def tickets_done(period: LocalPeriod) -> Tally:
    return count(_tickets(period, Ticket.status == TicketStatus.DONE), at=Ticket.issued_at)


@counter("tickets_no_show", "过号")
def tickets_no_show(period: LocalPeriod) -> Tally:
    return count(_tickets(period, Ticket.status == TicketStatus.NO_SHOW), at=Ticket.issued_at)


@counter("avg_wait_minutes", "平均等候", "分钟")
def avg_wait_minutes(period: LocalPeriod) -> Tally:
    """From taking the number to the first call (a transfer keeps the first call)."""
    return average_minutes(_tickets(period), Ticket.issued_at, Ticket.called_at, at=Ticket.issued_at)


@counter("avg_service_minutes", "平均办理", "分钟")
def avg_service_minutes(period: LocalPeriod) -> Tally:
    """From the first call to 办结, over the tickets done."""
    return average_minutes(_tickets(period, Ticket.status == TicketStatus.DONE),
                           Ticket.called_at, Ticket.finished_at, at=Ticket.issued_at)


# -- registrations and task orders -------------------------------------------------------

@counter("workers_registered", "新登记零工")
def workers_registered(period: LocalPeriod) -> Tally:
    """Workers registered for the first time (a repeat registration is not new)."""
    return count(select(Worker).where(during(Worker.first_registered_at, period))
                 .order_by(Worker.first_registered_at, Worker.id), at=Worker.first_registered_at)


@counter("task_orders_drafted", "登记招工信息")
def task_orders_drafted(period: LocalPeriod) -> Tally:
    """Task orders created (each starts as a draft for review), whatever became of them."""
    return count(select(TaskOrder).where(during(TaskOrder.created_at, period))
                 .order_by(TaskOrder.created_at, TaskOrder.id), at=TaskOrder.created_at)


# C2 (task_orders_published) and the other posting and deal counters: metrics_deals.py


# -- what only staff know: livestreams (D1), follower counts (F1), full-time staff (B5) -----

@counter("livestreams", "直播场次")
def livestreams(period: LocalPeriod) -> Tally:
    """Sessions held on the period's days; voided entries do not count."""
    return count(select(Livestream).where(on_days(Livestream.held_on, period), Livestream.voided_at.is_(None))
                 .order_by(Livestream.held_on, Livestream.id), at=Livestream.created_at)


@counter("followers", "公众号关注人数", "人")
def followers(period: LocalPeriod) -> Tally:
    """The latest follower count entered for a date in the period (the list: every count
    entered for the period's days, not voided; the value is the newest one's figure)."""
    return latest(select(FollowerCount).where(on_days(FollowerCount.counted_on, period),
                                              FollowerCount.voided_at.is_(None))
                  .order_by(FollowerCount.counted_on, FollowerCount.id),
                  FollowerCount.followers, newest=(FollowerCount.counted_on, FollowerCount.id),
                  at=FollowerCount.created_at)


@counter("full_time_staff", "专职工作人员")
def full_time_staff(period: LocalPeriod) -> Tally:
    """Active staff and manager accounts marked full-time, now (the period does not matter)."""
    return count(select(StaffUser).where(StaffUser.active.is_(True), StaffUser.full_time.is_(True),
                                         StaffUser.role.in_([Role.STAFF, Role.MANAGER]))
                 .order_by(StaffUser.id), at=StaffUser.created_at)


@counter("audit_entries", "系统操作记录")
def audit_entries(period: LocalPeriod) -> Tally:
    """What the system recorded in the period (evidence for its data-keeping function)."""
    return count(select(AuditEntry).where(during(AuditEntry.at, period)).order_by(AuditEntry.id),
                 at=AuditEntry.at)


# -- satisfaction ratings (B7) -------------------------------------------------------------

def _ratings(period: LocalPeriod, *conditions) -> Select:
    return select(Rating).where(during(Rating.at, period), *conditions).order_by(Rating.at, Rating.id)


@counter("ratings_total", "满意度评价")
def ratings_total(period: LocalPeriod) -> Tally:
    """Every rating of the period, from the exit terminal and from slips (refused presses
    were never stored as ratings)."""
    return count(_ratings(period), at=Rating.at)


@counter("ratings_satisfied", "满意评价")
def ratings_satisfied(period: LocalPeriod, levels: tuple[int, ...] = ()) -> Tally:
    """Ratings at a satisfied level: the rubric's ``satisfied_levels`` (B7), else the
    convention's first three."""
    return count(_ratings(period, Rating.level.in_(levels or satisfied_values(DEFAULT_SATISFIED))),
                 at=Rating.at)


@counter("ratings_verified", "凭条扫码评价")
def ratings_verified(period: LocalPeriod) -> Tally:
    """Ratings from a slip's QR: each tied to one service, once."""
    return count(_ratings(period, Rating.channel == Channel.SLIP), at=Rating.at)


@counter("ratings_refused", "被拒绝的重复评价")
def ratings_refused(period: LocalPeriod) -> Tally:
    """Presses refused by the stuffing limits on the period's days (per terminal and day)."""
    return total(select(RatingRefusal).where(on_days(RatingRefusal.day, period))
                 .order_by(RatingRefusal.day, RatingRefusal.terminal),
                 RatingRefusal.count, at=RatingRefusal.day)


# -- disputes (E1) and incidents (B8, B9) ----------------------------------------------------

@counter("disputes_received", "纠纷案件", "件")
def disputes_received(period: LocalPeriod) -> Tally:
    """Cases received in the period, whatever became of them (declined and withdrawn ones
    too: they were received), except duplicates merged into their original."""
    return count(select(DisputeCase).where(during(DisputeCase.received_at, period),
                                           DisputeCase.status != CaseStatus.MERGED)
                 .order_by(DisputeCase.received_at, DisputeCase.id), at=DisputeCase.received_at)


@counter("disputes_merged", "合并的重复申请（不计入）", "件")
def disputes_merged(period: LocalPeriod) -> Tally:
    """Applications received in the period and merged into their original: listed beside
    E1's cases, never counted with them."""
    return count(select(DisputeCase).where(during(DisputeCase.received_at, period),
                                           DisputeCase.status == CaseStatus.MERGED)
                 .order_by(DisputeCase.received_at, DisputeCase.id), at=DisputeCase.received_at)


def _incidents(period: LocalPeriod, kinds, *, voided: bool = False) -> Select:
    kept = Incident.voided_at.is_not(None) if voided else Incident.voided_at.is_(None)
    return (select(Incident).where(during(Incident.occurred_at, period), Incident.kind.in_(kinds), kept)
            .order_by(Incident.occurred_at, Incident.id))


@counter("hall_incidents", "场内治安事件", "件")
def hall_incidents(period: LocalPeriod) -> Tally:
    """Incidents of the five kinds item B8 names that happened in the period, not voided."""
    return count(_incidents(period, HALL_INCIDENT_KINDS), at=Incident.occurred_at)


@counter("fee_incidents", "违规收费事件", "件")
def fee_incidents(period: LocalPeriod) -> Tally:
    """违规收费 incidents of the period, not voided (item B9's suggestion)."""
    return count(_incidents(period, FEE_INCIDENT_KINDS), at=Incident.occurred_at)


@counter("incidents_other", "其他类型的事件（不计入B8）", "件")
def incidents_other(period: LocalPeriod) -> Tally:
    """Incidents of the period of the kinds B8 does not name (其他, 违规收费), not voided."""
    return count(_incidents(period, [k for k in IncidentKind if k not in HALL_INCIDENT_KINDS]),
                 at=Incident.occurred_at)


@counter("incidents_voided", "已作废的事件登记（不计入）", "件")
def incidents_voided(period: LocalPeriod) -> Tally:
    """Incidents of the period voided with a reason, of any kind: listed, never counted."""
    return count(_incidents(period, list(IncidentKind), voided=True), at=Incident.occurred_at)


# -- the console's 今日统计 ----------------------------------------------------------------

@dataclass(frozen=True)
class QueueFigures:
    issued: int
    waiting: int
    done: int
    no_show: int
    avg_wait_minutes: float | None
    avg_service_minutes: float | None

    @property
    def no_show_rate(self) -> float | None:
        finished = self.done + self.no_show
        return self.no_show / finished if finished else None


_QUEUE_FIGURES = {"issued": "tickets_issued", "waiting": "tickets_waiting", "done": "tickets_done",
                  "no_show": "tickets_no_show", "avg_wait_minutes": "avg_wait_minutes",
                  "avg_service_minutes": "avg_service_minutes"}


def queue_figures(period: LocalPeriod) -> QueueFigures:
    return QueueFigures(**{name: measure(key, period).value for name, key in _QUEUE_FIGURES.items()})


def queue_hourly(day: LocalPeriod) -> list[dict]:
    """Per clock hour of issue (hours with tickets): tickets, no-shows, average wait."""
    issued = per_hour("tickets_issued", day)
    no_show = per_hour("tickets_no_show", day)
    wait = per_hour("avg_wait_minutes", day)
    return [{"hour": hour, "issued": n, "no_show": no_show.get(hour, 0),
             "avg_wait_minutes": wait.get(hour)} for hour, n in sorted(issued.items())]


def values(period: LocalPeriod, keys: list[str] | None = None) -> dict[str, int | float | None]:
    """Several counters' values for one period (all registered ones by default)."""
    return {key: measure(key, period).value for key in (keys or REGISTRY)}


# The counters of postings and deals register themselves on import.
from . import metrics_deals  # noqa: E402, F401
