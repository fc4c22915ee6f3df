"""The satisfaction figures (app/services/rating_figures.py): rates by role, channel, window and
service kind against ratings made at chosen hall-local moments; the rubric's satisfied levels;
the weekday × hour cells and the months either side of midnight; refused presses per
terminal and day; the CSV without personal data.

The clock starts at 2026-11-28 10:00 in the hall (a Saturday)."""

import csv
import io
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from app.clock import hall_tz
from app.domain import Invalid
from app.domain.periods import LocalPeriod
from app.domain.queue import TicketStatus
from app.extensions import db
from app.hall_config import hall
from app.models import AssessmentSettings, Rating, RatingRefusal
from app.services import rating_figures
from app.services.rating_figures import Share
from tests import factories


@pytest.fixture
def clock(ctx, frozen_clock):
    return frozen_clock


def november():
    return LocalPeriod.month(2026, 11, hall_tz())


def done_ticket(window: int):
    ticket = factories.ticket()
    ticket.status, ticket.window = TicketStatus.DONE, window
    db.session.commit()
    return ticket


@pytest.fixture
def rated(clock):
    """Ratings of November 2026 (and one either side), at chosen hall-local moments:

    - terminal: 2026-11-27 23:59 (Fri) worker 1; 2026-11-28 00:00 (Sat) employer 4;
      2026-11-28 10:00 (Sat) other 3 and worker 5; 2026-11-01 00:00 (Sun) worker 2
    - slips (2026-11-28 10:00): a registration (worker) 2; tickets at window 3 (employer) 1
      and 5, at window 1 (employer) 3
    - outside November: 2026-10-31 23:59 worker 5; 2026-12-01 00:00 cannot be made yet."""
    clock.move_to("2026-10-31 23:59")
    factories.rating(5, "worker")
    clock.move_to("2026-11-01 00:00")
    factories.rating(2, "worker")
    clock.move_to("2026-11-27 23:59")
    factories.rating(1, "worker")
    clock.move_to("2026-11-28 00:00")
    factories.rating(4, "employer", reasons=["waited"], phone="13912345678", comment="张师傅说话难听")
    clock.move_to("2026-11-28 10:00")
    factories.rating(3, "other")
    factories.rating(5, "worker", reasons=["attitude", "other"])
    factories.rating(2, slip=factories.worker())
    factories.rating(1, slip=done_ticket(3))
    factories.rating(5, slip=done_ticket(3))
    factories.rating(3, slip=done_ticket(1))


def rows(found) -> dict[str, tuple[int, int]]:
    return {row.label: (row.rate.part, row.rate.whole) for row in found}


def test_rates_by_role_channel_window_and_service_kind(rated):
    f = rating_figures.figures(november())
    # satisfied (levels 1–3 in shaxian-2026): 2, 1, 3, 2, 1, 3 of 9
    assert (f.overall.part, f.overall.whole) == (6, 9) and f.overall.text == "66.7%"
    assert rows(f.by_role) == {"零工": (3, 4), "用工方": (2, 4), "其他": (1, 1)}
    assert rows(f.by_channel) == {"评价终端": (3, 5), "凭条扫码": (3, 4)}
    assert rows(f.by_window) == {"1号窗口": (1, 1), "3号窗口": (1, 2), "未关联窗口": (4, 6)}
    assert rows(f.by_kind) == {"排队办理": (2, 3), "零工登记": (1, 1), "评价终端（未关联服务）": (3, 5)}
    assert [(level.label, level.share.part, level.satisfied) for level in f.levels] == [
        ("非常满意", 2, True), ("满意", 2, True), ("基本满意", 2, True), ("不满意", 1, False),
        ("非常不满意", 2, False)]
    assert (f.verified.part, f.verified.whole, f.verified.text) == (4, 9, "44.4%")
    assert f.terminal_rated == 5


def test_ratings_per_terminal_most_first_with_unnamed_devices_tagged(clock):
    for _ in range(3):  # a device nobody named, rating again and again
        factories.rating(1, address="10.0.0.9")
        clock.tick(seconds=9)
    factories.rating(4, reasons=["waited"], address="10.0.0.8")
    factories.rating(2, slip=factories.worker())  # a slip's rating is no terminal's
    f = rating_figures.figures(november())
    assert [(row.rate.part, row.rate.whole) for row in f.by_terminal] == [(3, 3), (0, 1)]
    assert all(row.label.startswith("未命名终端（标识 ") and "10.0.0" not in row.label for row in f.by_terminal)
    assert f.by_terminal[0].label != f.by_terminal[1].label


