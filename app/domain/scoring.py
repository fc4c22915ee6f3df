"""The rubric engine: a score sheet as data, applied to a period's figures in exact decimals.

A rubric is a TOML file in ``app/scoring/rubrics/`` (its format is described at the top of
``shaxian-2026.toml``). ``parse_rubric`` reads and checks one; ``evaluate`` applies it to
``Figures`` and returns a ``Sheet``: every item's value, points, the tier it is in and the next
one, the totals, the grade. ``schedule`` turns a grade into the year's payments. Pure code: no
Flask, no database; numbers are ``Decimal`` (TOML's decimals are parsed as ``Decimal``), rates
are compared as exact fractions.
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from . import Invalid

RULES = ("manual", "tiers", "rate", "per_record", "monthly_sessions")
CENT = Decimal("0.01")


class RubricError(ValueError):
    """A rubric file that cannot be used; the message names the file and the item."""


# -- the rubric --------------------------------------------------------------------------

@dataclass(frozen=True)
class Tier:
    min: Decimal
    below: Decimal | None  # None: open-ended
    points: Decimal
    gap: bool = False  # a range the sheet does not cover (scored as decided, with the note)
    note: str = ""

    def holds(self, value: Fraction) -> bool:
        return value >= self.min and (self.below is None or value < self.below)

    @property
    def label(self) -> str:
        if self.below is None:
            return f"≥{_plain(self.min)}"
        return f"{_plain(self.min)}–{_plain(self.below)}（不含）"


@dataclass(frozen=True)
class Item:
    key: str
    group: str  # 内容
    project: str  # 项目
    wording: str  # 评分标准
    max: Decimal
    rule: str
    bonus: bool = False
    counter: str | None = None
    direction: str = "more"  # more | fewer is better
    unit: str = ""
    advice: str = ""  # "再发布 {n} 条岗位"
    tiers: tuple[Tier, ...] = ()
    each: Decimal | None = None  # per_record
    per_year: int = 0  # monthly_sessions
    counting: str = "monthly"  # monthly_sessions: monthly | total
    numerator: str | None = None  # rate
    denominator: str | None = None
    satisfied_levels: tuple[str, ...] = ()  # rate: the levels counted as satisfied (for the ratings)
    empty_note: str = ""
    suggest: dict | None = None  # manual: {"counter": …, "at_least"|"at_most": n}
    checklist: tuple[dict, ...] = ()  # manual A1: ({"label", "counter"}, …)
    notes: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """What the JSON calls it: "assessor" (entered) or "automatic" (counted)."""
        return "assessor" if self.rule == "manual" else "automatic"

    @property
    def counters(self) -> tuple[str, ...]:
        """The metrics counters this item reads (and suggests from)."""
        names = [self.counter, self.numerator, self.denominator,
                 (self.suggest or {}).get("counter")]
        return tuple(n for n in names if n)


@dataclass(frozen=True)
class Grade:
    name: str
    min: Decimal
    percent: int
    consequence: str = ""


@dataclass(frozen=True)
class Tranche:
    months: int
    percent: Decimal
    of: str  # contract | bid


@dataclass(frozen=True)
class Rubric:
    version: str
    title: str
    source: str
    base_total: Decimal
    bonus_total: Decimal
    items: tuple[Item, ...]
    grades: tuple[Grade, ...]  # best first
    tranches: tuple[Tranche, ...]
    balance_months: int
    payment_note: str = ""
    notes: tuple[str, ...] = ()

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def grade(self, total: Decimal) -> Grade:
        for grade in self.grades:
            if total >= grade.min:
                return grade
        return self.grades[-1]


def parse_rubric(text: str, filename: str) -> Rubric:
    """Read and check a rubric; a ``RubricError`` names the file and the item."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise RubricError(f"{filename}: not valid TOML: {err}") from None
    return _Reader(filename).rubric(data)


