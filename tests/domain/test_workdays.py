"""Working days (app/domain/workdays.py): Monday to Friday, minus the holidays entered, plus
the weekend days worked in their place. The calendar below is test data typed in as staff
would from the State Council's notice for 2026: National Day 1–7 October off, Sunday
20 September and Saturday 10 October worked."""

from datetime import date

import pytest

from app.domain.workdays import Calendar, DayKind

NATIONAL_DAY_2026 = Calendar.of(
    [(date(2026, 10, d), DayKind.HOLIDAY) for d in (1, 2, 5, 6, 7)]  # 3–4 Oct: a weekend anyway
    + [(date(2026, 9, 20), DayKind.WORKDAY), (date(2026, 10, 10), DayKind.WORKDAY)])
PLAIN = Calendar()


def test_a_plain_week_skips_the_weekend():
    friday = date(2026, 11, 27)
    assert PLAIN.add(friday, 1) == date(2026, 11, 30)  # Monday
    assert PLAIN.add(friday, 5) == date(2026, 12, 4)  # Friday after
    assert PLAIN.add(date(2026, 11, 23), 4) == friday  # Monday + 4 stays in the week
    assert PLAIN.between(friday, date(2026, 11, 30)) == 1
    assert PLAIN.between(friday, date(2026, 11, 29)) == 0  # Saturday, Sunday: no working day


def test_the_national_day_week_is_skipped_and_the_worked_saturday_counts():
    friday_before = date(2026, 9, 25)
    # 28, 29, 30 Sep; 8, 9 Oct; Saturday 10 Oct worked; 12–16, 19–22 Oct
    assert NATIONAL_DAY_2026.add(friday_before, 3) == date(2026, 9, 30)
    assert NATIONAL_DAY_2026.add(friday_before, 4) == date(2026, 10, 8)
    assert NATIONAL_DAY_2026.add(friday_before, 6) == date(2026, 10, 10)
    assert NATIONAL_DAY_2026.add(friday_before, 15) == date(2026, 10, 22)
    assert PLAIN.add(friday_before, 15) == date(2026, 10, 16)  # what a calendar without it says
    assert NATIONAL_DAY_2026.between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert NATIONAL_DAY_2026.between(friday_before, date(2026, 10, 22)) == 15
    assert NATIONAL_DAY_2026.is_working(date(2026, 9, 20))  # a Sunday worked
    assert not NATIONAL_DAY_2026.is_working(date(2026, 10, 5))  # a Monday off


def test_an_event_on_a_saturday_counts_from_the_monday():
    saturday = date(2026, 11, 28)
    assert PLAIN.add(saturday, 1) == date(2026, 11, 30)
    assert PLAIN.add(saturday, 15) == date(2026, 12, 18)


def test_an_event_on_a_holiday_counts_from_the_first_working_day_after_it():
    assert NATIONAL_DAY_2026.add(date(2026, 10, 2), 1) == date(2026, 10, 8)
    assert NATIONAL_DAY_2026.add(date(2026, 10, 2), 3) == date(2026, 10, 10)


def test_between_is_nothing_backwards_and_matches_add():
    start = date(2026, 9, 18)
    for n in (1, 2, 7, 15, 30):
        assert NATIONAL_DAY_2026.between(start, NATIONAL_DAY_2026.add(start, n)) == n
    assert NATIONAL_DAY_2026.between(date(2026, 10, 22), date(2026, 9, 25)) == 0


@pytest.mark.parametrize("days", [0, -1])
def test_adding_no_working_days_is_refused(days):
    with pytest.raises(ValueError):
        PLAIN.add(date(2026, 11, 27), days)
