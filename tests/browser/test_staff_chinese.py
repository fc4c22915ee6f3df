"""What staff see is Chinese: the visible text of the staff screens (a printer error among
it) has no English words; the technician's detail stays folded under 技术详情 until opened."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.models import PrinterState, Role
from app.services.print_worker import PrintWorker
from tests.factories import staff_user, worker

from .conftest import shot

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def test_staff_screens_show_no_english_and_fold_the_technical_detail(page_at, live_server, live_app):
    with live_app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
        worker(name="林建国")
        PrintWorker().beat()
        db.session.add(PrinterState(name="default", problem="offline",
                                    last_error="ConnectionRefusedError: [Errno 111] Connection refused"))
        db.session.commit()
    page = page_at(1366, 768)
    page.goto(f"{live_server}/staff/login")
    page.locator("#username").fill("boss")
    page.locator("#password").fill("correct-horse-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/staff/login" not in url)
    for path in ("/staff/queue/1", "/staff/workers", "/staff/workers/1", "/admin/audit",
                 "/admin/users", "/admin/attempts", "/staff/print-jobs"):
        page.goto(f"{live_server}{path}")
        visible = page.locator("body").inner_text()  # a closed <details> shows only its summary
        visible = visible.replace("boss", "")  # a user name is what its owner typed
        assert not ENGLISH_WORD.findall(visible), (path, ENGLISH_WORD.findall(visible))
    expect(page.locator("#staff-print-jobs")).to_contain_text("打印出错，请技术人员查看")
    shot(page, "staff-print-jobs-1366x768")
    page.get_by_text("技术详情").first.click()
    expect(page.locator("#staff-print-jobs")).to_contain_text("Connection refused")
