"""The satisfaction figures (满意度统计): how satisfied the hall's visitors are over a period,
and whether anyone stuffed the exit terminal. For the manager and the bureau's assessor.

Everything is counted in the database over the period's ``[start, end)`` (the indexed
``rating.at``), never by looping over ratings in Python:

- one GROUP BY role, channel, window, service kind and level gives every breakdown (the
  rates by role, channel, window and service kind, the five levels' distribution and the
  share verified by a slip): a few hundred groups at most, folded here;
- the weekday × hour matrix, the monthly trend and the refused presses' days need the hall's
  clock time of each rating: the SQL adds the zone's UTC offset to the UTC timestamp
  (``metrics.local_seconds``), the offset chosen by a CASE on the constants of
  ``LocalPeriod.utc_offsets()``. In Asia/Shanghai (no summer time since 1991) that is one
  constant, +8 h; in a zone with summer time each change of the clocks is one more WHEN, so
  the cells stay right there too (and with half-hour offsets). One GROUP BY gives the
  ratings per clock hour (at most 8,784 groups a year); the matrix and the months are
  folded from those groups.

"Satisfied" is what the period's rubric says (item B7's ``satisfied_levels``, the item
reading the ``ratings_satisfied`` counter): the rubric of the assessment year containing the
period's first day once the service start date is set, else the hall's default rubric
(``SCORE_RUBRIC``); the convention's first three levels if the rubric names none. Rates are
exact fractions; shown with one decimal, half up, as the score sheet shows B7.

The CSV (``csv_lines``) has one line per rating and no personal data: no phone number (not
even its last four digits), no network address, no free-text comment (people write names and
numbers in it); only whether a call-back number was left.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from fractions import Fraction

from sqlalchemy import case, func, select

from app.clock import hall_period, hall_tz, local_today
from app.domain import EARLIEST_DATE, Invalid
from app.domain.charts import WEEKDAYS, HeatMap, TrendChart, bands, heat_map, percent_text, trend_chart
from app.domain.periods import LocalPeriod, PeriodKind
from app.domain.ratings import DEFAULT_SATISFIED, LEVEL_BY_VALUE, LEVELS, Channel, RaterRole, satisfied_values
from app.domain.rubric import Item, Rubric
from app.extensions import db
from app.hall_config import hall
from app.models import Rating, RatingReason, RatingRefusal

from . import assessment, scoring
from .csv_export import BOM, Lines
from .metrics import during, local_seconds, on_days
from .ratings import SERVICE_KINDS, terminal_label

SATISFIED_COUNTER = "ratings_satisfied"
NO_SERVICE = "评价终端（未关联服务）"
NO_WINDOW = "未关联窗口"
DEFAULT_THRESHOLDS = (90, 80, 70, 60)  # the heat map's scale when the rubric has no tiers
MONTHS_BACK = 12  # a month's trend: it and the eleven before it
CSV_BATCH = 1000  # ratings read, and lines handed on, at a time


# -- shares -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """``part`` of ``whole``: satisfied of all ratings, or slip ratings of all."""

    part: int
    whole: int

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def text(self) -> str:
        """91.7% (one decimal, half up); "—" of nothing."""
        return percent_text(self.part, self.whole)

    def __add__(self, other: Share) -> Share:
        return Share(self.part + other.part, self.whole + other.whole)


NOTHING = Share(0, 0)


@dataclass(frozen=True)
class Row:
    label: str
    rate: Share  # satisfied of the row's ratings


@dataclass(frozen=True)
class LevelRow:
    value: int
    label: str
    face: str
    satisfied: bool  # counted as satisfied in this period's rubric
    share: Share  # this level's ratings of all


@dataclass(frozen=True)
class MonthRow:
    month: LocalPeriod
    rate: Share

    @property
    def label(self) -> str:
        first = self.month.first_day
        if first.day == 1:
            return f"{first.year}年{first.month}月"
        return f"{first.isoformat()}至{self.month.last_day.isoformat()}"


@dataclass(frozen=True)
class RefusalRow:
    day: date
    terminal: str  # as staff know it (never a network address)
    refused: int
    rated: int  # ratings the terminal took that day


@dataclass(frozen=True)
class Choice:
    """The period a page shows, and how it was asked for."""

    period: LocalPeriod
    month: str  # YYYY-MM, or "" for an assessment year
    year: int | None  # the assessment year's number


@dataclass(frozen=True)
class Figures:
    period: LocalPeriod
    rubric: Rubric
    satisfied_levels: tuple[int, ...]
    overall: Share
    levels: tuple[LevelRow, ...]
    by_role: tuple[Row, ...]
    by_channel: tuple[Row, ...]
    by_window: tuple[Row, ...]
    by_kind: tuple[Row, ...]
    # the exit terminal's ratings per terminal, most first: a device nobody named that rates
    # a lot (a phone posing as a terminal) stands out here
    by_terminal: tuple[Row, ...]
    verified: Share  # slip ratings of all
    matrix: dict[tuple[int, int], Share]  # (weekday 0 = Monday, hour) → satisfied of the cell's
    trend: tuple[MonthRow, ...]
    refusals: tuple[RefusalRow, ...]
    refused_total: int
    terminal_rated: int  # ratings from the exit terminal(s) in the period

    @property
    def satisfied_labels(self) -> str:
        return "、".join(LEVEL_BY_VALUE[v].label for v in self.satisfied_levels)

    def heat_map(self) -> HeatMap:
        return heat_map({cell: (share.whole, share.part) for cell, share in self.matrix.items()},
                        bands(thresholds(self.rubric)))

    @property
    def heat_desc(self) -> str:
        """What the heat map shows, in words: the total and the busiest hours."""
        busiest = sorted(self.matrix.items(), key=lambda cell: (-cell[1].whole, cell[0]))[:3]
        words = "；".join(f"{WEEKDAYS[day]} {hour}时 {share.whole} 条，满意率 {share.text}"
                         for (day, hour), share in busiest)
        return f"共 {self.overall.whole} 条评价" + (f"；评价最多的时段：{words}" if words else "") + "。"

    @property
    def trend_desc(self) -> str:
        months = [f"{m.label} {m.rate.whole} 条，满意率 {m.rate.text}" for m in self.trend]
        return "；".join(months) or "没有数据"

    def trend_chart(self) -> TrendChart:
        return trend_chart([(f"{m.month.first_day.month}月", m.label, m.rate.whole, m.rate.part)
                            for m in self.trend])


# -- the period and its rubric ------------------------------------------------------------------

def choose(month: str | None = None, year: str | None = None) -> Choice:
    """The period asked for: ``year`` (an assessment year's number, once the service start
    is set), else ``month`` (YYYY-MM, not after this month), else this month. A wrong value
    raises ``Invalid`` naming the field."""
    if year:
        if assessment.service_start() is None:
            raise Invalid("还没有设置服务起始日期，只能按月查看", "year")
        if not (year.isascii() and year.isdigit() and len(year) <= 3) or int(year) not in begun_years():
            raise Invalid("没有这个考核年度", "year")
        return Choice(assessment.period(int(year)), "", int(year))
    if month:
        text = month.strip()
        try:
            if len(text) != 7 or text[4] != "-" or not text.replace("-", "").isdigit():
                raise ValueError
            chosen = LocalPeriod.month(int(text[:4]), int(text[5:]), hall_tz())
        except ValueError:
            raise Invalid("月份应写成 2026-11 这样的年-月", "month") from None
        if chosen.first_day > local_today():
            raise Invalid("不能选择以后的月份", "month")
        if chosen.first_day < EARLIEST_DATE:
            raise Invalid("月份不对，请核对年份", "month")
        return Choice(chosen, text, None)
    this = hall_period(PeriodKind.MONTH)
    return Choice(this, this.first_day.strftime("%Y-%m"), None)


def begun_years() -> list[int]:
    """The assessment years begun so far (none without a service start date)."""
    if assessment.service_start() is None:
        return []
    return list(range(1, assessment.current_number() + 1))


def recent_months(count: int = 24) -> list[LocalPeriod]:
    """This month and the ones before it, newest first (the month picker)."""
    this = hall_period(PeriodKind.MONTH)
    return [this.shifted(-n) for n in range(count)]


def rubric_of(period: LocalPeriod) -> Rubric:
    """The rubric the period is judged by: its assessment year's (the year containing its first
    day, once the service start is set), else the hall's default."""
    if period.kind is PeriodKind.ASSESSMENT_YEAR and period.number:
        return assessment.rubric_for(period.number)
    start = assessment.service_start()
    if start is not None and period.first_day >= start:
        return assessment.rubric_for(LocalPeriod.assessment_year(start, period.first_day, hall_tz()).number)
    return hall().rubric


