"""The exit terminal (/kiosk/rate) in a real Chromium, by touch: a good rating in two taps, a
bad one with reasons, a remark and a call-back phone typed on the kiosk's own panel, the kind
refusal of a press too soon, the way back to the faces, and the words spoken for visitors who
cannot read (Debian's Chromium has no Chinese voice: the server's espeak-ng speaks them)."""

import re
import shutil

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.domain.ratings import RaterRole, Reason
from app.extensions import db
from app.models import Rating

from .conftest import shot
from .kiosk_helpers import keypad_type, panel_done, pinyin_text, record_taps, tap, taps
from .test_accessibility import Audit

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
THANKS_SECONDS = 2
QUICK = {"RATING_THANKS_SECONDS": THANKS_SECONDS}
ORANGE_ON_BLACK = "rgb(240, 138, 36)"


def ratings(app) -> list[Rating]:
    with app.app_context():
        return list(db.session.scalars(select(Rating).order_by(Rating.id)))


def face(page, label):
    return page.locator(".face", has=page.locator(".face-word", has_text=re.compile(f"^{label}$")))


def role(page, label):
    return page.locator(".role-choice", has_text=label)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")


def back_to_the_faces(page, base_url, within_seconds):
    """The page goes back to the faces by a full load (nothing of the last rating kept)."""
    with page.expect_navigation(url=f"{base_url}/kiosk/rate", timeout=within_seconds * 1000):
        pass
    expect(page.locator(".rate-faces")).to_be_visible()
    assert page.evaluate("window.__samePage") is None


def heard(page, key):
    """The word ``key`` was said: by the browser's voice, or by the server's WAV."""
    expect(page.locator("body")).to_have_attribute("data-said", key)
    return page.locator("body").get_attribute("data-said-by")


@pytest.mark.parametrize("app_overrides", [QUICK])
def test_a_good_rating_is_two_taps_then_the_faces_come_back(page_at, live_server, live_app):
    page = page_at(*SIZES["portrait"])
    spoken = []
    page.on("response", lambda r: spoken.append((r.url.rsplit("/", 1)[-1], r.status))
            if "/kiosk/rate/speech/" in r.url else None)
    page.goto(f"{live_server}/kiosk/rate")
    faces = page.locator(".face")
    expect(faces).to_have_count(5)
    for n in range(5):
        expect(faces.nth(n)).to_be_in_viewport(ratio=1)  # all five on the screen, no scrolling
    assert fits_the_screen(page) and no_sideways_scroll(page)
    shot(page, "rate-portrait-1-faces")

    tap(page, face(page, "满意"))
    expect(page.locator(".rate-role")).to_be_visible()
    expect(page.locator(".chosen-face")).to_contain_text("满意")
    for label in ("零工", "用工方", "其他"):
        expect(role(page, label)).to_be_in_viewport(ratio=1)
    assert fits_the_screen(page)
    shot(page, "rate-portrait-2-role-good")
    said_by = heard(page, "level-2")

    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/kiosk/rate")) as answer:
        tap(page, role(page, "用工方"))
    assert answer.value.status == 200
    expect(page.locator(".thanks-title")).to_have_text("谢谢您的评价！")
    shot(page, "rate-portrait-4-thanks")
    assert taps(page) <= 3
    record_taps("exit terminal: a good rating", taps(page))
    [rating] = ratings(live_app)
    assert (rating.level, rating.role) == (2, RaterRole.EMPLOYER)

    if shutil.which("espeak-ng"):  # Debian's Chromium has no Chinese voice: the server speaks
        assert said_by == "server"
        expect(page.locator("body")).to_have_attribute("data-said", "thanks")
        page.wait_for_timeout(300)
        fetched = {name for name, status in spoken if status in (200, 206)}  # 206: a media range
        assert {"level-2.wav", "role-employer.wav"} <= fetched, spoken

    # the thanks goes back to the faces by itself, with a fresh page
    page.evaluate("window.__samePage = true")
    back_to_the_faces(page, live_server, THANKS_SECONDS + 3)

    # a press again within RATING_MIN_INTERVAL_SECONDS: thanked kindly, not stored
    tap(page, face(page, "非常满意"))
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/kiosk/rate")) as answer:
        tap(page, role(page, "零工"))
    assert answer.value.status == 429
    expect(page.locator(".thanks-title")).to_have_text("谢谢，您刚刚已经评价过了")
    expect(page.locator(".error-box")).to_have_count(0)
    shot(page, "rate-portrait-5-refused")
    assert len(ratings(live_app)) == 1
    back_to_the_faces(page, live_server, THANKS_SECONDS + 3)


