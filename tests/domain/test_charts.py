"""The server-drawn charts' geometry. The bar chart: bars side by side within the chart, the
highest one filling the room between the values on top and the labels below, zero as no bar.
The heat map: a cell per weekday and hour coloured by its exact share, an empty cell apart
from 0 %, Chinese labels and a legend. The trend: bars with a share's line over them."""

from fractions import Fraction

from app.domain.charts import HOURS, WEEKDAYS, bands, bar_chart, heat_map, percent_text, trend_chart


def test_bars_are_scaled_to_the_highest_and_stay_within_the_chart():
    chart = bar_chart([("1月", "2026年1月", 4), ("2月", "2026年2月", 0), ("3月", "2026年3月", 2)],
                      width=300, height=150, top=18, bottom=22)
    first, empty, half = chart.bars
    assert chart.baseline == 128 and chart.peak == 4
    assert (first.y, first.height) == (18, 110)  # the whole room: 150 − 18 − 22
    assert (half.y, half.height) == (73, 55)
    assert (empty.y, empty.height) == (128, 0)
    assert all(a.x + a.width < b.x for a, b in zip(chart.bars, chart.bars[1:], strict=False))
    assert chart.bars[0].x > 0 and chart.bars[-1].x + chart.bars[-1].width < 300
    assert [bar.middle for bar in chart.bars] == [50, 150, 250]


def test_a_chart_of_nothing_but_zeros_or_no_months_has_no_height():
    assert [bar.height for bar in bar_chart([("1月", "2026年1月", 0)] * 3).bars] == [0, 0, 0]
    assert bar_chart([]).bars == () and bar_chart([]).peak == 0


# -- the heat map (satisfaction by weekday and hour) ------------------------------------------


def test_bands_follow_the_thresholds_best_first_with_one_below():
    scale = bands([60, 90, 80, 70])
    assert [b.label for b in scale] == ["≥90%", "80%–90%", "70%–80%", "60%–70%", "<60%"]
    assert [b.min for b in scale] == [90, 80, 70, 60, 0]
    assert len({b.fill for b in scale}) == 5
    two = bands([Fraction(85)])
    assert [b.label for b in two] == ["≥85%", "<85%"] and two[0].fill != two[1].fill


def test_a_cell_is_coloured_by_its_exact_share_and_an_empty_cell_has_no_band():
    scale = bands([90, 80, 70, 60])
    chart = heat_map({(0, 9): (10, 9), (0, 10): (2000, 1799), (6, 23): (3, 0)}, scale)
    cells = {(c.row, c.column): c for c in chart.cells}
    assert len(chart.cells) == 7 * 24
    assert cells[(0, 9)].band.label == "≥90%"  # exactly 90 %
    assert cells[(0, 10)].band.label == "80%–90%"  # 89.95 % is not 90 %
    assert cells[(6, 23)].band.label == "<60%" and cells[(6, 23)].count == 3  # 0 %: the lowest band
    assert cells[(3, 3)].band is None and cells[(3, 3)].count == 0  # no ratings: no colour at all
    assert cells[(0, 10)].long_label == "周一 10时：2000条，满意率 90.0%"
    assert cells[(3, 3)].long_label == "周四 3时：无评价"


def test_the_grid_has_chinese_labels_and_a_legend_within_the_chart():
    chart = heat_map({}, bands([90, 80, 70, 60]))
    assert [t.label for t in chart.row_labels] == list(WEEKDAYS) == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    assert [t.label for t in chart.column_labels] == list(HOURS) and HOURS[0] == "0时" and HOURS[-1] == "23时"
    assert [k.label for k in chart.legend][-1] == "无评价" and chart.legend[-1].empty
    right = max(c.x + c.width for c in chart.cells)
    bottom = max(c.y + c.height for c in chart.cells)
    assert right <= chart.width and all(k.y > bottom and k.x + 60 <= chart.width for k in chart.legend)
    assert min(t.x for t in chart.column_labels) > max(t.x for t in chart.row_labels)
    xs = sorted({c.x for c in chart.cells})
    assert all(b - a == chart.cell_size for a, b in zip(xs, xs[1:], strict=False))


def test_percent_text_is_one_decimal_half_up():
    assert percent_text(1, 16) == "6.3%" and percent_text(2, 3) == "66.7%" and percent_text(0, 5) == "0.0%"
    assert percent_text(0, 0) == "—"


def test_the_trend_line_breaks_at_a_month_without_ratings():
    chart = trend_chart([("9月", "2026年9月", 10, 10), ("10月", "2026年10月", 20, 10),
                         ("11月", "2026年11月", 0, 0), ("12月", "2026年12月", 4, 1)],
                        width=400, height=200, top=30, bottom=22)
    full, half, gap, quarter = chart.dots
    assert gap is None and chart.bars.bars[2].height == 0
    assert full.y == 30 and half.y == 104 and quarter.y == 141  # 100 % at the top, 0 % on the baseline
    assert (full.text, half.text, quarter.text) == ("100.0%", "50.0%", "25.0%")
    assert chart.lines == (f"{full.x},{full.y} {half.x},{half.y}",)  # a lone month draws a dot, no line
    assert chart.bars.bars[1].y == 30  # the busiest month's bar fills the room
