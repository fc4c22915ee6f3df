"""The score page's postings and deals items in a real Chromium, on a demo year (scale 0.1):
A1's live checklist, C4 with its warnings, G3 with the suggestions awaiting staff, and their
lists, at 1366×768 and 1920×1080 (nothing wider than the screen, axe-core clean)."""

import pytest
from playwright.sync_api import expect

from .conftest import shot
from .staff_helpers import sign_in
from .test_score_page import SCREENS, accessible, no_sideways_scroll


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_deals_items_on_a_demo_year(page_at, live_server, live_app, size):
    loaded = live_app.test_cli_runner().invoke(
        args=["demo-data", "--seed", "3", "--scale", "0.1", "--password", "correct-horse-1"])
    assert loaded.exit_code == 0, loaded.output
    page = page_at(*size, bypass_csp=True)
    sign_in(page, live_server, username="demo-manager")
    page.goto(f"{live_server}/admin/score")
    a1 = page.locator("#item-A1")
    expect(a1).to_contain_text("双方签订电子合同（含保险）：电子协议已签")
    expect(a1).to_contain_text("接包方接任务订单：接单")
    a1.scroll_into_view_if_needed()
    shot(page, f"score-deals-a1-{size[0]}x{size[1]}")
    c4 = page.locator("#item-C4")
    expect(c4).to_contain_text("本期：3 条")
    expect(c4.locator(".score-warning")).to_have_count(2)
    expect(c4).to_contain_text("到期仍未招满、未下架")
    c4.scroll_into_view_if_needed()
    no_sideways_scroll(page)
    shot(page, f"score-deals-c2-c4-{size[0]}x{size[1]}")
    g3 = page.locator("#item-G3")
    expect(g3).to_contain_text("待确认的省际用工建议 3 笔")
    g3.scroll_into_view_if_needed()
    shot(page, f"score-deals-g-{size[0]}x{size[1]}")
    accessible(page)

    g3.get_by_role("link", name="待确认的省际用工建议 3 笔（工作人员在交易页确认后计入）").click()
    expect(page.locator("#score-records tbody tr")).to_have_count(3)
    expect(page.locator("#score-records")).to_contain_text("零工身份证号所属省份非福建")
    expect(page.locator("#score-records-count")).to_contain_text("共 3 笔")
    no_sideways_scroll(page)
    shot(page, f"score-deals-g3-suggested-{size[0]}x{size[1]}")
    accessible(page)
    page.goto(f"{live_server}/admin/score/1/items/C4")
    expect(page.locator("#score-records tbody tr")).to_have_count(3)
    shot(page, f"score-deals-c4-records-{size[0]}x{size[1]}")
    page.goto(f"{live_server}/admin/score/1/items/C3")
    expect(page.locator("#score-records-count")).to_contain_text("完成交易：共")
    no_sideways_scroll(page)
    shot(page, f"score-deals-c3-records-{size[0]}x{size[1]}")
    accessible(page)
