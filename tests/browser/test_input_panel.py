"""The kiosk's on-screen input panel, by touch only: a whole registration and an enterprise
check-in typed on it (with the number of taps each took, in test-artifacts/tap-counts.txt),
the first tap on 下一步 while the panel is open, the panel's modes at both screen sizes.

The handwriting parts need libzinnia0 and its model: without them they are skipped (the
pad must then say it is unavailable), except on CI (CI=true), where that is a failure.
"""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.services import handwriting

from .conftest import shot
from .kiosk_helpers import (
    PANEL,
    alnum_type,
    expect_value,
    fill_checkin_form,
    handwrite,
    keypad_type,
    open_field,
    panel_done,
    pinyin_text,
    record_taps,
    tap,
    tap_counts_file,
    tap_tile,
    taps,
)

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
ORIENTATIONS = pytest.mark.parametrize("orientation", list(SIZES))
STROKES = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "handwriting_strokes.json")
                     .read_text(encoding="utf-8"))["characters"]
UNAVAILABLE = "手写识别暂不可用，请用拼音输入"
ID_NUMBER, PHONE = "34052419800101001X", "13812345678"
USCC = "91110000600037341L"  # a valid 统一社会信用代码 (its check character is L)
MIN_KEY_PX, MIN_TEXT_PX = 72, 28


@pytest.fixture(scope="module", autouse=True)
def fresh_tap_counts():
    """test-artifacts/tap-counts.txt holds this run's counts only."""
    tap_counts_file().unlink(missing_ok=True)


def recogniser_or_skip():
    if handwriting.available():
        return
    message = "libzinnia0 or its model is not installed: handwriting in the browser not tested"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but " + message, pytrace=False)
    pytest.skip(message)


def post_by_tap(page, button_name, path):
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith(path)
    ) as response:
        tap(page, page.get_by_role("button", name=button_name))
    return response.value.status


# ---- whole forms, counting taps ----------------------------------------------------------

