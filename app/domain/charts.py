"""A small bar chart's geometry, for charts the server draws as inline SVG (no chart
library, nothing fetched by the browser). Pure: numbers in, coordinates out; the template
draws the rectangles and texts."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar, short: 11月
    long_label: str  # for the description read out by screen readers: 2026年11月
    value: int
    x: float
    y: float  # top of the bar
    width: float
    height: float

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float  # the y of the bars' foot
    label_y: float  # the y of the labels under the bars
    bars: tuple[Bar, ...]

    @property
    def peak(self) -> int:
        return max((bar.value for bar in self.bars), default=0)


def bar_chart(points: list[tuple[str, str, int]], *, width: int = 360, height: int = 150,
              top: int = 18, bottom: int = 22, gap: float = 0.2) -> BarChart:
    """Bars for ``(label, long_label, value)`` in order, scaled to the highest value; each
    bar takes its share of the width less ``gap`` of it; ``top`` leaves room for the values
    written over the bars, ``bottom`` for the labels under them."""
    baseline = height - bottom
    room = baseline - top
    peak = max((value for _l, _ll, value in points), default=0)
    slot = width / max(len(points), 1)
    bars = []
    for index, (label, long_label, value) in enumerate(points):
        tall = room * value / peak if peak else 0
        bars.append(Bar(label, long_label, value, x=round(index * slot + slot * gap / 2, 2),
                        y=round(baseline - tall, 2), width=round(slot * (1 - gap), 2),
                        height=round(tall, 2)))
    return BarChart(width, height, baseline, height - 6, tuple(bars))
