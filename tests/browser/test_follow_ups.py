"""差评回访 and 工作日历 in a real Chromium: a member of staff at the hall's 1366×768 screen
opens the list, opens a bad rating's follow-up, shows the full number to call, records the
call and sees it 已办结; the list, a follow-up and the calendar photographed at 1366×768 and
1920×1080."""

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from app.clock import local_today
from app.domain.workdays import DayKind
from app.extensions import db
from app.models import Rating, RatingFollowUp
from app.services import workdays
from tests.factories import rating, staff_user

from .staff_helpers import sign_in

PHONE = "13812345678"


def hall_with_follow_ups(app) -> int:
    """A few bad ratings (one of them overdue), the year's National Day in the calendar;
    returns the id of the one with a phone and a comment."""
    with app.app_context():
        clerk = staff_user()
        year = local_today().year
        for d in (1, 2, 5, 6, 7):
            day = date(year, 10, d)
            if day.weekday() < 5:
                workdays.set_day(day, DayKind.HOLIDAY, "国庆节", user=clerk)
        for day in (date(year, 9, 20), date(year, 10, 10)):
            if day.weekday() >= 5:
                workdays.set_day(day, DayKind.WORKDAY, "国庆节调休", user=clerk)
        called = rating(level=5, reasons=("attitude", "waited"), phone=PHONE,
                        comment="窗口人员态度冷淡，问了两遍才回答。<b>请改进</b>").follow_up
        rating(level=4, reasons=("inconvenient",), comment="自助机不会用，没人指导")
        late = rating(level=4, reasons=("false_info",), phone="13900001234").follow_up
        # an older one, past its due day (its rating moved back a month)
        old = local_today() - timedelta(days=30)
        db.session.execute(update(RatingFollowUp).where(RatingFollowUp.id == late.id).values(
            due_on=old + timedelta(days=21)))
        db.session.execute(update(Rating).where(Rating.id == late.rating_id).values(
            at=late.rating.at - timedelta(days=30)))
        db.session.commit()
        return called.id


def test_staff_call_back_a_bad_rating_and_close_it(live_app, live_server, page_at, shot):
    follow_up_id = hall_with_follow_ups(live_app)
    page = page_at(1366, 768)
    sign_in(page, live_server)
    expect(page.locator("#follow-up-alert")).to_contain_text("3 条差评待回访")
    page.get_by_role("link", name="差评回访", exact=True).click()
    expect(page.locator("h1")).to_have_text("差评回访")
    rows = page.locator("#follow-up-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("已超期")  # the overdue one first
    expect(page.locator("#follow-up-list")).to_contain_text("<b>请改进</b>")  # the comment as text
    expect(page.locator("#follow-up-list")).not_to_contain_text(PHONE)
    shot(page, "follow-ups-list-1366x768")

    page.locator(f"a[href='/staff/follow-ups/{follow_up_id}']").first.click()
    expect(page.locator("#phone-mask")).to_have_text("尾号5678")
    page.get_by_role("button", name="显示完整号码").click()
    expect(page.locator("#phone-full")).to_have_text(PHONE)
    shot(page, "follow-up-detail-1366x768")

    page.get_by_label("已电话回访").check()
    page.get_by_label("处理说明").fill("已回电致歉，说明已对窗口人员提醒，对方表示满意")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#follow-up-status")).to_have_text("已办结")
    expect(page.locator("#follow-up-steps")).to_contain_text("已电话回访")
    expect(page.locator("#follow-up-steps")).to_contain_text("对方表示满意")
    expect(page.locator("#phone-full")).to_have_count(0)  # the number is gone after the reveal's page
    expect(page.locator("#follow-up-form")).to_have_count(0)
    shot(page, "follow-up-done-1366x768")

    page.get_by_role("link", name="工作日历").click()
    expect(page.locator(".cal-month")).to_have_count(12)
    shot(page, "calendar-1366x768")


def test_the_pages_at_full_hd(live_app, live_server, page_at, shot):
    follow_up_id = hall_with_follow_ups(live_app)
    page = page_at(1920, 1080)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/follow-ups")
    expect(page.locator("#follow-up-list tbody tr")).to_have_count(3)
    shot(page, "follow-ups-list-1920x1080")
    page.goto(f"{live_server}/staff/follow-ups/{follow_up_id}")
    expect(page.locator("#follow-up-form")).to_be_visible()
    shot(page, "follow-up-detail-1920x1080")
    page.goto(f"{live_server}/staff/calendar")
    expect(page.locator(".cal-holiday").first).to_be_visible()
    # the form refuses a Saturday holiday beside the date
    year = date.today().year
    saturday = next(d for d in (date(year, 12, n) for n in range(1, 8)) if d.weekday() == 5)
    page.get_by_label("日期").fill(saturday.isoformat())
    page.get_by_label("放假").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#day-error")).to_contain_text("周六、周日本来就不上班")
    shot(page, "calendar-1920x1080")


def test_the_pages_pass_the_accessibility_audit(live_app, live_server, page_at):
    from .test_accessibility import AXE, EXCLUDE, FAILING_IMPACTS, RUN_AXE

    follow_up_id = hall_with_follow_ups(live_app)
    page = page_at(1366, 768, bypass_csp=True)
    sign_in(page, live_server)
    found = {}
    for path in ("/staff/follow-ups", f"/staff/follow-ups/{follow_up_id}", "/staff/calendar"):
        page.goto(f"{live_server}{path}")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = [v for v in page.evaluate(RUN_AXE, EXCLUDE) if v["impact"] in FAILING_IMPACTS]
        if violations:
            found[path] = violations
    assert not found, found