@pytest.mark.parametrize("app_overrides", [QUICK])
def test_a_bad_rating_with_reasons_a_remark_and_a_call_back_phone(page_at, live_server, live_app):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/rate")
    tap(page, face(page, "非常不满意"))
    expect(page.locator(".rate-role")).to_be_visible()
    shot(page, "rate-portrait-2-role-bad")
    tap(page, role(page, "零工"))
    expect(page.locator(".rate-details")).to_be_visible()
    expect(page.locator(".rate-chosen")).to_contain_text("非常不满意")
    expect(page.locator(".rate-chosen")).to_contain_text("零工")
    shot(page, "rate-portrait-3-reasons")

    for label, value in (("等待太久", "waited"), ("态度不好", "attitude")):
        tap(page, page.locator("label.reason-chip", has_text=label))
        expect(page.locator(f'input[name=reasons][value="{value}"]')).to_be_checked()
        heard(page, f"reason-{value}")
    tap(page, page.locator("label.reason-chip", has_text="态度不好"))  # and off again, and on
    expect(page.locator('input[name=reasons][value="attitude"]')).not_to_be_checked()
    tap(page, page.locator("label.reason-chip", has_text="态度不好"))
    expect(page.locator('input[name=reasons][value="attitude"]')).to_be_checked()

    pinyin_text(page, "comment", [("tai", "太"), ("man", "慢")])
    shot(page, "rate-portrait-3-remark-pinyin")
    panel_done(page)
    keypad_type(page, "phone", "13812345678")
    shot(page, "rate-portrait-3-phone-keypad")
    panel_done(page)
    expect(page.locator("#phone")).to_have_value("138****5678")  # masked once typed
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "rate-portrait-3-filled")

    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/kiosk/rate")) as answer:
        tap(page, page.get_by_role("button", name="提交评价"))
    assert answer.value.status == 200
    expect(page.locator(".thanks-title")).to_have_text("谢谢您的评价！")
    expect(page.locator(".rate-thanks")).to_contain_text("138****5678")
    assert "13812345678" not in page.content()
    shot(page, "rate-portrait-4-thanks-bad")
    record_taps("exit terminal: a bad rating, two reasons, a remark and a phone", taps(page))
    [rating] = ratings(live_app)
    assert (rating.level, rating.role, rating.comment) == (5, RaterRole.WORKER, "太慢")
    assert sorted(rating.reason_codes) == sorted([Reason.WAITED, Reason.ATTITUDE])
    assert rating.phone_last4 == "5678" and "13812345678" not in rating.phone_cipher


def test_a_wrong_phone_is_shown_beside_its_field_and_can_be_corrected(page_at, live_server, live_app):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/rate/4/other")
    tap(page, page.locator("label.reason-chip", has_text="办事不方便"))
    keypad_type(page, "phone", "23812345678")
    panel_done(page)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/kiosk/rate")) as answer:
        tap(page, page.get_by_role("button", name="提交评价"))
    assert answer.value.status == 422
    expect(page.locator("#phone-error")).to_contain_text("手机号码应为1开头的11位数字")
    expect(page.locator('input[name=reasons][value="inconvenient"]')).to_be_checked()
    expect(page.locator("#phone")).to_have_value("23812345678")  # as typed, to be corrected
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "rate-portrait-3-phone-error")
    assert ratings(live_app) == []
    tap(page, page.locator("#phone"))
    tap(page, page.locator('#keypad .panel-body:not([hidden]) [data-act="clear"]'))
    keypad_type(page, "phone", "13900001111")
    panel_done(page)
    expect(page.locator("#phone")).to_have_value("139****1111")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/kiosk/rate")) as answer:
        tap(page, page.get_by_role("button", name="提交评价"))
    assert answer.value.status == 200
    [rating] = ratings(live_app)
    assert rating.phone_last4 == "1111" and rating.reason_codes == [Reason.INCONVENIENT]


