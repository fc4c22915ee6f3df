"""The score page's use cases: a period's figures from the counters, scored by its rubric;
the manager's settings; the assessor's manual points; locking and unlocking a period.

Periods are assessment years numbered from the service start date (the manager's setting):
year 1 starts on it. Each automatic item reads its counter(s) in ``app.services.metrics``
over the period; a counter that is not registered yet (its capability has not landed) counts
0 and the item says "尚未记录". A locked period is read from its snapshot, never recomputed.

``card(n)`` is what the page, the JSON, the CLI and the exports show: ``Card.content`` is
the same dict whether live or locked (the snapshot stores exactly it), and ``Card.live``
adds what only a live period has (drill-down queries, next tiers, projections).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app import scoring
from app.clock import hall_tz, local_today
from app.database import insert_if_missing
from app.domain import Conflict, Invalid, InvalidFields
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
    manual_points,
    project,
    schedule,
)
from app.extensions import db
from app.hall_config import hall
from app.models import AssessmentSettings, ManualScore, PeriodRubric, ScoreSnapshot, utcnow

from . import audit, locks, metrics

NOT_RECORDED = "尚未记录"
NOT_LIVE = "未上线"
MONEY_FIELDS = ("contract_amount", "bid_price", "network_fee")


# -- settings ----------------------------------------------------------------------------

def settings() -> AssessmentSettings | None:
    return db.session.get(AssessmentSettings, 1)


def service_start() -> date | None:
    row = settings()
    return row.service_start if row else None


def contract() -> Contract | None:
    row = settings()
    if row is None or None in (row.contract_amount, row.bid_price, row.network_fee):
        return None
    return Contract(row.contract_amount, row.bid_price, row.network_fee)


def save_settings(*, service_start: date, contract_amount: Decimal | None, bid_price: Decimal | None,
                  network_fee: Decimal | None, user) -> AssessmentSettings:
    """The manager's contract settings (one row), recorded in the audit trail. A sum not
    known yet is None (no money on the page until all three are set); saving the same
    values again records nothing."""
    if None not in (network_fee, bid_price) and network_fee > bid_price:
        raise InvalidFields({"network_fee": "网络建设费不能高于中标价"})
    locks.hold("score:settings")  # a lock taken at the same moment sees the settings before or after
    row = settings() or AssessmentSettings(id=1)
    if row.service_start == service_start and (row.contract_amount, row.bid_price, row.network_fee) == \
            (contract_amount, bid_price, network_fee):
        return row
    if row.service_start != service_start and db.session.scalar(
            select(ScoreSnapshot.id).where(ScoreSnapshot.unlocked_at.is_(None)).limit(1)):
        raise Conflict("已有考核年度锁定，不能再改服务起始日期；请考核人员先解锁")
    before = _settings_dict(row) if db.session.get(AssessmentSettings, 1) else None
    row.service_start, row.contract_amount = service_start, contract_amount
    row.bid_price, row.network_fee = bid_price, network_fee
    row.updated_at, row.updated_by_id = utcnow(), user.id
    db.session.add(row)
    record_rubrics(user.id)
    audit.record(audit.Ref("assessment_settings", 1), "settings", before=before, after=_settings_dict(row),
                 actor=audit.Actor.staff(user))
    db.session.commit()
    return row


def _settings_dict(row: AssessmentSettings) -> dict:
    return {"service_start": row.service_start.isoformat() if row.service_start else None,
            **{name: decimal_text(getattr(row, name)) for name in MONEY_FIELDS}}


# -- periods and their rubric ------------------------------------------------------------

def period(number: int) -> LocalPeriod:
    start = service_start()
    if start is None:
        raise Invalid("请经理先在考核设置中填写服务起始日期")
    if number < 1:
        raise Invalid("考核年度从第1年开始")
    return LocalPeriod.assessment_year(start, number, hall_tz())


def current_number() -> int:
    """The year containing today (year 1 before the service starts)."""
    start = service_start()
    if start is None:
        return 1
    return max(LocalPeriod.assessment_year(start, local_today(), hall_tz()).number, 1)


def numbers() -> list[int]:
    """The years the page offers: 1, 2, 3 and any later one already begun."""
    return list(range(1, max(3, current_number()) + 1))


def record_rubrics(user_id: int | None) -> None:
    """Years 1–3 keep the rubric they are first scored with: recorded with the first settings,
    so that a later change of ``SCORE_RUBRIC`` does not re-score them (the manager may still
    choose another for a year not locked)."""
    for number in (1, 2, 3):
        insert_if_missing(PeriodRubric, period=number, version=hall().rubric.version, set_at=utcnow(),
                          set_by_id=user_id)


def rubric_for(number: int) -> Rubric:
    row = db.session.get(PeriodRubric, number)
    return scoring.load(row.version if row else hall().rubric.version)


def set_rubric(number: int, version: str, user) -> None:
    if version not in scoring.versions():
        raise InvalidFields({"version": "没有这个评分细则版本"})
    locks.hold(f"score:{number}")
    if is_locked(number):
        raise Conflict("该考核年度已锁定，不能更换评分细则；请考核人员先解锁")
    row = db.session.get(PeriodRubric, number)
    before = {"version": row.version} if row else {"version": hall().rubric.version}
    row = row or PeriodRubric(period=number)
    row.version, row.set_at, row.set_by_id = version, utcnow(), user.id
    db.session.add(row)
    audit.record(audit.Ref("period_rubric", number), "set_rubric", before=before, after={"version": version},
                 actor=audit.Actor.staff(user))
    db.session.commit()


# -- manual items ------------------------------------------------------------------------

def manual_entries(number: int) -> dict[str, ManualScore]:
    return {row.item_key: row for row in
            db.session.scalars(select(ManualScore).where(ManualScore.period == number))}


def enter_manual(number: int, key: str, raw_points: str, note: str, user, *,
                 commit: bool = True) -> ManualScore:
    """The assessor's points for a manual item (0 to its max, in steps of 0.1), with a note.
    ``commit=False`` leaves the change in the caller's transaction (the demo year's load)."""
    rubric = rubric_for(number)
    try:
        item = rubric.item(key)
    except KeyError:
        raise Invalid("评分表中没有这一项") from None
    if item.rule != "manual":
        raise Invalid("这一项由系统按记录计分，不能手工录入")
    points = parse_points(raw_points, item.max)
    note = (note or "").strip()
    if len(note) > 300:
        raise InvalidFields({"note": "说明最多300字"})
    locks.hold(f"score:{number}")
    if is_locked(number):
        raise Conflict("该考核年度已锁定，不能再改分；如需修改，请先解锁")
    row = manual_entries(number).get(key)
    before = {"points": decimal_text(row.points), "note": row.note} if row else None
    row = row or ManualScore(period=number, item_key=key)
    row.points, row.note, row.entered_at, row.entered_by_id = points, note, utcnow(), user.id
    db.session.add(row)
    db.session.flush()
    audit.record(audit.Ref("manual_score", row.id), "score", before=before,
                 after={"period": number, "item": key, "points": decimal_text(points), "note": note},
                 actor=audit.Actor.staff(user))
    if commit:
        db.session.commit()
    return row


def parse_points(raw: str, maximum: Decimal) -> Decimal:
    """Points typed on the page (the rule is ``manual_points`` of the domain)."""
    try:
        return manual_points(Decimal((raw or "").strip()), maximum)
    except InvalidOperation:
        raise InvalidFields({"points": "请填写分数，例如 3 或 2.5"}) from None
    except Invalid as err:
        raise InvalidFields({"points": err.message}) from None


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
    found = period(number)
    snapshot = current_snapshot(number)
    if snapshot is not None:
        rubric = scoring.load(snapshot.rubric_version)
        content = dict(snapshot.content, locked=True)
        locked_terms = content.get("contract")  # the money as it was when locked
        terms = Contract(**{k: Decimal(v) for k, v in locked_terms.items()}) if locked_terms else None
        return Card(number, found, rubric, content, snapshot, terms=terms,
                    schedule=_schedule(rubric, content["grade"], found, terms))
    rubric = rubric_for(number)
    live = _measure(rubric, found, number)
    content = _content(number, found, live.sheet, manual_entries(number), live)
    terms = contract()
    return Card(number, found, rubric, content, live=live, terms=terms,
                schedule=_schedule(rubric, content["grade"], found, terms))


def live_figures(number: int) -> Figures:
    """The period's measured figures (what the what-if form starts from)."""
    found, rubric = period(number), rubric_for(number)
    return _figures(rubric, found, _read_counters(rubric, found), manual_entries(number),
                    months_without=_months_without(rubric, found))


def _measure(rubric: Rubric, found: LocalPeriod, number: int) -> Live:
    live = Live(elapsed_days=_elapsed_days(found), over=local_today() > found.last_day)
    measured = _read_counters(rubric, found)
    manual = manual_entries(number)
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
    names = {name for item in rubric.items for name in item.counters}
    names |= {c["counter"] for item in rubric.items for c in item.checklist}
    return {name: metrics.measure(name, found) if name in metrics.REGISTRY else None
            for name in sorted(names)}


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


# -- locking -----------------------------------------------------------------------------

def current_snapshot(number: int) -> ScoreSnapshot | None:
    return db.session.scalar(select(ScoreSnapshot).where(ScoreSnapshot.period == number,
                                                         ScoreSnapshot.unlocked_at.is_(None))
                             .order_by(ScoreSnapshot.id.desc()).limit(1))


def is_locked(number: int) -> bool:
    return current_snapshot(number) is not None


# -- monthly trend -----------------------------------------------------------------------

def trend(number: int) -> dict[str, list[tuple[date, int]]]:
    """Per count item with a registered counter: its value in each month of the period
    begun so far (for the chart)."""
    found, rubric, today = period(number), rubric_for(number), local_today()
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
