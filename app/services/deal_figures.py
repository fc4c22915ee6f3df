"""招工与交易统计: the postings and deals of a hall-local period in figures, for staff, the
manager and the assessor (item A1's 数据存储反馈及统计分析; nothing personal: counts, sums,
medians, rates).

Each figure places its records by the moment of its own step, as the counters of
``app.services.metrics_deals`` do, and reads those counters' records (one rule each):

- postings published (C2's ``task_orders_published``: voided and false ones out) and the
  places they offer (their headcount);
- deals accepted (``deals_accepted``), completed (``deals_completed``, C3) and cancelled (by
  the time of cancellation);
- wages settled (``wages_settled``: the exact sum of ``wage_amount``, added up in the database
  as whole fen, so that no float ever touches it) and the average agreed day rate (deals
  priced in the period at a pay per day);
- time from publication to a posting's first deal (median hours, postings published in the
  period that got one);
- fill rate: places held by deals not cancelled (the posting's ``taken``) of the places
  offered, for the postings published in the period, overall and per trade;
- postings about to expire: on the board, ending today or tomorrow, places left
  (``task_orders.expiring(today, 2)``).

Every figure is one GROUP BY trade or hall-local day (``metrics.local_seconds``); no loop in
Python over the deals. The period is a month, an assessment year or a run of days
(``choose``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from sqlalchemy import BigInteger, Select, cast, func, select

from app.clock import hall_tz, local_today
from app.database import seconds_between
from app.domain import EARLIEST_DATE, Invalid
from app.domain.charts import percent_text
from app.domain.deals import DealStatus
from app.domain.periods import LocalPeriod, PeriodKind
from app.domain.task_orders import PayUnit
from app.extensions import db
from app.hall_config import hall
from app.models import Deal, TaskOrder

from . import metrics, rating_figures, task_orders
from .csv_export import BOM, Lines

EPOCH = date(1970, 1, 1)
MAX_DAYS = 366  # a run of days chosen by hand: at most a year
EXPIRING_DAYS = 2  # today and tomorrow
FEN = Decimal("0.01")


# -- the period ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """The period shown and how it was asked for: a month (YYYY-MM), an assessment year's
    number, or a run of days (``since`` … ``until``, hall-local)."""

    period: LocalPeriod
    month: str = ""
    year: int | None = None
    since: str = ""
    until: str = ""

    @property
    def label(self) -> str:
        if self.since:
            first, last = self.period.first_day, self.period.last_day
            return f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"
        return self.period.label

    @property
    def args(self) -> dict:
        """The query string that asks for this period again (the CSV link)."""
        if self.since:
            return {"from": self.since, "to": self.until}
        return {"year": self.year} if self.year else {"month": self.month}

    @property
    def day_range(self) -> tuple[date, date]:
        """The period's days as the date fields show them (not past today)."""
        return self.period.first_day, min(self.period.last_day, local_today())

    @property
    def slug(self) -> str:
        if self.since:
            return f"{self.since}_{self.until}"
        return f"year-{self.year}" if self.year else self.month


