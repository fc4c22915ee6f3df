"""找工作 in a real Chromium, by touch only: at the portrait kiosk a worker goes 我要找活 →
找工作, filters by a trade, taps 我要报名, types their ID number and the phone's last 4 on the
keypad, accepts the pay and gets the deal number. The board fits the screen without
scrolling (portrait, and the landscape second screen). Screenshots of every step."""

import re
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from app.crypto import vault
from app.domain.deals import Side
from app.extensions import db
from app.models import Deal
from tests.factories import hall_today, make_id, posting, worker

from .conftest import shot
from .kiosk_helpers import keypad_type, panel_done, tap

LAST4 = "4321"


def on_screen(page, selector: str) -> bool:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }""",
                         selector)


def make_board(app) -> tuple[int, str]:
    today = hall_today()
    with app.app_context():
        for n in range(1, 6):
            posting(trade_code="porter", work_date=today + timedelta(days=n), location=f"凤岗街道水南村{n}号仓库",
                    description="卸水泥，包午饭", requirements="能搬50斤")
        mason = posting(trade_code="mason", work_date=today + timedelta(days=2), pay=Decimal("280.00"),
                        location="城南工业园三期工地", description="砌围墙", requirements="有砌砖经验", headcount=2)
        person = worker(id_number=make_id("19850315", seq="517"), phone=f"1380000{LAST4}", trades=["mason"])
        return mason.id, vault().decrypt(person.id_cipher)


def test_a_worker_finds_a_job_on_the_board_and_applies_by_touch(page_at, live_server, live_app):
    mason_id, id_number = make_board(live_app)
    page = page_at(1080, 1920)
    page.goto(f"{live_server}/kiosk/")
    tap(page, page.get_by_role("link", name="我要找活"))
    expect(page.locator(".step-worker-menu")).to_be_visible()
    shot(page, "jobs-portrait-1-menu")
    tap(page, page.get_by_role("link", name="找工作"))
    page.wait_for_url("**/kiosk/jobs")
    expect(page.locator(".posting-card")).to_have_count(4)
    shot(page, "jobs-portrait-2-board")
    assert on_screen(page, ".posting-card:nth-child(4)") and on_screen(page, "#page-next")  # no scrolling

    tap(page, page.locator(".trade-chips a", has_text="泥瓦工"))
    page.wait_for_url("**/kiosk/jobs?trade=mason")
    card = page.locator(f"#posting-{mason_id}")
    expect(page.locator(".posting-card")).to_have_count(1)
    expect(card).to_contain_text("还差 2 人")
    expect(card).to_contain_text("280 元/天")
    shot(page, "jobs-portrait-3-filtered")

    tap(page, card.get_by_role("link", name="我要报名"))
    page.wait_for_url(f"**/kiosk/jobs/{mason_id}/apply")
    shot(page, "jobs-portrait-4-apply")
    keypad_type(page, "id_number", id_number)
    panel_done(page)
    keypad_type(page, "phone_last4", LAST4)
    panel_done(page)
    shot(page, "jobs-portrait-5-typed")
    tap(page, page.get_by_role("button", name="下一步"))
    expect(page.locator(".step-job-review")).to_be_visible()
    expect(page.locator("#recognised-name")).to_have_text("张*")
    expect(page.locator("#review-pay")).to_have_text("280 元/天")
    shot(page, "jobs-portrait-6-review")

    tap(page, page.get_by_role("button", name="接受工价，确认报名"))
    expect(page.locator(".step-job-done")).to_be_visible()
    with live_app.app_context():
        deal = db.session.scalars(select(Deal)).one()
        assert deal.task_order_id == mason_id and deal.price_confirmed_by(Side.WORKER)
        number = deal.number
    expect(page.locator("#deal-number")).to_have_text(number)
    expect(page.locator("#next-step")).to_contain_text("签订劳务协议")
    shot(page, "jobs-portrait-7-done")


def test_the_second_screen_shows_the_board_in_landscape(page_at, live_server, live_app):
    make_board(live_app)
    page = page_at(1920, 1080)
    page.goto(f"{live_server}/kiosk/board")
    expect(page.locator(".posting-card")).to_have_count(4)
    shot(page, "jobs-landscape-second-screen")
    assert on_screen(page, ".posting-card:nth-child(4)") and on_screen(page, "#page-next")
    tap(page, page.locator("#page-next"))
    expect(page.locator(".posting-card")).to_have_count(2)
    expect(page.locator(".apply-button").first).to_have_attribute("href", re.compile(r"screen=board"))
