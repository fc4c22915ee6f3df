"""Signing in at the staff screens, as a member of staff does; a signature written with a
finger on a signing page's pad (the mediation agreement, the deal's 劳务协议)."""

import re

from playwright.sync_api import expect

from tests.factories import staff_user


def add_staff(app) -> int:
    with app.app_context():
        return staff_user().id


def sign_in(page, base_url, username="xiaoli"):
    """The staff sign-in page with an account of the factories' password (``add_staff``
    makes xiaoli); waits until it is left."""
    page.goto(f"{base_url}/staff/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("correct-horse-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/staff/login" not in url)


def staff_console(page, base_url, window=1):
    sign_in(page, base_url)
    page.goto(f"{base_url}/staff/queue/{window}")
    expect(page.locator("#staff-console")).to_be_visible()


def draw(page, field: str, wobble: int = 0) -> None:
    """Write on the pad with one finger: three strokes across the box, like a short name.
    The finger rests a moment before it lifts, as a hand does at the end of a stroke:
    lifted in full flight, Chromium would take the stroke for a fling, and the next tap
    (清除, 确认) would only stop that fling and give no click."""
    box = page.locator(f"#{field}").bounding_box()
    cdp = page.context.new_cdp_session(page)
    for n in range(3):
        left = box["x"] + box["width"] * (0.1 + n * 0.28)
        points = [(left + i * box["width"] * 0.02, box["y"] + box["height"] * (0.3 + 0.4 * ((i + n + wobble) % 2)))
                  for i in range(10)]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0],
                                                                                     "y": points[0][1]}]})
        for x, y in points[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(150)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


DRAWN = re.compile(r"^data:image/png;base64,")


def sign_pads(page, fields) -> None:
    """Each pad (by its field's name) scrolled to and written on with a finger; each then
    holds its drawing and says 已签名."""
    for i, field in enumerate(fields):
        page.locator(f"#{field}").scroll_into_view_if_needed()
        draw(page, field, wobble=i)
        expect(page.locator(f'input[name="{field}"]')).to_have_value(DRAWN)
        expect(page.locator(f"#{field}-pad .sig-state")).to_have_text("已签名")


def sign_again(page, field: str) -> None:
    """A first try cleared with 清除 (the box and its field empty again) and written again."""
    page.locator(f"#{field}-pad [data-sig-clear]").tap()
    expect(page.locator(f'input[name="{field}"]')).to_have_value("")
    expect(page.locator(f"#{field}-pad .sig-state")).to_have_text("请在框内签名")
    draw(page, field, wobble=1)
    expect(page.locator(f'input[name="{field}"]')).to_have_value(DRAWN)


def expect_images_shown(images, count: int) -> None:
    """``count`` images (a locator), each arrived and showing a picture."""
    expect(images).to_have_count(count)
    for i in range(count):
        expect(images.nth(i)).to_have_js_property("complete", True)
        assert images.nth(i).evaluate("img => img.naturalWidth") > 0


def printed_pages(page, name: str) -> int:
    """The page printed on A4 (kept as NAME.pdf beside the screenshots): how many pages."""
    from .conftest import SCREENSHOT_DIR

    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    (SCREENSHOT_DIR / f"{name}.pdf").write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
