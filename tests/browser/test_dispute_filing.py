"""我要维权 in a real Chromium, by touch only: a worker files a wage dispute at the portrait
kiosk and reaches the case number; the form, an error state and the done screen are
photographed in portrait and landscape, and the case slip's page on a phone."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import DisputeCase, PrintJob

from .conftest import shot
from .kiosk_helpers import keypad_type, panel_done, pinyin_text, record_taps, tap, tap_tile, taps

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def submit(page, path="/kiosk/dispute"):
    """Tap 提交申请; the status of the htmx POST it sends."""
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.split("?")[0].endswith(path)) as response:
        tap(page, page.get_by_role("button", name="提交申请"))
    return response.value.status


def test_a_worker_files_a_wage_dispute_by_touch_and_gets_a_case_number(page_at, live_server, live_app):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/")
    tap(page, page.get_by_role("link", name="我要维权"))
    page.wait_for_url("**/kiosk/dispute")
    expect(page.locator(".step-dispute")).to_be_visible()
    shot(page, "dispute-portrait-1-form")

    # Sent empty: every missing answer said beside its field, nothing filed.
    assert submit(page) == 422
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#kind-error")).to_contain_text("请选择纠纷类型")
    expect(page.locator("#applicant_role-error")).to_contain_text("请选择您是零工还是用工方")
    shot(page, "dispute-portrait-2-errors")

    tap_tile(page, "applicant_role", "worker")
    expect(page.locator("#slip-field")).to_be_visible()
    pinyin_text(page, "applicant_name", [("li", "李"), ("si", "四")])
    panel_done(page)
    keypad_type(page, "applicant_phone", "13800000001")
    panel_done(page)
    pinyin_text(page, "other_party_name", [("wang", "王"), ("lao", "老"), ("ban", "板")])
    panel_done(page)

    # The common phrases show once the kind is picked, and add to the text by a tap.
    expect(page.locator('[data-append="facts"][data-value="活干完了，工钱没给"]')).to_be_hidden()
    tap_tile(page, "kind", "wages")
    keypad_type(page, "amount", "1200")
    panel_done(page)
    facts = page.locator('[data-append="facts"][data-value="活干完了，工钱没给"]')
    expect(facts).to_be_visible()
    expect(page.locator('[data-append="facts"][data-value="干活时受了伤"]')).to_be_hidden()
    tap(page, facts)
    tap(page, page.locator('[data-append="facts"][data-value="老板联系不上"]'))
    expect(page.locator("#facts")).to_have_value("活干完了，工钱没给，老板联系不上")
    tap(page, page.locator('[data-append="wants"][data-value="要回全部工钱"]'))
    expect(page.locator("#wants")).to_have_value("要回全部工钱")
    shot(page, "dispute-portrait-3-filled")

    assert submit(page) == 200
    expect(page.locator("#case-number")).to_have_text(re.compile(r"^\d{4}-JF-0001$"))
    expect(page.locator("#next-step")).to_contain_text("3 个工作日内受理，工作人员会电话联系您")
    expect(page.locator(".step-dispute-done")).not_to_contain_text("13800000001")
    expect(page.locator(".step-dispute-done")).not_to_contain_text("王老板")
    record_taps("我要维权 wage dispute (portrait)", taps(page))
    shot(page, "dispute-portrait-4-done")

    with live_app.app_context():
        case = db.session.scalars(select(DisputeCase)).one()
        assert (case.applicant_name, case.other_party_name, case.kind.value) == ("李四", "王老板", "wages")
        assert case.facts == "活干完了，工钱没给，老板联系不上" and str(case.amount) == "1200.00"
        assert db.session.scalars(select(PrintJob)).one().kind == "dispute_slip"
        token = case.applicant_token

    phone = page_at(390, 844)
    phone.goto(f"{live_server}/c/{token}")
    expect(phone.locator("#case-stage")).to_have_text("待受理")
    expect(phone.locator("#next-step")).to_contain_text("3 个工作日内受理")
    expect(phone.locator("main")).not_to_contain_text("王老板")
    shot(phone, "dispute-phone-progress")


@pytest.mark.parametrize("orientation", ["landscape"])
def test_the_form_errors_and_done_screen_in_landscape(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    page.goto(f"{live_server}/kiosk/dispute")
    shot(page, f"dispute-{orientation}-1-form")
    tap_tile(page, "applicant_role", "employer")
    expect(page.locator("#slip-field")).to_be_hidden()  # recognising a worker is for workers
    tap_tile(page, "kind", "no_show")
    assert submit(page) == 422
    expect(page.locator("#applicant_name-error")).to_be_visible()
    shot(page, f"dispute-{orientation}-2-errors")
    pinyin_text(page, "applicant_name", [("wang", "王"), ("lao", "老"), ("ban", "板")])
    panel_done(page)
    keypad_type(page, "applicant_phone", "13900000002")
    panel_done(page)
    pinyin_text(page, "other_party_name", [("xiao", "小"), ("li", "李")])
    panel_done(page)
    tap(page, page.locator('[data-append="facts"][data-value="说好的人没来"]'))
    tap(page, page.locator('[data-append="wants"][data-value="退还预付的钱"]'))
    assert submit(page) == 200
    expect(page.locator("#case-number")).to_be_visible()
    shot(page, f"dispute-{orientation}-3-done")


def test_a_registered_worker_is_recognised_by_the_slip_scanner(page_at, live_server, live_app):
    """The scanner types the slip's QR and Enter, like a keyboard, into whatever has the
    focus: the kiosk takes it into the scan field when no field is being typed in."""
    from tests.factories import worker

    with live_app.app_context():
        token = worker(name="张三丰", phone="13712345678").qr_token
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/dispute")
    tap_tile(page, "applicant_role", "worker")
    with page.expect_response(lambda r: r.url.endswith("/kiosk/dispute/recognise")) as response:
        page.keyboard.type(f"{live_server}/w/{token}")
        page.keyboard.press("Enter")
    assert response.value.status == 200
    expect(page.locator("#recognised-name")).to_have_text("张**")
    expect(page.locator("#kiosk-step")).not_to_contain_text("张三丰")
    expect(page.locator("#applicant_name")).to_have_value("")
    shot(page, "dispute-portrait-5-recognised")


def test_the_dispute_pages_pass_the_accessibility_audit(page_at, live_server, live_app):
    """The kiosk form (empty and with errors), its done screen and the phone page, as the
    hall's audit checks every other page (test_accessibility.py). The only Latin letters a
    person reads are the case number's JF (纠纷)."""
    from .test_accessibility import Audit

    audit = Audit()
    page = page_at(*SIZES["portrait"], bypass_csp=True)
    page.goto(f"{live_server}/kiosk/dispute")
    audit(page, "dispute form", public=True)
    assert submit(page) == 422
    audit(page, "dispute form with errors", public=True)
    tap_tile(page, "applicant_role", "worker")
    pinyin_text(page, "applicant_name", [("li", "李"), ("si", "四")])
    panel_done(page)
    keypad_type(page, "applicant_phone", "13800000001")
    panel_done(page)
    pinyin_text(page, "other_party_name", [("wang", "王")])
    panel_done(page)
    tap_tile(page, "kind", "wages")
    tap(page, page.locator('[data-append="facts"][data-value="老板联系不上"]'))
    tap(page, page.locator('[data-append="wants"][data-value="要回全部工钱"]'))
    assert submit(page) == 200
    audit(page, "dispute done", public=True)
    with live_app.app_context():
        token = db.session.scalars(select(DisputeCase)).one().applicant_token
    phone = page_at(390, 844, bypass_csp=True)
    phone.goto(f"{live_server}/c/{token}")
    audit(phone, "case progress", public=True)
    assert not audit.found, "accessibility violations:\n" + audit.report()
    english = {name: [w for w in words if w != "JF"] for name, words in audit.english.items()}
    assert not any(english.values()), f"English where kiosk and phone users read: {english}"
