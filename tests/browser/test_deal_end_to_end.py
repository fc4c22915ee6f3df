"""One deal from the kiosk to the score page, in a real Chromium: a worker finds a posting on
the portrait kiosk board and applies by typing their ID number (touch only); staff record the
employer's acceptance of the price; both sides sign the 劳务协议 on the touchscreen; the
insurance, the employer's payment and the wage settlement are recorded; the deal completes,
and C3 on the score page goes up by one. Screenshots of every stage."""

import re
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from app.crypto import vault
from app.domain.deals import DealStatus, Side
from app.extensions import db
from app.models import Deal, Role, StaffUser
from app.services import assessment
from tests.factories import hall_today, make_id, posting, staff_user, worker

from .conftest import shot
from .kiosk_helpers import keypad_type, panel_done, tap
from .staff_helpers import sign_in, sign_pads

LAST4 = "2468"


def _seed(app) -> tuple[int, str]:
    with app.app_context():
        staff_user()
        boss = staff_user("boss", Role.MANAGER)
        assessment.save_settings(service_start=hall_today() - timedelta(days=100), contract_amount=Decimal("500000"),
                                 bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=boss)
        task = posting(trade_code="cleaner", headcount=2, pay=Decimal("180.00"),
                       work_date=hall_today() + timedelta(days=1), location="府西路12号写字楼",
                       description="办公室开荒保洁", requirements="自带抹布")
        person = worker(name="陈秀英", id_number=make_id("19780512", seq="733"), phone=f"1390000{LAST4}",
                        trades=["cleaner"])
        return task.id, vault().decrypt(person.id_cipher)


def _c3(page, base_url) -> int:
    page.goto(f"{base_url}/admin/score")
    text = page.locator("#item-C3 .score-measured strong").inner_text()
    return int(re.sub(r"\D", "", text))


def _open(page, step_id: str):
    page.locator(f"#{step_id} > summary").click()
    return page.locator(f"#{step_id} form")


def test_a_deal_from_the_kiosk_board_to_c3(live_app, live_server, page_at):
    task_id, id_number = _seed(live_app)
    manager = page_at(1366, 768)
    sign_in(manager, live_server, username="boss")
    before = _c3(manager, live_server)
    shot(manager, "deal-e2e-0-score-before")

    # The worker, at the portrait kiosk, by touch only.
    kiosk = page_at(1080, 1920)
    kiosk.goto(f"{live_server}/kiosk/")
    tap(kiosk, kiosk.get_by_role("link", name="我要找活"))
    tap(kiosk, kiosk.get_by_role("link", name="找工作"))
    card = kiosk.locator(f"#posting-{task_id}")
    expect(card).to_contain_text("180 元/天")
    expect(card).to_contain_text("还差 2 人")
    shot(kiosk, "deal-e2e-1-board")
    tap(kiosk, card.get_by_role("link", name="我要报名"))
    keypad_type(kiosk, "id_number", id_number)
    panel_done(kiosk)
    keypad_type(kiosk, "phone_last4", LAST4)
    panel_done(kiosk)
    tap(kiosk, kiosk.get_by_role("button", name="下一步"))
    expect(kiosk.locator("#recognised-name")).to_have_text("陈**")
    shot(kiosk, "deal-e2e-2-review")
    tap(kiosk, kiosk.get_by_role("button", name="接受工价，确认报名"))
    expect(kiosk.locator(".step-job-done")).to_be_visible()
    number = kiosk.locator("#deal-number").inner_text()
    shot(kiosk, "deal-e2e-3-applied")
    with live_app.app_context():
        deal = db.session.scalar(select(Deal).where(Deal.task_order_id == task_id))
        assert deal.number == number and deal.price_confirmed_by(Side.WORKER)
        deal_id = deal.id

    # Staff: the employer accepts the price on the phone; staff record it on their word.
    staff = page_at(1366, 768)
    sign_in(staff, live_server)
    staff.goto(f"{live_server}/staff/deals/{deal_id}")
    expect(staff.locator("#price-worker")).to_contain_text("已确认")
    form = _open(staff, "step-price")
    form.locator("input[name=side][value=employer]").check()
    form.get_by_role("button", name="登记确认").click()
    expect(staff.locator("#deal-status")).to_have_text("价格已确认")
    shot(staff, "deal-e2e-4-priced")

    # Both sign the agreement on the hall's touchscreen.
    touch = page_at(1080, 1920)
    sign_in(touch, live_server)
    touch.goto(f"{live_server}/staff/deals/{deal_id}/agreement")
    expect(touch.locator("#doc-worker")).to_have_text("陈秀英")
    expect(touch.locator("#doc-pay")).to_have_text("180 元/天")
    sign_pads(touch, ["signature_worker", "signature_employer"])
    shot(touch, "deal-e2e-5-signing")
    touch.get_by_role("button", name=re.compile("签订劳务协议")).tap()
    expect(touch.locator("#verdict")).to_contain_text("协议真实有效，内容未被改动")
    shot(touch, "deal-e2e-6-signed")

    # Insurance, the employer's payment, the wage, completion.
    staff.goto(f"{live_server}/staff/deals/{deal_id}")
    form = _open(staff, "step-insure")
    form.locator("#insure-insurer").fill("中国人寿沙县支公司")
    form.locator("#insure-policy_number").fill("PICC-2026-0123")
    form.locator("#insure-premium").fill("2.50")
    form.locator("#insure-cover_to").fill(form.locator("#insure-cover_from").input_value())
    form.get_by_role("button", name="登记保险").click()
    expect(staff.locator("#deal-status")).to_have_text("保险已登记")
    form = _open(staff, "step-pay")
    form.locator("#pay-amount").fill("180.00")
    form.locator("input[name=method][value=alipay]").check()
    form.locator("#pay-reference").fill("2026113022001")
    form.get_by_role("button", name="登记付款").click()
    expect(staff.locator("#deal-payment")).to_contain_text("180 元，支付宝")
    form = _open(staff, "step-settle")
    form.locator("input[name=method][value=cash]").check()
    form.get_by_role("button", name="登记结算并打印凭条").click()
    expect(staff.locator("#deal-settlement")).to_contain_text("180 元，现金")
    staff.get_by_role("button", name="确认交易完成").click()
    expect(staff.locator("#deal-status")).to_have_text("已完成")
    shot(staff, "deal-e2e-7-completed")
    with live_app.app_context():
        assert db.session.get(Deal, deal_id).status == DealStatus.COMPLETED
        assert db.session.scalar(select(StaffUser.id).where(StaffUser.username == "boss"))

    assert _c3(manager, live_server) == before + 1
    shot(manager, "deal-e2e-8-score-after")
