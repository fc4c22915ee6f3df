"""A small bar chart's geometry, for charts the server draws as inline SVG (no chart
library, nothing fetched by the browser). Pure: numbers in, coordinates out; the template
draws the rectangles and texts.

- ``bar_chart``: counts per month (the score page's trends).
- ``heat_map``: a share per cell of a grid, coloured by bands (satisfaction by weekday and
  hour, ``kiosk_templates/admin/ratings_heat_map.html``); an empty cell is drawn apart from 0 %.
- ``trend_chart``: counts as bars with a share as a line over them (satisfaction per month).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


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


# -- a heat map: a share per cell of a grid (satisfaction by weekday and hour) ----------------

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")  # Monday first, as date.weekday()
HOURS = tuple(f"{hour}时" for hour in range(24))
# From best to worst; each with the colour its numbers are written in (contrast ≥ 4.5:1).
PALETTE = (("#17693a", "#ffffff"), ("#9fd38b", "#111111"), ("#fde68a", "#111111"),
           ("#fdba74", "#111111"), ("#c62828", "#ffffff"))
EMPTY_FILL = "#ffffff"  # a cell without records: white, dashed outline, no number


@dataclass(frozen=True)
class Band:
    """A step of the colour scale: shares of at least ``min`` percent (an exact fraction)."""

    min: Fraction
    label: str  # ≥90%, 80%–90%, <60%
    fill: str
    ink: str


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    count: int
    part: int  # of ``count``: the satisfied ones
    long_label: str  # 周六 10时：12条，满意率 91.7%
    band: Band | None  # None: no records (distinct from 0 %, which is the lowest band)
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        return self.x + self.width / 2

    @property
    def baseline(self) -> float:
        return self.y + self.height / 2 + 4


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Key:
    """An entry of the legend: a swatch and its words."""

    label: str
    fill: str
    empty: bool
    x: float
    y: float


@dataclass(frozen=True)
class HeatMap:
    width: int
    height: int
    cell_size: float
    cells: tuple[Cell, ...]
    row_labels: tuple[Tick, ...]
    column_labels: tuple[Tick, ...]
    legend: tuple[Key, ...]


def percent_text(part: int, whole: int) -> str:
    """A share as the score sheet writes rates: one decimal, half up (91.7%); "—" of nothing."""
    if whole <= 0:
        return "—"
    share = Decimal(part * 100) / Decimal(whole)
    return f"{share.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def bands(thresholds: list[int | Decimal | Fraction]) -> tuple[Band, ...]:
    """The colour scale for percent thresholds (e.g. a rubric's 90, 80, 70, 60): one band
    from each threshold up, and one below the lowest; at most five bands."""
    steps = sorted({Fraction(t) for t in thresholds if 0 < t <= 100}, reverse=True)
    if len(steps) > len(PALETTE) - 1:
        raise ValueError(f"at most {len(PALETTE) - 1} thresholds")
    colours = PALETTE if len(steps) == len(PALETTE) - 1 else (
        PALETTE[:len(steps)] + (PALETTE[-1],))
    result = []
    for index, low in enumerate(steps):
        high = steps[index - 1] if index else None
        label = f"≥{_number(low)}%" if high is None else f"{_number(low)}%–{_number(high)}%"
        result.append(Band(low, label, *colours[index]))
    below = f"<{_number(steps[-1])}%" if steps else "全部"
    result.append(Band(Fraction(0), below, *colours[-1]))
    return tuple(result)


def heat_map(counts: dict[tuple[int, int], tuple[int, int]], scale: tuple[Band, ...], *,
             rows: tuple[str, ...] = WEEKDAYS, columns: tuple[str, ...] = HOURS, cell: int = 34,
             left: int = 44, top: int = 22, legend_height: int = 40) -> HeatMap:
    """A grid of ``rows`` × ``columns`` cells; ``counts[(row, column)] = (count, part)``
    colours a cell by the share part/count (exact fractions against the bands' thresholds);
    a cell missing from ``counts`` or with count 0 has no band. Column labels on top, row
    labels at the left, the legend under the grid (every band, then 无评价)."""
    cells = []
    for r, row in enumerate(rows):
        for c, column in enumerate(columns):
            count, part = counts.get((r, c), (0, 0))
            band = None
            if count > 0:
                share = Fraction(part * 100, count)
                band = next(b for b in scale if share >= b.min)
                words = f"{row} {column}：{count}条，满意率 {percent_text(part, count)}"
            else:
                words = f"{row} {column}：无评价"
            cells.append(Cell(r, c, count, part, words, band, x=left + c * cell, y=top + r * cell,
                              width=cell - 2, height=cell - 2))
    grid_bottom = top + len(rows) * cell
    row_labels = tuple(Tick(label, left - 6, top + r * cell + cell / 2 + 3) for r, label in enumerate(rows))
    column_labels = tuple(Tick(label, left + c * cell + (cell - 2) / 2, top - 7)
                          for c, label in enumerate(columns))
    keys, x = [], float(left)
    for band in scale:
        keys.append(Key(band.label, band.fill, False, x, grid_bottom + 14))
        x += 40 + 13 * len(band.label)
    keys.append(Key("无评价", EMPTY_FILL, True, x, grid_bottom + 14))
    width = max(left + len(columns) * cell, int(x + 80))
    return HeatMap(width, grid_bottom + legend_height, cell, tuple(cells), row_labels, column_labels,
                   tuple(keys))


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


# -- a trend: counts as bars, a share as a line over them ---------------------------------------

@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    text: str  # 91.7%


@dataclass(frozen=True)
class TrendChart:
    bars: BarChart
    dots: tuple[Dot | None, ...]  # one per bar; None where the share is of nothing
    lines: tuple[str, ...]  # polyline points ("x,y x,y"), broken where a bar has no share
    top: float  # the y of 100 %


def trend_chart(points: list[tuple[str, str, int, int]], *, width: int = 640, height: int = 200,
                top: int = 30, bottom: int = 22) -> TrendChart:
    """``(label, long_label, count, part)`` per month: bars scaled to the highest count, and
    the share part/count as dots on a 0–100 % scale over the same room, joined by a line
    (broken at a month without records)."""
    bars = bar_chart([(label, long_label, count) for label, long_label, count, _part in points],
                     width=width, height=height, top=top, bottom=bottom)
    room = bars.baseline - top
    dots, lines, run = [], [], []
    for bar, (_l, _ll, count, part) in zip(bars.bars, points, strict=True):
        if count <= 0:
            dots.append(None)
            if run:
                lines.append(" ".join(run))
            run = []
            continue
        y = round(bars.baseline - room * part / count, 2)
        dots.append(Dot(bar.middle, y, percent_text(part, count)))
        run.append(f"{bar.middle},{y}")
    if run:
        lines.append(" ".join(run))
    return TrendChart(bars, tuple(dots), tuple(line for line in lines if " " in line), top)
