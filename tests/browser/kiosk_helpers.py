"""Tapping the kiosk's on-screen keypad, as a person does."""

from playwright.sync_api import expect


def keypad_type(page, field_id, text):
    """Tap the field, then every character on the on-screen keypad (no physical keys)."""
    field = page.locator(f"#{field_id}")
    field.tap()
    expect(page.locator("#keypad")).to_be_visible()
    for i, char in enumerate(text):
        # The first tap checks the key can be hit (visible, enabled, not covered); the
        # rest skip those checks for speed: a key that missed shows in the value below.
        page.locator(f'#keypad [data-key="{char}"]').tap(force=i > 0)
    expect(field).to_have_value(text)
    expect(field).to_be_focused()  # key presses keep the caret in the field


def keypad_done(page):
    page.locator('#keypad [data-key="done"]').tap()
    expect(page.locator("#keypad")).to_be_hidden()