def _rate_item(rubric: Rubric) -> Item | None:
    return next((item for item in rubric.items if item.numerator == SATISFIED_COUNTER), None)


def satisfied_levels(rubric: Rubric) -> tuple[int, ...]:
    item = _rate_item(rubric)
    levels = item.options(SATISFIED_COUNTER).get("levels") if item else None
    return tuple(levels or satisfied_values(DEFAULT_SATISFIED))


def thresholds(rubric: Rubric) -> list[Fraction]:
    """The rate item's tier boundaries (B7: 90, 80, 70, 60 %) for the heat map's colours."""
    item = _rate_item(rubric)
    tiers = item.tiers if item else ()
    found = sorted({Fraction(tier.min) for tier in tiers if tier.min > 0}, reverse=True)
    return found[:4] or [Fraction(t) for t in DEFAULT_THRESHOLDS]


# -- the figures ----------------------------------------------------------------------------------

def figures(period: LocalPeriod) -> Figures:
    rubric = rubric_of(period)
    levels = satisfied_levels(rubric)
    satisfied = func.count(case((Rating.level.in_(levels), 1)))
    groups = db.session.execute(
        select(Rating.role, Rating.channel, Rating.window, Rating.service_kind, Rating.level,
               Rating.terminal, func.count(), satisfied)
        .where(during(Rating.at, period))
        .group_by(Rating.role, Rating.channel, Rating.window, Rating.service_kind, Rating.level,
                  Rating.terminal)).all()

    def fold(key, only=lambda row: True) -> dict:
        result: dict = {}
        for row in groups:
            if only(row):
                k = key(row)
                result[k] = result.get(k, NOTHING) + Share(row[7], row[6])
        return result

    overall = fold(lambda row: None).get(None, NOTHING)
    per_level = fold(lambda row: row.level)
    roles = fold(lambda row: row.role)
    channels = fold(lambda row: row.channel)
    windows = fold(lambda row: row.window)
    kinds = fold(lambda row: row.service_kind)
    terminals = fold(lambda row: row.terminal, only=lambda row: row.channel == Channel.TERMINAL)
    slips = channels.get(Channel.SLIP, NOTHING).whole
    refusals, refused_total = _refusals(period)
    hours = _clock_hours(period, levels)
    return Figures(
        period, rubric, levels, overall,
        levels=tuple(LevelRow(level.value, level.label, level.face, level.value in levels,
                              Share(per_level.get(level.value, NOTHING).whole, overall.whole))
                     for level in LEVELS),
        by_role=tuple(Row(role.label, roles.get(role, NOTHING)) for role in RaterRole),
        by_channel=tuple(Row(channel.label, channels.get(channel, NOTHING)) for channel in Channel),
        by_window=tuple([Row(f"{n}号窗口", windows[n]) for n in sorted(w for w in windows if w is not None)]
                        + ([Row(NO_WINDOW, windows[None])] if None in windows else [])),
        by_kind=tuple([Row(SERVICE_KINDS.get(kind, kind), kinds[kind])
                       for kind in sorted(k for k in kinds if k is not None)]
                      + ([Row(NO_SERVICE, kinds[None])] if None in kinds else [])),
        by_terminal=tuple(Row(terminal_label(name), share) for name, share in
                          sorted(terminals.items(), key=lambda item: (-item[1].whole, item[0] or ""))),
        verified=Share(slips, overall.whole),
        matrix=_matrix(hours),
        trend=_trend(period, levels, hours),
        refusals=refusals, refused_total=refused_total,
        terminal_rated=channels.get(Channel.TERMINAL, NOTHING).whole,
    )


