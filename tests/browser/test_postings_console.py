"""招工信息 in a real Chromium: a member of staff enters a posting taken by phone (the 省外
box follows the place typed), sees the discrimination flag on its page before publishing,
publishes it, and finds it in 在招; then one is confirmed false after its confirmation
page, and a worker's record too. The list, the entry form and a posting photographed at
1366×768 and 1920×1080."""

from datetime import timedelta

from playwright.sync_api import expect

from app.clock import local_today
from app.models import EmployerType, TaskStatus
from tests.factories import VALID_USCC, employer, posting, staff_user, task_order, worker

from .staff_helpers import sign_in


def hall_with_postings(app) -> int:
    """A few postings in several states, so that the list is not empty; a registered worker."""
    with app.app_context():
        staff_user()
        today = local_today()
        company = employer(employer_type=EmployerType.ENTERPRISE, employer_name="沙县鑫达建材有限公司", uscc=VALID_USCC,
                           contact_name="林经理")
        posting(employer=company, trade_code="mason", headcount=5, location="凤岗街道金沙路",
                work_date=today + timedelta(days=2), source="enterprise")
        posting(trade_code="porter", location="琅口镇物流园", work_date=today + timedelta(days=1))
        task_order(location="夏茂镇", requirements="只招女性")
        task_order(status=TaskStatus.REJECTED, location="虬江街道")
        return worker(name="李四").id


def test_staff_enter_a_posting_by_phone_see_the_flag_and_publish_it(live_app, live_server, page_at, shot):
    worker_id = hall_with_postings(live_app)
    for width, height in ((1366, 768), (1920, 1080)):
        page = page_at(width, height)
        sign_in(page, live_server)
        page.get_by_role("link", name="招工信息", exact=True).click()
        expect(page.locator("h1")).to_have_text("招工信息")
        expect(page.locator("#posting-list tbody tr")).to_have_count(1)  # the draft to review
        shot(page, f"postings-list-{width}x{height}")
        page.close()

    page = page_at(1366, 768)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/postings")
    page.locator("#new-posting").click()
    expect(page.locator("h1")).to_contain_text("登记招工信息")
    page.get_by_label("电话登记").check()
    page.get_by_label("个人/家庭").check()
    page.locator("#contact_name").fill("陈老板")
    page.locator("#phone").fill("13905981234")
    page.locator("#trade").select_option("porter")
    page.locator("#headcount").fill("2")
    page.locator("#pay").fill("220")
    page.locator("#work_date").fill((local_today_of(live_app) + timedelta(days=3)).isoformat())
    page.locator("#duration_days").fill("2")
    page.locator("#location").fill("江西省南昌市红谷滩新区")
    page.locator("#location").press("Tab")
    expect(page.locator("#outside-fujian-box input")).to_be_checked()  # suggested from the place
    page.locator("#location").fill("凤岗街道水南村")
    page.locator("#location").press("Tab")
    expect(page.locator("#outside-fujian-box input")).not_to_be_checked()
    page.locator("#requirements").fill("只招男性，35岁以下，能吃苦")
    shot(page, "postings-new-1366x768")
    page.get_by_role("button", name="登记（待审核）").click()

    expect(page.locator("#posting-status")).to_have_text("待审核")
    flags = page.locator("#posting-flags")
    expect(flags).to_contain_text("发布前请核实")
    expect(flags).to_contain_text("性别")
    expect(flags).to_contain_text("年龄")
    shot(page, "postings-detail-draft-1366x768")
    page.get_by_role("button", name="发布到招工板").click()
    expect(page.locator("#posting-status")).to_have_text("在招")
    expect(page.locator("#posting-flags")).to_have_count(0)
    expect(page.locator("#posting-trail")).to_contain_text("发布")
    shot(page, "postings-detail-published-1366x768")

    page.get_by_role("link", name="← 招工信息").click()
    page.get_by_role("link", name="在招").click()
    expect(page.locator("#posting-list tbody tr")).to_have_count(3)
    expect(page.locator("#posting-list")).to_contain_text("凤岗街道水南村")

    wide = page_at(1920, 1080)
    sign_in(wide, live_server)
    wide.goto(page.url)
    shot(wide, "postings-open-1920x1080")
    wide.locator("#posting-list a.posting-number").first.click()
    expect(wide.locator("#posting-status")).to_have_text("在招")
    shot(wide, "postings-detail-1920x1080")
    wide.locator("#step-false summary").click()
    wide.locator("#false-reason").fill("电话核实用工方无此岗位")
    wide.locator("#false-evidence").fill("致电联系人，对方承认是试探行情")
    wide.get_by_role("button", name="确认为虚假信息…").click()
    expect(wide.locator("#staff-confirm")).to_contain_text("记录原因：电话核实用工方无此岗位")
    shot(wide, "postings-false-confirm-1920x1080")
    wide.get_by_role("button", name="确认为虚假信息").click()
    expect(wide.locator("#posting-status")).to_have_text("虚假信息")
    expect(wide.locator("#posting-false")).to_contain_text("电话核实用工方无此岗位")

    wide.goto(f"{live_server}/staff/workers/{worker_id}")
    wide.locator("#worker-false summary").click()
    wide.locator("#false-reason").fill("冒用他人身份证登记")
    wide.locator("#false-evidence").fill("本人持证到大厅核实，证件照片与登记人不符")
    wide.get_by_role("button", name="确认为虚假信息…").click()
    wide.get_by_role("button", name="确认为虚假信息").click()
    expect(wide.locator("#worker-false")).to_contain_text("已确认为虚假信息")
    expect(wide.locator("#worker-false")).to_contain_text("冒用他人身份证登记")
    shot(wide, "postings-worker-false-1920x1080")


def local_today_of(app):
    with app.app_context():
        return local_today()
