"""Signing in at the staff screens, as a member of staff does."""

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
