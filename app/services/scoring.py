"""A period's score card: its figures from the counters, scored by its rubric.

The period, its rubric, settings and manual points are ``app.services.assessment``; locking
is ``app.services.score_locks``. Each automatic item reads its counter(s) in ``app.services.metrics``
over the period; a counter that is not registered yet (its capability has not landed) counts
0 and the item says "尚未记录". A locked period is read from its snapshot, never recomputed.

``card(n)`` is what the page, the JSON, the CLI and the exports show: ``Card.content`` is
the same dict whether live or locked (the snapshot stores exactly it), and ``Card.live``
adds what only a live period has (drill-down queries, next tiers, projections).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from app import scoring
from app.clock import local_today
from app.domain.periods import LocalPeriod, PeriodKind
from app.domain.rubric import Grade, Rubric, decimal_text
from app.domain.scoring import (
    Contract,
    Figures,
    ItemScore,
    Schedule,
    Sheet,
    add_months,
    entitlement,
    evaluate,
    project,
    schedule,
)
from app.models import ManualScore, ScoreSnapshot

from . import assessment, metrics

NOT_RECORDED = "尚未记录"
NOT_LIVE = "未上线"


# -- the card: one period's scores -------------------------------------------------------

@dataclass
class Live:
    """What a live (unlocked) period adds to its content, per item key."""

    measures: dict[str, metrics.Measure | None] = field(default_factory=dict)  # the item's counter
    projections: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # value, points
    sheet: Sheet | None = None
    suggestions: dict[str, Decimal | None] = field(default_factory=dict)
    checklist: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    elapsed_days: int = 0
    over: bool = False  # the period has ended: nothing more can be done in it
    figures: Figures | None = None  # what the sheet was evaluated from (the what-if form starts here)


@dataclass
class Card:
    number: int
    period: LocalPeriod
    rubric: Rubric
    content: dict  # the page's figures: the JSON object, and per item what the page shows
    snapshot: ScoreSnapshot | None = None
    live: Live | None = None
    schedule: Schedule | None = None
    terms: Contract | None = None  # the contract's money (a locked period: as when it was locked)

    @property
    def locked(self) -> bool:
        return self.snapshot is not None

    def json(self) -> dict:
        """The machine-readable contract (see the README): stable keys only."""
        return {key: self.content[key] for key in JSON_KEYS}


JSON_KEYS = ("period", "rubric", "locked", "items", "base_total", "bonus_total", "total", "grade",
             "payment_percent")


def card(number: int) -> Card:
    found = assessment.period(number)
    snapshot = assessment.current_snapshot(number)
    if snapshot is not None:
        rubric = scoring.load(snapshot.rubric_version)
        content = dict(snapshot.content, locked=True)
        locked_terms = content.get("contract")  # the money as it was when locked
        terms = Contract(**{k: Decimal(v) for k, v in locked_terms.items()}) if locked_terms else None
        return Card(number, found, rubric, content, snapshot, terms=terms,
                    schedule=_schedule(rubric, content["grade"], found, terms))
    rubric = assessment.rubric_for(number)
    live = _measure(rubric, found, number)
    content = _content(number, found, live.sheet, assessment.manual_entries(number), live)
    terms = assessment.contract()
    return Card(number, found, rubric, content, live=live, terms=terms,
                schedule=_schedule(rubric, content["grade"], found, terms))


def live_figures(number: int) -> Figures:
    """The period's measured figures (what the what-if form starts from)."""
    found, rubric = assessment.period(number), assessment.rubric_for(number)
    return _figures(rubric, found, _read_counters(rubric, found), assessment.manual_entries(number),
                    months_without=_months_without(rubric, found))


