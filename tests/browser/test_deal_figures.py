"""招工与交易统计 in a real Chromium, as staff read it at 1366×768 and 1920×1080: the headline
figures first, the tables no wider than the screen, the page passing the accessibility audit.
Deals are walked through the services this month (the real clock: browser tests do not
freeze it)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from app.domain.deals import DealStatus
from app.models import Role
from tests.deal_steps import deal_at
from tests.factories import posting, staff_user

from .conftest import shot
from .staff_helpers import sign_in
from .test_rating_figures import accessible

SCREENS = [(1366, 768), (1920, 1080)]


def seed(app) -> None:
    with app.app_context():
        user = staff_user("xiaoli", Role.STAFF)
        porters = posting(trade_code="porter", headcount=5, pay=Decimal("220"))
        for state in (DealStatus.COMPLETED, DealStatus.COMPLETED, DealStatus.SIGNED, DealStatus.CANCELLED):
            deal_at(state, user, task=porters)
        deal_at(DealStatus.SETTLED, user, trade_code="cleaner", headcount=2, pay=Decimal("150.50"))
        deal_at(DealStatus.PRICED, user, trade_code="mason", headcount=3, pay=Decimal("300"))
        posting(trade_code="snack", headcount=4)  # nobody yet: about to expire (valid to tomorrow)


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_staff_read_the_deal_figures(page_at, live_server, live_app, size):
    seed(live_app)
    page = page_at(*size, bypass_csp=True)
    sign_in(page, live_server)
    page.get_by_role("link", name="招工与交易统计").click()
    expect(page.locator("h1")).to_contain_text("招工与交易统计")
    expect(page.locator("#figures-postings")).to_have_text("4 条")
    expect(page.locator("#figures-deals")).to_have_text("6 ／ 2 ／ 1 笔")
    expect(page.locator("#figures-wages")).to_have_text("600 元")  # three settled, 200.00 each (deal_steps)
    expect(page.locator("#figures-fill-rate")).to_have_text("35.7%")  # (3 + 1 + 1) of (5 + 2 + 3 + 4)
    expect(page.locator("#figures-expiring")).to_contain_text("沙县小吃")
    assert page.locator("#figures-postings").bounding_box()["y"] < size[1], "the headline is on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than the screen"
    expect(page.locator("#figures-by-trade tr[data-trade=porter]")).to_contain_text("220")
    name = f"deal-figures-{size[0]}x{size[1]}"
    shot(page, f"{name}-top")
    page.evaluate("document.getElementById('figures-by-trade').scrollIntoView({block: 'start'})")
    shot(page, f"{name}-trades")
    page.evaluate("document.getElementById('figures-by-day').scrollIntoView({block: 'start'})")
    shot(page, f"{name}-days")
    accessible(page)
    # a run of days: today alone, then one ending before it begins
    today = page.locator("#to").input_value()
    page.locator("#from").fill(today)
    page.get_by_role("button", name="按日期查看").click()
    expect(page.locator("h1")).to_contain_text("至")
    expect(page.locator("#figures-postings")).to_have_text("4 条")
    page.locator("#from").fill("2026-12-31")
    page.get_by_role("button", name="按日期查看").click()
    expect(page.locator("#to-error, #from-error")).to_be_visible()
    shot(page, f"{name}-wrong-days")