def _day(raw: str, field_name: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise Invalid("日期应写成 2026-11-01 这样的年-月-日", field_name) from None


def choose(month: str = "", year: str = "", since: str = "", until: str = "") -> Choice:
    """The period asked for: a run of days (``since`` and ``until``), else what the
    satisfaction figures' picker offers (an assessment year, else a month, else this month).
    A wrong value raises ``Invalid`` naming the field."""
    if since or until:
        if not since:
            raise Invalid("请填写起始日期", "from")
        first = _day(since, "from")
        last = _day(until, "to") if until else local_today()
        if first < EARLIEST_DATE:
            raise Invalid("起始日期不对，请核对年份", "from")
        if last < first:
            raise Invalid("结束日期不能早于起始日期", "to")
        if last > local_today():
            raise Invalid("结束日期不能晚于今天", "to")
        if (last - first).days >= MAX_DAYS:
            raise Invalid(f"一次最多统计 {MAX_DAYS} 天，请按月或按考核年度查看", "to")
        return Choice(LocalPeriod(PeriodKind.DAY, first, last, hall_tz()),
                      since=first.isoformat(), until=last.isoformat())
    picked = rating_figures.choose(month=month, year=year)
    return Choice(picked.period, month=picked.month, year=picked.year)


# -- the figures ----------------------------------------------------------------------------------

@dataclass
class Row:
    """One trade's or one day's figures."""

    postings: int = 0  # published (C2's rule)
    places: int = 0  # offered by those postings
    taken: int = 0  # of those places, held by deals not cancelled
    accepted: int = 0
    completed: int = 0
    cancelled: int = 0
    wages: Decimal = field(default_factory=lambda: Decimal("0.00"))  # settled in the period
    settled: int = 0  # deals whose wages were settled
    day_rate_fen: int = 0  # agreed day rates of the deals priced at a pay per day: their sum …
    day_rated: int = 0  # … and how many

    @property
    def fill_rate(self) -> str:
        return percent_text(self.taken, self.places)

    @property
    def day_rate(self) -> Decimal | None:
        """The average agreed day rate, to the fen, half up; None without such deals."""
        if not self.day_rated:
            return None
        return (Decimal(self.day_rate_fen) / 100 / self.day_rated).quantize(FEN, ROUND_HALF_UP)

    @property
    def empty(self) -> bool:
        return not (self.postings or self.accepted or self.completed or self.cancelled or self.settled)


@dataclass(frozen=True)
class TradeRow:
    code: str
    name: str
    icon: str
    row: Row


@dataclass(frozen=True)
class DayRow:
    """A day with figures, or a run of days without any (``first`` … ``last``)."""

    first: date
    last: date
    row: Row

    @property
    def label(self) -> str:
        if self.first == self.last:
            return f"{self.first.month}月{self.first.day}日"
        return f"{self.first.month}月{self.first.day}日至{self.last.month}月{self.last.day}日"


@dataclass(frozen=True)
class Figures:
    period: LocalPeriod
    total: Row
    trades: tuple[TradeRow, ...]  # every configured trade (zeros too), then any other code met
    days: tuple[DayRow, ...]  # the period's days, runs of empty days folded into one row
    median_hours_to_deal: float | None
    postings_with_deal: int  # of the postings published in the period, those with a deal
    expiring: tuple[TaskOrder, ...]

    @property
    def fill_rate(self) -> str:
        return self.total.fill_rate


def hours_text(value: float | None) -> str:
    """Hours as the page shows them: one decimal, half up (5.5 小时); "—" for none."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP)} 小时"


def _fen(column):
    """SQL: an amount in whole fen (exact on PostgreSQL's numeric and SQLite's stored value)."""
    return cast(func.round(column * 100), BigInteger)


def _records(key: str, period: LocalPeriod):
    return metrics.measure(key, period).records.order_by(None).subquery()


def _day_of(column, period: LocalPeriod):
    return (metrics.local_seconds(column, period) // 86400).label("key")


def _grouped(query: Select, key) -> dict:
    """Rows of an aggregate query grouped by trade code, or by hall-local day number."""
    return {row.key: row for row in db.session.execute(query.add_columns(key).group_by(key))}


def _collect(period: LocalPeriod, by_day: bool) -> dict[object, Row]:
    """The figures per trade code (``by_day`` False) or per hall-local day number: one GROUP BY
    a figure."""
    rows: dict[object, Row] = {}

    def row(key) -> Row:
        return rows.setdefault(key, Row())

    posts = _records("task_orders_published", period)
    key = _day_of(posts.c.published_at, period) if by_day else posts.c.trade_code.label("key")
    for k, r in _grouped(select(func.count().label("n"), func.sum(posts.c.headcount).label("places"),
                                func.sum(posts.c.taken).label("taken")), key).items():
        found = row(k)
        found.postings, found.places, found.taken = r.n, int(r.places or 0), int(r.taken or 0)

    def deals(records, moment, *columns):
        key = _day_of(moment, period) if by_day else TaskOrder.trade_code.label("key")
        query = select(func.count().label("n"), *columns).select_from(records).join(
            TaskOrder, TaskOrder.id == records.c.task_order_id)
        return _grouped(query, key)

    accepted = _records("deals_accepted", period)
    for k, r in deals(accepted, accepted.c.accepted_at).items():
        row(k).accepted = r.n
    completed = _records("deals_completed", period)
    for k, r in deals(completed, completed.c.completed_at).items():
        row(k).completed = r.n
    cancelled = (select(Deal).where(metrics.during(Deal.cancelled_at, period),
                                    Deal.status == DealStatus.CANCELLED).subquery())
    for k, r in deals(cancelled, cancelled.c.cancelled_at).items():
        row(k).cancelled = r.n
    settled = _records("wages_settled", period)
    for k, r in deals(settled, settled.c.settled_at,
                      func.coalesce(func.sum(_fen(settled.c.wage_amount)), 0).label("fen")).items():
        found = row(k)
        found.settled, found.wages = r.n, (Decimal(int(r.fen)) / 100).quantize(FEN)
    priced = (select(Deal).where(metrics.during(Deal.priced_at, period), Deal.pay_unit == PayUnit.DAY)
              .subquery())
    for k, r in deals(priced, priced.c.priced_at, func.sum(_fen(priced.c.pay)).label("fen")).items():
        found = row(k)
        found.day_rated, found.day_rate_fen = r.n, int(r.fen or 0)
    return rows


def _sum(rows) -> Row:
    total = Row()
    for r in rows:
        for name in ("postings", "places", "taken", "accepted", "completed", "cancelled", "settled",
                     "day_rate_fen", "day_rated"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.wages += r.wages
    return total


def _trade_rows(found: dict[str, Row]) -> tuple[TradeRow, ...]:
    trades = hall().trades_by_code
    codes = [t.code for t in hall().trades] + sorted(code for code in found if code not in trades)
    return tuple(TradeRow(code, trades[code].name, trades[code].icon, found.get(code, Row()))
                 for code in codes)


def _day_rows(period: LocalPeriod, found: dict[int, Row]) -> tuple[DayRow, ...]:
    """Every day of the period: a day with figures on its own row, a run of empty days as one."""
    rows: list[DayRow] = []
    day = period.first_day
    while day <= period.last_day:
        figures = found.get((day - EPOCH).days)
        if figures is not None and not figures.empty:
            rows.append(DayRow(day, day, figures))
        elif rows and rows[-1].row.empty and rows[-1].last == day - timedelta(days=1):
            rows[-1] = DayRow(rows[-1].first, day, rows[-1].row)
        else:
            rows.append(DayRow(day, day, Row()))
        day += timedelta(days=1)
    return tuple(rows)


def _to_first_deal(period: LocalPeriod) -> list[float]:
    """Hours from publication to the first deal, of each posting published in the period
    that got one (one row per such posting: the median needs them)."""
    posts = _records("task_orders_published", period)
    first = (select(Deal.task_order_id, func.min(Deal.accepted_at).label("first_at"))
             .where(Deal.task_order_id.in_(select(posts.c.id))).group_by(Deal.task_order_id).subquery())
    hours = seconds_between(posts.c.published_at, first.c.first_at) / 3600
    return [max(0.0, float(h)) for h in db.session.scalars(
        select(hours).select_from(posts).join(first, first.c.task_order_id == posts.c.id))]


def figures(period: LocalPeriod) -> Figures:
    by_trade = _collect(period, by_day=False)
    by_day = _collect(period, by_day=True)
    waits = _to_first_deal(period)
    return Figures(
        period=period, total=_sum(by_trade.values()), trades=_trade_rows(by_trade),
        days=_day_rows(period, by_day),
        median_hours_to_deal=median(waits) if waits else None, postings_with_deal=len(waits),
        expiring=tuple(db.session.scalars(task_orders.expiring(local_today(), EXPIRING_DAYS))))


# -- the CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ("分组", "行业或日期", "发布招工信息（条）", "提供岗位（个）", "已接岗位（个）", "满岗率",
               "接单（笔）", "完成交易（笔）", "取消交易（笔）", "工资结算（笔）", "结算工资合计（元）",
               "平均约定日工资（元/天）")


def _csv_cells(group: str, label: str, r: Row) -> tuple:
    return (group, label, r.postings, r.places, r.taken, r.fill_rate, r.accepted, r.completed, r.cancelled,
            r.settled, f"{r.wages:.2f}", "" if r.day_rate is None else f"{r.day_rate:.2f}")


def csv_lines(period: LocalPeriod) -> Iterator[str]:
    """The page's tables as lines: one per trade, one per day of the period (empty days too),
    then the total; counts and sums only, nothing personal."""
    found = figures(period)
    lines = Lines()
    yield BOM + lines.add(CSV_COLUMNS).take()
    for trade in found.trades:
        lines.add(_csv_cells("行业", trade.name, trade.row))
    for day in found.days:
        first = day.first
        while first <= day.last:
            lines.add(_csv_cells("日期", first.isoformat(), day.row))
            first += timedelta(days=1)
    lines.add(_csv_cells("合计", found.period.label, found.total))
    yield lines.take()
