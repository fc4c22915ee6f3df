"""Actions that cannot be undone ask first, on a page of their own (no window.confirm, which
a kiosk-mode or embedded browser may not show): the phone's 申请删除我的信息 by touch, and a
manager's 删除个人信息 by mouse. 取消 leaves everything as it was."""

from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, Worker
from tests.factories import staff_user, worker

from .conftest import shot
from .staff_helpers import sign_in

PHONE = (390, 844)
STAFF = (1366, 768)


def a_worker(app) -> tuple[int, str]:
    with app.app_context():
        w = worker(name="林建国")
        return w.id, w.qr_token


def saved(app, worker_id) -> Worker:
    with app.app_context():
        return db.session.get(Worker, worker_id)


def test_the_phone_asks_before_filing_a_deletion_request(page_at, live_server, live_app):
    worker_id, token = a_worker(live_app)
    page = page_at(*PHONE)
    page.goto(f"{live_server}/w/{token}")
    page.get_by_role("button", name="申请删除我的信息").tap()
    expect(page.locator("h1")).to_have_text("确认申请删除我的信息？")
    shot(page, "phone-confirm-deletion")
    assert saved(live_app, worker_id).deletion_requested_at is None
    page.get_by_role("link", name="取消，保留我的信息").tap()
    expect(page.get_by_role("button", name="申请删除我的信息")).to_be_visible()
    assert saved(live_app, worker_id).deletion_requested_at is None

    page.get_by_role("button", name="申请删除我的信息").tap()
    page.get_by_role("button", name="确认申请删除").tap()
    expect(page.locator(".notice-ok")).to_contain_text("已收到您的删除申请")
    assert saved(live_app, worker_id).deletion_requested_at is not None


def test_a_manager_confirms_before_a_worker_is_anonymised(page_at, live_server, live_app):
    worker_id, token = a_worker(live_app)
    with live_app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
        db.session.get(Worker, worker_id).deletion_requested_at = db.func.now()
        db.session.commit()
    page = page_at(*STAFF)
    sign_in(page, live_server, username="boss")
    page.goto(f"{live_server}/staff/workers/{worker_id}")
    page.get_by_role("button", name="删除个人信息").click()
    expect(page.locator("#staff-confirm")).to_contain_text("林建国")
    expect(page.locator("#staff-confirm")).to_contain_text("此操作不能撤销")
    shot(page, "staff-confirm-anonymise-1366x768")
    assert saved(live_app, worker_id).anonymised_at is None
    page.get_by_role("link", name="取消").click()
    expect(page.locator("h1")).to_contain_text("林建国")
    assert saved(live_app, worker_id).anonymised_at is None

    page.get_by_role("button", name="删除个人信息").click()
    page.get_by_role("button", name="确认删除").click()
    expect(page.locator(".alert-warning").first).to_contain_text("此记录已匿名化")
    assert saved(live_app, worker_id).anonymised_at is not None
    assert page.context.request.get(f"{live_server}/w/{token}").status == 404
