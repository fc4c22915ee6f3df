"""Worker registration at the kiosk, by touch, in a real Chromium, portrait and landscape."""

import re

import pytest
from playwright.sync_api import expect

from app.services.print_worker import PrintWorker
from printers import decode, memory_printer, text_of
from printers.decode import QRPayload

from .conftest import shot
from .kiosk_helpers import expect_value, keypad_type, panel_done, pinyin_text

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
ORIENTATIONS = pytest.mark.parametrize("orientation", list(SIZES))

NAME_PINYIN = [("zhang", "张"), ("san", "三")]
ID_NUMBER = "34052419800101001X"  # valid check character X (tests/factories.VALID_IDS)
MASKED_ID = "**************001X"
PHONE = "13812345678"
BAD_PHONE = "23812345678"  # 11 digits, but a mobile number starts with 1
PHONE_ERROR = "手机号码应为1开头的11位数字"
KEYPAD_FIELDS = ("id_number", "phone", "expected_wage")  # data-input id, phone, money
MIN_TARGET_PX = 72


# ---- helpers -------------------------------------------------------------------------

def open_form(page, base_url, orientation=None):
    """Start screen -> privacy notice -> agree -> the empty registration form, by taps."""
    page.goto(f"{base_url}/kiosk/")
    expect(page.locator(".step-start")).to_be_visible()
    if orientation:
        shot(page, f"register-{orientation}-1-start")
    page.get_by_role("link", name="我要找活").tap()
    expect(page.locator(".step-worker-menu")).to_be_visible()
    page.get_by_role("link", name="零工登记").tap()
    expect(page.locator(".step-privacy")).to_be_visible()
    if orientation:
        shot(page, f"register-{orientation}-2-privacy")
    page.get_by_role("link", name="我已阅读并同意").tap()
    page.wait_for_url("**/kiosk/register?consent=1")
    expect(page.locator(".step-form")).to_be_visible()
    if orientation:
        shot(page, f"register-{orientation}-3-form")


def fill_form(page, *, phone=PHONE, orientation=None):
    pinyin_text(page, "name", NAME_PINYIN)
    keypad_type(page, "id_number", ID_NUMBER)
    if orientation:
        shot(page, f"register-{orientation}-4-keypad-id")
    keypad_type(page, "phone", phone)
    if orientation:
        shot(page, f"register-{orientation}-5-keypad-phone")
    panel_done(page)
    page.locator('.chip[data-value="250"]').tap()
    expect(page.locator("#expected_wage")).to_have_value("250")
    for name, code in (("泥瓦工", "mason"), ("搬运装卸", "porter")):
        page.locator("label.tile", has_text=name).tap()
        expect(page.locator(f'input[name=trades][value="{code}"]')).to_be_checked()
    page.locator("label.tile", has_text="周末").tap()
    expect(page.locator('input[name=availability][value="weekend"]')).to_be_checked()