def test_a_worker_registers_by_touch_alone(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/")
    tap(page, page.get_by_role("link", name="我要找活"))
    tap(page, page.get_by_role("link", name="零工登记"))
    tap(page, page.get_by_role("link", name="我已阅读并同意"))
    page.wait_for_url("**/kiosk/register?consent=1")
    expect(page.locator(".step-form")).to_be_visible()

    pinyin_text(page, "name", [("zhang", "张"), ("san", "三")])
    keypad_type(page, "id_number", ID_NUMBER)
    expect(page.locator("#id_number")).to_have_value("340524 19800101 001X")
    expect(page.locator(f"{PANEL} .panel-readout")).to_have_text("已输入 18/18 位")
    keypad_type(page, "phone", PHONE)
    expect(page.locator("#phone")).to_have_value("138 1234 5678")
    keypad_type(page, "expected_wage", "220")
    panel_done(page)
    tap_tile(page, "trades", "mason")

    assert post_by_tap(page, "下一步：核对信息", "/kiosk/register/review") == 200
    review = page.locator(".step-review .review")
    expect(review).to_contain_text("张三")
    expect(review).to_contain_text("**************001X")
    expect(review).to_contain_text("138****5678")
    assert post_by_tap(page, "确认登记", "/kiosk/register") == 200
    expect(page.locator(".step-done h1")).to_contain_text("登记成功")
    record_taps("worker registration (张三, ID, phone, wage 220, one trade), portrait", taps(page))


@ORIENTATIONS
def test_an_enterprise_checks_in_by_touch_alone(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    page.goto(f"{live_server}/kiosk/")
    tap(page, page.get_by_role("link", name="我要招工"))
    page.wait_for_url("**/kiosk/checkin")

    handwritten = None
    if handwriting.available():  # 大 by hand; else typed (the pad's own test reports why)
        handwritten, rest = (STROKES["大"], "大"), [("di", "地")]
    else:
        rest = [("da", "大"), ("di", "地")]
    employer = {"name": [("shaxian", "沙县")], "handwritten": handwritten,
                "name_rest": [*rest, ("jianzhu", "建筑"), ("youxian", "有限"), ("gongsi", "公司")],
                "uscc": USCC}

    def snap(step):
        shot(page, f"input-checkin-{orientation}-{step}")

    fill_checkin_form(page, phone=PHONE, contact=[("li", "李"), ("ming", "明")], employer=employer,
                      location=[("jinsha", "金沙"), ("lu", "路")], phrases=("日结",), snap=snap)

    assert post_by_tap(page, "下一步：核对信息", "/kiosk/checkin/review") == 200
    review = page.locator(".step-review .review")
    for text in ("李*", "138****5678", "搬运装卸 × 3 人", "金沙路"):
        expect(review).to_contain_text(text)
    assert post_by_tap(page, "确认取号", "/kiosk/checkin") == 200
    expect(page.locator(".step-done h1")).to_contain_text("取号成功")
    how = "one character handwritten" if handwritten else "no handwriting (recogniser missing)"
    record_taps(f"enterprise check-in (李明, 沙县大地建筑有限公司 with {how}, 统一社会信用代码, "
                f"porter × 3 at 200/day, 金沙路, one phrase), {orientation}", taps(page))


# ---- no tap lost to a moving layout ------------------------------------------------------

@ORIENTATIONS
@pytest.mark.parametrize("field", ["name", "id_number"])
def test_the_first_tap_on_next_while_the_panel_is_open_does_what_the_button_does(
        page_at, live_server, orientation, field):
    page = page_at(*SIZES[orientation])
    page.goto(f"{live_server}/kiosk/register?consent=1")
    open_field(page, field)
    tap(page, page.locator(f"{PANEL} [data-letter=w]:visible, {PANEL} [data-key='3']:visible"))
    # the person scrolls down to the button, the panel still open under it
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    button = page.get_by_role("button", name="下一步：核对信息")
    expect(button).to_be_in_viewport(ratio=1)
    before, panel = button.bounding_box(), page.locator(PANEL).bounding_box()
    assert before["y"] + before["height"] <= panel["y"] or before["x"] + before["width"] <= panel["x"], (
        f"the open panel {panel} covers the button {before}")

    # one tap: the form is sent (the panel closes on the way; nothing moves)
    status = post_by_tap(page, "下一步：核对信息", "/kiosk/register/review")
    assert status == 422  # sent, and answered: the form is not complete
    expect(page.locator(".field-error").first).to_be_visible()


@ORIENTATIONS
def test_closing_the_panel_moves_nothing(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    page.goto(f"{live_server}/kiosk/register?consent=1")
    keypad_type(page, "phone", "138")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    button = page.get_by_role("button", name="下一步：核对信息")
    where = button.bounding_box()
    panel_done(page)
    assert button.bounding_box() == where
    tap_tile(page, "trades", "porter")  # a tap elsewhere while the panel is closed: nothing moves either
    assert button.bounding_box() == where


# ---- the panel's modes -------------------------------------------------------------------

def visible_keys(page):
    return page.evaluate("""(panel) => Array.from(document.querySelectorAll(panel + ' button'))
      .filter(el => el.getClientRects().length)
      .map(el => ({text: el.innerText.trim(), height: el.getBoundingClientRect().height,
                   font: parseFloat(getComputedStyle(el).fontSize)}))""", PANEL)


def assert_big_keys(page, where):
    keys = visible_keys(page)
    assert keys, where
    small = [k for k in keys if k["height"] < MIN_KEY_PX or k["font"] < MIN_TEXT_PX]
    assert not small, f"{where}: keys under {MIN_KEY_PX}px or text under {MIN_TEXT_PX}px: {small}"


@ORIENTATIONS
def test_every_mode_of_the_panel(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    page.goto(f"{live_server}/kiosk/checkin")
    tap_tile(page, "employer_type", "enterprise")

    # pinyin in a name: surnames first for the first character, paging both ways
    open_field(page, "contact_name")
    # the panel is a labelled region inside <main>, not a nameless box outside it
    expect(page.get_by_role("main").get_by_role("region", name="屏幕键盘")).to_be_visible()
    for letter in "z":
        tap(page, page.locator(f'{PANEL} [data-letter="{letter}"]'))
    cands = page.locator(f"{PANEL} .cand-list .cand")
    expect(cands.first).to_have_text("张")
    assert cands.all_inner_texts()[:4] == ["张", "赵", "周", "朱"]
    first_page = cands.all_inner_texts()
    tap(page, page.locator(f'{PANEL} [data-act="next"]'))
    expect(cands.first).not_to_have_text("张")
    assert not set(cands.all_inner_texts()) & set(first_page)
    tap(page, page.locator(f'{PANEL} [data-act="prev"]'))
    expect(cands.first).to_have_text("张")
    assert_big_keys(page, f"{orientation} pinyin")
    expect(page.locator("#contact_name")).to_be_in_viewport(ratio=1)
    shot(page, f"input-panel-{orientation}-1-pinyin")
    panel_done(page)

    # a text field: words of several syllables, digits and symbols
    pinyin_text(page, "employer_name", [("shaxian", "沙县")])
    tap(page, page.locator(f'{PANEL} [data-mode="symbols"]'))
    for key in ("3", "号", "楼"):
        tap(page, page.locator(f'{PANEL} [data-body=symbols] [data-ins="{key}"]'))
    expect(page.locator("#employer_name")).to_have_value("沙县3号楼")
    assert_big_keys(page, f"{orientation} symbols")
    shot(page, f"input-panel-{orientation}-2-symbols")

    # handwriting
    tap(page, page.locator(f'{PANEL} [data-mode="hand"]'))
    if handwriting.available():
        handwrite(page, "employer_name", STROKES["王"], "王")
        expect(page.locator("#employer_name")).to_have_value("沙县3号楼王")
        cdp_strokes = STROKES["十"]
        handwrite(page, "employer_name", cdp_strokes, "十")
        # 重写 clears the pad and its candidates
        tap(page, page.locator(f'{PANEL} [data-act="rewrite"]'))
        expect(page.locator(f"{PANEL} .cand-list .cand")).to_have_count(0)
    else:
        expect(page.locator(f"{PANEL} .hand-unavailable")).to_have_text(UNAVAILABLE)
    assert_big_keys(page, f"{orientation} handwriting")
    shot(page, f"input-panel-{orientation}-3-handwriting")
    panel_done(page)

    # the letter keypad of the 统一社会信用代码: no I O Z S V
    open_field(page, "uscc")
    for letter in "IOZSV":
        expect(page.locator(f'{PANEL} [data-body=alnum] [data-ins="{letter}"]')).to_have_count(0)
    alnum_type(page, "uscc", USCC[:9])
    assert_big_keys(page, f"{orientation} letters")
    shot(page, f"input-panel-{orientation}-4-letters")
    panel_done(page)

    # digits, grouped: the phone number 3-4-4
    keypad_type(page, "phone", PHONE)
    expect(page.locator("#phone")).to_have_value("138 1234 5678")
    expect(page.locator(f"{PANEL} .panel-readout")).to_have_text("已输入 11/11 位")
    assert_big_keys(page, f"{orientation} digits")
    shot(page, f"input-panel-{orientation}-5-digits")


@pytest.mark.parametrize("app_overrides", [{"HANDWRITING_MODEL": "/nonexistent/handwriting.model"}])
def test_without_the_recogniser_the_pad_says_so_and_pinyin_works(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/register?consent=1")
    open_field(page, "name")
    tap(page, page.locator(f'{PANEL} [data-mode="hand"]'))
    expect(page.locator(f"{PANEL} .hand-unavailable")).to_have_text(UNAVAILABLE)
    expect(page.locator(f"{PANEL} .hand-canvas")).to_be_hidden()
    shot(page, "input-panel-portrait-handwriting-unavailable")
    pinyin_text(page, "name", [("li", "李"), ("si", "四")])
    expect(page.locator("#name")).to_have_value("李四")


def test_the_recogniser_reads_strokes_drawn_with_a_finger(page_at, live_server):
    recogniser_or_skip()
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/register?consent=1")
    for char in ("王", "大"):
        handwrite(page, "name", STROKES[char], char)
    expect(page.locator("#name")).to_have_value("王大")


# ---- a physical keyboard still works -----------------------------------------------------

def test_a_physical_keyboard_and_a_system_ime_still_type_in_the_fields(page_at, live_server):
    """Not a kiosk flow: the one test that presses keys, because point 4 is about them."""
    page = page_at(*SIZES["landscape"])
    page.goto(f"{live_server}/kiosk/register?consent=1")
    page.locator("#name").tap()
    page.keyboard.insert_text("张三")  # what a system IME commits
    expect(page.locator("#name")).to_have_value("张三")
    page.locator("#id_number").tap()
    page.keyboard.type(ID_NUMBER.lower())
    expect_value(page.locator("#id_number"), ID_NUMBER.lower())
    expect(page.locator("#id_number")).to_have_value(re.compile(r"^340524 19800101 001x$"))
    page.keyboard.press("Backspace")
    expect_value(page.locator("#id_number"), ID_NUMBER[:-1])


# ---- a key press goes to the key only ----------------------------------------------------

@pytest.mark.parametrize("app_overrides", [{"HANDWRITING_MODEL": "/nonexistent/handwriting.model"}])
def test_a_key_that_closes_or_shrinks_the_panel_taps_nothing_beneath_it(page_at, live_server):
    """完成 hides the panel, and 手写 without a recogniser makes it shorter: the tap must not
    also reach the trade tiles that the panel covered."""
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/register?consent=1")
    checked = page.locator("input[name=trades]:checked, input[name=availability]:checked")
    for mode in ("hand", "pinyin"):
        open_field(page, "name")
        tap(page, page.locator(f'{PANEL} [data-mode="{mode}"]'))
        expect(checked).to_have_count(0)
        expect(page.locator(PANEL)).to_be_visible()
        done = page.locator(f"{PANEL} .panel-body:not([hidden]) [data-act=done]")
        tap(page, done)
        expect(page.locator(PANEL)).to_be_hidden()
        expect(checked).to_have_count(0)
