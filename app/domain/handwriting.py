"""What the kiosk's handwriting pad may send: a few strokes of points on a pad of sane size.
Anything else is Invalid (422) with a Chinese message, before it reaches the recogniser."""

from dataclasses import dataclass

from . import Invalid

MAX_STROKES = 40  # 30 strokes is already a rare character
MAX_POINTS = 400  # in one stroke (the pad sends every few pixels)
MAX_TOTAL_POINTS = 4000
MIN_SIZE, MAX_SIZE = 50, 2000  # pad width and height, pixels

BAD_DRAWING = "手写内容无法识别，请点“重写”后再写一次"


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    strokes: tuple[tuple[tuple[int, int], ...], ...]


def _int(value, low: int, high: int) -> int:
    # bool is an int in Python; a JSON true is not a number here
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise Invalid(BAD_DRAWING)
    if not low <= value <= high:
        raise Invalid(BAD_DRAWING)
    return int(value)


def clean_drawing(body) -> Drawing:
    """``{"width": w, "height": h, "strokes": [[[x, y], ...], ...]}`` checked and rounded."""
    if not isinstance(body, dict):
        raise Invalid(BAD_DRAWING)
    width = _int(body.get("width"), MIN_SIZE, MAX_SIZE)
    height = _int(body.get("height"), MIN_SIZE, MAX_SIZE)
    strokes = body.get("strokes")
    if not isinstance(strokes, list) or not strokes:
        raise Invalid("请先在框里写字")
    if len(strokes) > MAX_STROKES:
        raise Invalid(f"笔画太多（最多{MAX_STROKES}笔），请点“重写”")
    cleaned, total = [], 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise Invalid(BAD_DRAWING)
        if len(stroke) > MAX_POINTS:
            raise Invalid("这一笔太长了，请点“重写”后再写一次")
        total += len(stroke)
        if total > MAX_TOTAL_POINTS:
            raise Invalid("写得太多了，请点“重写”后再写一次")
        points = []
        for point in stroke:
            if not isinstance(point, list) or len(point) != 2:
                raise Invalid(BAD_DRAWING)
            points.append((_int(point[0], 0, width), _int(point[1], 0, height)))
        cleaned.append(tuple(points))
    return Drawing(width, height, tuple(cleaned))
