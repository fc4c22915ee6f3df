"""Naming a kiosk, as the technician does on the kiosk itself: sign in, tap its name."""

import pytest
from playwright.sync_api import expect

from .conftest import shot
from .staff_helpers import add_staff

TERMINALS = {
    "PRINTERS": {"front": "memory:front"},
    "KIOSK_TERMINALS": {"kiosk-1": {"printer": "front", "label": "大厅1号机"},
                        "kiosk-2": {"label": "大厅2号机"}},
}


@pytest.mark.parametrize("app_overrides", [TERMINALS])
def test_staff_name_a_kiosk_which_then_shows_it_and_is_signed_out(page_at, live_app, live_server):
    add_staff(live_app)
    page = page_at(1080, 1920)
    page.goto(f"{live_server}/kiosk/terminal")
    page.wait_for_url("**/staff/login**")  # a visitor gets no further
    page.locator("#username").fill("xiaoli")
    page.locator("#password").fill("correct-horse-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/kiosk/terminal")
    expect(page.locator(".step-terminal")).to_contain_text("未设置，按网络地址识别")
    shot(page, "terminal-portrait-setup")
    page.get_by_role("button", name="大厅1号机").tap()
    page.wait_for_url("**/kiosk/")
    expect(page.locator(".kiosk-terminal")).to_have_text("大厅1号机")
    page.goto(f"{live_server}/staff/workers")
    page.wait_for_url("**/staff/login**")  # the kiosk is no longer signed in


@pytest.mark.parametrize("app_overrides", [{**TERMINALS, "KIOSK_FORM_IDLE_SECONDS": 2, "KIOSK_IDLE_WARNING_SECONDS": 1}])
def test_a_setup_page_left_alone_signs_the_kiosk_out(page_at, live_app, live_server):
    add_staff(live_app)
    page = page_at(1080, 1920)
    page.goto(f"{live_server}/kiosk/terminal")
    page.locator("#username").fill("xiaoli")
    page.locator("#password").fill("correct-horse-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/kiosk/terminal")
    page.wait_for_url("**/kiosk/", timeout=6_000)  # idle: back to the start screen
    expect(page.locator(".kiosk-terminal")).to_have_count(0)  # nothing was set
    page.goto(f"{live_server}/staff/workers")
    page.wait_for_url("**/staff/login**")  # and nobody is signed in on the kiosk
