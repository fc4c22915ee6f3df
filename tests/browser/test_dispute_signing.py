"""Signing a mediation agreement on the hall's touchscreen, in a real Chromium: a case in 调解中
(through the services), the signing page at 1080×1920 portrait and 1920×1080 landscape, the
terms tapped and typed, each of the three signatures drawn with a finger (touch events only),
one cleared and drawn again, sent; the case's page then shows the three signatures. The A4
agreement prints as three A4 pages. Screenshots in test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from app.models import Role
from tests.dispute_steps import mediating_case
from tests.factories import staff_user

from .staff_helpers import draw, expect_images_shown, printed_pages, sign_again, sign_in, sign_pads

PARTIES = ("applicant", "respondent", "mediator")


def a_mediating_case(app) -> int:
    with app.app_context():
        return mediating_case(staff_user("xiaoli", Role.STAFF)).id


def signed(page, field: str):
    return page.locator(f'input[name="{field}"]')


@pytest.mark.parametrize("width, height, name", [(1080, 1920, "portrait"), (1920, 1080, "landscape")])
def test_both_parties_and_the_mediator_sign_with_a_finger(live_app, live_server, page_at, shot, width, height,
                                                         name):
    case_id = a_mediating_case(live_app)
    page = page_at(width, height)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/disputes/{case_id}")
    page.locator("#agreement-sign").tap()
    expect(page.locator("h1")).to_contain_text("签订调解协议")
    expect(page.locator("#signer_applicant")).to_have_value("李四")
    expect(page.locator("#signer_respondent")).to_have_value("王老板")
    expect(page.locator("#signer_mediator")).to_have_value("小李")

    page.get_by_role("button", name=re.compile("按申请金额")).tap()
    expect(page.locator("#amount")).to_have_value("1200")
    page.get_by_role("button", name=re.compile("^7天内")).tap()
    page.locator('label.method-tile:has(input[value="wechat"])').tap()
    expect(page.locator('input[name="method"][value="wechat"]')).to_be_checked()
    page.locator("#terms").fill("王老板于期限前通过微信一次性支付李四工钱 1200 元，双方就此再无争议。")
    shot(page, f"dispute-signing-{name}-terms")

    sign_pads(page, [f"signature_{party}" for party in PARTIES])
    sign_again(page, "signature_mediator")  # the mediator's first try is cleared and written again
    page.locator("#signature_applicant").scroll_into_view_if_needed()
    shot(page, f"dispute-signing-{name}-signed")

    page.get_by_role("button", name=re.compile("确认签订调解协议")).tap()
    page.wait_for_url(f"{live_server}/staff/disputes/{case_id}")
    expect(page.locator(".saved")).to_contain_text("已签订调解协议")
    expect_images_shown(page.locator("#agreement-signatures img"), 3)  # each drawing arrived
    expect(page.locator("#agreement-signatures")).to_contain_text("王老板")
    page.locator("#agreement-panel").scroll_into_view_if_needed()
    shot(page, f"dispute-agreement-panel-{name}")


def test_an_empty_pad_is_shown_beside_it_and_the_drawn_ones_stay(live_app, live_server, page_at, shot):
    case_id = a_mediating_case(live_app)
    page = page_at(1080, 1920)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/disputes/{case_id}/agreement")
    page.get_by_role("button", name=re.compile("^7天内")).tap()
    page.locator("#terms").fill("双方同意解除约定，互不追究。")
    draw(page, "signature_applicant")
    draw(page, "signature_respondent")
    page.get_by_role("button", name=re.compile("确认签订调解协议")).tap()
    expect(page.locator("#signature_mediator-error")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("调解员")
    # the parties' signatures came back and are drawn again on their pads
    expect(signed(page, "signature_applicant")).to_have_value(re.compile(r"^data:image/png;base64,"))
    expect(page.locator("#signature_applicant-pad .sig-state")).to_have_text("已签名")
    inked = page.locator("#signature_applicant").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)")
    assert inked
    shot(page, "dispute-signing-refused-portrait")


def test_the_a4_agreement_prints_as_three_pages(live_app, live_server, page_at, shot):
    from tests.dispute_steps import agreed_case

    with live_app.app_context():
        case_id = agreed_case(staff_user("xiaoli", Role.STAFF)).id
    page = page_at(1366, 768)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/disputes/{case_id}/agreement/print")
    expect(page.locator(".sheet")).to_have_count(3)
    expect_images_shown(page.locator(".doc-signature img"), 9)
    shot(page, "dispute-agreement-a4-screen")
    assert printed_pages(page, "dispute-agreement-a4") == 3