def _clock_hours(period: LocalPeriod, levels: tuple[int, ...]) -> dict[int, Share]:
    """The period's ratings per hour of the hall's clock, numbered from 1970-01-01 00:00
    local (hour // 24 is the local day, hour % 24 the hour shown): one GROUP BY, each row's
    clock time computed once, a few thousand groups at most (8,784 in a leap year)."""
    hour = (local_seconds(Rating.at, period) // 3600).label("hour")
    rows = db.session.execute(
        select(hour, func.count().label("n"),
               func.count(case((Rating.level.in_(levels), 1))).label("satisfied"))
        .where(during(Rating.at, period)).group_by(hour))
    return {int(row.hour): Share(row.satisfied, row.n) for row in rows}


def _matrix(hours: dict[int, Share]) -> dict[tuple[int, int], Share]:
    """(weekday, hour) cells from clock hours; 1970-01-01 was a Thursday: Monday is 0."""
    cells: dict[tuple[int, int], Share] = {}
    for number, share in hours.items():
        key = ((number // 24 + 3) % 7, number % 24)
        cells[key] = cells.get(key, NOTHING) + share
    return cells


def trend_months(period: LocalPeriod) -> list[LocalPeriod]:
    """An assessment year's service months begun so far; a month's twelve months up to it."""
    if period.kind is PeriodKind.ASSESSMENT_YEAR:
        today = local_today()
        return [month for month in scoring.months(period) if month.first_day <= today]
    return [period.shifted(-n) for n in range(MONTHS_BACK - 1, -1, -1)]


def _trend(period: LocalPeriod, levels: tuple[int, ...], hours: dict[int, Share]) -> tuple[MonthRow, ...]:
    """Each month's ratings, from the clock hours (those of the period when its months lie
    within it, else of the months' own span)."""
    months = trend_months(period)
    if not months:
        return ()
    if months[0].first_day < period.first_day or months[-1].last_day > period.last_day:
        # a run of whole months (kind MONTH: only its days matter here)
        hours = _clock_hours(LocalPeriod(PeriodKind.MONTH, months[0].first_day, months[-1].last_day,
                                         period.tz), levels)
    epoch, firsts = date(1970, 1, 1), [month.first_day for month in months]
    found = [NOTHING] * len(months)
    for number, share in hours.items():
        index = bisect_right(firsts, epoch + timedelta(days=number // 24)) - 1
        if 0 <= index and epoch + timedelta(days=number // 24) <= months[index].last_day:
            found[index] += share
    return tuple(MonthRow(month, share) for month, share in zip(months, found, strict=True))


def _refusals(period: LocalPeriod) -> tuple[tuple[RefusalRow, ...], int]:
    """Presses refused per terminal and (hall-local) day, beside the ratings it took that day."""
    rows = db.session.execute(select(RatingRefusal.day, RatingRefusal.terminal, RatingRefusal.count)
                              .where(on_days(RatingRefusal.day, period))
                              .order_by(RatingRefusal.day, RatingRefusal.terminal)).all()
    if not rows:
        return (), 0
    day_number = local_seconds(Rating.at, period) // 86400
    rated = {(date(1970, 1, 1) + timedelta(days=int(row.day)), row.terminal): row.n
             for row in db.session.execute(
                 select(day_number.label("day"), Rating.terminal, func.count().label("n"))
                 .where(during(Rating.at, period), Rating.channel == Channel.TERMINAL,
                        Rating.terminal.in_({row.terminal for row in rows}))
                 .group_by(day_number, Rating.terminal))}
    result = tuple(RefusalRow(row.day, terminal_label(row.terminal), row.count,
                              rated.get((row.day, row.terminal), 0)) for row in rows)
    return result, sum(row.refused for row in result)


# -- the CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ("时间", "等级", "评价", "身份", "渠道", "终端", "服务类型", "窗口", "原因", "留有回访电话")


def csv_lines(period: LocalPeriod) -> Iterator[str]:
    """One line per rating of the period, oldest first (UTF-8 with a BOM, so that Excel reads
    the Chinese), read and handed on a thousand at a time; a cell a spreadsheet would take
    for a formula gets an apostrophe. No phone number, address or comment: see the module's
    docstring."""
    lines = Lines()
    yield BOM + lines.add(CSV_COLUMNS).take()
    spans, labels = period.utc_offsets(), {}
    # the hall's clock: one offset for the whole period (Asia/Shanghai), else each moment's
    fixed = timedelta(seconds=spans[0][1]) if len(spans) == 1 else None
    tz = hall_tz()
    words = {level.value: level.label for level in LEVELS}
    kinds = {kind: SERVICE_KINDS.get(kind, kind or "") for kind in SERVICE_KINDS}
    rows = select(Rating.id, Rating.at, Rating.level, Rating.role, Rating.channel, Rating.terminal,
                  Rating.service_kind, Rating.window, Rating.phone_cipher.is_not(None).label("callback")) \
        .where(during(Rating.at, period)).order_by(Rating.at, Rating.id)
    result = db.session.execute(rows.execution_options(yield_per=CSV_BATCH))
    for batch in result.partitions():
        reasons: dict[int, list[str]] = {}
        for rating_id, reason in db.session.execute(
                select(RatingReason.rating_id, RatingReason.reason)
                .where(RatingReason.rating_id.in_([row.id for row in batch]))
                .order_by(RatingReason.rating_id, RatingReason.reason)):
            reasons.setdefault(rating_id, []).append(reason.label)
        for row in batch:
            if row.terminal not in labels:
                labels[row.terminal] = terminal_label(row.terminal)
            if row.service_kind not in kinds:
                kinds[row.service_kind] = SERVICE_KINDS.get(row.service_kind, row.service_kind or "")
            local = row.at + fixed if fixed is not None else row.at.replace(tzinfo=UTC).astimezone(tz)
            lines.add((local.isoformat(" ", "seconds")[:19], row.level, words.get(row.level, ""),
                             row.role.label, row.channel.label, labels[row.terminal], kinds[row.service_kind],
                             row.window or "", "、".join(reasons.get(row.id, ())),
                             "是" if row.callback else "否"))
        yield lines.take()


def csv_filename(choice: Choice) -> str:
    return f"ratings-{choice.month}.csv" if choice.month else f"ratings-year-{choice.year}.csv"
