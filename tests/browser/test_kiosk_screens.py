"""No dead ends at the kiosk, in a real Chromium, by touch: a form's errors summed up and
shown, the kiosk's own date and time pickers, done screens that tell the truth about the
slip, and kiosk and phone pages that fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import utcnow
from app.services import print_service
from tests.factories import worker

from .conftest import shot
from .kiosk_helpers import expect_value, keypad_type, panel_done, pinyin_text
from .test_queue_flow import CONTACT, CONTACT_PINYIN, LOCATION_PINYIN, PHONE, post, tap_tile
from .test_registration_flow import fill_form, open_form, submit

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
PHONE_SIZE = (390, 844)
ERROR_RED = "rgb(176, 0, 32)"
CANNOT_PRINT = "凭条暂时无法打印，请记下号码或到服务窗口领取"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def through_step_one(page, base_url, service):
    """Check-in step ① (您的信息) filled by taps for ``service`` and sent."""
    page.goto(f"{base_url}/kiosk/checkin")
    keypad_type(page, "phone", PHONE)
    panel_done(page)
    pinyin_text(page, "contact_name", CONTACT_PINYIN)
    panel_done(page)
    tap_tile(page, "service", service)
    assert post(page, "下一步", "/kiosk/checkin/review") == 200


def to_work_step(page, base_url):
    through_step_one(page, base_url, "hire")
    expect(page.locator(".step-checkin-work")).to_be_visible()


@pytest.mark.parametrize("orientation", list(SIZES))
def test_a_form_with_errors_sums_them_up_and_shows_the_first(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    open_form(page, live_server)
    page.locator('.chip[data-value="200"]').tap()
    assert submit(page, "下一步：核对信息", "/kiosk/register/review") == 422

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("有 4 处需要修改")  # name, ID number, phone, trades
    expect(summary.locator("a")).to_have_count(4)
    expect(page.locator(".has-error").first).to_be_in_viewport()
    # the trade tiles are outlined: a choice is missing there
    tile = page.locator("#trades label.tile").first
    assert tile.evaluate("el => getComputedStyle(el).borderTopColor") == ERROR_RED
    # the chosen wage chip is still pressed after the re-render
    expect(page.locator('.chip[data-value="200"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#expected_wage")).to_have_value("200")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"register-errors-{orientation}")

    # each line of the summary takes the person to its field
    summary.get_by_role("link", name="请至少选择一个工种").tap()
    expect(page.locator("#trades")).to_be_in_viewport()
    page.evaluate("window.scrollTo(0, 0)")
    summary.locator('a[href="#phone"]').tap()
    expect(page.locator("#phone")).to_be_focused()
    expect(page.locator("#phone")).to_be_in_viewport()


def test_check_in_dates_and_times_are_picked_on_the_kiosks_own_pickers(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/checkin")
    assert page_height(page) <= 2 * 1920, "step one is longer than two portrait screens"
    to_work_step(page, live_server)
    assert page_height(page) <= 2 * 1920 + 200, "the work step is longer than about two screens"
    expect(page.locator("input[type=date], input[type=time]")).to_have_count(0)

    page.get_by_role("button", name="其他日期").tap()
    picker = page.locator("#work_date-picker")
    expect(picker).to_be_visible()
    month = picker.locator(".month-head b")
    first_month = month.inner_text()
    expect(picker.get_by_role("button", name="‹ 上个月")).to_be_disabled()  # no past days
    picker.get_by_role("button", name="下个月 ›").tap()
    expect(month).not_to_have_text(first_month)
    shot(page, "checkin-date-picker-portrait")
    year, number = re.match(r"(\d+)年(\d+)月", month.inner_text()).groups()
    picker.locator('[data-day$="-01"]').tap()
    expect(picker).to_be_hidden()
    expect(page.locator("#work_date")).to_have_value(f"{year}-{int(number):02d}-01")
    expect(page.locator('[data-shows="work_date"]')).to_have_text(f"{year}年{number}月1日")

    page.get_by_role("button", name="其他时间").tap()
    times = page.locator("#work_time-picker")
    times.locator('[data-time-hour="14"]').tap()
    times.locator('[data-time-minute="30"]').tap()
    expect(page.locator("#work_time")).to_have_value("14:30")
    expect(page.locator('[data-shows="work_time"]')).to_have_text("14:30")
    shot(page, "checkin-time-picker-portrait")

    # 上一步 and back again: nothing picked or typed is lost
    assert post(page, "上一步", "/kiosk/checkin/review") == 200
    expect(page.locator(".step-checkin-who")).to_be_visible()
    expect_value(page.locator("#phone"), PHONE)
    expect(page.locator("#contact_name")).to_have_value(CONTACT)
    assert post(page, "下一步", "/kiosk/checkin/review") == 200
    expect(page.locator('[data-shows="work_date"]')).to_have_text(f"{year}年{number}月1日")
    expect(page.locator('[data-shows="work_time"]')).to_have_text("14:30")

    tap_tile(page, "trade", "porter")
    keypad_type(page, "headcount", "2")
    keypad_type(page, "pay", "150.5")
    panel_done(page)
    pinyin_text(page, "location", LOCATION_PINYIN)
    panel_done(page)
    assert post(page, "下一步：核对信息", "/kiosk/checkin/review") == 200
    review = page.locator(".step-review .review")
    expect(review).to_contain_text(f"{year}年{number}月1日 14:30")
    expect(review).to_contain_text("150.5 元/天")


@pytest.mark.parametrize("orientation", list(SIZES))
def test_done_screens_say_when_the_slip_cannot_print(page_at, live_server, orientation):
    """No print worker is running here: the slip will not come out, and the screen says so."""
    page = page_at(*SIZES[orientation])
    open_form(page, live_server)
    fill_form(page)
    assert submit(page, "下一步：核对信息", "/kiosk/register/review") == 200
    assert submit(page, "确认登记", "/kiosk/register") == 200
    expect(page.locator(".no-slip")).to_contain_text(CANNOT_PRINT)
    expect(page.locator(".step-done")).not_to_contain_text("出纸口")
    expect(page.locator("#worker-number")).to_be_in_viewport(ratio=1)
    shot(page, f"register-done-no-slip-{orientation}")

    through_step_one(page, live_server, "consult")
    assert post(page, "确认取号", "/kiosk/checkin") == 200
    expect(page.locator(".no-slip")).to_contain_text(CANNOT_PRINT)
    expect(page.locator("#ticket-number")).to_be_in_viewport(ratio=1)
    shot(page, f"checkin-done-no-slip-{orientation}")


def test_done_screen_with_a_running_print_worker_sends_to_the_slot(page_at, live_server, live_app):
    page = page_at(*SIZES["portrait"])
    open_form(page, live_server)
    fill_form(page)
    assert submit(page, "下一步：核对信息", "/kiosk/register/review") == 200
    # The worker's heartbeat right before the tap that prints: on a busy machine typing the
    # form may take longer than the beat stays fresh (PRINT_SERVICE_STALE_SECONDS).
    with live_app.app_context():
        print_service.record_beat("host:1:browser-test", "host", utcnow())
        db.session.commit()
    assert submit(page, "确认登记", "/kiosk/register") == 200
    expect(page.locator(".step-done")).to_contain_text("请在出纸口取走")
    expect(page.locator(".no-slip")).to_have_count(0)


def test_kiosk_and_phone_pages_fit_a_phone(page_at, live_server, live_app):
    with live_app.app_context():
        old = worker(id_number="34052419800101001X").qr_token
        current = worker(id_number="34052419800101001X").qr_token  # a newer slip
    page = page_at(*PHONE_SIZE)
    pages = {"kiosk-start": "/kiosk/", "kiosk-privacy": "/kiosk/privacy",
             "kiosk-register": "/kiosk/register?consent=1", "kiosk-checkin": "/kiosk/checkin",
             "my-record": f"/w/{current}", "replaced-slip": f"/w/{old}"}
    for name, path in pages.items():
        page.goto(f"{live_server}{path}")
        assert no_sideways_scroll(page), f"{name} scrolls sideways on a phone"
        shot(page, f"phone-{name}")
    expect(page.locator("h1")).to_have_text(re.compile("这张凭条已被新的凭条替换，请使用最新的凭条"))
    expect(page.locator('a[href^="/kiosk"]')).to_have_count(0)
