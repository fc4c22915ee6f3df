"""Employer check-in, the staff call console and the hall display, in a real Chromium.

The kiosk is used by touch only (names and places by the on-screen pinyin keyboard); the display is the landscape hall screen that polls
/display/board every DISPLAY_REFRESH_SECONDS (1 s here, to keep the tests quick).
"""

import secrets

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.services import queue
from app.services.checkin import CheckinData, check_in

from .conftest import shot
from .kiosk_helpers import fill_checkin_form, keypad_type, panel_done, tap_tile
from .staff_helpers import add_staff, staff_console

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
DISPLAY_SIZE = SIZES["landscape"]
CONSOLE_SIZE = (1920, 1080)
FAST_DISPLAY = pytest.mark.parametrize("app_overrides", [{"DISPLAY_REFRESH_SECONDS": 1}])

PHONE = "13905980001"
CONTACT = "王老板"
LOCATION = "凤岗街道水南村"
CONTACT_PINYIN = [("wang", "王"), ("lao", "老"), ("ban", "板")]
LOCATION_PINYIN = [("feng", "凤"), ("gang", "岗"), ("jiedao", "街道"), ("shui", "水"), ("nan", "南"), ("cun", "村")]
ANNOUNCE_A001 = "请 A 零零一 号，到 一 号窗口办理。"


# ---- kiosk helpers -----------------------------------------------------------------------

