"""交易 in a real Chromium: a member of staff matches a worker to a posting and has both sides'
price confirmed through the forms; a signed deal (the signing has its own page and test) is
insured, paid, settled and completed through the forms; the list, a deal and its phone page
photographed (1366×768, 1920×1080; the phone at 390×844)."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.domain.deals import DealStatus
from app.extensions import db
from app.models import Deal, PrintJob, StaffUser
from tests.deal_steps import deal_at
from tests.factories import posting, staff_user, worker

from .staff_helpers import sign_in


def _open(page, step_id: str):
    """Open a step's form (a <details> on the deal page)."""
    page.locator(f"#{step_id} > summary").click()
    return page.locator(f"#{step_id} form")


def test_staff_take_a_deal_from_acceptance_to_completion(live_app, live_server, page_at, shot):
    with live_app.app_context():
        staff_user()
        task_id = posting(trade_code="porter", location="凤岗街道水南村", description="搬运建材，包午饭").id
        worker(name="李四海", phone="13800005678")
    page = page_at(1366, 768)
    sign_in(page, live_server)

    page.goto(f"{live_server}/staff/deals/new?posting={task_id}")
    page.locator("#q").fill("5678")
    page.get_by_role("button", name="查找").click()
    expect(page.locator("#match-results")).to_contain_text("李**")
    expect(page.locator("#match-results")).not_to_contain_text("李四海")
    shot(page, "deal-match-1366x768")
    page.get_by_role("button", name="撮合接单").click()
    expect(page.locator("#deal-status")).to_have_text("已接单")
    expect(page.locator("#places-left")).to_have_text("2")

    for side in ("worker", "employer"):
        form = _open(page, "step-price")
        form.locator(f"input[name=side][value={side}]").check()
        form.get_by_role("button", name="登记确认").click()
    expect(page.locator("#deal-status")).to_have_text("价格已确认")
    expect(page.locator("#price-worker")).to_contain_text("已确认")
    expect(page.locator("#price-employer")).to_contain_text("已确认")
    expect(page.get_by_role("link", name="签订劳务协议（双方触屏签字）")).to_be_visible()
    shot(page, "deal-priced-1366x768")

    with live_app.app_context():  # signed on the touchscreen: its own page and test
        clerk = db.session.scalar(select(StaffUser))
        signed = deal_at(DealStatus.SIGNED, clerk, person=worker(name="王小明"))
        deal_id, token = signed.id, signed.worker_token
    page.goto(f"{live_server}/staff/deals/{deal_id}")
    expect(page.locator("#deal-agreement")).to_contain_text("协议真实有效，内容未被改动")

    form = _open(page, "step-insure")
    form.locator("#insure-insurer").fill("中国人寿沙县支公司")
    form.locator("#insure-policy_number").fill("PICC-2026-0088")
    form.locator("#insure-premium").fill("3.50")
    form.locator("#insure-cover_to").fill(form.locator("#insure-cover_from").input_value())
    form.get_by_role("button", name="登记保险").click()
    expect(page.locator("#deal-insurance")).to_contain_text("保单号 PICC-2026-0088")

    form = _open(page, "step-pay")
    form.locator("#pay-amount").fill("200.001")
    form.locator("input[name=method][value=wechat]").check()
    form.locator("#pay-reference").fill("4200009999")
    form.get_by_role("button", name="登记付款").click()
    expect(page.locator("#amount-error")).to_contain_text("最多保留两位小数")
    shot(page, "deal-pay-error-1366x768")
    page.locator("#pay-amount").fill("200.00")
    page.locator("#step-pay").get_by_role("button", name="登记付款").click()
    expect(page.locator("#deal-payment")).to_contain_text("200 元，微信，单号 4200009999")

    form = _open(page, "step-settle")
    expect(form.locator("#settle-amount")).to_have_value("200.00")
    form.locator("input[name=method][value=cash]").check()
    form.get_by_role("button", name="登记结算并打印凭条").click()
    expect(page.locator("#deal-settlement")).to_contain_text("200 元，现金")
    with live_app.app_context():
        assert db.session.scalar(select(PrintJob).where(PrintJob.kind == "deal_settlement")) is not None

    page.get_by_role("button", name="确认交易完成").click()
    expect(page.locator("#deal-status")).to_have_text("已完成")
    expect(page.locator("#deal-history li")).to_have_count(8)
    shot(page, "deal-completed-1366x768")

    wide = page_at(1920, 1080)
    sign_in(wide, live_server)
    wide.goto(f"{live_server}/staff/deals/{deal_id}")
    shot(wide, "deal-completed-1920x1080")
    wide.goto(f"{live_server}/staff/deals")
    expect(wide.locator("#deal-list tbody tr")).to_have_count(1)  # the completed one is under 已完成
    shot(wide, "deals-list-1920x1080")
    wide.get_by_role("link", name="已完成").click()
    expect(wide.locator("#deal-list")).to_contain_text("已完成")
    shot(wide, "deals-completed-1920x1080")

    phone = page_at(390, 844)
    phone.goto(f"{live_server}/d/{token}")
    expect(phone.locator("#deal-stage")).to_have_text("已完成")
    expect(phone.get_by_role("link", name="评价本次服务")).to_be_visible()
    shot(phone, "deal-phone-390x844")
    with live_app.app_context():
        assert db.session.get(Deal, deal_id).completed_at is not None
