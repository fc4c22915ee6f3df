"""Tapping the kiosk's on-screen input panel (#keypad), as a person does: taps only, no
physical keys, no fill().

Every helper counts the taps it makes on ``page`` (``taps(page)``), so that a test can report
how many taps a form takes. A stroke drawn on the handwriting pad counts as one tap.
"""

import re

from playwright.sync_api import expect

PANEL = "#keypad"


def taps(page) -> int:
    return getattr(page, "_kiosk_taps", 0)


def tap(page, locator, **kwargs):
    """Tap ``locator`` and count it."""
    locator.tap(**kwargs)
    page._kiosk_taps = taps(page) + 1


def digits_of(value: str) -> str:
    return re.sub(r"\s+", "", value)


def expect_value(field, text):
    """The field holds ``text``; ID and phone numbers may be shown grouped with spaces."""
    spaced = r"\s*".join(re.escape(ch) for ch in text)
    expect(field).to_have_value(re.compile(rf"^{spaced}$"))


def open_field(page, field_id):
    field = page.locator(f"#{field_id}")
    tap(page, field)
    expect(page.locator(PANEL)).to_be_visible()
    return field


def keypad_type(page, field_id, text):
    """Tap the field, then every character on the digit keypad."""
    field = open_field(page, field_id)
    for i, char in enumerate(text):
        # The first tap checks the key can be hit (visible, enabled, not covered); the
        # rest skip those checks for speed: a key that missed shows in the value below.
        tap(page, page.locator(f'{PANEL} [data-key="{char}"]'), force=i > 0)
    expect_value(field, text)
    expect(field).to_be_focused()  # key presses keep the caret in the field


def panel_done(page):
    """完成 in whichever body of the panel is shown."""
    tap(page, page.locator(f"{PANEL} .panel-body:not([hidden]) [data-act=done]"))
    expect(page.locator(PANEL)).to_be_hidden()


def alnum_type(page, field_id, text):
    """Tap the field, then every character on the letter-and-digit keypad (统一社会信用代码)."""
    field = open_field(page, field_id)
    for char in text:
        tap(page, page.locator(f'{PANEL} [data-body=alnum] [data-ins="{char}"]'))
    expect_value(field, text)
    expect(page.locator(f"{PANEL} .panel-readout")).to_have_text(f"已输入 {len(text)}/18 位")


def pinyin_type(page, field_id, pinyin, char, *, open_panel=True):
    """Tap the letters of ``pinyin``, then ``char`` in the candidate bar (paging with 下一页
    until it shows). The field must already hold what came before."""
    field = page.locator(f"#{field_id}")
    if open_panel and not page.locator(PANEL).is_visible():
        open_field(page, field_id)
    if page.locator(f"{PANEL} [data-mode=pinyin]").get_attribute("aria-pressed") != "true":
        tap(page, page.locator(f"{PANEL} [data-mode=pinyin]"))
    before = field.input_value()
    for letter in pinyin:
        tap(page, page.locator(f'{PANEL} [data-letter="{letter}"]'))
    expect(page.locator(f"{PANEL} .panel-readout")).to_have_text(pinyin)
    candidate = page.locator(f"{PANEL} .cand-list .cand", has_text=re.compile(rf"^{re.escape(char)}$"))
    bar = page.locator(f"{PANEL} .cand-list")
    for _ in range(20):
        expect(bar.locator(".cand").first).to_be_enabled()  # the page has arrived
        if candidate.count():
            break
        tap(page, page.locator(f'{PANEL} [data-act="next"]'))
    tap(page, candidate)
    expect(field).to_have_value(before + char)


def handwrite(page, field_id, strokes, char):
    """Draw ``strokes`` (lists of (x, y) on a 300x300 square, scaled to the pad) with a
    finger on the handwriting pad, then tap ``char`` among the candidates."""
    field = page.locator(f"#{field_id}")
    if not page.locator(PANEL).is_visible():
        open_field(page, field_id)
    tap(page, page.locator(f"{PANEL} [data-mode=hand]"))
    pad = page.locator(f"{PANEL} .hand-canvas")
    expect(pad).to_be_visible()
    box = pad.bounding_box()
    before = field.input_value()
    cdp = page.context.new_cdp_session(page)
    for stroke in strokes:
        points = [(box["x"] + x * box["width"] / 300, box["y"] + y * box["height"] / 300)
                  for x, y in stroke]
        kinds = ["touchStart"] + ["touchMove"] * (len(points) - 1)
        for kind, (x, y) in zip(kinds, points, strict=True):
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page._kiosk_taps = taps(page) + 1
    candidate = page.locator(f"{PANEL} .cand-list .cand", has_text=re.compile(rf"^{re.escape(char)}$"))
    expect(candidate).to_be_visible()
    tap(page, candidate)
    expect(field).to_have_value(before + char)


