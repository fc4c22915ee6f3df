"""Signing in at the staff screens, as a member of staff does; a signature written with a
finger on a signing page's pad (the mediation agreement, the deal's 劳务协议)."""

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
