"""The entry screens in a real browser: a member of staff adds a livestream and voids it;
the manager's score settings and accounts. Screenshots at both staff screen sizes, and the
accessibility audit of each page."""

import pytest
from playwright.sync_api import expect

from app.models import Role
from tests.factories import hall_today, staff_user

from .conftest import shot
from .staff_helpers import add_staff, sign_in
from .test_accessibility import Audit


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_staff_add_a_livestream_and_void_it(page_at, live_server, live_app, width, height):
    add_staff(live_app)
    page = page_at(width, height, bypass_csp=True)
    audit = Audit()
    sign_in(page, live_server)
    page.get_by_role("link", name="直播与关注").click()
    expect(page.get_by_role("heading", name="登记一场直播")).to_be_visible()
    expect(page.get_by_text("尚未设置服务起始日期")).to_be_visible()

    # sent empty: each field says what it needs, nothing is listed
    page.get_by_role("button", name="保存直播记录").click()
    expect(page.locator("#held_on-error")).to_have_text("⚠️ 请选择直播日期")
    expect(page.locator("#kind-error")).to_have_text("⚠️ 请选择直播类型")
    expect(page.locator("#livestream-list")).to_contain_text("还没有直播记录")
    shot(page, f"livestreams-errors-{width}x{height}")
    audit(page, "livestreams with errors")

    today = hall_today()
    page.locator("#held_on").fill(today.isoformat())
    page.get_by_role("button", name="微信视频号").click()  # a chip fills the platform field
    expect(page.locator("#platform")).to_have_value("微信视频号")
    page.get_by_label("招聘").check()
    page.locator("#minutes").fill("90")
    page.locator("#viewers").fill("1200")
    page.locator("#postings_promoted").fill("8")
    page.locator("#note").fill("春风行动专场")
    page.get_by_role("button", name="保存直播记录").click()

    row = page.locator("#livestream-list tbody tr").first
    expect(row).to_contain_text(f"{today.year}年{today.month}月{today.day}日")
    expect(row).to_contain_text("微信视频号")
    expect(row).to_contain_text("春风行动专场")
    expect(row).to_contain_text("有效")
    expect(page.locator(".month-held .month-count")).to_have_text("1 场")
    shot(page, f"livestreams-added-{width}x{height}")
    audit(page, "livestreams")

    row.get_by_role("button", name="作废").click()
    expect(page.get_by_role("heading", name="作废这条直播记录？")).to_be_visible()
    page.get_by_role("button", name="确认作废").click()  # without a reason
    expect(page.locator("#reason-error")).to_have_text("⚠️ 请写明作废原因")
    page.locator("#reason").fill("重复登记")
    shot(page, f"livestreams-void-{width}x{height}")
    audit(page, "void confirmation")
    page.get_by_role("button", name="确认作废").click()

    voided = page.locator("#livestream-list tr.voided")
    expect(voided).to_contain_text("已作废")
    expect(voided).to_contain_text("原因：重复登记")
    assert voided.locator("td").first.evaluate("td => getComputedStyle(td).textDecorationLine") == "line-through"
    expect(page.locator("#livestream-list").get_by_role("button", name="作废")).to_have_count(0)
    expect(page.locator(".month-held")).to_have_count(0)  # the month has no valid session left
    shot(page, f"livestreams-voided-{width}x{height}")

    page.get_by_role("link", name="公众号关注人数").click()
    page.locator("#counted_on").fill(today.isoformat())
    page.locator("#followers").fill("2480")
    page.get_by_role("button", name="保存关注人数").click()
    expect(page.locator("#follower-counted")).to_contain_text("2,480 人")
    expect(page.locator("#follower-list .tag-counted")).to_have_text("计分采用")
    shot(page, f"followers-{width}x{height}")
    audit(page, "followers")
    assert not audit.found, audit.report()


def test_the_manager_sets_the_score_settings_and_marks_full_time_staff(page_at, live_server, live_app):
    with live_app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
        staff_user(username="xiaoli")
    page = page_at(1366, 768, bypass_csp=True)
    audit = Audit()
    sign_in(page, live_server, username="boss")
    page.goto(f"{live_server}/admin/score/settings")
    page.locator("#service_start").fill("2026-01-01")
    page.locator("#contract_amount").fill("500000")
    page.locator("#bid_price").fill("480000")
    page.locator("#network_fee").fill("500000")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#network_fee-error")).to_have_text("⚠️ 网络建设费不能高于中标价")
    page.locator("#network_fee").fill("30000")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#settings-changed")).to_contain_text("最近修改：boss")
    expect(page.locator("#rubric-versions")).to_contain_text("2026年1月1日 至 2026年12月31日")
    shot(page, "score-settings-1366x768")
    audit(page, "score settings")

    page.get_by_role("link", name="账号管理").click()
    expect(page.locator("#full-time-count")).to_have_text("当前专职人员 2 人（评分表要求不少于3人）：在用、标为专职的工作人员和经理账号")
    page.get_by_role("row", name="xiaoli").get_by_role("button", name="设为非专职").click()
    expect(page.locator("#full-time-count")).to_contain_text("当前专职人员 1 人")
    expect(page.get_by_role("row", name="xiaoli")).to_contain_text("非专职")
    shot(page, "users-full-time-1366x768")
    audit(page, "accounts")
    assert not audit.found, audit.report()