def pinyin_text(page, field_id, parts):
    """Type a text as (pinyin, characters) parts: pinyin_text(page, "name", [("zhang", "张"),
    ("san", "三")]); a part may be a word offered whole ("shaxian", "沙县")."""
    for pinyin, text in parts:
        pinyin_type(page, field_id, pinyin, text)


def tap_tile(page, name, value):
    tap(page, page.locator(f'label.tile:has(input[name="{name}"][value="{value}"])'))
    expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()


def tap_counts_file():
    from .conftest import ARTIFACTS

    return ARTIFACTS / "tap-counts.txt"


def record_taps(what: str, count: int) -> None:
    """Print how many taps ``what`` took and add it to test-artifacts/tap-counts.txt."""
    line = f"{what}: {count} taps"
    print(line)
    path = tap_counts_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def fill_checkin_form(page, *, phone, contact, employer=None, service="hire", trade="porter",
                      headcount="3", pay="200", location=None, phrases=(), snap=None):
    """Fill the employer check-in form by taps, from the phone number to the phrases, and
    return the work date the 明天 chip filled in (None without the work fields).

    ``contact`` and ``location``: (pinyin, text) parts for pinyin_text. ``employer``: None for
    an individual, else {"name": parts, "handwritten": (strokes, char) or None, "name_rest":
    parts typed after the handwritten character, "uscc": code}. The one place that knows the
    check-in's steps (① 您的信息, then ② 招工信息 for 招工) and the order of their fields."""
    snap = snap or (lambda step: None)
    keypad_type(page, "phone", phone)
    snap("3-keypad-phone")
    panel_done(page)
    pinyin_text(page, "contact_name", contact)
    snap("3-pinyin-contact")
    panel_done(page)
    if employer is None:
        tap_tile(page, "employer_type", "individual")
        expect(page.locator(".enterprise-only")).to_be_hidden()
    else:
        tap_tile(page, "employer_type", "enterprise")
        expect(page.locator(".enterprise-only")).to_be_visible()
        pinyin_text(page, "employer_name", employer["name"])
        if employer.get("handwritten"):
            strokes, char = employer["handwritten"]
            handwrite(page, "employer_name", strokes, char)
            snap("3-handwriting")
        pinyin_text(page, "employer_name", employer.get("name_rest", ()))
        panel_done(page)
        typed = [employer["name"], [(None, employer["handwritten"][1])] if employer.get("handwritten") else [],
                 employer.get("name_rest", ())]
        expect(page.locator("#employer_name")).to_have_value("".join(t for part in typed for _, t in part))
        alnum_type(page, "uscc", employer["uscc"])
        expect(page.locator("#uscc")).to_have_value(employer["uscc"])
        snap("3-alnum-uscc")
        panel_done(page)

    tap_tile(page, "service", service)
    snap("3b-step-one")
    if service != "hire":
        return None
    # the work is the second step, for 招工 only
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.split("?")[0].endswith("/kiosk/checkin/review")) as step:
        tap(page, page.get_by_role("button", name="下一步", exact=True))
    assert step.value.status == 200
    expect(page.locator(".step-checkin-work")).to_be_visible()
    expect(page.locator("#kiosk-step")).to_be_in_viewport()  # the new step shown from its top
    tap_tile(page, "trade", trade)
    keypad_type(page, "headcount", headcount)
    panel_done(page)
    keypad_type(page, "pay", pay)
    snap("4-keypad-pay")
    panel_done(page)
    tap_tile(page, "pay_unit", "day")
    tomorrow = page.locator('[data-fill="work_date"]', has_text="明天")
    work_date = tomorrow.get_attribute("data-value")
    tap(page, tomorrow)
    expect(page.locator("#work_date")).to_have_value(work_date)
    expect(tomorrow).to_have_attribute("aria-pressed", "true")
    year, month, day = (int(part) for part in work_date.split("-"))
    expect(page.locator('[data-shows="work_date"]')).to_have_text(f"{year}年{month}月{day}日")
    if location:
        pinyin_text(page, "location", location)
        panel_done(page)
    for phrase in phrases:
        tap(page, page.locator(f'[data-append="description"][data-value="{phrase}"]'))
    expect(page.locator("#description")).to_have_value("，".join(phrases))
    return work_date