def test_the_faces_fit_a_landscape_screen(page_at, live_server):
    page = page_at(*SIZES["landscape"])
    page.goto(f"{live_server}/kiosk/rate")
    faces = page.locator(".face")
    tops = {round(faces.nth(n).bounding_box()["y"]) for n in range(5)}
    assert len(tops) == 1, "the five faces stand in one row"
    for n in range(5):
        expect(faces.nth(n)).to_be_in_viewport(ratio=1)
    assert fits_the_screen(page) and no_sideways_scroll(page)
    # each word fits its button (非常不满意 is the longest)
    assert page.evaluate("""Array.from(document.querySelectorAll('.face-word'))
        .every(w => w.scrollWidth <= w.clientWidth + 1 && w.getBoundingClientRect().width <= w.parentElement.getBoundingClientRect().width)""")
    shot(page, "rate-landscape-1-faces")
    face(page, "不满意").tap()
    expect(page.locator(".rate-role")).to_be_visible()
    assert fits_the_screen(page)
    shot(page, "rate-landscape-2-role")
    role(page, "用工方").tap()
    expect(page.locator(".rate-details")).to_be_visible()
    shot(page, "rate-landscape-3-reasons")


def test_the_colours_carry_the_meaning_and_the_words_are_readable(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/rate")
    colours = page.evaluate("""Array.from(document.querySelectorAll('.face')).map(f => {
        const s = getComputedStyle(f); return [s.backgroundColor, s.color]; })""")
    assert len({bg for bg, _ in colours}) == 5  # five different colours
    assert colours[3][0] == ORANGE_ON_BLACK

    def luminance(rgb):
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for bg, fg in colours:
        light, dark = sorted((luminance(bg), luminance(fg)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (bg, fg)


IDLE = {"KIOSK_IDLE_SECONDS": 3, "KIOSK_FORM_IDLE_SECONDS": 4, "KIOSK_IDLE_WARNING_SECONDS": 1}


@pytest.mark.parametrize("app_overrides", [IDLE])
def test_a_half_finished_rating_goes_back_to_the_faces_but_the_faces_stay(page_at, live_server):
    page = page_at(*SIZES["portrait"])
    page.goto(f"{live_server}/kiosk/rate")
    page.evaluate("window.__samePage = true")
    page.wait_for_timeout(4_000)  # longer than the idle time: the faces are where idle leads
    expect(page.locator("#idle-warning")).to_be_hidden()
    assert page.evaluate("window.__samePage") is True

    tap(page, face(page, "不满意"))
    tap(page, role(page, "其他"))
    expect(page.locator(".rate-details")).to_be_visible()
    tap(page, page.locator("label.reason-chip", has_text="其他"))
    page.evaluate("window.__samePage = true")
    expect(page.locator("#idle-warning")).to_be_visible(timeout=5_000)
    expect(page.locator("#idle-warning")).to_contain_text("秒后回到评价首页")
    shot(page, "rate-portrait-idle-warning")
    back_to_the_faces(page, live_server, 5)
    expect(page.locator('input[name=reasons]')).to_have_count(0)


def test_every_screen_of_the_exit_terminal_passes_the_accessibility_audit(page_at, live_server):
    audit = Audit()
    page = page_at(*SIZES["portrait"], bypass_csp=True)
    page.goto(f"{live_server}/kiosk/rate")
    audit(page, "exit terminal: faces", public=True)
    face(page, "不满意").tap()
    expect(page.locator(".rate-role")).to_be_visible()
    audit(page, "exit terminal: role (bad)", public=True)
    role(page, "零工").tap()
    expect(page.locator(".rate-details")).to_be_visible()
    page.locator("label.reason-chip", has_text="等待太久").tap()
    audit(page, "exit terminal: reasons", public=True)
    page.get_by_role("button", name="提交评价").tap()
    expect(page.locator(".thanks-title")).to_be_visible()
    audit(page, "exit terminal: thanks", public=True)
    page.goto(f"{live_server}/kiosk/rate/2")
    audit(page, "exit terminal: role (good)", public=True)
    assert not audit.found, audit.report()
    assert not audit.english, audit.english
