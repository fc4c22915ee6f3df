"""The rubric engine: a rubric (``app/domain/rubric.py``) applied to a period's figures in
exact decimals.

``evaluate`` applies a rubric to
``Figures`` and returns a ``Sheet``: every item's value, points, the tier it is in and the next
one, the totals, the grade. ``schedule`` turns a grade into the year's payments. Pure code: no
Flask, no database; numbers are ``Decimal`` (TOML's decimals are parsed as ``Decimal``), rates
are compared as exact fractions.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from . import Invalid
from .rubric import Grade, Item, Rubric, Tier, decimal_text

CENT = Decimal("0.01")


# -- figures and the sheet ---------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """What a period measured, keyed by item: what ``score evaluate`` reads from its file.

    ``counts`` for tiers and per-record items (F1: the follower count), ``satisfaction``
    for the rate, ``livestreams`` for monthly sessions, ``manual`` the assessor's points."""

    counts: dict[str, int] = field(default_factory=dict)
    satisfied: int = 0
    rated: int = 0
    sessions: int = 0
    months_without: int = 0
    manual: dict[str, Decimal] = field(default_factory=dict)


# Where each kind of figure goes in a ``score evaluate`` file (see the README).
COUNTED_RULES = ("tiers", "per_record")
FIGURE_SECTIONS = {"counts": None, "satisfaction": ("satisfied", "total"),
                   "livestreams": ("sessions", "months_without"), "manual": None}


def figures_from_json(data, rubric: Rubric) -> Figures:
    """A period's figures as a ``score evaluate`` file gives them (decoded JSON, decimals as
    ``Decimal``), checked against the rubric: what is missing counts as zero; a wrong part
    raises ``Invalid`` naming it (negative or fractional counts, more satisfied than rated,
    manual points beyond the item's max or for an item that is not manual, unknown keys)."""
    if not isinstance(data, dict):
        raise Invalid("文件内容应为一个 JSON 对象，例如 {\"counts\": {\"C1\": 2400}}")
    sections = {name: _section(data, name) for name in _known(data, FIGURE_SECTIONS, "文件")}
    counted = [item.key for item in rubric.items if item.rule in COUNTED_RULES]
    counts = sections.get("counts", {})
    _known(counts, counted, "counts")
    satisfaction = sections.get("satisfaction", {})
    _known(satisfaction, FIGURE_SECTIONS["satisfaction"], "satisfaction")
    satisfied = _count(satisfaction, "satisfied", "satisfaction")
    rated = _count(satisfaction, "total", "satisfaction")
    if satisfied > rated:
        raise Invalid(f"satisfaction：满意数 satisfied（{satisfied}）不能大于评价总数 total（{rated}）")
    livestreams = sections.get("livestreams", {})
    _known(livestreams, FIGURE_SECTIONS["livestreams"], "livestreams")
    manual = sections.get("manual", {})
    _known(manual, [item.key for item in rubric.items], "manual")
    return Figures(counts={key: _count(counts, key, "counts") for key in counts},
                   satisfied=satisfied, rated=rated,
                   sessions=_count(livestreams, "sessions", "livestreams"),
                   months_without=_count(livestreams, "months_without", "livestreams"),
                   manual={key: _manual_points(rubric.item(key), raw) for key, raw in manual.items()})


def _section(data: dict, name: str) -> dict:
    value = data[name]
    if not isinstance(value, dict):
        raise Invalid(f"{name}：应为一个对象，例如 \"{name}\": {{…}}")
    return value


def _known(data: dict, allowed, where: str) -> list[str]:
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise Invalid(f"{where}：不认识的键 {', '.join(map(str, unknown))}"
                      f"（可用：{', '.join(allowed)}）")
    return list(data)


def _count(data: dict, key: str, where: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(f"{where}.{key}：应为不小于 0 的整数，而不是 {value!r}")
    return value


def _manual_points(item: Item, raw) -> Decimal:
    where = f"manual.{item.key}"
    if item.rule != "manual":
        raise Invalid(f"{where}：这一项由系统按记录计分，不能手工给分")
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        raise Invalid(f"{where}：分数应为数字，而不是 {raw!r}")
    try:
        return manual_points(Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw), item.max)
    except Invalid as err:
        raise Invalid(f"{where}：{err.message}") from None


def manual_points(points: Decimal, maximum: Decimal) -> Decimal:
    """The assessor's points for a manual item: 0 to its max, at most one decimal place."""
    if not points.is_finite() or not 0 <= points <= maximum:
        raise Invalid(f"分数应在 0 到 {decimal_text(maximum)} 之间")
    if points != points.quantize(Decimal("0.1")):
        raise Invalid("分数最多保留一位小数")
    return points.quantize(Decimal("0.1"))


@dataclass(frozen=True)
class NextTier:
    """The next better tier of a count item and what reaching it is worth."""

    records: int  # how many more records reach it (more is better)
    points: Decimal  # the points there
    gain: Decimal  # points more than now


@dataclass(frozen=True)
class ItemScore:
    item: Item
    value: Decimal | None  # None: a manual item not entered yet
    points: Decimal
    tier: Tier | None = None
    next: NextTier | None = None
    headroom: int | None = None  # fewer is better: records more before the points drop
    warning: str = ""

    @property
    def key(self) -> str:
        return self.item.key


