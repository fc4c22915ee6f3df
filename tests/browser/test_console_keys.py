"""The call console at the counter's screen sizes: the primary actions above the fold, 办结
in one press and its 撤销 by mouse, and the keyboard shortcuts. Staff use mouse and keyboard."""

import re
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import AuditEntry, Ticket
from app.services.checkin import CheckinData, check_in

from .conftest import shot
from .staff_helpers import add_staff, staff_console

SMALL = (1366, 768)
LARGE = (1920, 1080)
TRADES = ["porter", "mason", "cleaner", "electrician", "snack"]


def fill_the_hall(app) -> None:
    """Five employers waiting to 招工 (each with a draft task order) and two to 咨询."""
    with app.app_context():
        today = local_today()
        for i in range(7):
            service = "hire" if i < 5 else "consult"
            task = dict(trade=TRADES[i], headcount=i + 2, pay=Decimal(200 + 10 * i), pay_unit="day",
                        work_date=today + timedelta(days=1), location="凤岗街道水南村",
                        description="包吃，日结，需自带工具") if service == "hire" else {}
            check_in(CheckinData(employer_type="individual", employer_name=None, uscc=None,
                                 contact_name=f"陈老板{i}", phone=f"1390598{i:04d}", service=service,
                                 **task),
                     form_key=secrets.token_urlsafe(24), today=today, public_base_url="http://hall.test")


def status_of(app, number):
    with app.app_context():
        return db.session.scalar(db.select(Ticket).where(Ticket.number == number)).status.value


def console_post(page, path_end, act):
    """Do ``act`` (a click or a key press) and wait for the console's POST to ``path_end``."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(path_end)) as resp:
        act()
    return resp.value.status


def inside_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"])


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["1366x768", "1920x1080"])
def test_primary_actions_are_visible_without_scrolling(page_at, live_server, live_app, size):
    add_staff(live_app)
    fill_the_hall(live_app)
    page = page_at(*size)
    staff_console(page, live_server)
    call = page.get_by_role("button", name="叫下一位")
    assert inside_viewport(page, call)
    console_post(page, "/call-next", call.click)
    expect(page.locator(".console-number")).to_contain_text("A001")
    expect(page.locator(".task-order")).to_contain_text("待审核")
    assert page.evaluate("window.scrollY") == 0
    for name in ["叫下一位", "重呼", "开始办理", "办结", "过号", "转业务", "审核通过并发布", "不予发布"]:
        button = page.get_by_role("button", name=name, exact=False).first
        assert inside_viewport(page, button), f"{name} is below the fold at {size}"
    expect(page.locator("#staff-shortcuts")).to_contain_text("N 叫下一位")
    shot(page, f"staff-console-{size[0]}x{size[1]}")


def test_done_in_one_click_then_undo_at_1366x768(page_at, live_server, live_app):
    add_staff(live_app)
    fill_the_hall(live_app)
    page = page_at(*SMALL)
    staff_console(page, live_server)
    console_post(page, "/call-next", page.get_by_role("button", name="叫下一位").click)
    expect(page.locator(".console-number")).to_contain_text("已叫号")

    assert console_post(page, "/done", page.get_by_role("button", name="办结").click) == 200
    assert status_of(live_app, "A001") == "done"
    bar = page.locator("#staff-undo")
    expect(bar).to_contain_text("A001 号已办结")
    expect(bar.locator(".undo-left")).to_have_text(re.compile(r"^[12]:[0-5][0-9]$"))
    assert inside_viewport(page, page.get_by_role("button", name="撤销办结"))
    shot(page, "staff-console-undo-1366x768")

    assert console_post(page, "/undo", page.get_by_role("button", name="撤销办结").click) == 200
    expect(page.locator(".console-number")).to_contain_text("A001")
    expect(page.locator(".console-number")).to_contain_text("已叫号")
    expect(page.locator("#staff-undo")).to_have_count(0)
    assert status_of(live_app, "A001") == "called"
    with live_app.app_context():
        actions = list(db.session.scalars(db.select(AuditEntry.action).where(
            AuditEntry.record_type == "ticket").order_by(AuditEntry.id)))
    assert actions[-4:] == ["call", "serve", "done", "undo"]


def test_keyboard_shortcuts_work_the_queue_but_not_inside_a_field(page_at, live_server, live_app):
    add_staff(live_app)
    fill_the_hall(live_app)
    page = page_at(*SMALL)
    staff_console(page, live_server)
    keyboard = page.keyboard

    console_post(page, "/call-next", lambda: keyboard.press("n"))
    expect(page.locator(".console-number")).to_contain_text("A001")
    console_post(page, "/recall", lambda: keyboard.press("r"))
    expect(page.locator(".console-number")).to_contain_text("已重呼 1 次")
    console_post(page, "/serve", lambda: keyboard.press("s"))
    expect(page.locator(".console-number")).to_contain_text("办理中")

    # typing into the 转业务 list does nothing to the ticket
    page.locator('select[name="to_service"]').focus()
    keyboard.press("d")
    page.wait_for_timeout(300)
    assert status_of(live_app, "A001") == "serving"
    page.locator("h1").click()  # leave the field

    console_post(page, "/done", lambda: keyboard.press("d"))
    expect(page.locator("#staff-undo")).to_contain_text("A001 号已办结")
    console_post(page, "/undo", lambda: keyboard.press("z"))
    expect(page.locator(".console-number")).to_contain_text("办理中")
    console_post(page, "/done", lambda: keyboard.press("d"))
    console_post(page, "/call-next", lambda: keyboard.press("n"))
    expect(page.locator(".console-number")).to_contain_text("A002")
    console_post(page, "/no_show", lambda: keyboard.press("p"))
    expect(page.locator("#staff-undo")).to_contain_text("A002 号已过号")
    assert (status_of(live_app, "A001"), status_of(live_app, "A002")) == ("done", "no_show")
