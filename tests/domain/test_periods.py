"""Hall-local periods: boundaries at local midnight, month ends, leap years, assessment
years from the service start date, previous and next, in zones with and without DST."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from app.domain.periods import LocalPeriod, PeriodKind, anniversary

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")
START_2026 = date(2026, 1, 1)


def utc(text: str) -> datetime:
    """Naive UTC, as stored, of an ISO moment with its offset."""
    return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize(("period", "first", "last", "start", "end", "label"), [
    (LocalPeriod.day(date(2026, 11, 29), SHANGHAI), "2026-11-29", "2026-11-29",
     "2026-11-28 16:00", "2026-11-29 16:00", "2026年11月29日"),
    (LocalPeriod.day(date(2026, 1, 1), SHANGHAI), "2026-01-01", "2026-01-01",
     "2025-12-31 16:00", "2026-01-01 16:00", "2026年1月1日"),
    (LocalPeriod.day(date(2028, 2, 29), SHANGHAI), "2028-02-29", "2028-02-29",
     "2028-02-28 16:00", "2028-02-29 16:00", "2028年2月29日"),
    (LocalPeriod.month(2026, 11, SHANGHAI), "2026-11-01", "2026-11-30",
     "2026-10-31 16:00", "2026-11-30 16:00", "2026年11月"),
    (LocalPeriod.month(2026, 1, SHANGHAI), "2026-01-01", "2026-01-31",
     "2025-12-31 16:00", "2026-01-31 16:00", "2026年1月"),
    (LocalPeriod.month(2026, 2, SHANGHAI), "2026-02-01", "2026-02-28",
     "2026-01-31 16:00", "2026-02-28 16:00", "2026年2月"),
    (LocalPeriod.month(2028, 2, SHANGHAI), "2028-02-01", "2028-02-29",
     "2028-01-31 16:00", "2028-02-29 16:00", "2028年2月"),
    (LocalPeriod.month(2026, 12, SHANGHAI), "2026-12-01", "2026-12-31",
     "2026-11-30 16:00", "2026-12-31 16:00", "2026年12月"),
    (LocalPeriod.assessment_year(START_2026, 1, SHANGHAI), "2026-01-01", "2026-12-31",
     "2025-12-31 16:00", "2026-12-31 16:00", "2026年度（2026-01-01至2026-12-31）"),
    (LocalPeriod.assessment_year(START_2026, 3, SHANGHAI), "2028-01-01", "2028-12-31",
     "2027-12-31 16:00", "2028-12-31 16:00", "2028年度（2028-01-01至2028-12-31）"),
    (LocalPeriod.assessment_year(date(2026, 7, 1), 1, SHANGHAI), "2026-07-01", "2027-06-30",
     "2026-06-30 16:00", "2027-06-30 16:00", "2026年度（2026-07-01至2027-06-30）"),
    (LocalPeriod.assessment_year(date(2026, 3, 15), 2, SHANGHAI), "2027-03-15", "2028-03-14",
     "2027-03-14 16:00", "2028-03-14 16:00", "2027年度（2027-03-15至2028-03-14）"),
    # a 29 February start: its anniversary is 1 March in common years
    (LocalPeriod.assessment_year(date(2028, 2, 29), 1, SHANGHAI), "2028-02-29", "2029-02-28",
     "2028-02-28 16:00", "2029-02-28 16:00", "2028年度（2028-02-29至2029-02-28）"),
    (LocalPeriod.assessment_year(date(2028, 2, 29), 2, SHANGHAI), "2029-03-01", "2030-02-28",
     "2029-02-28 16:00", "2030-02-28 16:00", "2029年度（2029-03-01至2030-02-28）"),
    (LocalPeriod.assessment_year(date(2028, 2, 29), 5, SHANGHAI), "2032-02-29", "2033-02-28",
     "2032-02-28 16:00", "2033-02-28 16:00", "2032年度（2032-02-29至2033-02-28）"),
    # a zone behind UTC: midnight is the next UTC morning
    (LocalPeriod.day(date(2026, 1, 15), LOS_ANGELES), "2026-01-15", "2026-01-15",
     "2026-01-15 08:00", "2026-01-16 08:00", "2026年1月15日"),
    # the days the clocks change: 23 and 25 hours
    (LocalPeriod.day(date(2026, 3, 8), LOS_ANGELES), "2026-03-08", "2026-03-08",
     "2026-03-08 08:00", "2026-03-09 07:00", "2026年3月8日"),
    (LocalPeriod.day(date(2026, 11, 1), LOS_ANGELES), "2026-11-01", "2026-11-01",
     "2026-11-01 07:00", "2026-11-02 08:00", "2026年11月1日"),
    (LocalPeriod.month(2026, 3, LOS_ANGELES), "2026-03-01", "2026-03-31",
     "2026-03-01 08:00", "2026-04-01 07:00", "2026年3月"),
    (LocalPeriod.day(date(2026, 11, 29), KOLKATA), "2026-11-29", "2026-11-29",
     "2026-11-28 18:30", "2026-11-29 18:30", "2026年11月29日"),
])
def test_a_period_is_its_local_days_as_a_half_open_utc_range(period, first, last, start, end, label):
    assert (period.first_day, period.last_day) == (date.fromisoformat(first), date.fromisoformat(last))
    assert (period.start, period.end) == (datetime.fromisoformat(start), datetime.fromisoformat(end))
    assert period.start.tzinfo is None and period.end.tzinfo is None
    assert period.label == str(period) == label
    assert period.days == (period.last_day - period.first_day).days + 1


@pytest.mark.parametrize(("period", "inside", "outside"), [
    # 23:59:59 in the hall belongs to the day, 00:00:00 to the next one
    (LocalPeriod.day(date(2026, 11, 29), SHANGHAI),
     ["2026-11-29 00:00:00+08:00", "2026-11-29 23:59:59+08:00", "2026-11-29 23:59:59.999999+08:00"],
     ["2026-11-28 23:59:59+08:00", "2026-11-30 00:00:00+08:00"]),
    (LocalPeriod.month(2026, 1, SHANGHAI),
     ["2026-01-01 00:00:00+08:00", "2026-01-31 23:59:59+08:00"],
     ["2025-12-31 23:59:59+08:00", "2026-02-01 00:00:00+08:00"]),
    (LocalPeriod.month(2026, 2, SHANGHAI),
     ["2026-02-28 23:59:59+08:00"], ["2026-03-01 00:00:00+08:00", "2026-01-31 23:59:59+08:00"]),
    (LocalPeriod.month(2028, 2, SHANGHAI),
     ["2028-02-29 23:59:59+08:00"], ["2028-03-01 00:00:00+08:00"]),
    (LocalPeriod.assessment_year(START_2026, 1, SHANGHAI),
     ["2026-01-01 00:00:00+08:00", "2026-12-31 23:59:59+08:00"],
     ["2025-12-31 23:59:59+08:00", "2027-01-01 00:00:00+08:00"]),
    (LocalPeriod.assessment_year(date(2026, 7, 1), 1, SHANGHAI),
     ["2026-07-01 00:00:00+08:00", "2027-06-30 23:59:59+08:00"],
     ["2026-06-30 23:59:59+08:00", "2027-07-01 00:00:00+08:00"]),
    (LocalPeriod.day(date(2026, 3, 8), LOS_ANGELES),
     ["2026-03-08 00:00:00-08:00", "2026-03-08 23:59:59-07:00"],
     ["2026-03-07 23:59:59-08:00", "2026-03-09 00:00:00-07:00"]),
])
def test_contains_at_the_boundaries(period, inside, outside):
    for moment in inside:
        assert period.contains(utc(moment)), moment
        assert period.contains(datetime.fromisoformat(moment)), moment  # aware works too
    for moment in outside:
        assert not period.contains(utc(moment)), moment


@pytest.mark.parametrize(("period", "previous", "following"), [
    (LocalPeriod.day(date(2026, 11, 30), SHANGHAI),
     LocalPeriod.day(date(2026, 11, 29), SHANGHAI), LocalPeriod.day(date(2026, 12, 1), SHANGHAI)),
    (LocalPeriod.day(date(2026, 1, 1), SHANGHAI),
     LocalPeriod.day(date(2025, 12, 31), SHANGHAI), LocalPeriod.day(date(2026, 1, 2), SHANGHAI)),
    (LocalPeriod.day(date(2028, 2, 29), SHANGHAI),
     LocalPeriod.day(date(2028, 2, 28), SHANGHAI), LocalPeriod.day(date(2028, 3, 1), SHANGHAI)),
    (LocalPeriod.month(2026, 1, SHANGHAI),
     LocalPeriod.month(2025, 12, SHANGHAI), LocalPeriod.month(2026, 2, SHANGHAI)),
    (LocalPeriod.month(2026, 12, SHANGHAI),
     LocalPeriod.month(2026, 11, SHANGHAI), LocalPeriod.month(2027, 1, SHANGHAI)),
    (LocalPeriod.assessment_year(START_2026, 2, SHANGHAI),
     LocalPeriod.assessment_year(START_2026, 1, SHANGHAI), LocalPeriod.assessment_year(START_2026, 3, SHANGHAI)),
    (LocalPeriod.assessment_year(date(2028, 2, 29), 2, SHANGHAI),
     LocalPeriod.assessment_year(date(2028, 2, 29), 1, SHANGHAI),
     LocalPeriod.assessment_year(date(2028, 2, 29), 3, SHANGHAI)),
])
def test_previous_and_next_are_adjacent(period, previous, following):
    assert period.previous() == previous and period.next() == following
    assert previous.end == period.start and period.end == following.start
    assert previous.next() == period == following.previous()
    assert previous.last_day + timedelta(days=1) == period.first_day


def test_consecutive_assessment_years_leave_no_gap_and_start_on_the_anniversary():
    for start in (date(2026, 1, 1), date(2026, 7, 1), date(2026, 12, 31), date(2028, 2, 29)):
        year = LocalPeriod.assessment_year(start, 1, SHANGHAI)
        assert year.first_day == start and year.number == 1
        for _ in range(9):
            following = year.next()
            assert following.first_day == year.last_day + timedelta(days=1)
            assert following.first_day == anniversary(start, year.number)
            assert following.number == year.number + 1
            assert following.days in (365, 366)
            year = following


@pytest.mark.parametrize(("moment", "kind", "start_date", "expected"), [
    ("2026-11-29 23:59:59+08:00", PeriodKind.DAY, None, LocalPeriod.day(date(2026, 11, 29), SHANGHAI)),
    ("2026-11-29 16:00:00+00:00", PeriodKind.DAY, None, LocalPeriod.day(date(2026, 11, 30), SHANGHAI)),
    ("2026-11-30 23:59:59+08:00", "month", None, LocalPeriod.month(2026, 11, SHANGHAI)),
    ("2026-12-01 00:00:00+08:00", "month", None, LocalPeriod.month(2026, 12, SHANGHAI)),
    ("2026-12-31 23:59:59+08:00", "assessment_year", START_2026,
     LocalPeriod.assessment_year(START_2026, 1, SHANGHAI)),
    ("2027-01-01 00:00:00+08:00", "assessment_year", START_2026,
     LocalPeriod.assessment_year(START_2026, 2, SHANGHAI)),
    ("2027-06-30 23:59:59+08:00", "assessment_year", date(2026, 7, 1),
     LocalPeriod.assessment_year(date(2026, 7, 1), 1, SHANGHAI)),
    ("2026-06-30 23:59:59+08:00", "assessment_year", date(2026, 7, 1),
     LocalPeriod.assessment_year(date(2026, 7, 1), 0, SHANGHAI)),  # before the service started
    ("2029-02-28 23:59:59+08:00", "assessment_year", date(2028, 2, 29),
     LocalPeriod.assessment_year(date(2028, 2, 29), 1, SHANGHAI)),
    ("2029-03-01 00:00:00+08:00", "assessment_year", date(2028, 2, 29),
     LocalPeriod.assessment_year(date(2028, 2, 29), 2, SHANGHAI)),
])
def test_the_period_containing_a_moment(moment, kind, start_date, expected):
    assert LocalPeriod.containing(utc(moment), kind, SHANGHAI, service_start=start_date) == expected
    assert expected.contains(utc(moment))


def test_an_assessment_year_by_a_date_within_it():
    by_date = LocalPeriod.assessment_year(date(2026, 7, 1), date(2027, 2, 1), SHANGHAI)
    assert by_date == LocalPeriod.assessment_year(date(2026, 7, 1), 1, SHANGHAI)
    with pytest.raises(TypeError):
        LocalPeriod.assessment_year(START_2026, datetime(2026, 5, 1), SHANGHAI)  # a moment: use containing
    with pytest.raises(TypeError):
        LocalPeriod.containing(utc("2026-05-01 00:00+08:00"), "assessment_year", SHANGHAI)


@pytest.mark.parametrize(("tz", "day", "hours"), [
    (SHANGHAI, date(2026, 11, 29), list(range(24))),
    (LOS_ANGELES, date(2026, 3, 8), [0, 1, *range(3, 24)]),  # 02:00 is skipped
    (LOS_ANGELES, date(2026, 11, 1), [0, 1, 1, *range(2, 24)]),  # 01:00 twice
    (KOLKATA, date(2026, 11, 29), list(range(24))),
])
def test_clock_hours_follow_the_zones_clock(tz, day, hours):
    period = LocalPeriod.day(day, tz)
    starts = period.clock_hours()
    assert [hour for hour, _ in starts] == hours
    assert starts[0][1] == period.start
    for hour, begins in starts:
        shown = begins.replace(tzinfo=UTC).astimezone(tz)
        assert (shown.date(), shown.hour, shown.minute) == (day, hour, 0)
    moments = [begins for _, begins in starts] + [period.end]
    assert all(later - earlier == timedelta(hours=1) for earlier, later in pairwise(moments))


def test_midnight_is_the_first_moment_of_the_local_day_in_many_zones():
    """Brute force: the minute before ``start`` shows the day before, ``start`` the day."""
    for zone in ("Asia/Shanghai", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe",
                 "America/Havana", "Asia/Kathmandu", "Pacific/Kiritimati"):
        tz = ZoneInfo(zone)
        day = date(2026, 1, 1)
        while day.year == 2026:
            period = LocalPeriod.day(day, tz)
            assert period.start.replace(tzinfo=UTC).astimezone(tz).date() == day, (zone, day)
            before = (period.start - timedelta(minutes=1)).replace(tzinfo=UTC).astimezone(tz)
            assert before.date() == day - timedelta(days=1), (zone, day)
            day += timedelta(days=1)


def test_utc_offsets_over_a_period():
    """One offset all year in the hall's zone; a change of the clocks starts a new one."""
    shanghai = LocalPeriod.assessment_year(date(2026, 1, 1), 1, ZoneInfo("Asia/Shanghai"))
    assert shanghai.utc_offsets() == [(datetime(2025, 12, 31, 16), 8 * 3600)]
    berlin = LocalPeriod.month(2026, 3, ZoneInfo("Europe/Berlin"))
    assert berlin.utc_offsets() == [(datetime(2026, 2, 28, 23), 3600), (datetime(2026, 3, 29, 1), 7200)]
    lord_howe = LocalPeriod.month(2026, 10, ZoneInfo("Australia/Lord_Howe"))  # half an hour forward
    assert lord_howe.utc_offsets() == [(datetime(2026, 9, 30, 13, 30), 37800), (datetime(2026, 10, 3, 15, 30), 39600)]
