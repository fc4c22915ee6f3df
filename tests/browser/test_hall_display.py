"""The hall display in a real Chromium: it speaks each call, uses its whole screen at every
size, and its clock (and the kiosk's) shows the hall's time from the server.

Speech: the server renders each call with espeak-ng; where espeak-ng is missing these tests
skip, except on CI (CI=true), where that is a failure (tests/speech.py).
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from app.clock import local_today
from app.domain.trades import DEFAULT_TRADES
from app.models import TaskStatus
from app.services import queue
from tests import factories
from tests.speech import require_espeak_ng

from .conftest import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, shot
from .staff_helpers import add_staff, staff_console

FAST_DISPLAY = {"DISPLAY_REFRESH_SECONDS": 1}
LANDSCAPE = (1920, 1080)


def open_display(page, base_url, unlock=False):
    page.goto(f"{base_url}/display/")
    expect(page.locator("#display-board")).to_be_visible()
    page.wait_for_function("() => window.htmx && htmx.version")
    if unlock:  # one tap, as the hall's operator does after starting the display
        page.get_by_role("button", name="点击屏幕开启声音").tap()
        expect(page.locator("#sound-unlock")).to_be_hidden()


def ticket_waiting(app, service="hire"):
    with app.app_context():
        return factories.ticket(service).number


def call(app, staff_id, window):
    with app.app_context():
        return queue.call_next(local_today(), window, staff_id).number


# ---- 1. the display speaks ----------------------------------------------------------------

def is_announcement(number, window):
    return lambda r: r.url.split("?")[0].endswith(f"/display/announcement/{number}/{window}.wav")


@pytest.mark.parametrize("app_overrides", [FAST_DISPLAY])
def test_a_call_and_a_recall_are_spoken_from_the_server(page_at, live_server, live_app):
    require_espeak_ng()
    add_staff(live_app)
    ticket_waiting(live_app)
    display = page_at(*LANDSCAPE)
    open_display(display, live_server)
    # Sound starts locked (no kiosk autoplay flag here): the display says so, one tap unlocks it.
    badge = display.locator("#sound-state")
    expect(badge).to_have_text("🔇 声音未开启")
    unlock = display.get_by_role("button", name="点击屏幕开启声音")
    expect(unlock).to_be_visible()
    shot(display, "display-sound-locked")
    unlock.tap()
    expect(unlock).to_be_hidden()
    expect(badge).to_have_text("🔊 语音叫号已开启")

    staff = page_at(1366, 768)
    staff_console(staff, live_server, window=3)
    with display.expect_response(is_announcement("A001", 3), timeout=6_000) as spoken:
        staff.get_by_role("button", name="叫下一位").click()
    response = spoken.value
    assert response.status == 200
    assert response.headers["content-type"] == "audio/wav"
    wav = response.body()
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE", wav[:16]
    assert len(wav) > 50_000, f"the spoken call is only {len(wav)} bytes"
    expect(display.locator("body")).to_have_attribute(
        "data-last-spoken", "请 A 零零一 号，到 三 号窗口办理。")
    expect(display.locator("body")).to_have_attribute("data-spoken-count", "1")
    expect(display.locator(".called-card.newest .called-number")).to_have_text("A001")

    # A recall is announced again, after the first call has been said (about 5 s); the
    # browser may answer the second fetch from its cache.
    staff.get_by_role("button", name="重呼").click()
    expect(display.locator("body")).to_have_attribute("data-spoken-count", "2", timeout=12_000)
    expect(badge).to_have_text("🔊 语音叫号已开启")


@pytest.mark.parametrize("app_overrides", [{**FAST_DISPLAY, "DISPLAY_SPEECH_PROGRAM": ""}])
def test_without_speech_on_the_server_the_display_says_it_only_chimes(page_at, live_server, live_app):
    """Headless Chromium has no Chinese voice either: chime only, and the badge says so."""
    staff_id = add_staff(live_app)
    ticket_waiting(live_app)
    display = page_at(*LANDSCAPE)
    requests = []
    display.on("request", lambda r: requests.append(r.url))
    open_display(display, live_server)
    display.get_by_role("button", name="点击屏幕开启声音").tap()
    expect(display.locator("#sound-state")).to_have_text("🔔 仅提示音：没有中文语音")
    assert call(live_app, staff_id, 1) == "A001"
    expect(display.locator("body")).to_have_attribute(
        "data-last-announced", "请 A 零零一 号，到 一 号窗口办理。", timeout=4_000)
    assert not [url for url in requests if "/display/announcement/" in url]
    shot(display, "display-chime-only")


# ---- 2. the display uses its screen ---------------------------------------------------------

# Nine windows, each serving 招工, all calling; twelve postings (three pages), some far away.
NINE_WINDOWS = {number: ["hire", "consult", "other"] if number == 9 else ["hire"]
                for number in range(1, 10)}
PLACES = ["凤岗街道水南村", "虬江街道城北路88号沙县小吃文化城东侧停车场", "夏茂镇俞邦村",
          "高砂镇沙县小吃产业园3号厂房", "富口镇", "青州镇涌溪村", "凤岗街道东门社区",
          "南阳乡大基口村", "湖源乡", "郑湖乡", "大洛镇", "凤岗街道府前社区"]


def seed_busy_hall(app, windows=range(1, 10)):
    staff_id = add_staff(app)
    with app.app_context():
        today = local_today()
        trades = [t.code for t in DEFAULT_TRADES]
        for i, place in enumerate(PLACES):
            factories.task_order(trade_code=trades[i % len(trades)], headcount=i + 1,
                                 pay=Decimal(1800 + 10 * i), location=place,
                                 work_date=today + timedelta(days=1 + i % 3),
                                 status=TaskStatus.PUBLISHED)
        for _ in windows:
            factories.ticket("hire")
        called = [queue.call_next(today, window, staff_id).number for window in windows]
    return called


FIT_JS = """() => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const inside = (inner, outer) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5
                                   && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
  const clipped = el => el.scrollWidth > el.clientWidth + 1;
  const d = document.documentElement;
  const view = {top: 0, left: 0, right: innerWidth, bottom: innerHeight};
  return {
    scroll: [d.scrollWidth, d.scrollHeight], view: [innerWidth, innerHeight],
    cards: [...document.querySelectorAll('.called-card')].map(card => ({
      number: card.querySelector('.called-number').textContent,
      onScreen: inside(box(card), view),
      inGrid: inside(box(card), box(document.querySelector('.called-grid'))),
      textInside: [...card.querySelectorAll('.called-number, .called-window')]
                    .every(t => inside(box(t), box(card))),
      numberPx: parseFloat(getComputedStyle(card.querySelector('.called-number')).fontSize)})),
    postings: [...document.querySelectorAll('.postings-roll .posting')].map(p => ({
      text: p.textContent.trim().replace(/\\s+/g, ' '),
      onScreen: inside(box(p), view),
      whatClipped: clipped(p.querySelector('.posting-what')),
      refInside: inside(box(p.querySelector('.posting-ref')), box(p)),
      px: parseFloat(getComputedStyle(p.querySelector('.posting-what')).fontSize)})),
    regions: ['.display-header', '.called-now', '.display-side', '.postings', '.apply-at']
      .map(sel => [sel, inside(box(document.querySelector(sel)), view)]),
    sideClipped: [...document.querySelectorAll('.recent-list li, .waiting-list li')]
      .filter(li => !inside(box(li), box(document.querySelector('.display-side')))).length,
  };
}"""

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080), "1080x1920-portrait": (1080, 1920)}


@pytest.mark.parametrize("app_overrides", [{**FAST_DISPLAY, "HALL_WINDOWS": NINE_WINDOWS}])
@pytest.mark.parametrize("size", list(SIZES))
def test_nine_calls_and_a_page_of_postings_fit_the_screen(page_at, live_server, live_app, size):
    called = seed_busy_hall(live_app)
    assert called == [f"A{n:03d}" for n in range(1, 10)]
    w, h = SIZES[size]
    display = page_at(w, h)
    open_display(display, live_server, unlock=True)
    expect(display.locator(".called-card")).to_have_count(9)
    expect(display.locator(".called-card.newest .called-number")).to_have_text("A009")
    expect(display.locator(".postings-roll .posting")).to_have_count(4)  # a page of four
    expect(display.locator(".postings-page")).to_contain_text("/3 页")
    expect(display.locator(".apply-at")).to_have_text(
        "报名：到触屏“我要找活 → 找工作”，或到 1、2、3、4、5、6、7、8、9 号窗口说出招工编号")
    display.wait_for_timeout(1_300)  # one refresh: the polled board must fit as well
    fit = display.evaluate(FIT_JS)
    shot(display, f"display-busy-{size}")

    assert fit["view"] == [w, h]
    assert fit["scroll"] == [w, h], f"the page scrolls: {fit['scroll']} on a {w}x{h} screen"
    for region, ok in fit["regions"]:
        assert ok, f"{region} is not fully on the {w}x{h} screen"
    for card in fit["cards"]:
        assert card["onScreen"] and card["inGrid"], f"card {card['number']} is cut off: {card}"
        assert card["textInside"], f"card {card['number']}: its number or window overflows"
        assert card["numberPx"] >= 0.06 * min(w, h), card  # 46px at 768: readable across the hall
    assert len(fit["postings"]) == 4
    for posting in fit["postings"]:
        assert posting["onScreen"], f"posting cut off: {posting}"
        assert not posting["whatClipped"], f"trade, headcount or pay clipped: {posting}"
        assert posting["refInside"], posting
        assert posting["px"] >= 0.035 * min(w, h), posting
        assert "编号" in posting["text"], posting
    assert fit["sideClipped"] == 0, "recent calls or waiting counts run out of their panel"


@pytest.mark.parametrize("app_overrides", [FAST_DISPLAY])
@pytest.mark.parametrize("size", list(SIZES))
def test_three_calls_at_every_size(page_at, live_server, live_app, size):
    """The everyday hall (three windows): the screenshots the operator guide describes."""
    seed_busy_hall(live_app, windows=(1, 2, 3))
    display = page_at(*SIZES[size])
    open_display(display, live_server, unlock=True)
    expect(display.locator(".called-card")).to_have_count(3)
    fit = display.evaluate(FIT_JS)
    shot(display, f"display-three-calls-{size}")
    assert fit["scroll"] == list(SIZES[size])
    assert all(c["onScreen"] and c["textInside"] for c in fit["cards"]), fit["cards"]
    assert all(p["onScreen"] and not p["whatClipped"] for p in fit["postings"]), fit["postings"]


# ---- 3. the clocks show the hall's time, from the server --------------------------------------

HALL = ZoneInfo("Asia/Shanghai")


def new_york_page(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True,
                                  locale="zh-CN", timezone_id="America/New_York")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context, context.new_page()


def test_clocks_show_the_halls_time_from_the_server_not_the_terminals(browser, live_server):
    # The server's clock says 14:05 on Tuesday 1 December in the hall; the terminal's own
    # clock says something else (the real date) and its zone is New York.
    moment = datetime(2026, 12, 1, 14, 5, 10, tzinfo=HALL)
    with time_machine.travel(moment.astimezone(UTC), tick=True):
        context, page = new_york_page(browser, *LANDSCAPE)
        try:
            assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
            open_display(page, live_server)
            expect(page.locator(".display-clock")).to_have_text("12月1日 星期二 14:05")
            page.goto(f"{live_server}/kiosk/")
            expect(page.locator(".kiosk-clock")).to_have_text("12月1日 14:05")
            shot(page, "kiosk-clock-new-york-terminal")
        finally:
            context.close()


# ---- 4. the kiosk browser's autoplay flag: sound on from the start ----------------------------

def test_with_the_kiosk_autoplay_flag_sound_is_on_without_a_tap(browser, live_server):
    """The display PC's documented command line has --autoplay-policy=no-user-gesture-required:
    no overlay, and the badge says sound is on."""
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    kiosk = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"])
    try:
        page = kiosk.new_page(viewport={"width": LANDSCAPE[0], "height": LANDSCAPE[1]})
        open_display(page, live_server)
        expect(page.locator("body")).not_to_have_attribute("data-sound", "off")
        expect(page.locator("#sound-unlock")).to_be_hidden()
        expect(page.locator("#sound-state")).not_to_have_text("🔇 声音未开启")
    finally:
        kiosk.close()
