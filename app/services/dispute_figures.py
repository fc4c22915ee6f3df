"""纠纷与事件统计: the dispute cases and the incident log of a period in figures, for staff,
the manager and the assessor (nothing personal: counts, sums, medians), and the figures
beside item E1 on the score page.

The cases counted are those *received* in the period (``dispute_case.received_at``, as the
E1 counter ``disputes_received`` places them), whatever became of them since; a duplicate
merged into its original is not a case of its own: it is left out of every figure and shown
apart (``merged``). So the year's cases per month add up to E1, and so do the outcomes.

- ``summary(period)``: beside E1 (the score page and the figures page): how the cases stand
  (per state), how long acceptance and closure took (medians, in days, from the moments of
  receipt, acceptance and closure), and how both parties rated the mediation (the ratings
  given in the period from the cases' slips; 非常满意, 满意 and 基本满意 count as satisfied).
  ``received`` is exactly the E1 counter's value, the same cases.
- ``figures(period)``: the page's figures: the summary, cases per month and kind, the
  amounts claimed and agreed (exact sums of the stored decimals), and the incidents per
  month and kind (voided entries out, and how many were voided).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.clock import to_local
from app.domain.charts import bar_chart
from app.domain.disputes import CaseKind, CaseStatus, IncidentKind
from app.domain.periods import LocalPeriod
from app.domain.ratings import DEFAULT_SATISFIED, satisfied_values
from app.extensions import db
from app.models import DisputeCase, Incident, Rating

from . import metrics, scoring
from .csv_export import BOM, Lines
from .rating_figures import Share

CASE_SERVICE_KIND = "case"  # a rating of a case's mediation, from one of its slips
CSV_BATCH = 500


@dataclass(frozen=True)
class DisputeSummary:
    received: int  # not merged (E1's value)
    outcomes: dict[CaseStatus, int]  # the received cases per state now (merged not among them)
    merged: int
    median_days_to_accept: float | None
    accepted_count: int  # of the received cases, those accepted (the median's cases)
    median_days_to_close: float | None
    closed_count: int  # of the received cases, those closed (declined, performed, referred …)
    rated: int  # ratings of mediations given in the period, by either party
    satisfied: int  # of them, at a satisfied level (非常满意, 满意, 基本满意)

    @property
    def satisfaction(self) -> Share:
        return Share(self.satisfied, self.rated)

    @property
    def still_open(self) -> int:
        return sum(n for status, n in self.outcomes.items() if status.is_open)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def days_text(value: float | None) -> str:
    """A number of days as the pages show it: one decimal, half up (1.5 天); "—" for none.
    (The score page's median days too.)"""
    if value is None:
        return "—"
    return f"{Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP)} 天"


def summary(period: LocalPeriod) -> DisputeSummary:
    cases = metrics.measure("disputes_received", period).records.order_by(None).subquery()
    rows = db.session.execute(select(cases.c.status, cases.c.received_at, cases.c.accepted_at,
                                     cases.c.closed_at)).all()
    outcomes = {status: 0 for status in CaseStatus if status != CaseStatus.MERGED}
    for row in rows:
        outcomes[CaseStatus(row.status)] += 1
    accepted = [_days(r.received_at, r.accepted_at) for r in rows if r.accepted_at is not None]
    closed = [_days(r.received_at, r.closed_at) for r in rows if r.closed_at is not None]
    merged = metrics.measure("disputes_merged", period).value
    ratings = select(Rating.level).where(metrics.during(Rating.at, period),
                                         Rating.service_kind == CASE_SERVICE_KIND).subquery()
    good = satisfied_values(DEFAULT_SATISFIED)
    rated, satisfied = db.session.execute(select(
        func.count(), func.count().filter(ratings.c.level.in_(good))).select_from(ratings)).one()
    return DisputeSummary(
        received=len(rows), outcomes=outcomes, merged=int(merged or 0),
        median_days_to_accept=median(accepted) if accepted else None, accepted_count=len(accepted),
        median_days_to_close=median(closed) if closed else None, closed_count=len(closed),
        rated=rated, satisfied=satisfied or 0)


@dataclass(frozen=True)
class Money:
    """A sum of amounts in yuan, exact, and over how many cases."""

    total: Decimal
    cases: int


@dataclass(frozen=True)
class MonthRow:
    month: LocalPeriod
    by_kind: dict  # kind → count (every kind, 0 too)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def label(self) -> str:
        first, last = self.month.first_day, self.month.last_day
        if first.day == 1:
            return f"{first.year}年{first.month}月"
        return f"{first.year}年{first.month}月{first.day}日至{last.month}月{last.day}日"

    @property
    def short(self) -> str:
        return f"{self.month.first_day.month}月"


@dataclass(frozen=True)
class Figures:
    period: LocalPeriod
    summary: DisputeSummary
    case_months: tuple[MonthRow, ...]  # kinds: CaseKind
    case_kinds: dict[CaseKind, int]
    claimed: Money
    agreed: Money
    incident_months: tuple[MonthRow, ...]  # kinds: IncidentKind, voided entries out
    incident_kinds: dict[IncidentKind, int]
    incidents_voided: int

    @property
    def incidents(self) -> int:
        return sum(self.incident_kinds.values())

    def case_chart(self):
        return _chart("disputes", "每月收到的纠纷案件（不含合并的重复申请）", "件", self.case_months)

    def incident_chart(self):
        return _chart("incidents", "每月登记的事件（不含已作废）", "件", self.incident_months)


def _chart(key: str, title: str, unit: str, months: tuple[MonthRow, ...]):
    from .score_page import Chart  # here: the score page shows this module's summary

    points = [(row.short, row.label, row.total) for row in months]
    desc = "；".join(f"{row.label} {row.total} {unit}" for row in months) or "本年度尚无数据"
    return Chart(key, title, desc, unit, bar_chart(points, width=480))


# -- the cases -----------------------------------------------------------------------------------

def _cases(period: LocalPeriod):
    """The columns the figures need of E1's cases of the period: a year holds tens or hundreds
    of cases, read once."""
    cases = metrics.measure("disputes_received", period).records.order_by(None).subquery()
    return db.session.execute(select(cases.c.kind, cases.c.received_on, cases.c.amount,
                                     cases.c.agreed_amount)).all()


def _by_month(months: list[LocalPeriod], kinds, items: list[tuple[date, object]]) -> tuple[MonthRow, ...]:
    """(hall-local day, kind) pairs sorted into the period's months."""
    rows = []
    for month in months:
        found = Counter(kind for day, kind in items if month.first_day <= day <= month.last_day)
        rows.append(MonthRow(month, {kind: found[kind] for kind in kinds}))
    return tuple(rows)


def _money(values) -> Money:
    present = [value for value in values if value is not None]
    return Money(sum(present, Decimal("0.00")), len(present))


# -- the incidents -------------------------------------------------------------------------------

def _incidents(period: LocalPeriod):
    return db.session.execute(
        select(Incident.kind, Incident.occurred_at, Incident.voided_at.is_not(None).label("voided"))
        .where(metrics.during(Incident.occurred_at, period))).all()


def incident_months(period: LocalPeriod) -> tuple[MonthRow, ...]:
    """Incidents per month of the period and kind, voided entries out (the log's month strip)."""
    rows = _incidents(period)
    return _by_month(scoring.months(period), list(IncidentKind),
                     [(to_local(row.occurred_at).date(), row.kind) for row in rows if not row.voided])


def figures(period: LocalPeriod) -> Figures:
    counted = _cases(period)
    months = scoring.months(period)
    case_months = _by_month(months, list(CaseKind), [(row.received_on, row.kind) for row in counted])
    kinds = Counter(row.kind for row in counted)
    incidents = _incidents(period)
    valid = [row for row in incidents if not row.voided]
    by_incident = Counter(row.kind for row in valid)
    return Figures(
        period, summary(period), case_months,
        case_kinds={kind: kinds[kind] for kind in CaseKind},
        claimed=_money(row.amount for row in counted),
        agreed=_money(row.agreed_amount for row in counted),
        incident_months=_by_month(months, list(IncidentKind),
                                  [(to_local(row.occurred_at).date(), row.kind) for row in valid]),
        incident_kinds={kind: by_incident[kind] for kind in IncidentKind},
        incidents_voided=len(incidents) - len(valid),
    )


# -- the CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ("案件编号", "收到日期", "申请渠道", "纠纷类型", "申请人身份", "状态", "涉及金额（元）",
               "协议金额（元）", "受理日期", "收到至受理（天）", "结案日期", "收到至结案（天）", "合并到")