def post(page, button_name, path):
    """Tap a button that posts by htmx to ``path``; return the response status."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith(path)
    ) as response:
        page.get_by_role("button", name=button_name).tap()
    return response.value.status


def check_in_by_touch(page, base_url, label=None, on_step=None):
    """Start screen -> 我要招工 -> form filled by taps -> review -> ticket. Returns the
    work date the 明天 chip filled in. ``label`` names the screenshots (none if None);
    ``on_step(step)`` is called at each of them (e.g. an accessibility audit)."""
    def snap(step):
        if label:
            shot(page, f"checkin-{label}-{step}")
        if on_step:
            on_step(step)

    page.goto(f"{base_url}/kiosk/")
    expect(page.locator(".step-start")).to_be_visible()
    snap("1-start")
    page.get_by_role("link", name="我要招工").tap()
    page.wait_for_url("**/kiosk/checkin")
    expect(page.locator(".step-form")).to_be_visible()
    snap("2-form")

    work_date = fill_checkin_form(page, phone=PHONE, contact=CONTACT_PINYIN, location=LOCATION_PINYIN,
                                  phrases=("包吃", "日结"), snap=snap)
    year, month, day = (int(part) for part in work_date.split("-"))
    shown_date = f"{year}年{month}月{day}日"
    snap("5-form-filled")

    assert post(page, "下一步：核对信息", "/kiosk/checkin/review") == 200
    review = page.locator(".step-review .review")
    expect(review).to_be_visible()
    for text in ("王**", "139****0001", "招工", "搬运装卸 × 3 人", "200 元/天", shown_date,
                 LOCATION, "包吃，日结"):
        expect(review).to_contain_text(text)
    assert PHONE not in page.locator(".step-review").inner_text()
    snap("6-review")

    assert post(page, "确认取号", "/kiosk/checkin") == 200
    expect(page.locator("#ticket-number")).to_have_text("A001")
    expect(page.locator("#ticket-ahead")).to_have_text("0")
    expect(page.locator(".step-done h1")).to_contain_text("取号成功")
    expect(page.locator("#ticket-number")).to_be_in_viewport(ratio=1)
    snap("7-done")
    return work_date


# ---- staff and display helpers ---------------------------------------------------------

def open_display(page, base_url):
    page.goto(f"{base_url}/display/")
    expect(page.locator("#display-board")).to_be_visible()
    page.wait_for_function("() => window.htmx && htmx.version")


def card(page, number):
    return page.locator(".called-card", has=page.locator(".called-number", has_text=number))


def issue_and_call(app, staff_id, calls):
    """Tickets through the services: ``calls`` is a list of windows to call, in order."""
    with app.app_context():
        day = local_today()
        for _ in calls:
            queue.new_ticket("hire", day)
        db.session.commit()
        return [queue.call_next(day, window, staff_id).number for window in calls]


# ---- 1. employer check-in by touch -------------------------------------------------------

@pytest.mark.parametrize("orientation", list(SIZES))
def test_employer_checks_in_by_touch(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    check_in_by_touch(page, live_server, label=orientation)


def test_a_returning_employer_confirms_a_masked_summary_by_touch(page_at, live_server, live_app):
    with live_app.app_context():
        check_in(CheckinData(employer_type="enterprise", employer_name="沙县小吃集团有限公司",
                             uscc="91110000600037341L", contact_name=CONTACT, phone=PHONE,
                             service="consult"), form_key=secrets.token_urlsafe(24),
                 today=local_today(), public_base_url="http://hall.test")
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/checkin")
    keypad_type(page, "phone", PHONE)
    panel_done(page)
    assert post(page, "老客户", "/kiosk/checkin/lookup") == 200
    welcome = page.locator(".returning")
    expect(welcome).to_contain_text("王** · 沙县******公司")
    expect(page.locator("#contact_name")).to_have_count(0)  # nothing to fill in, nothing shown
    assert "沙县小吃集团有限公司" not in page.content() and "王老板" not in page.content()
    shot(page, "checkin-returning-portrait")
    tap_tile(page, "service", "consult")
    assert post(page, "下一步", "/kiosk/checkin/review") == 200  # no work step for 政策咨询
    expect(page.locator(".step-review .review")).to_contain_text("老客户 王** · 沙县******公司")
    assert post(page, "确认取号", "/kiosk/checkin") == 200
    expect(page.locator("#ticket-number")).to_have_text("B002")


# ---- 2. kiosk -> console -> display ----------------------------------------------------------

@FAST_DISPLAY
def test_call_reaches_the_display_and_the_posting_follows(page_at, live_server, live_app):
    add_staff(live_app)
    display = page_at(*DISPLAY_SIZE)
    open_display(display, live_server)  # open before anything is called
    expect(display.locator(".called-card")).to_have_count(0)
    assert display.evaluate("document.body.dataset.lastAnnounced") is None

    kiosk = page_at(*SIZES["portrait"])
    check_in_by_touch(kiosk, live_server)

    staff = page_at(*CONSOLE_SIZE)
    staff_console(staff, live_server, window=1)
    with staff.expect_response(lambda r: r.url.endswith("/staff/queue/1/call-next")) as resp:
        staff.get_by_role("button", name="叫下一位").click()
    assert resp.value.status == 200
    console = staff.locator("#staff-console")
    expect(console.locator(".console-number")).to_contain_text("A001")
    for label in ("重呼", "开始办理", "办结", "过号", "转业务", "审核通过并发布"):
        expect(console.get_by_role("button", name=label)).to_be_visible()
    expect(console.locator(".task-order")).to_contain_text("搬运装卸 × 3 人")
    shot(staff, "queue-console-called")

    called = card(display, "A001")
    expect(called).to_be_visible(timeout=4_000)
    expect(called.locator(".called-window")).to_have_text("1 号窗口")
    expect(called).to_have_attribute("data-announce", ANNOUNCE_A001)
    expect(display.locator("body")).to_have_attribute("data-last-announced", ANNOUNCE_A001)
    shot(display, "queue-display-called")

    staff.get_by_role("button", name="审核通过并发布").click()
    expect(console.locator(".task-order")).to_contain_text("已发布")
    expect(console.get_by_role("button", name="审核通过并发布")).to_have_count(0)
    posting = display.locator(".postings-roll li", has_text="搬运装卸")
    expect(posting).to_be_visible(timeout=4_000)
    expect(posting).to_contain_text("3 人")
    expect(posting).to_contain_text(LOCATION)
    expect(display.locator(".postings .display-empty")).to_have_count(0)
    shot(staff, "queue-console-published")
    shot(display, "queue-display-published")


# ---- 3. a failing refresh keeps the last good board ------------------------------------------

@FAST_DISPLAY
@pytest.mark.parametrize("failure", ["http-500", "network-error"])
def test_last_good_board_survives_a_failing_refresh(page_at, live_server, live_app, failure):
    assert issue_and_call(live_app, add_staff(live_app), [1]) == ["A001"]
    display = page_at(*DISPLAY_SIZE)
    open_display(display, live_server)
    status = display.locator("#display-status")
    expect(card(display, "A001")).to_be_visible()
    expect(status).to_be_hidden()

    failed = []

    def fail(route):
        failed.append(route.request.url)
        if failure == "http-500":
            route.fulfill(status=500, body="boom")
        else:
            route.abort()

    display.route("**/display/board**", fail)
    display.wait_for_timeout(2_500)  # at least two refresh periods
    assert len(failed) >= 2, failed
    expect(card(display, "A001")).to_be_visible()
    expect(card(display, "A001").locator(".called-window")).to_have_text("1 号窗口")
    expect(display.locator("body")).not_to_contain_text("boom")
    expect(status).to_be_visible()
    expect(status).to_contain_text("连接中断")
    shot(display, f"queue-display-offline-{failure}")

    display.unroute("**/display/board**", fail)
    with display.expect_response(lambda r: "/display/board" in r.url and r.status == 200,
                                 timeout=3_000):
        pass
    expect(status).to_be_hidden(timeout=2_000)
    expect(card(display, "A001")).to_be_visible()

