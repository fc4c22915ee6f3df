"""The figures beside item E1 on the score page: of the cases received in a period, how they
stand (per state), how long acceptance and closure took (medians, in days), and how both
parties rated the mediation (the ratings given in the period from the cases' slips).

``received`` is exactly the E1 counter's value (``metrics.disputes_received``): the same
cases, merged duplicates excluded (``merged`` says how many there were)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import func, select

from app.domain.disputes import CaseStatus
from app.domain.periods import LocalPeriod
from app.domain.ratings import DEFAULT_SATISFIED, satisfied_values
from app.extensions import db
from app.models import Rating

from . import metrics

CASE_SERVICE_KIND = "case"  # a rating of a case's mediation, from one of its slips


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


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


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
