"""A rubric: the score sheet as data, read from its TOML file and checked.

A rubric is a file in ``app/scoring/rubrics/`` (its format is described at the top of
``shaxian-2026.toml``). ``parse_rubric`` reads one, with TOML's decimals as ``Decimal``, and
checks it: the sheet's 100 + 5 points, tiers from 0 without holes or overlaps (a range the
sheet leaves uncovered is a tier marked ``gap`` with its note), points rising or falling with
the item's direction; a ``RubricError`` names the file and the item. ``app/domain/scoring.py``
applies it. Pure code: no Flask, no database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .ratings import satisfied_values

RULES = ("manual", "tiers", "rate", "per_record", "monthly_sessions")


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
        """The metrics counters this item reads (and suggests from); a rate's denominator
        first, so that its drill-down opens on every record the rate is taken over."""
        names = [self.counter, self.denominator, self.numerator,
                 (self.suggest or {}).get("counter")]
        return tuple(n for n in names if n)

    def options(self, counter: str) -> dict:
        """What this item tells a counter it reads: the satisfied levels to a rate's
        numerator (``metrics.measure(name, period, **options)``)."""
        if counter == self.numerator and self.satisfied_levels:
            return {"levels": satisfied_values(self.satisfied_levels)}
        return {}


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
        if fields["satisfied_levels"]:
            try:
                satisfied_values(fields["satisfied_levels"])
            except ValueError as err:
                self.fail(f"satisfied_levels: {err}", key)
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


def _plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 0.1, 90, 1500."""
    text = format(number.normalize(), "f")
    return text


def decimal_text(number: Decimal | None) -> str | None:
    """How the JSON writes a decimal: plain digits, no exponent, no trailing zeros."""
    return None if number is None else _plain(Decimal(number))