def submit(page, button_name, path):
    """Tap a button that posts by htmx to ``path``; return the response status."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith(path)
    ) as response:
        page.get_by_role("button", name=button_name).tap()
    return response.value.status


def box(locator):
    b = locator.bounding_box()
    assert b is not None, f"{locator} has no box (not rendered)"
    return b


def overlaps(a, b) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def assert_keypad_clear_of(page, field_id, where):
    """The open keypad neither covers the focused field nor leaves it off screen."""
    expect(page.locator("#keypad")).to_be_visible()
    field = page.locator(f"#{field_id}")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport(ratio=1)
    field_box, keypad_box = box(field), box(page.locator("#keypad"))
    assert not overlaps(field_box, keypad_box), (
        f"{where}: keypad {keypad_box} covers the focused #{field_id} {field_box}"
    )


# ---- the happy path ----------------------------------------------------------------

@ORIENTATIONS
def test_register_by_touch(page_at, live_server, live_app, orientation):
    page = page_at(*SIZES[orientation])
    open_form(page, live_server, orientation)
    fill_form(page, orientation=orientation)
    shot(page, f"register-{orientation}-6-form-filled")

    assert submit(page, "下一步：核对信息", "/kiosk/register/review") == 200
    review = page.locator(".step-review")
    expect(review).to_be_visible()
    expect(review.locator("h1")).to_be_in_viewport()
    expect(review.locator(".review")).to_contain_text(MASKED_ID)
    expect(review.locator(".review")).to_contain_text("138****5678")
    expect(review.locator(".review")).to_contain_text("泥瓦工")
    assert ID_NUMBER not in review.inner_text() and PHONE not in review.inner_text()
    shot(page, f"register-{orientation}-7-review")

    assert submit(page, "确认登记", "/kiosk/register") == 200
    expect(page.locator("#worker-number")).to_have_text("G000001")
    expect(page.locator(".step-done h1")).to_contain_text("登记成功")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_in_viewport(ratio=1)
    expect(page.locator("#worker-number")).to_be_in_viewport(ratio=1)
    shot(page, f"register-{orientation}-8-done")

    # The slip went into the outbox with the record; the print worker sends it.
    with live_app.app_context():
        assert PrintWorker(owner="browser-test").run_once() == 1
    jobs = memory_printer("default").jobs
    assert len(jobs) == 1
    events = decode(jobs[0])
    assert "G000001" in text_of(events)
    qr = [e.payload for e in events if isinstance(e, QRPayload)]
    assert len(qr) == 1 and qr[0].startswith(f"{live_server}/w/"), qr


# ---- a wrong phone number ------------------------------------------------------------

@ORIENTATIONS
def test_bad_phone_shows_error_beside_the_field_and_keeps_the_rest(
        page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    open_form(page, live_server)
    fill_form(page, phone=BAD_PHONE)
    page.evaluate("window.__samePage = true")

    assert submit(page, "下一步：核对信息", "/kiosk/register/review") == 422
    error = page.locator("#phone-error")
    expect(error).to_contain_text(PHONE_ERROR)
    shot(page, f"register-{orientation}-error-phone")

    # swapped in place by htmx: same document, same address, still the form
    assert page.evaluate("window.__samePage") is True
    assert page.url.endswith("/kiosk/register?consent=1")
    expect(page.locator(".step-form")).to_be_visible()
    # the only error, inside the phone field's block, right under its input
    expect(page.locator(".field-error")).to_have_count(1)
    phone = page.locator("#phone")
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.locator(".field.has-error #phone")).to_have_count(1)
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_attribute("aria-describedby", "phone-error")
    phone_box, error_box = box(phone), box(error)
    assert 0 <= error_box["y"] - (phone_box["y"] + phone_box["height"]) <= 40, (phone_box,
                                                                              error_box)
    assert abs(error_box["x"] - phone_box["x"]) <= 10, (phone_box, error_box)
    # the person must see the message without scrolling
    expect(error).to_be_in_viewport(ratio=1, timeout=2_000)
    # everything else keeps what was entered
    expect(page.locator("#name")).to_have_value("张三")
    expect_value(page.locator("#id_number"), ID_NUMBER)
    expect_value(phone, BAD_PHONE)
    expect(page.locator("#expected_wage")).to_have_value("250")
    checked = page.locator("input[name=trades]:checked, input[name=availability]:checked")
    assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == [
        "mason", "porter", "weekend"]

    # correcting the number by keypad gets to the review
    page.locator("#phone").tap()
    assert_keypad_clear_of(page, "phone", f"{orientation}, form with an error")
    page.locator('#keypad .panel-body:not([hidden]) [data-act="clear"]').tap()
    keypad_type(page, "phone", PHONE)
    panel_done(page)
    assert submit(page, "下一步：核对信息", "/kiosk/register/review") == 200
    expect(page.locator(".step-review .review")).to_contain_text("138****5678")


# ---- the keypad ------------------------------------------------------------------------

def test_x_key_only_for_id_number_and_dot_only_for_money(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    open_form(page, live_server)
    x, dot = page.locator('#keypad [data-key="X"]'), page.locator('#keypad [data-key="."]')
    expected = {"id_number": (True, False), "phone": (False, False),
                "expected_wage": (False, True)}
    for field_id, (x_enabled, dot_enabled) in expected.items():
        page.locator(f"#{field_id}").tap()
        expect(page.locator("#keypad")).to_be_visible()
        expect(x).to_be_enabled() if x_enabled else expect(x).to_be_disabled()
        expect(dot).to_be_enabled() if dot_enabled else expect(dot).to_be_disabled()

    # a tap on the disabled X does nothing to the phone number
    keypad_type(page, "phone", "138")
    x.tap(force=True)
    expect(page.locator("#phone")).to_have_value("138")


@ORIENTATIONS
def test_keypad_never_covers_the_focused_field(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    open_form(page, live_server)
    for field_id in KEYPAD_FIELDS:
        # also from the bottom of the page, where a person ends up after the tiles
        for start in ("top", "bottom"):
            if page.locator("#keypad").is_visible():
                panel_done(page)
            page.evaluate("window.scrollTo(0, %s)" % (
                "0" if start == "top" else "document.body.scrollHeight"))
            page.locator(f"#{field_id}").tap()
            assert_keypad_clear_of(page, field_id, f"{orientation}, from the {start}")
        shot(page, f"keypad-{orientation}-{field_id}")
        page.locator('#keypad [data-key="1"]').tap()
        assert_keypad_clear_of(page, field_id, f"{orientation}, after a key press")


# ---- idle reset --------------------------------------------------------------------------

IDLE = {"KIOSK_IDLE_SECONDS": 4, "KIOSK_FORM_IDLE_SECONDS": 5, "KIOSK_IDLE_WARNING_SECONDS": 3}


@pytest.mark.parametrize("app_overrides", [IDLE])
def test_idle_kiosk_warns_then_returns_to_start(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    open_form(page, live_server)
    warning = page.locator("#idle-warning")
    pinyin_text(page, "name", NAME_PINYIN)
    page.evaluate("window.__samePage = true")

    # someone still tapping keeps the form, without a warning, even past the idle time
    page.locator("#id_number").tap()
    for key in "34052":
        page.locator(f'#keypad [data-key="{key}"]').tap()
        page.wait_for_timeout(1_100)
        expect(warning).to_be_hidden()
    expect(page.locator("#id_number")).to_have_value("34052")

    # left alone: the warning with its countdown (the form's 5 s, of which the last 3 warn)
    expect(warning).to_be_visible(timeout=4_000)
    expect(warning).to_contain_text("还需要更多时间吗？")
    expect(page.locator("#idle-countdown")).to_have_text(re.compile(r"^[123]$"))
    shot(page, "idle-warning-portrait")
    page.get_by_role("button", name="继续").tap()
    expect(warning).to_be_hidden()
    assert page.url.endswith("/kiosk/register?consent=1")
    expect(page.locator("#name")).to_have_value("张三")  # 继续 keeps what was typed
    expect(page.locator("#id_number")).to_have_value("34052")

    # a tap anywhere on the overlay continues as well, and does not reach what is beneath
    expect(warning).to_be_visible(timeout=4_000)
    warning.tap(position={"x": 20, "y": 20})
    expect(warning).to_be_hidden()
    expect(page.locator("#name")).to_have_value("张三")

    # then nobody touches it: back to the start screen by a full page load
    expect(warning).to_be_visible(timeout=4_000)
    page.wait_for_url(f"{live_server}/kiosk/", timeout=6_000)
    expect(page.locator(".step-start")).to_be_visible()
    expect(page.locator("#keypad")).to_be_hidden()
    assert page.evaluate("window.__samePage") is None  # a fresh document, nothing kept
    assert "张三" not in page.content()

    # the start screen has its own, shorter idle time (4 s, the last 2 of them warned), and
    # starts again from a fresh load
    page.evaluate("window.__samePage = true")
    expect(warning).to_be_visible(timeout=3_000)
    expect(page.locator("#idle-countdown")).to_have_text(re.compile(r"^[12]$"))
    with page.expect_navigation(url=f"{live_server}/kiosk/", timeout=4_000):
        pass  # the reset is a full page load of the start screen
    assert page.evaluate("window.__samePage") is None


# ---- touch targets -------------------------------------------------------------------

TARGETS_JS = """
(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map(el => {
    const r = el.getBoundingClientRect();
    const classes = el.classList.length ? '.' + Array.from(el.classList).join('.') : '';
    const key = el.dataset.key ? `[data-key=${el.dataset.key}]` : '';
    return {what: el.tagName.toLowerCase() + classes + key,
            text: el.innerText.replace(/\\s+/g, ' ').trim().slice(0, 20),
            height: Math.round(r.height * 10) / 10, width: Math.round(r.width * 10) / 10};
  })
"""
STEP_TARGETS = ("#kiosk-step button, #kiosk-step label.tile, #kiosk-step .chip, "
                "#kiosk-step a")


@ORIENTATIONS
def test_touch_targets_on_the_form_are_at_least_72px_tall(page_at, live_server, orientation):
    page = page_at(*SIZES[orientation])
    open_form(page, live_server)
    targets = page.evaluate(TARGETS_JS, STEP_TARGETS)
    page.locator("#id_number").tap()
    expect(page.locator("#keypad")).to_be_visible()
    keys = page.evaluate(TARGETS_JS, "#keypad button, #keypad [data-key]")
    assert len(keys) == 15 and len(targets) > 25, (len(keys), len(targets))

    small = [t for t in targets + keys if t["height"] < MIN_TARGET_PX]
    if small:
        pytest.fail(f"{orientation}: touch targets under {MIN_TARGET_PX}px tall:\n" + "\n".join(
            f"  {t['what']} {t['text']!r}: {t['height']}x{t['width']}px" for t in small))