def test_the_rubric_decides_which_levels_are_satisfied(rated, monkeypatch):
    """A rubric counting only 非常满意 as satisfied gives another rate, from the same ratings."""
    rubric = hall().rubric
    strict = replace(rubric, items=tuple(replace(item, satisfied_levels=("非常满意",))
                                         if item.key == "B7" else item for item in rubric.items))
    monkeypatch.setattr(rating_figures, "rubric_of", lambda period: strict)
    f = rating_figures.figures(november())
    assert f.satisfied_levels == (1,) and f.satisfied_labels == "非常满意"
    assert (f.overall.part, f.overall.whole, f.overall.text) == (2, 9, "22.2%")
    assert rows(f.by_role)["用工方"] == (1, 4)
    assert [level.satisfied for level in f.levels] == [True, False, False, False, False]


def test_an_assessment_years_own_rubric_is_used(rated, monkeypatch):
    """With a service start, a period is judged by its assessment year's rubric."""
    db.session.add(AssessmentSettings(id=1, service_start=date(2026, 1, 1)))
    db.session.commit()
    seen = []
    real = rating_figures.assessment.rubric_for
    monkeypatch.setattr(rating_figures.assessment, "rubric_for", lambda n: seen.append(n) or real(n))
    rating_figures.figures(november())
    rating_figures.figures(rating_figures.choose(year="1").period)
    assert seen == [1, 1]


def test_hour_and_weekday_cells_either_side_of_midnight(rated):
    f = rating_figures.figures(november())
    # Friday 23:59 and Saturday 00:00 are different days and hours; Sunday 1 November 00:00
    assert f.matrix[(4, 23)] == Share(1, 1)  # 周五 23时: 非常满意
    assert f.matrix[(5, 0)] == Share(0, 1)  # 周六 0时: 不满意 — 0 %, not empty
    assert f.matrix[(6, 0)] == Share(1, 1)  # 周日 0时
    assert f.matrix[(5, 10)] == Share(4, 6)
    assert sum(share.whole for share in f.matrix.values()) == 9
    heat = f.heat_map()
    cell = {(c.row, c.column): c for c in heat.cells}
    assert cell[(5, 0)].band is not None and cell[(5, 0)].band.label == "<60%"
    assert cell[(5, 1)].band is None and cell[(5, 1)].long_label == "周六 1时：无评价"


def test_months_of_the_trend_split_at_hall_midnight(rated):
    f = rating_figures.figures(november())
    assert [m.label for m in f.trend][-3:] == ["2026年9月", "2026年10月", "2026年11月"] and len(f.trend) == 12
    assert f.trend[-1].rate == Share(6, 9)
    assert f.trend[-2].rate == Share(0, 1)  # 31 October 23:59, 非常不满意
    assert f.trend[-3].rate == Share(0, 0)


def test_an_assessment_years_trend_is_its_months_begun_so_far(rated):
    db.session.add(AssessmentSettings(id=1, service_start=date(2026, 1, 1)))
    db.session.commit()
    f = rating_figures.figures(rating_figures.choose(year="1").period)
    assert [m.month.first_day.month for m in f.trend] == list(range(1, 12))
    assert (f.overall.part, f.overall.whole) == (6, 10)


def test_an_empty_period(clock):
    f = rating_figures.figures(LocalPeriod.month(2026, 6, hall_tz()))
    assert f.overall == Share(0, 0) and f.overall.text == "—" and f.verified.text == "—"
    assert rows(f.by_role) == {"零工": (0, 0), "用工方": (0, 0), "其他": (0, 0)}
    assert f.by_window == () and f.by_kind == () and f.matrix == {} and f.refusals == ()
    assert all(cell.band is None for cell in f.heat_map().cells)


def test_refused_presses_per_terminal_and_day(clock):
    """A terminal pressed again within the interval: refused, counted per (hall) day."""
    clock.move_to("2026-11-27 23:59:50")
    factories.rating(1, address="10.0.0.7")
    clock.tick(seconds=2)
    with pytest.raises(Exception, match="评价过了"):
        factories.rating(1, address="10.0.0.7")
    clock.move_to("2026-11-28 00:00:05")  # the next day, 15 s after the last rating: taken
    factories.rating(2, address="10.0.0.7")
    for _ in range(3):
        with pytest.raises(Exception, match="评价过了"):
            factories.rating(1, address="10.0.0.7")
    db.session.add(RatingRefusal(day=date(2026, 11, 28), terminal="exit-1", count=2))
    db.session.add(RatingRefusal(day=date(2026, 12, 1), terminal="exit-1", count=9))  # not November
    db.session.commit()
    f = rating_figures.figures(november())
    tag = rating_figures.terminal_label("10.0.0.7")
    assert tag.startswith("未命名终端（标识 ") and "10.0.0.7" not in tag
    assert [(r.day, r.terminal, r.refused, r.rated) for r in f.refusals] == [
        (date(2026, 11, 27), tag, 1, 1), (date(2026, 11, 28), tag, 3, 1),
        (date(2026, 11, 28), "exit-1", 2, 0)]
    assert f.refused_total == 6 and f.terminal_rated == 2


