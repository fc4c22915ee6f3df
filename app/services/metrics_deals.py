"""The counters of postings and deals (items A1, C2–C4, G1–G3), on the counting seam of
``app.services.metrics`` (imported there, so that registering them needs no other import).

Each places its records in a period by one indexed timestamp: a posting by its
publication (C2, G1), a deal by the time of its step (A1's checklist) or of its completion
(C3), a false record by its confirmation (C4), a short-term need by the completion of its
first deal (G2), an inter-provincial service by staff's confirmation (G3).
"""

from sqlalchemy import Select, func, select

from app.clock import local_today
from app.database import seconds_between
from app.domain.deals import DealStatus, PostingSource
from app.domain.periods import LocalPeriod
from app.domain.task_orders import COUNTED_STATES, TaskStatus
from app.hall_config import hall
from app.models import Deal, Employer, EmployerType, FalseRecord, TaskOrder

from .metrics import Tally, count, counter, during, on_days


def _counted_posting():
    """Published and still counted (closed ones too; rejected, voided and false ones not).

    The status is compared through coalesce() so that no database answers it from the
    status index: nearly every task order is published, and SQLite (without statistics)
    would walk all of them and sort, where the publication date's index finds the period's
    rows in order (``make bench``: a month of 200,000 postings, 116 → 15 ms)."""
    return func.coalesce(TaskOrder.status, TaskStatus.DRAFT.value).in_([s.value for s in COUNTED_STATES])


def _status_is(status: TaskStatus):
    """A posting's status compared as ``_counted_posting`` does: never from the status index."""
    return func.coalesce(TaskOrder.status, TaskStatus.DRAFT.value) == status.value


def _published(period: LocalPeriod, *conditions) -> Select:
    return (select(TaskOrder).where(during(TaskOrder.published_at, period), _counted_posting(), *conditions)
            .order_by(TaskOrder.published_at, TaskOrder.id))


@counter("task_orders_published", "发布招工信息")
def task_orders_published(period: LocalPeriod) -> Tally:
    """Each posting once, whatever its headcount (C2); never-published ones have no date,
    voided and false ones are excluded."""
    return count(_published(period), at=TaskOrder.published_at)


@counter("postings_for_enterprises", "代企业发布的招工信息", "条")
def postings_for_enterprises(period: LocalPeriod) -> Tally:
    """Postings staff published for an enterprise employer in the period (G1)."""
    enterprise = select(Employer.id).where(Employer.employer_type == EmployerType.ENTERPRISE)
    return count(_published(period, TaskOrder.source == PostingSource.ENTERPRISE.value,
                            TaskOrder.employer_id.in_(enterprise)), at=TaskOrder.published_at)


@counter("postings_late", "拖延发布的岗位（超过时限才发布）", "条")
def postings_late(period: LocalPeriod) -> Tally:
    """Published in the period more than ``POSTING_LATE_HOURS`` after receipt (beside C4)."""
    late = seconds_between(TaskOrder.created_at, TaskOrder.published_at) > hall().posting_late_hours * 3600
    return count(_published(period, late), at=TaskOrder.published_at)


@counter("postings_expired", "到期仍未招满、未下架的岗位", "条")
def postings_expired(period: LocalPeriod) -> Tally:
    """Postings whose validity ended on a day of the period (before today) while still
    published with places left: information not kept up to date (beside C4)."""
    return count(select(TaskOrder).where(on_days(TaskOrder.valid_until, period),
                                         TaskOrder.valid_until < local_today(),
                                         _status_is(TaskStatus.PUBLISHED),
                                         TaskOrder.taken < TaskOrder.headcount)
                 .order_by(TaskOrder.valid_until, TaskOrder.id), at=TaskOrder.published_at)


@counter("false_records", "确认虚假的信息", "条")
def false_records(period: LocalPeriod) -> Tally:
    """Worker records and postings confirmed false in the period (C4)."""
    return count(select(FalseRecord).where(during(FalseRecord.confirmed_at, period))
                 .order_by(FalseRecord.confirmed_at, FalseRecord.id), at=FalseRecord.confirmed_at)


@counter("enterprise_needs_solved", "解决企业短期用工", "次")
def enterprise_needs_solved(period: LocalPeriod) -> Tally:
    """Enterprises' short-term postings whose first deal completed in the period (G2)."""
    return count(select(TaskOrder).where(during(TaskOrder.need_solved_at, period), _counted_posting())
                 .order_by(TaskOrder.need_solved_at, TaskOrder.id), at=TaskOrder.need_solved_at)


# -- deals --------------------------------------------------------------------------------------

def _not_cancelled():
    """Compared through coalesce() (as C2's status is): SQLite would otherwise walk the
    status index over every deal instead of the period's timestamp index."""
    return func.coalesce(Deal.status, DealStatus.ACCEPTED.value) != DealStatus.CANCELLED.value


def _deals(column, period: LocalPeriod, *conditions) -> Tally:
    return count(select(Deal).where(during(column, period), *conditions).order_by(column, Deal.id), at=column)


@counter("deals_accepted", "接单", "笔")
def deals_accepted(period: LocalPeriod) -> Tally:
    """Workers engaged on a posting in the period (at the kiosk or by staff), whatever
    became of the deal."""
    return _deals(Deal.accepted_at, period)


@counter("prices_confirmed", "价格确认", "笔")
def prices_confirmed(period: LocalPeriod) -> Tally:
    return _deals(Deal.priced_at, period)


@counter("agreements_signed", "电子协议已签", "份")
def agreements_signed(period: LocalPeriod) -> Tally:
    return _deals(Deal.signed_at, period)


@counter("employer_payments", "雇主付款", "笔")
def employer_payments(period: LocalPeriod) -> Tally:
    """Employers' payments made in the period (by the time of payment recorded)."""
    return _deals(Deal.paid_at, period)


@counter("wages_settled", "工资结算", "笔")
def wages_settled(period: LocalPeriod) -> Tally:
    return _deals(Deal.settled_at, period)


@counter("deals_completed", "完成交易", "笔")
def deals_completed(period: LocalPeriod) -> Tally:
    """Deals completed in the period (C3): one worker engaged on one posting at a
    confirmed price, every step recorded.

    The status is compared through coalesce(), as C2's is: nearly every deal of a year is
    completed, and SQLite would otherwise answer from the status index and walk every one
    (``make bench``: 150,000 deals, the count 230 → a few ms; the monthly trend 2.4 s → …)."""
    completed = func.coalesce(Deal.status, DealStatus.ACCEPTED.value) == DealStatus.COMPLETED.value
    return _deals(Deal.completed_at, period, completed)


@counter("inter_provincial_services", "省际用工服务（已确认）", "次")
def inter_provincial_services(period: LocalPeriod) -> Tally:
    """Deals staff confirmed as inter-provincial service in the period (G3); a deal later
    cancelled was no service, and leaves the count."""
    return _deals(Deal.interprovincial_at, period, _not_cancelled())


@counter("inter_provincial_suggested", "待确认的省际用工建议（不计入）", "笔")
def inter_provincial_suggested(period: LocalPeriod) -> Tally:
    """Deals accepted in the period suggested as inter-provincial and not yet decided."""
    # Undecided: neither time set, as one expression (a bare "interprovincial_at IS NULL"
    # sends SQLite down that index through every deal never confirmed).
    undecided = func.coalesce(Deal.interprovincial_at, Deal.interprovincial_dismissed_at).is_(None)
    return _deals(Deal.accepted_at, period, Deal.interprovincial_suggested.is_(True), undecided,
                  _not_cancelled())
