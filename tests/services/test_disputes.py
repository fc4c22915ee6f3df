"""Dispute cases through the service: numbers under concurrency, one case per form, the two
clocks against the hall's calendar, every step recorded, racing staff, merging, and the
E1/B8/B9 counters with exactly the records behind them."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import hall_period
from app.domain import Conflict, InvalidFields
from app.domain.disputes import CaseChannel, CaseStatus, ClockLevel, Party, read_filing
from app.domain.workdays import DayKind
from app.extensions import db
from app.models import AuditEntry, DisputeCase, DisputeCounter, DisputeEntry, DisputeSignature, utcnow
from app.services import disputes, incidents, metrics, workdays
from tests import factories as f
from tests.conftest import at_once


@pytest.fixture
def staff(ctx):
    return f.staff_user()


def _signed():
    return {party: disputes.Signed(name, f.signature()) for party, name in
            ((Party.APPLICANT, "李四"), (Party.RESPONDENT, "王五"), (Party.MEDIATOR, "小李"))}


def _mediating(staff, **form):
    case = f.dispute(**form)
    disputes.accept(case, staff)
    return disputes.record_session(case, held_at=utcnow(), attendees="李四、王五", text="双方陈述了经过", user=staff)


# -- numbers --------------------------------------------------------------------------------

def test_concurrent_filings_get_distinct_gapless_numbers(app, ctx):
    filing = read_filing(f.dispute_form())

    def file(n):
        return disputes.file_case(filing, channel=CaseChannel.PHONE).number

    numbers = at_once(app, 8, file)
    assert all(isinstance(n, str) for n in numbers), numbers
    year = numbers[0][:4]
    assert sorted(numbers) == [f"{year}-JF-{n:04d}" for n in range(1, 9)]
    assert db.session.scalar(select(DisputeCounter.last_seq)) == 8


def test_the_same_form_sent_at_once_files_one_case(app, ctx):
    from flask import session

    with app.test_request_context():
        session["form_key_salt"] = "s"
        from app.forms import new_form_key

        key = new_form_key()
    filing = read_filing(f.dispute_form())
    numbers = at_once(app, 4, lambda n: disputes.file_case(filing, channel=CaseChannel.KIOSK, form_key=key).number)
    assert len(set(numbers)) == 1 and all(isinstance(n, str) for n in numbers), numbers
    assert db.session.scalar(select(func.count()).select_from(DisputeCase)) == 1


def test_numbers_start_again_each_year_and_a_failed_filing_leaves_no_gap(ctx, frozen_clock):
    frozen_clock.move_to("2026-12-31 16:00")
    assert f.dispute().number == "2026-JF-0001"
    with pytest.raises(Exception):  # noqa: B017 - any failure inside the transaction
        with db.session.begin_nested():
            disputes.next_seq(2026)
            raise RuntimeError("the insert failed")
    db.session.rollback()
    assert f.dispute().number == "2026-JF-0002"
    frozen_clock.move_to("2027-01-01 08:30")
    assert f.dispute().number == "2027-JF-0001"


# -- the clocks -----------------------------------------------------------------------------

def test_acceptance_counts_working_days_over_a_weekend(ctx, frozen_clock):
    frozen_clock.move_to("2026-11-27 17:00")  # a Friday
    case = f.dispute()
    assert case.accept_due == date(2026, 12, 2)  # Mon, Tue, Wed
    frozen_clock.move_to("2026-12-02 09:00")
    assert disputes.clock_of(case).clock.level == ClockLevel.WARN
    frozen_clock.move_to("2026-12-03 09:00")
    assert disputes.clock_of(case).clock.level == ClockLevel.OVERDUE


def test_acceptance_skips_national_day_and_moves_when_the_calendar_changes(ctx, staff, frozen_clock):
    frozen_clock.move_to("2026-09-29 10:00")  # a Tuesday before the holiday
    case = f.dispute()
    assert case.accept_due == date(2026, 10, 2)  # 30 Sep, 1 Oct, 2 Oct without the holiday entered
    for day in (1, 2, 5, 6, 7):
        workdays.set_day(date(2026, 10, day), DayKind.HOLIDAY, "国庆节", user=staff)
    db.session.refresh(case)
    assert case.accept_due == date(2026, 10, 9)  # 30 Sep, 8 Oct, 9 Oct
    workdays.set_day(date(2026, 10, 10), DayKind.WORKDAY, "国庆调休", user=staff)
    db.session.refresh(case)
    assert case.accept_due == date(2026, 10, 9)  # the worked Saturday comes after
    frozen_clock.move_to("2026-10-08 09:00")
    assert disputes.clock_of(case).clock.level == ClockLevel.OK  # not yet due: the holiday did not count


def test_an_accepted_case_no_longer_moves_with_the_calendar(ctx, staff, frozen_clock):
    frozen_clock.move_to("2026-09-29 10:00")
    case = f.dispute()
    disputes.accept(case, staff)
    workdays.set_day(date(2026, 10, 1), DayKind.HOLIDAY, "国庆节", user=staff)
    db.session.refresh(case)
    assert case.accept_due == date(2026, 10, 2)  # what it was when it was accepted


def test_mediation_clock_runs_15_calendar_days_from_acceptance_through_holidays(ctx, staff, frozen_clock):
    frozen_clock.move_to("2026-09-30 15:00")
    case = f.dispute()
    disputes.accept(case, staff)
    frozen_clock.move_to("2026-10-09 09:00")  # day 9, the holiday counted like any day
    assert disputes.clock_of(case).clock.level == ClockLevel.OK
    frozen_clock.move_to("2026-10-10 09:00")
    shown = disputes.clock_of(case)
    assert (shown.name, shown.clock.day, shown.clock.level) == ("调解期限", 10, ClockLevel.WARN)
    frozen_clock.move_to("2026-10-16 09:00")
    assert disputes.clock_of(case).clock.level == ClockLevel.OVERDUE
    assert disputes.open_cases()[0].id == case.id
    disputes.record_session(case, held_at=utcnow(), attendees="双方", text="未能达成一致", user=staff)
    disputes.fail(case, "被申请人拒绝调解", staff)
    assert disputes.clock_of(case) is None  # the clock stops when mediation ends


def test_open_cases_put_the_overdue_first(ctx, staff, frozen_clock):
    frozen_clock.move_to("2026-11-02 10:00")
    old = f.dispute()  # due 5 Nov: overdue by the 10th
    frozen_clock.move_to("2026-11-09 10:00")
    accepted = f.dispute()
    disputes.accept(accepted, staff)  # due 24 Nov
    fresh = f.dispute()  # due 12 Nov
    frozen_clock.move_to("2026-11-10 10:00")
    assert [c.id for c in disputes.open_cases()] == [old.id, fresh.id, accepted.id]


# -- the steps ------------------------------------------------------------------------------

def test_a_case_goes_from_filing_to_a_performed_agreement_every_step_audited(ctx, staff):
    case = _mediating(staff)
    disputes.agree(case, amount="1000", pay_by=date.today() + timedelta(days=7), method="wechat",
                   terms="王五于七日内通过微信支付李四工钱1000元", signatures=_signed(), user=staff)
    assert case.status == CaseStatus.AGREED and case.agreed_amount == 1000 and case.closed_at is None
    assert {s.party for s in case.signatures} == set(Party)
    disputes.record_follow_up(case, at=utcnow(), text="电话回访，已付一半", user=staff)
    disputes.perform(case, "已全部付清", staff)
    assert case.status == CaseStatus.PERFORMED and case.closed_at is not None
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.record_type == "dispute_case")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["file", "accept", "session", "agree", "follow_up", "perform"]
    assert [e.kind.value for e in case.entries] == ["session", "follow_up"]


def test_an_agreement_is_all_or_nothing(ctx, staff):
    case = _mediating(staff)
    unsigned = _signed()
    unsigned[Party.RESPONDENT] = disputes.Signed("王五", f.signature(ink=0))
    with pytest.raises(InvalidFields) as refused:
        disputes.agree(case, amount="1000", pay_by=date.today(), method="cash", terms="当场付清工钱",
                       signatures=unsigned, user=staff)
    assert set(refused.value.errors) == {"signature_respondent"}
    db.session.refresh(case)
    assert case.status == CaseStatus.MEDIATING
    assert db.session.scalar(select(func.count()).select_from(DisputeSignature)) == 0


def test_refused_steps_change_nothing(ctx, staff):
    case = f.dispute()
    with pytest.raises(Conflict, match="待受理"):
        disputes.perform(case, "已付清", staff)
    with pytest.raises(Conflict):
        disputes.record_session(case, held_at=utcnow(), attendees="双方", text="调解一次", user=staff)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DisputeEntry)) == 0
    with pytest.raises(InvalidFields) as refused:
        disputes.decline(case, "", staff)
    assert "reason" in refused.value.errors
    db.session.refresh(case)
    assert case.status == CaseStatus.RECEIVED


def test_two_staff_accepting_at_once_move_it_once(app, ctx, staff):
    case_id = f.dispute().id
    other = f.staff_user(username="xiaowang")
    users = [staff.id, other.id]

    def accept(n):
        from app.models import StaffUser

        return disputes.accept(disputes.get(case_id), db.session.get(StaffUser, users[n])).status

    results = at_once(app, 2, accept)
    assert sorted(type(r).__name__ for r in results) == ["CaseStatus", "Conflict"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "accept")) == 1


def test_merging_keeps_the_duplicate_with_its_reason_and_leaves_it_out_of_e1(ctx, staff):
    original, duplicate = f.dispute(), f.dispute()
    with pytest.raises(InvalidFields) as refused:
        disputes.merge(duplicate, duplicate.number, "重复", staff)
    assert "自己" in refused.value.errors["into"]
    with pytest.raises(InvalidFields):
        disputes.merge(duplicate, "2026-JF-9999", "重复", staff)
    disputes.merge(duplicate, original.number, "同一人同一事重复申请", staff)
    assert (duplicate.status, duplicate.merged_into_id, duplicate.closing_reason) == (
        CaseStatus.MERGED, original.id, "同一人同一事重复申请")
    third = f.dispute()
    with pytest.raises(InvalidFields, match="本身已合并"):
        disputes.merge(third, duplicate.number, "重复", staff)
    period = hall_period("month")
    measured = metrics.measure("disputes_received", period)
    assert measured.value == 2
    assert set(db.session.scalars(measured.records.with_only_columns(DisputeCase.id))) == {original.id, third.id}


def test_a_registered_worker_is_linked_by_id_number_and_no_id_is_kept_twice(ctx):
    worker = f.worker(name="李四", id_number="360426199101010071")
    case = f.dispute(id_number="360426199101010071")
    assert case.worker_id == worker.id and case.applicant_id_cipher is None
    with pytest.raises(InvalidFields, match="姓名与登记信息不一致"):  # as registration refuses it
        f.dispute(id_number="360426199101010071", applicant_name="王五")
    stranger = f.dispute(id_number="120103198806018241")
    assert stranger.worker_id is None and stranger.applicant_id_cipher
    assert "120103198806018241" not in stranger.applicant_id_cipher


# -- the counters ---------------------------------------------------------------------------

def test_e1_b8_b9_count_exactly_what_the_rubric_says(ctx, staff, frozen_clock):
    frozen_clock.move_to("2026-11-30 23:50")
    declined = f.dispute()
    disputes.decline(declined, "不属于劳动争议", staff)
    withdrawn = f.dispute()
    disputes.withdraw(withdrawn, "已私下解决", staff)
    merged = f.dispute()
    disputes.merge(merged, declined.number, "重复申请", staff)
    for kind in ("fight", "extortion", "forced_trade", "false_hiring", "child_labour", "fee", "other"):
        f.incident(kind=kind)
    voided = f.incident(kind="fight")
    incidents.void(voided, "误登记", staff)
    frozen_clock.move_to("2026-12-01 00:10")  # the next month: not counted in November
    f.dispute()
    f.incident(kind="fight", occurred_at=utcnow())
    f.incident(kind="fee", occurred_at=utcnow())
    november = hall_period("month", frozen_clock.now() - timedelta(days=1))
    values = {key: metrics.measure(key, november) for key in ("disputes_received", "hall_incidents",
                                                                "fee_incidents")}
    assert {k: m.value for k, m in values.items()} == {"disputes_received": 2, "hall_incidents": 5,
                                                       "fee_incidents": 1}
    counted = db.session.scalars(values["hall_incidents"].records).all()
    assert sorted(i.kind.value for i in counted) == sorted(
        ["fight", "extortion", "forced_trade", "false_hiring", "child_labour"])
    assert voided.id not in {i.id for i in counted}
    assert {c.id for c in db.session.scalars(values["disputes_received"].records)} == {declined.id, withdrawn.id}