def test_the_period_asked_for(clock):
    assert rating_figures.choose().period == november()
    assert rating_figures.choose(month="2026-02").period == LocalPeriod.month(2026, 2, hall_tz())
    for wrong, message in (("2026-13", "年-月"), ("26-11", "年-月"), ("2026-12", "以后"), ("1999-12", "年份")):
        with pytest.raises(Invalid, match=message) as err:
            rating_figures.choose(month=wrong)
        assert err.value.field == "month"
    with pytest.raises(Invalid, match="服务起始日期"):
        rating_figures.choose(year="1")
    db.session.add(AssessmentSettings(id=1, service_start=date(2026, 1, 1)))
    db.session.commit()
    assert rating_figures.choose(year="1").period.number == 1
    with pytest.raises(Invalid, match="没有这个考核年度"):
        rating_figures.choose(year="2")  # not begun


def test_rates_are_exact_fractions_shown_half_up(clock):
    assert Share(2, 3).fraction == Fraction(2, 3) and Share(2, 3).text == "66.7%"
    assert Share(1, 8).text == "12.5%" and Share(1, 16).text == "6.3%"  # 6.25 → 6.3, half up
    assert Share(0, 0).fraction is None
    assert Share(8995, 10000).text == "90.0%" and Share(8995, 10000).fraction < Fraction(9, 10)


def read_csv(period) -> list[list[str]]:
    text = "".join(rating_figures.csv_lines(period))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_has_a_line_per_rating_and_no_personal_data(rated):
    lines = read_csv(november())
    header, body = lines[0], lines[1:]
    assert header == list(rating_figures.CSV_COLUMNS)
    assert len(body) == db.session.query(Rating).filter(Rating.at >= november().start,
                                                        Rating.at < november().end).count() == 9
    first = dict(zip(header, body[0], strict=True))
    assert first["时间"] == "2026-11-01 00:00:00" and first["等级"] == "2" and first["评价"] == "满意"
    bad = dict(zip(header, body[2], strict=True))
    assert bad["时间"] == "2026-11-28 00:00:00" and bad["原因"] == "等待太久" and bad["留有回访电话"] == "是"
    assert bad["身份"] == "用工方" and bad["渠道"] == "评价终端" and bad["终端"].startswith("未命名终端")
    assert [dict(zip(header, line, strict=True))["窗口"] for line in body[-3:]] == ["3", "3", "1"]
    everything = "\n".join(",".join(line) for line in lines)
    for secret in ("13912345678", "5678", "张师傅", "10.9."):
        assert secret not in everything
    assert sum(1 for line in body if line[-1] == "是") == 1


def test_a_formula_in_a_terminal_name_is_not_a_formula(clock):
    """A terminal's name comes from the configuration; a spreadsheet must not run it."""
    clock.move_to("2026-11-28 09:00")
    rating = factories.rating(1)
    rating.terminal = "=HYPERLINK(1)"
    db.session.commit()
    assert read_csv(november())[1][5] == "'=HYPERLINK(1)"


def test_cells_stay_right_in_a_zone_with_summer_time(make_app, frozen_clock):
    """Asia/Shanghai has one offset all year; in a zone whose clocks change within the period
    each rating is placed with the offset of its own moment."""
    with make_app(HALL_TIMEZONE="Europe/Berlin").app_context():
        for moment in ("2026-10-24 23:30 +02:00", "2026-10-26 00:30 +01:00", "2026-10-31 23:59 +01:00"):
            frozen_clock.move_to(moment)
            factories.rating(1)
        f = rating_figures.figures(LocalPeriod.month(2026, 10, hall_tz()))
        assert set(f.matrix) == {(5, 23), (0, 0)} and f.matrix[(5, 23)] == Share(2, 2)
        assert f.trend[-1].rate == Share(3, 3)
