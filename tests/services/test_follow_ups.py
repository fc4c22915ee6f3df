"""Following up bad ratings (app/services/ratings.py, app/services/follow_ups.py) on the hall's
working-day calendar (app/services/workdays.py): due dates, the calendar moving them, the
workflow's steps, the audit trail, the reveal of the phone, the race of two closers and the
manager's overdue count.

Holidays here are test data typed in as staff would (nothing is built in): National Day
2026 is 1–7 October off, with Sunday 20 September and Saturday 10 October worked.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain import Conflict, Invalid
from app.domain.ratings import FollowUpStatus, FollowUpStep
from app.domain.workdays import DayKind
from app.extensions import db
from app.models import AuditEntry, FollowUpEntry, RatingFollowUp, Role, StaffUser
from app.services import audit, follow_ups, queue, workdays
from tests.conftest import at_once
from tests.factories import rating, staff_user, ticket

PHONE = "13812345678"


@pytest.fixture
def clerk(ctx):
    return staff_user()


def national_day(user):
    for d in (1, 2, 5, 6, 7):
        workdays.set_day(date(2026, 10, d), DayKind.HOLIDAY, "国庆节", user=user)
    workdays.set_day(date(2026, 9, 20), DayKind.WORKDAY, "国庆节调休", user=user)
    workdays.set_day(date(2026, 10, 10), DayKind.WORKDAY, "国庆节调休", user=user)


def bad(**kwargs) -> RatingFollowUp:
    return rating(level=kwargs.pop("level", 5), reasons=kwargs.pop("reasons", ("attitude",)), **kwargs).follow_up


def trail(follow_up) -> list[str]:
    return [e.action for e in audit.trail_of(follow_up)]


# -- due dates on the calendar ------------------------------------------------------------

def test_a_bad_rating_on_the_friday_before_national_day_is_due_after_the_holiday(clerk, frozen_clock):
    national_day(clerk)
    frozen_clock.move_to("2026-09-25 16:30")  # a Friday
    follow_up = bad(level=4)
    # 28–30 Sep, 8–9 Oct, Saturday 10 Oct worked, 12–16 and 19–22 Oct: the 15th is 22 Oct
    assert follow_up.due_on == date(2026, 10, 22)
    assert follow_up.status == FollowUpStatus.OPEN
    assert rating(level=3).follow_up is None  # 基本满意 needs no follow-up


def test_the_rating_s_day_is_the_hall_s_day_not_utc(clerk, frozen_clock):
    frozen_clock.move_to("2026-11-30 07:30")  # Monday in the hall, still Sunday in UTC
    assert bad().due_on == date(2026, 12, 21)  # 15 working days after Monday 30 Nov


def test_entering_a_holiday_later_moves_the_open_follow_up_and_not_the_done_one(clerk, frozen_clock):
    frozen_clock.move_to("2026-09-25 16:30")
    still_open, done = bad(), bad(phone=PHONE)
    assert still_open.due_on == done.due_on == date(2026, 10, 16)  # no holidays entered yet
    follow_ups.record_step(done, FollowUpStep.CALLED_BACK, "已致电说明并道歉", user=clerk)
    still_open_id, done_id = still_open.id, done.id

    moved = workdays.set_day(date(2026, 10, 1), DayKind.HOLIDAY, "国庆节", user=clerk)
    assert moved == 1
    db.session.expire_all()
    assert db.session.get(RatingFollowUp, still_open_id).due_on == date(2026, 10, 19)
    assert db.session.get(RatingFollowUp, done_id).due_on == date(2026, 10, 16)

    assert workdays.set_day(date(2026, 10, 1), None, "", user=clerk) == 1  # cleared: back again
    db.session.expire_all()
    assert db.session.get(RatingFollowUp, still_open_id).due_on == date(2026, 10, 16)


@pytest.mark.parametrize("day, kind, message", [
    (date(2026, 10, 3), DayKind.HOLIDAY, "周六、周日本来就不上班"),
    (date(2026, 10, 9), DayKind.WORKDAY, "周一至周五本来就上班"),
])
def test_the_calendar_refuses_a_weekend_holiday_and_a_weekday_worked(clerk, day, kind, message):
    with pytest.raises(Invalid) as err:
        workdays.set_day(day, kind, "国庆节", user=clerk)
    assert message in err.value.message and err.value.field == "day"
    assert workdays.days_of_year(2026) == []


def test_a_calendar_change_is_audited_with_how_many_due_dates_moved(clerk, frozen_clock):
    frozen_clock.move_to("2026-09-25 16:30")
    bad()
    workdays.set_day(date(2026, 10, 2), DayKind.HOLIDAY, "国庆节", user=clerk)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "calendar_day")).one()
    assert entry.action == "set_day" and "2026-10-02" in entry.detail and "1 项" in entry.detail


# -- the workflow ---------------------------------------------------------------------------

def test_progress_keeps_it_open_and_a_closing_step_closes_it_each_audited(clerk, frozen_clock):
    follow_up = bad(phone=PHONE)
    follow_ups.record_step(follow_up, FollowUpStep.CALL_NO_ANSWER, "", user=clerk)
    assert follow_up.status == FollowUpStatus.IN_PROGRESS and follow_up.closed_at is None
    follow_ups.record_step(follow_up, FollowUpStep.PROGRESS, "已转窗口负责人核实", user=clerk)
    assert follow_up.status == FollowUpStatus.IN_PROGRESS
    frozen_clock.tick(hours=2)
    follow_ups.record_step(follow_up, FollowUpStep.CALLED_BACK, "已回电，对方接受道歉", user=clerk)
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.closed_at == frozen_clock.stored(frozen_clock.now()) and follow_up.closed_by_id == clerk.id
    assert [(s.step, s.note) for s in follow_up.steps] == [
        (FollowUpStep.CALL_NO_ANSWER, ""), (FollowUpStep.PROGRESS, "已转窗口负责人核实"),
        (FollowUpStep.CALLED_BACK, "已回电，对方接受道歉")]
    assert trail(follow_up) == ["no_answer", "progress", "called_back"]
    closing = audit.trail_of(follow_up)[-1]
    assert closing.before == {"status": "in_progress"} and closing.after == {"status": "done"}
    assert closing.actor_id == clerk.id and PHONE not in str(closing.detail)


def test_a_done_follow_up_takes_no_more_steps(clerk):
    follow_up = bad()
    follow_ups.record_step(follow_up, FollowUpStep.NO_CONTACT, "已对窗口人员进行批评教育", user=clerk)
    for step in (FollowUpStep.PROGRESS, FollowUpStep.CORRECTED):
        with pytest.raises(Conflict) as err:
            follow_ups.record_step(follow_up, step, "再补充一句", user=clerk)
        assert "已办结" in err.value.message
    assert len(follow_up.steps) == 1 and trail(follow_up) == ["no_contact"]


def test_call_steps_need_a_phone_and_no_contact_needs_none(clerk):
    without, with_phone = bad(), bad(phone=PHONE)
    for step in (FollowUpStep.CALL_NO_ANSWER, FollowUpStep.CALLED_BACK):
        with pytest.raises(Invalid):
            follow_ups.record_step(without, step, "打过电话了", user=clerk)
    with pytest.raises(Invalid):
        follow_ups.record_step(with_phone, FollowUpStep.NO_CONTACT, "已整改", user=clerk)
    assert follow_ups.steps_offered(without) == [FollowUpStep.PROGRESS, FollowUpStep.CORRECTED,
                                                 FollowUpStep.NO_CONTACT]
    assert FollowUpStep.NO_CONTACT not in follow_ups.steps_offered(with_phone)
    assert FollowUpStep.CALLED_BACK in follow_ups.steps_offered(with_phone)
    assert db.session.scalar(select(func.count()).select_from(FollowUpEntry)) == 0
    assert trail(without) == trail(with_phone) == []


@pytest.mark.parametrize("note", ["", "好", "字" * 501])
def test_a_closing_step_needs_a_note_of_two_to_500_characters(clerk, note):
    follow_up = bad()
    with pytest.raises(Invalid):
        follow_ups.record_step(follow_up, FollowUpStep.CORRECTED, note, user=clerk)
    db.session.expire_all()
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.steps == []


def test_two_staff_closing_the_same_follow_up_at_once_one_wins(app, clerk):
    other = staff_user(username="xiaowang").id
    follow_up_id, users = bad(phone=PHONE).id, [clerk.id, other]

    def close(n):
        follow_up = db.session.get(RatingFollowUp, follow_up_id)
        user = db.session.get(StaffUser, users[n])
        return follow_ups.record_step(follow_up, FollowUpStep.CALLED_BACK, f"第{n + 1}位回访", user=user).status

    results = at_once(app, 2, close)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "FollowUpStatus"], results
    assert FollowUpStatus.DONE in results
    lost = next(r for r in results if isinstance(r, Conflict))
    assert "其他工作人员" in lost.message
    db.session.expire_all()
    follow_up = db.session.get(RatingFollowUp, follow_up_id)
    assert follow_up.status == FollowUpStatus.DONE and len(follow_up.steps) == 1
    assert trail(follow_up) == ["called_back"]
    assert audit.verify().ok


def test_revealing_the_phone_is_audited_without_the_number(clerk):
    follow_up = bad(phone=PHONE)
    assert follow_ups.reveal_phone(follow_up, user=clerk) == PHONE
    entry = audit.trail_of(follow_up)[-1]
    assert entry.action == "reveal_phone" and entry.actor_id == clerk.id
    assert PHONE not in str([entry.before, entry.after, entry.detail])
    with pytest.raises(Invalid):
        follow_ups.reveal_phone(bad(), user=clerk)


# -- overdue and the list -----------------------------------------------------------------

def test_overdue_counts_from_the_day_after_the_due_day(clerk, frozen_clock):
    frozen_clock.move_to("2026-11-27 09:00")  # Friday
    follow_up = bad()
    assert follow_up.due_on == date(2026, 12, 18)
    frozen_clock.move_to("2026-12-18 23:59")
    assert follow_ups.overdue_count() == 0
    assert follow_ups.alert_for(Role.MANAGER) is None
    assert follow_ups.alert_for(Role.STAFF).text == "1 条差评待回访"
    frozen_clock.move_to("2026-12-19 00:01")
    assert follow_ups.overdue_count() == 1
    assert follow_ups.alert_for(Role.MANAGER).text == "1 条差评回访已超期"
    assert follow_ups.alert_for(Role.ASSESSOR) is None
    follow_ups.record_step(follow_up, FollowUpStep.CORRECTED, "已调整窗口排班", user=clerk)
    assert follow_ups.overdue_count() == 0 and follow_ups.alert_for(Role.STAFF) is None


def test_the_list_puts_the_overdue_first_and_counts_working_days(clerk, frozen_clock):
    frozen_clock.move_to("2026-11-02 09:00")  # Monday
    late = bad()  # due Monday 23 Nov
    frozen_clock.move_to("2026-11-27 09:00")  # Friday
    fresh = bad()  # due Friday 18 Dec
    done = bad()
    follow_ups.record_step(done, FollowUpStep.CORRECTED, "已整改", user=clerk)
    frozen_clock.move_to("2026-11-28 10:00")  # Saturday

    found = follow_ups.page(follow_ups.Shown.OPEN)
    assert [r.follow_up.id for r in found.rows] == [late.id, fresh.id] and found.total == 2
    assert found.rows[0].due.text == "已超期 4 个工作日"  # 24–27 Nov
    assert found.rows[1].due.text == "还剩 15 个工作日"
    assert [r.follow_up.id for r in follow_ups.page(follow_ups.Shown.DONE).rows] == [done.id]
    assert [r.follow_up.id for r in follow_ups.page(follow_ups.Shown.ALL).rows] == [late.id, fresh.id, done.id]


def test_the_list_names_the_service_of_a_slip_and_masks_the_phone(clerk, frozen_clock):
    issued = ticket()
    queue.call_next(date(2026, 11, 28), 2, clerk.id)
    queue.act(issued, "done", clerk.id, 2)
    row = follow_ups.row(rating(level=5, reasons=("waited",), phone=PHONE, slip=issued).follow_up)
    assert row.service == f"凭条扫码 · 排队办理 {issued.number} · 2号窗口"
    assert row.phone_mask == "尾号5678" and row.reasons == "等待太久"
    unnamed = follow_ups.row(bad(address="10.0.0.9")).service  # a terminal not named: never its address
    assert unnamed.startswith("评价终端 · 未命名终端（标识 ") and "10.0.0.9" not in unnamed


def test_the_list_pages_by_50(clerk):
    for _ in range(51):
        bad()
    first, second = follow_ups.page("open", 1), follow_ups.page("open", 2)
    assert (len(first.rows), len(second.rows), first.pages, first.total) == (50, 1, 2, 51)
    assert follow_ups.page("open", 9).number == 2  # past the end: the last page


@pytest.mark.parametrize("today, missing", [(date(2026, 10, 31), None), (date(2026, 11, 1), 2027),
                                            (date(2026, 12, 31), 2027)])
def test_next_year_s_holidays_are_asked_for_in_november_and_december(clerk, today, missing):
    assert follow_ups.next_year_missing(today) == missing
    workdays.set_day(date(2027, 1, 1), DayKind.HOLIDAY, "元旦", user=clerk)
    assert follow_ups.next_year_missing(today) is None
