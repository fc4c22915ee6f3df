"""The server-drawn bar chart's geometry: bars side by side within the chart, the highest
one filling the room between the values on top and the labels below, zero as no bar."""

from app.domain.charts import bar_chart


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