def _measure(rubric: Rubric, found: LocalPeriod, number: int) -> Live:
    live = Live(elapsed_days=_elapsed_days(found), over=local_today() > found.last_day)
    measured = _read_counters(rubric, found)
    manual = assessment.manual_entries(number)
    figures = _figures(rubric, found, measured, manual, months_without=_months_without(rubric, found))
    live.sheet, live.figures = evaluate(rubric, figures), figures
    for item in rubric.items:
        live.measures[item.key] = measured.get(item.counter) if item.counter else None
        if item.suggest:
            live.suggestions[item.key] = _suggestion(item, measured)
        if item.checklist:
            live.checklist[item.key] = [(c["label"], _value(measured.get(c["counter"])))
                                        for c in item.checklist]
        counter = measured.get(item.counter)
        accumulates = counter is not None and counter.counter.key in metrics.REGISTRY and \
            metrics.REGISTRY[item.counter].tally(found).figure is None  # not a latest figure (F1)
        if item.rule in ("tiers", "per_record") and item.direction == "more" and accumulates and \
                live.elapsed_days < found.days:
            value = project(int(figures.counts.get(item.key, 0)), live.elapsed_days, found.days)
            counts = dict(figures.counts, **{item.key: value})
            projected = evaluate(rubric, Figures(counts=counts)).item(item.key)
            live.projections[item.key] = (value, projected.points)
    return live


def _read_counters(rubric: Rubric, found: LocalPeriod) -> dict[str, metrics.Measure | None]:
    """Every counter the rubric names, measured once (None: not registered yet)."""
    options = {c["counter"]: {} for item in rubric.items for c in item.checklist}
    options |= {name: item.options(name) for item in rubric.items for name in item.counters}
    return {name: metrics.measure(name, found, **options[name]) if name in metrics.REGISTRY else None
            for name in sorted(options)}


def _value(measure: metrics.Measure | None) -> int | None:
    return None if measure is None else int(measure.value or 0)


def _figures(rubric: Rubric, found: LocalPeriod, measured: dict, manual: dict[str, ManualScore],
             months_without: int = 0) -> Figures:
    counts, sessions, satisfied, rated = {}, 0, 0, 0
    for item in rubric.items:
        if item.rule in ("tiers", "per_record"):
            counts[item.key] = _value(measured.get(item.counter)) or 0
        elif item.rule == "monthly_sessions":
            sessions = _value(measured.get(item.counter)) or 0
        elif item.rule == "rate":
            satisfied = _value(measured.get(item.numerator)) or 0
            rated = _value(measured.get(item.denominator)) or 0
    return Figures(counts=counts, satisfied=satisfied, rated=rated, sessions=sessions,
                   months_without=months_without,
                   manual={key: row.points for key, row in manual.items()})


def _suggestion(item, measured: dict) -> Decimal | None:
    value = _value(measured.get(item.suggest["counter"]))
    if value is None:
        return None
    if "at_least" in item.suggest:
        return item.max if value >= item.suggest["at_least"] else Decimal(0)
    return item.max if value <= item.suggest["at_most"] else Decimal(0)


def months(found: LocalPeriod) -> list[LocalPeriod]:
    """The period's months: an assessment year's twelve service months, each from the start
    date's day to the day before it a month later (calendar months when the year starts on
    the 1st); a calendar year's twelve months."""
    result, k = [], 0
    while (first := add_months(found.first_day, k)) <= found.last_day:
        last = min(add_months(found.first_day, k + 1) - timedelta(days=1), found.last_day)
        result.append(LocalPeriod(PeriodKind.MONTH, first, last, found.tz))
        k += 1
    return result


def _months_without(rubric: Rubric, found: LocalPeriod) -> int:
    """Months of the period already over without a session of the monthly item."""
    item = next((i for i in rubric.items if i.rule == "monthly_sessions"), None)
    if item is None or item.counter not in metrics.REGISTRY:
        return 0
    today = local_today()
    return sum(1 for month in months(found)
               if month.last_day < today and not metrics.measure(item.counter, month).value)


def _elapsed_days(found: LocalPeriod) -> int:
    today = local_today()
    if today < found.first_day:
        return 0
    return min((today - found.first_day).days + 1, found.days)


