"""事件登记 and 纠纷与事件统计 in a real browser: a member of staff enters an incident by taps
and a few words, voids it with a reason; the assessor reads the log masked; the figures page
of a year of cases. Screenshots at both staff screen sizes, and the accessibility audit."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.crypto import vault
from app.domain.disputes import Party
from app.domain.ratings import read_answer
from app.extensions import db
from app.models import Role, utcnow
from app.services import disputes, ratings
from tests.factories import dispute, hall_today, incident, signature, staff_user

from .conftest import shot
from .staff_helpers import add_staff, sign_in
from .test_accessibility import Audit

SIZES = [(1920, 1080), (1366, 768)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_staff_enter_an_incident_and_void_it(page_at, live_server, live_app, width, height):
    add_staff(live_app)
    page = page_at(width, height, bypass_csp=True)
    audit = Audit()
    sign_in(page, live_server)
    page.get_by_role("link", name="事件登记").click()
    expect(page.get_by_role("heading", name="登记一起事件")).to_be_visible()

    page.get_by_role("button", name="保存事件记录").click()  # sent empty
    expect(page.locator("#kind-error")).to_have_text("⚠️ 请选择事件类型")
    expect(page.locator("#occurred_at-error")).to_have_text("⚠️ 请选择发生日期")
    expect(page.locator("#outcome-error")).to_have_text("⚠️ 请输入处理结果")
    expect(page.locator("#incident-list")).to_contain_text("还没有事件记录")
    shot(page, f"incidents-errors-{width}x{height}")
    audit(page, "incident log with errors")

    page.locator(".kind-choice", has_text="强迫交易").click()  # a kind is a button to tap
    expect(page.get_by_role("radio", name="强迫交易")).to_be_checked()
    page.get_by_role("button", name="今天").click()
    page.get_by_role("button", name="现在").click()
    expect(page.locator("#occurred_on")).to_have_value(hall_today().isoformat())
    page.get_by_role("button", name="招工信息发布区").click()
    expect(page.locator("#place")).to_have_value("招工信息发布区")
    page.locator("#involved").fill("零工张三、包工头李四")
    page.get_by_label("已报警").check()
    page.locator("#outcome").fill("李四要求张三先交介绍费，经劝阻退还，民警到场教育")
    shot(page, f"incidents-filled-{width}x{height}")
    page.get_by_role("button", name="保存事件记录").click()

    row = page.locator("#incident-list tbody tr").first
    expect(row).to_contain_text("强迫交易")
    expect(row).to_contain_text("零工张三、包工头李四")
    expect(row).to_contain_text("已报警")
    expect(row).to_contain_text("有效")
    expect(page.locator(".saved")).to_contain_text("已登记")
    shot(page, f"incidents-added-{width}x{height}")
    audit(page, "incident log")

    row.get_by_role("button", name="作废").click()
    expect(page.get_by_role("heading", name="作废这条事件记录？")).to_be_visible()
    expect(page.get_by_text("不再计入场内治安事件（B8）")).to_be_visible()
    page.locator("#reason").fill("与上一条是同一起事件")
    shot(page, f"incidents-void-{width}x{height}")
    page.get_by_role("button", name="确认作废").click()

    voided = page.locator("#incident-list tr.voided")
    expect(voided).to_contain_text("原因：与上一条是同一起事件")
    assert voided.locator("td").first.evaluate("td => getComputedStyle(td).textDecorationLine") == "line-through"
    expect(page.locator("#incident-list").get_by_role("button", name="作废")).to_have_count(0)
    shot(page, f"incidents-voided-{width}x{height}")
    assert not audit.found, audit.report()


def _year_of_cases(app):
    """A plausible spread of cases and incidents over the months before today (the times are
    moved back after filing, as if they had happened then)."""
    with app.app_context():
        user = staff_user(username="boss", role=Role.MANAGER)
        staff_user(username="bureau", role=Role.ASSESSOR)
        kinds = ["wages", "wages", "mismatch", "wages", "injury", "no_show", "wages", "other", "mismatch"]
        for n, kind in enumerate(kinds * 2):
            case = dispute(kind=kind, amount=str(300 + 97 * n) if kind != "other" else "",
                           applicant_phone=f"138000001{n:02d}")
            if n % 6 != 5:
                disputes.accept(case, user)
            if n % 6 in (0, 1, 2):
                disputes.record_session(case, held_at=utcnow(), attendees="双方", text="调解一次", user=user)
            if n % 6 == 1:
                disputes.agree(case, amount=str(200 + 50 * n), pay_by=hall_today() + timedelta(days=7),
                               method="wechat", terms="七日内付清", user=user,
                               signatures={party: disputes.Signed("某人", signature()) for party in Party})
                ratings.rate_service(disputes.case_service((case, Party.APPLICANT)),
                                     read_answer("1" if n < 10 else "4", "worker"))
            if n % 6 == 4:
                disputes.withdraw(case, "已私下和解", user)
            if n % 6 == 0:
                disputes.fail(case, "对方拒绝", user)
            back = timedelta(days=12 * (len(kinds) * 2 - n))
            case.received_at -= back
            case.received_on -= back
            if case.accepted_on:
                case.accepted_at -= back - timedelta(days=n % 3)
                case.accepted_on -= back - timedelta(days=n % 3)
            if case.closed_at:
                case.closed_at -= back - timedelta(days=4 + n % 5)
        db.session.commit()
        duplicate = dispute(applicant_phone="13800000199")
        disputes.merge(duplicate, case.number, "同一件事重复申请", user)
        for days, kind, voided in ((40, "fight", False), (70, "fee", False), (71, "fee", True), (120, "extortion", False)):
            incident(kind=kind, voided=voided, occurred_at=utcnow() - timedelta(days=days),
                     involved_cipher=vault().encrypt("王五、赵六"))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_figures_page_and_the_assessors_masked_log(page_at, live_server, live_app, width, height):
    _year_of_cases(live_app)
    page = page_at(width, height, bypass_csp=True)
    audit = Audit()
    sign_in(page, live_server, username="boss")
    page.get_by_role("link", name="纠纷统计").click()
    expect(page.locator("#figures-received")).to_have_text("18 件")
    expect(page.locator("#figures-case-months")).to_be_visible()
    expect(page.locator("#chart-disputes svg rect.score-bar")).to_have_count(12)
    shot(page, f"dispute-figures-{width}x{height}")
    page.locator("#figures-incidents-title").scroll_into_view_if_needed()
    shot(page, f"dispute-figures-incidents-{width}x{height}")
    audit(page, "dispute figures")
    page.get_by_role("button", name="退出").click()

    sign_in(page, live_server, username="bureau")
    page.get_by_role("link", name="事件登记").click()
    expect(page.locator("#incident-list")).to_contain_text("王*、赵*")
    expect(page.locator("#incident-list")).not_to_contain_text("王五")
    expect(page.get_by_role("heading", name="登记一起事件")).to_have_count(0)
    shot(page, f"incidents-assessor-{width}x{height}")
    audit(page, "incident log, assessor")
    assert not audit.found, audit.report()