def csv_lines(period: LocalPeriod) -> Iterator[str]:
    """One line per case received in the period, merged ones too (marked, with their
    original's number), oldest first; no names, phone or ID numbers, no free text."""
    original = aliased(DisputeCase)
    lines = Lines()
    yield BOM + lines.add(CSV_COLUMNS).take()
    rows = db.session.execute(
        select(DisputeCase, original.number).outerjoin(original, DisputeCase.merged_into_id == original.id)
        .where(metrics.during(DisputeCase.received_at, period))
        .order_by(DisputeCase.received_at, DisputeCase.id).execution_options(yield_per=CSV_BATCH))
    for batch in rows.partitions():
        for case_row, into in batch:
            closed = to_local(case_row.closed_at).date() if case_row.closed_at else None
            lines.add((case_row.number, case_row.received_on.isoformat(), case_row.channel.label,
                       case_row.kind.label, case_row.applicant_role.label, case_row.status.label,
                       _yuan(case_row.amount), _yuan(case_row.agreed_amount),
                       case_row.accepted_on.isoformat() if case_row.accepted_on else "",
                       _day_count(case_row.received_at, case_row.accepted_at),
                       closed.isoformat() if closed else "",
                       _day_count(case_row.received_at, case_row.closed_at), into or ""))
        yield lines.take()


def _day_count(start: datetime, end: datetime | None) -> str:
    """Days between two moments, one decimal (as the medians are counted); "" without an end."""
    return "" if end is None else days_text(_days(start, end)).removesuffix(" 天")


def _yuan(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"