@dataclass(frozen=True)
class Sheet:
    rubric: Rubric
    items: tuple[ItemScore, ...]
    base_total: Decimal
    bonus_total: Decimal
    total: Decimal
    grade: Grade

    def item(self, key: str) -> ItemScore:
        return next(s for s in self.items if s.key == key)

    @property
    def up(self) -> tuple[Grade, Decimal] | None:
        """The next grade up and the points still missing to it."""
        better = [g for g in self.rubric.grades if g.min > self.total]
        return (better[-1], better[-1].min - self.total) if better else None

    @property
    def down(self) -> tuple[Grade, Decimal] | None:
        """The grade below and how many points may be lost before falling to it (the total
        falls below the current grade's minimum)."""
        grades = self.rubric.grades
        index = grades.index(self.grade)
        if index + 1 >= len(grades):
            return None
        return grades[index + 1], self.total - self.grade.min


def evaluate(rubric: Rubric, figures: Figures) -> Sheet:
    scores = tuple(_score(item, figures) for item in rubric.items)
    base = sum((s.points for s in scores if not s.item.bonus), Decimal(0))
    bonus = min(sum((s.points for s in scores if s.item.bonus), Decimal(0)), rubric.bonus_total)
    total = base + bonus
    return Sheet(rubric, scores, base, bonus, total, rubric.grade(total))


def _score(item: Item, figures: Figures) -> ItemScore:
    if item.rule == "manual":
        entered = figures.manual.get(item.key)
        return ItemScore(item, entered, min(entered, item.max) if entered is not None else Decimal(0))
    if item.rule == "rate":
        if figures.rated <= 0:
            return ItemScore(item, Decimal(0), Decimal(0), warning=item.empty_note or "没有数据")
        rate = Fraction(figures.satisfied * 100, figures.rated)
        tier = _tier(item, rate)
        shown = (Decimal(rate.numerator) / Decimal(rate.denominator)).quantize(Decimal("0.1"),
                                                                              ROUND_HALF_UP)
        return ItemScore(item, shown, tier.points, tier, warning=tier.note)
    if item.rule == "monthly_sessions":
        sessions = max(figures.sessions, 0)
        missing = max(item.per_year - sessions, 0)
        if item.counting == "monthly":
            missing = max(missing, figures.months_without)
        points = max(item.max - missing, Decimal(0))
        # one more session gains a point while the year's total is what is short (a month
        # already past without a session cannot be made good): 11 sessions with one month
        # missed stay at 11 points with a twelfth
        short = item.per_year - sessions
        gains = short > 0 and (item.counting == "total" or short > figures.months_without)
        step = NextTier(1, min(points + 1, item.max), Decimal(1)) if gains and points < item.max else None
        return ItemScore(item, Decimal(sessions), points, next=step)
    value = max(int(figures.counts.get(item.key, 0)), 0)
    if item.rule == "per_record":
        points = min(item.each * value, item.max)
        step = None
        if points < item.max:
            step = NextTier(1, min(points + item.each, item.max), min(item.each, item.max - points))
        return ItemScore(item, Decimal(value), points, next=step)
    tier = _tier(item, Fraction(value))
    return ItemScore(item, Decimal(value), tier.points, tier, next=_next_tier(item, tier, value),
                     headroom=_headroom(item, tier, value), warning=tier.note)


def _tier(item: Item, value: Fraction) -> Tier:
    return next(t for t in item.tiers if t.holds(value))


def _next_tier(item: Item, tier: Tier, value: int) -> NextTier | None:
    """For more-is-better counts: the first tier above that pays more."""
    if item.direction != "more":
        return None
    for later in item.tiers[item.tiers.index(tier) + 1:]:
        if later.points > tier.points:
            needed = int(_ceil(later.min)) - value
            return NextTier(needed, later.points, later.points - tier.points)
    return None


def _headroom(item: Item, tier: Tier, value: int) -> int | None:
    """For fewer-is-better counts: how many more records keep the current points."""
    if item.direction != "fewer" or tier.below is None:
        return None
    return int(_ceil(tier.below)) - 1 - value


def _ceil(number: Decimal) -> Decimal:
    return number.to_integral_value(rounding="ROUND_CEILING")


def project(value: int, elapsed_days: int, period_days: int) -> int:
    """A count so far carried on in a straight line to the period's end (whole records)."""
    if elapsed_days <= 0:
        return value
    if elapsed_days >= period_days:
        return value
    return int((Decimal(value) * period_days / elapsed_days).to_integral_value(ROUND_HALF_UP))


# -- money -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contract:
    contract_amount: Decimal
    bid_price: Decimal
    network_fee: Decimal


@dataclass(frozen=True)
class Payment:
    due: date
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Schedule:
    tranches: tuple[Payment, ...]
    entitlement: Decimal  # the year's total at the grade
    balance: Payment  # paid at 12 months: entitlement − tranches


def entitlement(contract: Contract, grade: Grade) -> Decimal:
    """Network fee + (bid price − network fee) × the grade's percent, in yuan to the cent."""
    share = (contract.bid_price - contract.network_fee) * grade.percent / 100
    return (contract.network_fee + share).quantize(CENT, ROUND_HALF_UP)


def schedule(rubric: Rubric, contract: Contract, grade: Grade, first_day: date) -> Schedule:
    payments = []
    for t in rubric.tranches:
        base = contract.contract_amount if t.of == "contract" else contract.bid_price
        name = "合同金额" if t.of == "contract" else "中标价"
        label = f"服务满{t.months}个月：{name}的{decimal_text(t.percent)}%"
        payments.append(Payment(add_months(first_day, t.months), label,
                                (base * t.percent / 100).quantize(CENT, ROUND_HALF_UP)))
    total = entitlement(contract, grade)
    paid = sum((p.amount for p in payments), Decimal(0))
    balance = Payment(add_months(first_day, rubric.balance_months),
                      f"服务满{rubric.balance_months}个月：按{grade.name}等次拨付尾款", total - paid)
    return Schedule(tuple(payments), total, balance)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
