"""Working days: Monday to Friday, except public holidays, plus the weekend days worked in
their place (调休). Pure: the exceptions come from the hall's calendar (``CalendarDay``,
kept by staff from the State Council's yearly announcement; nothing is built in, because a
wrong built-in holiday would move every deadline silently).

Deadlines counted in working days (a bad rating's follow-up within 15 working days, a
dispute's acceptance within 3) start the day after the event: an event on any day, working
or not, is due on the n-th working day after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .workflow import LabelledEnum


class DayKind(LabelledEnum):
    HOLIDAY = "holiday", "放假"  # a day off, even on a weekday
    WORKDAY = "workday", "调休上班"  # a day worked, even on a weekend


@dataclass(frozen=True)
class Calendar:
    """The exceptions to Monday-to-Friday: days off and days worked."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, days: Iterable[tuple[date, DayKind]]) -> Calendar:
        days = list(days)
        return cls(frozenset(d for d, kind in days if kind == DayKind.HOLIDAY),
                   frozenset(d for d, kind in days if kind == DayKind.WORKDAY))

    def is_working(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.weekday() < 5

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
        if days < 1:
            raise ValueError("days must be at least 1")
        day, left = start, days
        while left:
            day += timedelta(days=1)
            if self.is_working(day):
                left -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working(day)
        return count


def search_span(days: int) -> timedelta:
    """How far past the start ``days`` working days can reach: weekends and the longest
    holidays (Spring Festival, National Day: 8–9 days off) with room to spare."""
    return timedelta(days=days * 2 + 30)