class _Reader:
    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, problem: str, key: str | None = None):
        where = f"{self.filename}: item {key}: " if key else f"{self.filename}: "
        raise RubricError(where + problem)

    def number(self, raw, what: str, key: str | None = None) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
            self.fail(f"{what} must be a number, not {raw!r}", key)
        return Decimal(raw)

    def text(self, data: dict, name: str, key: str | None = None, required: bool = True) -> str:
        raw = data.get(name, "")
        if not isinstance(raw, str) or (required and not raw.strip()):
            self.fail(f"{name} must be a non-empty text", key)
        return raw

    def rubric(self, data: dict) -> Rubric:
        version = self.text(data, "version")
        if not self.filename.endswith(f"{version}.toml"):
            self.fail(f"version {version!r} must match the file's name")
        raw_items = data.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            self.fail("has no [[items]]")
        items = tuple(self.checked_item(raw) for raw in raw_items)
        keys = [item.key for item in items]
        if len(set(keys)) != len(keys):
            self.fail(f"item keys repeat: {sorted(k for k in set(keys) if keys.count(k) > 1)}")
        base_total = self.number(data.get("base_total"), "base_total")
        bonus_total = self.number(data.get("bonus_total"), "bonus_total")
        base = sum((i.max for i in items if not i.bonus), Decimal(0))
        bonus = sum((i.max for i in items if i.bonus), Decimal(0))
        if (base_total, bonus_total) != (100, 5):
            self.fail("the sheet is 100 points plus 5 bonus points: base_total = 100, bonus_total = 5")
        if base != base_total:
            self.fail(f"base items add up to {_plain(base)}, not base_total {_plain(base_total)}")
        if bonus != bonus_total:
            self.fail(f"bonus items add up to {_plain(bonus)}, not bonus_total {_plain(bonus_total)}")
        return Rubric(version=version, title=self.text(data, "title"),
                      source=self.text(data, "source", required=False),
                      base_total=base_total, bonus_total=bonus_total, items=items,
                      grades=self.grades(data.get("grades")), notes=tuple(data.get("notes", ())),
                      **self.payment(data.get("payment")))

    def grades(self, raw) -> tuple[Grade, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("has no [[grades]]")
        grades = tuple(Grade(self.text(g, "name"), self.number(g.get("min"), "a grade's min"),
                             int(self.number(g.get("percent"), "a grade's percent")),
                             g.get("consequence", "")) for g in raw)
        for better, worse in zip(grades, grades[1:], strict=False):
            if not (better.min > worse.min and better.percent >= worse.percent):
                self.fail(f"grades must go from best to worst: {better.name} before {worse.name}")
        if grades[-1].min != 0:
            self.fail(f"the last grade ({grades[-1].name}) must start at 0")
        return grades

    def payment(self, raw) -> dict:
        if not isinstance(raw, dict):
            self.fail("has no [payment]")
        tranches = []
        for t in raw.get("tranches", ()):
            if t.get("of") not in ("contract", "bid"):
                self.fail(f"a tranche is of \"contract\" or \"bid\", not {t.get('of')!r}")
            tranches.append(Tranche(int(self.number(t.get("months"), "a tranche's months")),
                                    self.number(t.get("percent"), "a tranche's percent"), t["of"]))
        months = [t.months for t in tranches]
        balance = int(self.number(raw.get("balance_months"), "balance_months"))
        if months != sorted(set(months)) or (months and months[-1] >= balance):
            self.fail("tranches must come in order of months, before balance_months")
        return {"tranches": tuple(tranches), "balance_months": balance,
                "payment_note": raw.get("note", "")}

    def checked_item(self, raw) -> Item:
        """An item, or a RubricError naming it, however its table is malformed."""
        if not isinstance(raw, dict):
            self.fail(f"an item must be a table ([[items]]), not {raw!r:.60}")
        try:
            return self.item(raw)
        except (AttributeError, KeyError, TypeError, ValueError) as err:
            if isinstance(err, RubricError):
                raise
            self.fail(f"malformed ({type(err).__name__}: {err})", raw.get("key"))

    def item(self, raw: dict) -> Item:
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            self.fail(f"an item has no key: {raw!r:.80}")
        rule = raw.get("rule")
        if rule not in RULES:
            self.fail(f"rule must be one of {', '.join(RULES)}, not {rule!r}", key)
        maximum = self.number(raw.get("max"), "max", key)
        if maximum <= 0:
            self.fail("max must be above 0", key)
        direction = raw.get("direction", "more")
        if direction not in ("more", "fewer"):
            self.fail(f"direction is \"more\" or \"fewer\", not {direction!r}", key)
        fields = {
            "key": key, "group": self.text(raw, "group", key), "project": self.text(raw, "project", key),
            "wording": self.text(raw, "wording", key), "max": maximum, "rule": rule,
            "bonus": bool(raw.get("bonus", False)), "counter": raw.get("counter"),
            "direction": direction, "unit": raw.get("unit", ""), "advice": raw.get("advice", ""),
            "notes": tuple(raw.get("notes", ())), "empty_note": raw.get("empty_note", ""),
            "numerator": raw.get("numerator"), "denominator": raw.get("denominator"),
            "satisfied_levels": tuple(raw.get("satisfied_levels", ())),
            "suggest": raw.get("suggest"), "checklist": tuple(raw.get("checklist", ())),
        }
        if rule in ("tiers", "rate"):
            fields["tiers"] = self.tiers(raw.get("tiers"), key, maximum, direction)
        if rule in ("tiers", "per_record", "monthly_sessions") and not fields["counter"]:
            self.fail(f"a {rule} item names its counter", key)
        if rule == "rate" and not (fields["numerator"] and fields["denominator"]):
            self.fail("a rate item names its numerator and denominator counters", key)
        if rule == "per_record":
            fields["each"] = self.number(raw.get("each"), "each", key)
            if fields["each"] <= 0:
                self.fail("each must be above 0", key)
        if rule == "monthly_sessions":
            fields["per_year"] = int(self.number(raw.get("per_year"), "per_year", key))
            fields["counting"] = raw.get("counting", "monthly")
            if fields["counting"] not in ("monthly", "total"):
                self.fail(f"counting is \"monthly\" or \"total\", not {fields['counting']!r}", key)
        if fields["suggest"] is not None:
            suggest = fields["suggest"]
            if rule != "manual" or not suggest.get("counter") or \
                    len({"at_least", "at_most"} & suggest.keys()) != 1:
                self.fail("suggest belongs to a manual item: {counter, at_least or at_most}", key)
        for entry in fields["checklist"]:
            if not (isinstance(entry, dict) and isinstance(entry.get("label"), str)
                    and isinstance(entry.get("counter"), str)):
                self.fail(f"each checklist entry is {{ label = …, counter = … }}, not {entry!r:.60}", key)
        if "{n}" not in fields["advice"] and fields["advice"]:
            self.fail("advice must hold {n}, the number of records still needed", key)
        return Item(**fields)

    def tiers(self, raw, key: str, maximum: Decimal, direction: str) -> tuple[Tier, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("has no tiers", key)
        tiers = []
        for t in raw:
            below = t.get("below")
            tier = Tier(self.number(t.get("min"), "a tier's min", key),
                        None if below is None else self.number(below, "a tier's below", key),
                        self.number(t.get("points"), "a tier's points", key),
                        bool(t.get("gap", False)), t.get("note", ""))
            if tier.below is not None and tier.below <= tier.min:
                self.fail(f"tier {tier.label}: below must be above min", key)
            if not 0 <= tier.points <= maximum:
                self.fail(f"tier {tier.label}: points {_plain(tier.points)} outside 0–{_plain(maximum)}", key)
            if tier.gap and not tier.note:
                self.fail(f"tier {tier.label} is a gap of the sheet and needs a note saying so", key)
            tiers.append(tier)
        if tiers[0].min != 0:
            self.fail(f"tiers must start at 0, not {_plain(tiers[0].min)}", key)
        for lower, upper in zip(tiers, tiers[1:], strict=False):
            if lower.below is None or upper.min < lower.below:
                self.fail(f"tiers overlap or are out of order at {_plain(upper.min)}", key)
            if upper.min > lower.below:
                self.fail(f"tiers leave a hole from {_plain(lower.below)} to {_plain(upper.min)} "
                          "(mark a range the sheet does not cover as a tier with gap = true)", key)
            worse = upper.points < lower.points if direction == "more" else upper.points > lower.points
            if worse and not (lower.gap or upper.gap):
                self.fail(f"points must {'rise' if direction == 'more' else 'fall'} from tier to tier "
                          f"({direction} is better), at {_plain(upper.min)}", key)
        if tiers[-1].below is not None:
            self.fail("the last tier must be open-ended (no below)", key)
        best = tiers[-1] if direction == "more" else tiers[0]
        if best.points != maximum:
            self.fail(f"the best tier gives {_plain(best.points)}, not the item's max {_plain(maximum)}", key)
        return tuple(tiers)


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
        raise Invalid(f"分数应在 0 到 {_plain(maximum)} 之间")
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
        label = f"服务满{t.months}个月：{name}的{_plain(t.percent)}%"
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


def _plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 0.1, 90, 1500."""
    text = format(number.normalize(), "f")
    return text


def decimal_text(number: Decimal | None) -> str | None:
    """How the JSON writes a decimal: plain digits, no exponent, no trailing zeros."""
    return None if number is None else _plain(Decimal(number))
