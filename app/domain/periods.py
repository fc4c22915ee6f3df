"""Hall-local periods: a day, a month, an assessment year, as half-open UTC ranges.

Stored timestamps are naive UTC. A ``LocalPeriod`` turns its hall-local dates into
``[start, end)`` in naive UTC once, so that a query compares an indexed timestamp column
with two constants (``start <= column < end``) instead of converting every row. A column
holding a hall-local date (``ticket.day``) is compared with ``first_day`` and ``last_day``.

Local midnight comes from the zone's rules (zoneinfo), never from a fixed offset: in a zone
with summer time a day may last 23 or 25 hours. Asia/Shanghai has had none since 1991.

The assessment year runs from the service start date's month and day to the day before
its next anniversary; year 1 starts on the service start date itself. A start on 29
February has its anniversary on 1 March in common years (the year then ends on 28
February, the month's last day).
"""

import calendar
import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo


class PeriodKind(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    ASSESSMENT_YEAR = "assessment_year"

    @property
    def label(self) -> str:
        return {"day": "日", "month": "月", "assessment_year": "考核年度"}[self.value]


def to_utc(moment: datetime) -> datetime:
    """Naive UTC for an aware datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_date(utc_naive: datetime, tz: tzinfo) -> date:
    """The date a clock in ``tz`` shows at a (naive UTC) moment."""
    return to_utc(utc_naive).replace(tzinfo=UTC).astimezone(tz).date()


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """Naive UTC of the first moment of a local day (after a gap at midnight: its end)."""
    return to_utc(datetime.combine(day, time(0), tzinfo=tz))


def anniversary(start: date, years: int) -> date:
    """``start`` moved by whole years; 29 February becomes 1 March in common years."""
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return start.replace(year=year)


@dataclass(frozen=True)
class LocalPeriod:
    """A run of whole hall-local days, and the UTC range ``[start, end)`` they cover.

    Build one with ``day``, ``month``, ``assessment_year`` or ``containing``.
    """

    kind: PeriodKind
    first_day: date  # hall-local, inclusive
    last_day: date  # hall-local, inclusive
    tz: tzinfo
    # Assessment years: the service start date (year 1 begins on it) and this year's number.
    service_start: date | None = None
    number: int | None = None
    start: datetime = field(init=False, compare=False)  # naive UTC, inclusive
    end: datetime = field(init=False, compare=False)  # naive UTC, exclusive

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise ValueError("a period ends on or after its first day")
        object.__setattr__(self, "start", local_midnight(self.first_day, self.tz))
        object.__setattr__(self, "end", local_midnight(self.last_day + timedelta(days=1), self.tz))

    # -- constructors ------------------------------------------------------------------

    @classmethod
    def day(cls, day: date, tz: tzinfo) -> "LocalPeriod":
        return cls(PeriodKind.DAY, _plain_date(day), _plain_date(day), tz)

    @classmethod
    def month(cls, year: int, month: int, tz: tzinfo) -> "LocalPeriod":
        last = calendar.monthrange(year, month)[1]
        return cls(PeriodKind.MONTH, date(year, month, 1), date(year, month, last), tz)

    @classmethod
    def assessment_year(cls, service_start: date, n_or_containing: "int | date",
                        tz: tzinfo) -> "LocalPeriod":
        """Year ``n`` (1 = the year starting on ``service_start``; 0 and below are the years
        before it), or the assessment year containing a hall-local date."""
        service_start = _plain_date(service_start)
        if isinstance(n_or_containing, date):
            day = _plain_date(n_or_containing)
            years = day.year - service_start.year
            if day < anniversary(service_start, years):
                years -= 1
            number = years + 1
        elif isinstance(n_or_containing, int) and not isinstance(n_or_containing, bool):
            number = n_or_containing
        else:
            raise TypeError("pass the year's number or a date within it")
        first = anniversary(service_start, number - 1)
        last = anniversary(service_start, number) - timedelta(days=1)
        return cls(PeriodKind.ASSESSMENT_YEAR, first, last, tz, service_start, number)

    @classmethod
    def containing(cls, utc_moment: datetime, kind: PeriodKind | str, tz: tzinfo, *,
                   service_start: date | None = None) -> "LocalPeriod":
        """The period of ``kind`` in which a moment (naive UTC, or aware) falls, in ``tz``."""
        day = local_date(utc_moment, tz)
        kind = PeriodKind(kind)
        if kind is PeriodKind.DAY:
            return cls.day(day, tz)
        if kind is PeriodKind.MONTH:
            return cls.month(day.year, day.month, tz)
        if service_start is None:
            raise TypeError("an assessment year needs the service start date")
        return cls.assessment_year(service_start, day, tz)

    # -- queries -----------------------------------------------------------------------

    def contains(self, utc_moment: datetime) -> bool:
        """Whether a moment (naive UTC, or aware) falls within the period."""
        return self.start <= to_utc(utc_moment) < self.end

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def label(self) -> str:
        """Chinese: 2026年11月29日, 2026年11月, 2026年度（2026-01-01至2026-12-31）."""
        first = self.first_day
        if self.kind is PeriodKind.DAY:
            return f"{first.year}年{first.month}月{first.day}日"
        if self.kind is PeriodKind.MONTH:
            return f"{first.year}年{first.month}月"
        return f"{first.year}年度（{first.isoformat()}至{self.last_day.isoformat()}）"

    def __str__(self) -> str:
        return self.label

    def shifted(self, steps: int) -> "LocalPeriod":
        """The period of the same kind ``steps`` later (negative: earlier)."""
        if self.kind is PeriodKind.DAY:
            return LocalPeriod.day(self.first_day + timedelta(days=steps), self.tz)
        if self.kind is PeriodKind.MONTH:
            months = self.first_day.year * 12 + self.first_day.month - 1 + steps
            return LocalPeriod.month(months // 12, months % 12 + 1, self.tz)
        return LocalPeriod.assessment_year(self.service_start, self.number + steps, self.tz)

    def next(self) -> "LocalPeriod":
        return self.shifted(1)

    def previous(self) -> "LocalPeriod":
        return self.shifted(-1)

    def clock_hours(self) -> list[tuple[int, datetime]]:
        """A day's clock hours: (the hour the hall's clock shows, naive UTC moment it begins),
        in time order. Usually 24; 23 on a day the clocks go forward; an hour shown twice
        (clocks going back) appears twice. Each hour runs until the next one begins, the
        last until ``end``."""
        if self.kind is not PeriodKind.DAY:
            raise ValueError("clock hours are those of one day")
        starts: dict[datetime, int] = {}
        for hour in range(24):
            for fold in (0, 1):  # an hour repeated when the clocks go back has two starts
                moment = to_utc(datetime.combine(self.first_day, time(hour, fold=fold), tzinfo=self.tz))
                shown = moment.replace(tzinfo=UTC).astimezone(self.tz)
                # a wall-clock hour skipped by the clocks going forward maps to a moment
                # that shows another hour: it has no start of its own
                if shown.date() == self.first_day and shown.hour == hour and self.contains(moment):
                    starts[moment] = hour
        return [(hour, moment) for moment, hour in sorted(starts.items())]

    def utc_offsets(self) -> list[tuple[datetime, int]]:
        """The zone's UTC offsets over the period, in seconds: ``(naive UTC moment from which
        it holds, offset)``, the first from ``start``. One entry in a zone without summer time
        (Asia/Shanghai: +28800 all year); each change of the clocks within the period adds one.
        A query turns a UTC column into the hall's clock time by adding the offset chosen with
        a CASE on these constants: right on days the clocks change, nothing converted per row
        in Python."""

        def offset(moment: datetime) -> int:
            return int(moment.replace(tzinfo=UTC).astimezone(self.tz).utcoffset().total_seconds())

        probes = [self.start + timedelta(days=n) for n in range(self.days)]
        probes.append(self.end - timedelta(microseconds=1))
        spans = [(self.start, offset(self.start))]
        for before, after in zip(probes, probes[1:], strict=False):
            if offset(before) == offset(after):
                continue
            low, high = 0, int((after - before).total_seconds())  # old at low, new at high
            while high - low > 1:
                middle = (low + high) // 2
                if offset(before + timedelta(seconds=middle)) == offset(before):
                    low = middle
                else:
                    high = middle
            changed = before + timedelta(seconds=high)
            spans.append((changed, offset(changed)))
        return spans


def _plain_date(value: date) -> date:
    if isinstance(value, datetime):
        raise TypeError("pass a date; for a moment use LocalPeriod.containing")
    return value
