"""The whole of a wage dispute in a real Chromium: a worker files it at the portrait kiosk by
touch alone and leaves with a case number; a member of staff finds it in 纠纷调解, accepts it,
records a mediation session, and both parties and the mediator sign the agreement on the
touchscreen; the worker's slip then shows the agreement on the phone. Screenshots of each step
in test-artifacts/screenshots/dispute-e2e-*."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import DisputeCase
from tests.factories import staff_user

from .kiosk_helpers import keypad_type, panel_done, pinyin_text, tap, tap_tile
from .staff_helpers import sign_in
from .test_dispute_filing import submit
from .test_dispute_signing import draw


def test_a_wage_dispute_from_the_kiosk_to_a_signed_agreement(live_app, live_server, page_at, shot):
    with live_app.app_context():
        staff_user()  # xiaoli, 小李

    # -- the kiosk, portrait, by touch ------------------------------------------------------
    kiosk = page_at(1080, 1920)
    kiosk.goto(f"{live_server}/kiosk/")
    tap(kiosk, kiosk.get_by_role("link", name="我要维权"))
    kiosk.wait_for_url("**/kiosk/dispute")
    tap_tile(kiosk, "applicant_role", "worker")
    pinyin_text(kiosk, "applicant_name", [("chen", "陈"), ("da", "大"), ("shan", "山")])
    panel_done(kiosk)
    keypad_type(kiosk, "applicant_phone", "13805981234")
    panel_done(kiosk)
    pinyin_text(kiosk, "other_party_name", [("lin", "林"), ("lao", "老"), ("ban", "板")])
    panel_done(kiosk)
    keypad_type(kiosk, "other_party_phone", "13905985678")
    panel_done(kiosk)
    tap_tile(kiosk, "kind", "wages")
    keypad_type(kiosk, "amount", "2400")
    panel_done(kiosk)
    tap(kiosk, kiosk.locator('[data-append="facts"][data-value="活干完了，工钱没给"]'))
    tap(kiosk, kiosk.locator('[data-append="wants"][data-value="要回全部工钱"]'))
    shot(kiosk, "dispute-e2e-1-kiosk-filled")
    assert submit(kiosk) == 200
    number = kiosk.locator("#case-number").inner_text()
    assert re.fullmatch(r"\d{4}-JF-0001", number)
    expect(kiosk.locator("#next-step")).to_contain_text("3 个工作日内受理，工作人员会电话联系您")
    shot(kiosk, "dispute-e2e-2-kiosk-done")
    with live_app.app_context():
        case = db.session.scalars(select(DisputeCase)).one()
        case_id, token = case.id, case.applicant_token

    # -- the staff console: accept, record a session --------------------------------------------
    staff = page_at(1366, 768)
    sign_in(staff, live_server)
    staff.get_by_role("link", name="纠纷调解", exact=True).click()
    row = staff.locator("#case-list tbody tr", has_text=number)
    expect(row).to_contain_text("待受理")
    expect(row).to_contain_text("陈**")  # masked in the list
    row.get_by_role("link").first.click()
    staff.wait_for_url(f"{live_server}/staff/disputes/{case_id}")
    expect(staff.locator("#case-status")).to_have_text("待受理")
    shot(staff, "dispute-e2e-3-case-received")
    staff.get_by_role("button", name="受理").click()
    expect(staff.locator("#case-status")).to_have_text("已受理")
    staff.get_by_text("记录一次调解").click()
    staff.locator("#session-attendees").fill("申请人陈大山，被申请人林老板，调解员小李")
    staff.locator("#session-text").fill("林老板承认欠陈大山工钱2400元，同意一周内付清")
    staff.get_by_role("button", name="保存调解记录").click()
    expect(staff.locator("#case-status")).to_have_text("调解中")
    expect(staff.locator("#case-timeline")).to_contain_text("同意一周内付清")
    shot(staff, "dispute-e2e-4-case-mediating")

    # -- the agreement, signed on the touchscreen (portrait) --------------------------------
    table = page_at(1080, 1920)
    sign_in(table, live_server)
    table.goto(f"{live_server}/staff/disputes/{case_id}")
    table.locator("#agreement-sign").tap()
    expect(table.locator("#signer_applicant")).to_have_value("陈大山")
    expect(table.locator("#signer_respondent")).to_have_value("林老板")
    table.get_by_role("button", name=re.compile("按申请金额")).tap()
    table.get_by_role("button", name=re.compile("^7天内")).tap()
    table.locator('label.method-tile:has(input[value="cash"])').tap()
    table.locator("#terms").fill("林老板于七日内以现金一次性支付陈大山工钱2400元。")
    for i, party in enumerate(("applicant", "respondent", "mediator")):
        table.locator(f"#signature_{party}").scroll_into_view_if_needed()
        draw(table, f"signature_{party}", wobble=i)
    shot(table, "dispute-e2e-5-signing")
    table.get_by_role("button", name=re.compile("确认签订调解协议")).tap()
    table.wait_for_url(f"{live_server}/staff/disputes/{case_id}")
    expect(table.locator("#case-status")).to_have_text("已达成协议")
    expect(table.locator("#agreement-signatures img")).to_have_count(3)
    table.locator("#agreement-panel").scroll_into_view_if_needed()
    shot(table, "dispute-e2e-6-agreed")

    # -- the worker's slip on the phone ------------------------------------------------------
    phone = page_at(390, 844)
    phone.goto(f"{live_server}/c/{token}")
    expect(phone.locator("#case-stage")).to_have_text("已达成协议")
    expect(phone.locator("main")).to_contain_text(re.compile(r"协议金额\s*2,400 元"))
    expect(phone.locator("main")).not_to_contain_text("林老板")
    expect(phone.locator("main")).not_to_contain_text("13905985678")
    shot(phone, "dispute-e2e-7-phone")
    with live_app.app_context():
        case = db.session.get(DisputeCase, case_id)
        assert (case.status.value, str(case.agreed_amount), len(case.signatures)) == ("agreed", "2400.00", 3)
