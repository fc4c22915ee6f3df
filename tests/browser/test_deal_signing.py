"""Signing a deal's 劳务协议 on the hall's touchscreen, in a real Chromium: a deal whose price
both sides confirmed (through the services), the signing page at 1080×1920 portrait and
1920×1080 landscape, both signatures drawn with a finger (touch events only), one cleared and
drawn again, sent; the page then shows the signed agreement, its signatures and the verdict.
The A4 agreement prints as exactly two A4 pages, and its check page reads well on a phone.
Screenshots in test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from app.domain.deals import DealStatus
from app.extensions import db
from app.models import Deal, Role
from tests.deal_steps import deal_at
from tests.factories import staff_user, worker

from .staff_helpers import draw, expect_images_shown, printed_pages, sign_again, sign_in, sign_pads

SIDES = ("employer", "worker")


def a_deal(app, state: DealStatus) -> int:
    with app.app_context():
        return deal_at(state, staff_user("xiaoli", Role.STAFF), person=worker(name="李小四"),
                       description="搬运建材上三楼，包午饭，日结").id


def signed(page, field: str):
    return page.locator(f'input[name="{field}"]')


@pytest.mark.parametrize("width, height, name", [(1080, 1920, "portrait"), (1920, 1080, "landscape")])
def test_both_sides_sign_with_a_finger(live_app, live_server, page_at, shot, width, height, name):
    deal_id = a_deal(live_app, DealStatus.PRICED)
    page = page_at(width, height)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/deals/{deal_id}/agreement")
    expect(page.locator("h1")).to_contain_text("劳务协议")
    expect(page.locator("#doc-worker")).to_have_text("李小四")
    expect(page.locator("#doc-pay")).to_have_text("200 元/天")
    expect(page.locator("#signer_worker")).to_have_value("李小四")
    expect(page.locator("#signer_employer")).to_have_value("王老板")
    shot(page, f"deal-signing-{name}-agreement")

    sign_pads(page, [f"signature_{side}" for side in SIDES])
    sign_again(page, "signature_worker")  # the worker's first try is cleared and written again
    shot(page, f"deal-signing-{name}-signed")

    page.get_by_role("button", name=re.compile("签订劳务协议")).tap()
    page.wait_for_url(f"{live_server}/staff/deals/{deal_id}/agreement")
    expect(page.locator(".saved")).to_contain_text("已签订劳务协议")
    expect(page.locator("#verdict")).to_contain_text("协议真实有效，内容未被改动")
    expect_images_shown(page.locator("#agreement-signatures img"), 2)
    expect(page.locator("#agreement-slips")).to_contain_text("劳务协议凭条")
    with live_app.app_context():
        assert db.session.get(Deal, deal_id).status == DealStatus.SIGNED
    shot(page, f"deal-agreement-signed-{name}")


def test_an_empty_pad_is_shown_beside_it_and_the_drawn_one_stays(live_app, live_server, page_at, shot):
    deal_id = a_deal(live_app, DealStatus.PRICED)
    page = page_at(1080, 1920)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/deals/{deal_id}/agreement")
    draw(page, "signature_employer")
    page.get_by_role("button", name=re.compile("签订劳务协议")).tap()
    expect(page.locator("#signature_worker-error")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("零工")
    expect(signed(page, "signature_employer")).to_have_value(re.compile(r"^data:image/png;base64,"))
    expect(page.locator("#signature_employer-pad .sig-state")).to_have_text("已签名")
    page.locator("#signature_worker").scroll_into_view_if_needed()
    shot(page, "deal-signing-refused-portrait")


def test_the_a4_agreement_prints_as_two_pages_and_its_qr_page_reads_on_a_phone(live_app, live_server, page_at,
                                                                              shot):
    deal_id = a_deal(live_app, DealStatus.SIGNED)
    page = page_at(1366, 768)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/deals/{deal_id}/agreement/print")
    expect(page.locator(".sheet")).to_have_count(2)
    expect(page.locator(".sheet svg.qr")).to_have_count(2)
    expect_images_shown(page.locator(".doc-signature img"), 4)
    shot(page, "deal-agreement-a4-screen")
    assert printed_pages(page, "deal-agreement-a4") == 2
    from .conftest import SCREENSHOT_DIR

    page.emulate_media(media="print")  # the two sheets as printed, for a person to look at
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=SCREENSHOT_DIR / "deal-agreement-a4-print.png", full_page=True)

    with live_app.app_context():
        token = db.session.get(Deal, deal_id).verify_token
    phone = page_at(390, 844)
    phone.goto(f"{live_server}/v/{token}")
    expect(phone.locator("#verdict")).to_contain_text("协议真实有效，内容未被改动")
    expect(phone.locator("#doc-worker")).to_have_text("李**")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    shot(phone, "deal-agreement-check-phone")
    phone.screenshot(path=SCREENSHOT_DIR / "deal-agreement-check-phone-full.png", full_page=True)

    with live_app.app_context():  # the pay altered in the database afterwards
        db.session.execute(update(Deal).where(Deal.id == deal_id).values(pay="300.00"))
        db.session.commit()
    phone.reload()
    expect(phone.locator("#verdict")).to_contain_text("该协议未通过核验")
    expect(phone.locator(".deal-doc")).to_have_count(0)
    shot(phone, "deal-agreement-check-altered-phone")
