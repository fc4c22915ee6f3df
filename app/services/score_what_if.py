"""What if: the manager types figures (counts, ratings, livestreams, manual points) and sees
the total, grade and money the period's rubric would give them, and which items change.
Nothing is saved; ``flask score evaluate`` does the same from a JSON file."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from app.domain import InvalidFields
from app.domain.rubric import Rubric, decimal_text
from app.domain.scoring import Figures, Sheet, evaluate

from . import assessment, scoring

MAX_COUNT = 1_000_000
MAX_SESSIONS = 1000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    hint: str


def what_if_fields(rubric: Rubric) -> list[Field]:
    fields = []
    for item in rubric.items:
        title = f"{item.key} {item.project}"
        if item.rule in ("tiers", "per_record"):
            fields.append(Field(f"count_{item.key}", title, item.unit))
        elif item.rule == "rate":
            fields += [Field("rated", f"{item.key} 全部评价数", "条"),
                       Field("satisfied", f"{item.key} 满意评价数", "条")]
        elif item.rule == "monthly_sessions":
            fields += [Field("sessions", f"{item.key} {item.project}：全年{item.unit}数", item.unit),
                       Field("months_without", f"{item.key} 已过完而一{item.unit}也没有的月数", "个月")]
        else:
            fields.append(Field(f"manual_{item.key}", title, f"0–{decimal_text(item.max)} 分，空着为未评分"))
    return fields


def what_if_values(rubric: Rubric, figures: Figures) -> dict[str, str]:
    values = {"rated": str(figures.rated), "satisfied": str(figures.satisfied),
              "sessions": str(figures.sessions), "months_without": str(figures.months_without)}
    for item in rubric.items:
        if item.rule in ("tiers", "per_record"):
            values[f"count_{item.key}"] = str(figures.counts.get(item.key, 0))
        elif item.rule == "manual" and item.key in figures.manual:
            values[f"manual_{item.key}"] = decimal_text(figures.manual[item.key])
    return values


def parse_what_if(rubric: Rubric, form, months: int) -> Figures:
    """The typed figures (InvalidFields with a Chinese message per wrong field)."""
    errors, counts, manual = {}, {}, {}

    def whole(name: str, limit: int) -> int:
        text = unicodedata.normalize("NFKC", form.get(name) or "").strip()
        if not re.fullmatch(r"[0-9]{1,9}", text):
            errors[name] = "请填写 0 或正整数"
            return 0
        if int(text) > limit:
            errors[name] = f"不能超过 {limit:,}"
        return int(text)

    for item in rubric.items:
        if item.rule in ("tiers", "per_record"):
            counts[item.key] = whole(f"count_{item.key}", MAX_COUNT)
        elif item.rule == "manual" and (raw := (form.get(f"manual_{item.key}") or "").strip()):
            try:
                manual[item.key] = assessment.parse_points(unicodedata.normalize("NFKC", raw), item.max)
            except InvalidFields as err:
                errors[f"manual_{item.key}"] = err.errors["points"]
    rated, satisfied = whole("rated", MAX_COUNT), whole("satisfied", MAX_COUNT)
    if "rated" not in errors and "satisfied" not in errors and satisfied > rated:
        errors["satisfied"] = "满意评价数不能多于全部评价数"
    sessions, without = whole("sessions", MAX_SESSIONS), whole("months_without", months)
    if errors:
        raise InvalidFields(errors)
    return Figures(counts=counts, satisfied=satisfied, rated=rated, sessions=sessions,
                   months_without=without, manual=manual)


@dataclass(frozen=True)
class WhatIf:
    sheet: Sheet
    worth: scoring.Worth
    changes: list[tuple[str, str, str, str]]  # key, project, points now, points then

    @property
    def totals(self) -> tuple[str, str, str]:
        """Base, bonus and total as the sheet writes them."""
        sheet = self.sheet
        return tuple(decimal_text(x) for x in (sheet.base_total, sheet.bonus_total, sheet.total))


def what_if(card: scoring.Card, figures: Figures) -> WhatIf:
    sheet = evaluate(card.rubric, figures)  # the card's own rubric; nothing is saved
    now = {entry["key"]: entry["points"] for entry in card.content["items"]}
    changes = [(s.key, s.item.project, now[s.key], decimal_text(s.points)) for s in sheet.items
               if Decimal(now[s.key]) != s.points]
    return WhatIf(sheet, scoring.worth_of_total(card, sheet.total), changes)
