"""Item B7 (satisfaction) on the score page in a real Chromium: the row with the rate, the
refused presses and the slips' share at 1366×768 and 1920×1080, and the list of ratings
behind the rate (nothing wider than the screen, axe finds nothing serious)."""

import pytest
from playwright.sync_api import expect

from app.services.ratings import StuffingRefused
from tests import factories

from .conftest import shot
from .staff_helpers import sign_in
from .test_score_page import SCREENS, accessible, no_sideways_scroll, seed


def rate(app) -> None:
    """Fourteen satisfied of fifteen, one from a slip, a bad one with reasons and a phone,
    and three presses refused."""
    with app.app_context():
        for level in (1,) * 7 + (2,) * 5 + (3,):
            factories.rating(level=level)
        factories.rating(level=2, slip=factories.worker())
        factories.rating(level=5, reasons=["waited", "false_info"], phone="13800002468", address="10.7.7.7")
        for _ in range(3):
            with pytest.raises(StuffingRefused):
                factories.rating(level=1, address="10.7.7.7")


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_b7_row_and_the_ratings_behind_it(page_at, live_server, live_app, size):
    seed(live_app)
    rate(live_app)
    page = page_at(*size, bypass_csp=True)  # the audit injects axe-core
    sign_in(page, live_server, username="boss")
    page.goto(f"{live_server}/admin/score")
    row = page.locator("#item-B7")
    row.scroll_into_view_if_needed()
    expect(row).to_contain_text("满意度 93.3%（满意 14 / 全部 15）")
    expect(row).to_contain_text("被拒绝的重复评价 3 次")
    expect(row).to_contain_text("凭条扫码评价 1 条，占 6.7%")
    expect(row.locator(".score-points")).to_have_text("5")
    no_sideways_scroll(page)
    shot(page, f"score-b7-row-{size[0]}x{size[1]}")

    row.get_by_role("link", name="查看记录").click()
    expect(page.locator("#score-records-count")).to_contain_text("满意度评价：共 15 条")
    expect(page.locator("#score-records tbody tr")).to_have_count(15)
    expect(page.locator("#score-records")).not_to_contain_text("2468")
    no_sideways_scroll(page)
    shot(page, f"score-b7-records-{size[0]}x{size[1]}")
    accessible(page)
    page.get_by_role("link", name="被拒绝的重复评价").click()
    expect(page.locator("#score-records-count")).to_contain_text("共 3 次")
    shot(page, f"score-b7-refused-{size[0]}x{size[1]}")
    accessible(page)