def _content(number: int, found: LocalPeriod, sheet: Sheet,
             manual: dict[str, ManualScore], live: Live | None) -> dict:
    rows = []
    for score in sheet.items:
        item = score.item
        measure = live.measures.get(item.key) if live else None
        not_recorded = item.rule != "manual" and any(
            name not in metrics.REGISTRY for name in item.counters)
        entry = manual.get(item.key)
        rows.append({"key": item.key, "group": item.group, "project": item.project,
                     "wording": item.wording, "max": decimal_text(item.max),
                     "value": _value_text(score), "points": decimal_text(score.points),
                     "source": item.source, "unit": item.unit, "bonus": item.bonus,
                     "entered": entry is not None,
                     "note": entry.note if entry else "", "decisions": list(item.notes),
                     "warning": NOT_RECORDED if not_recorded else score.warning,
                     "records": None if measure is None else _value(measure)})
        if item.rule == "rate" and live and live.figures:  # the rate's terms, kept when locked
            rows[-1] |= {"satisfied": live.figures.satisfied, "rated": live.figures.rated}
    return {"period": {"index": number, "start": found.first_day.isoformat(),
                       "end": found.last_day.isoformat()},
            **sheet_json(sheet), "rows": rows}


def sheet_json(sheet: Sheet) -> dict:
    """The JSON contract of a scored sheet, all but its ``period``: what ``Card.json()`` and
    ``flask score evaluate`` print (decimals as plain strings)."""
    grade = sheet.grade
    return {"rubric": sheet.rubric.version, "locked": False,
            "items": [{"key": score.key, "value": _value_text(score), "points": decimal_text(score.points),
                       "max": decimal_text(score.item.max), "source": score.item.source}
                      for score in sheet.items],
            "base_total": decimal_text(sheet.base_total), "bonus_total": decimal_text(sheet.bonus_total),
            "total": decimal_text(sheet.total), "grade": grade.name, "payment_percent": grade.percent}


def _value_text(score: ItemScore) -> str:
    return decimal_text(score.value if score.value is not None else score.points)


def _schedule(rubric: Rubric, grade_name: str, found: LocalPeriod, terms: Contract | None) -> Schedule | None:
    if terms is None:
        return None
    grade = next(g for g in rubric.grades if g.name == grade_name)
    return schedule(rubric, terms, grade, found.first_day)


@dataclass(frozen=True)
class Worth:
    """What a total earns: its grade and, with the contract set, the year's entitlement and
    its difference from the card's own (None without the contract's money)."""

    total: Decimal
    grade: Grade
    entitlement: Decimal | None
    change: Decimal | None


def worth(card: Card, gain: Decimal = Decimal(0), *, bonus: bool = False) -> Worth:
    """The card's total raised by ``gain`` points of one item (a bonus item's gain counts
    only up to the bonus total), its grade and what that grade pays for the year."""
    base, extra = Decimal(card.content["base_total"]), Decimal(card.content["bonus_total"])
    if bonus:
        extra = min(extra + gain, card.rubric.bonus_total)
    else:
        base += gain
    return worth_of_total(card, base + extra)


def worth_of_total(card: Card, total: Decimal) -> Worth:
    grade, terms = card.rubric.grade(total), card.terms
    if terms is None:
        return Worth(total, grade, None, None)
    now = next(g for g in card.rubric.grades if g.name == card.content["grade"])
    money = entitlement(terms, grade)
    return Worth(total, grade, money, money - entitlement(terms, now))


def bounds(card: Card) -> tuple[tuple[Grade, Decimal] | None, tuple[Grade, Decimal] | None]:
    """The next grade up and the points missing to it; the grade below and the points that
    may be lost before falling to it (from the locked content when the period is locked)."""
    if card.live is not None:
        sheet = card.live.sheet
    else:
        total = Decimal(card.content["total"])
        sheet = Sheet(card.rubric, (), Decimal(card.content["base_total"]),
                      Decimal(card.content["bonus_total"]), total, card.rubric.grade(total))
    return sheet.up, sheet.down


# -- monthly trend -----------------------------------------------------------------------

def trend(number: int) -> dict[str, list[tuple[date, int]]]:
    """Per count item with a registered counter: its value in each month of the period
    begun so far (for the chart)."""
    found, rubric, today = assessment.period(number), assessment.rubric_for(number), local_today()
    result = {}
    for item in rubric.items:
        counted = item.rule in ("tiers", "per_record", "monthly_sessions")
        if not counted or item.counter not in metrics.REGISTRY:
            continue
        if metrics.REGISTRY[item.counter].tally(found).figure is not None:
            continue  # a latest figure, not a count per month
        result[item.key] = [(month.first_day, _value(metrics.measure(item.counter, month)) or 0)
                            for month in months(found) if month.first_day <= today]
    return result
