"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

Every test in this folder is marked ``browser``. Without Chromium at /usr/bin/chromium the
folder is skipped, except on CI (``CI=true``), where that is a failure: CI must run them.

Fixtures:
- ``app_overrides``: config for the app under test; parametrise it to change it, e.g.
  ``@pytest.mark.parametrize("app_overrides", [{"KIOSK_IDLE_SECONDS": 2}])``.
- ``live_app``: that app (fresh database, built by ``make_app``).
- ``live_server``: the app served on 127.0.0.1 in a thread; yields its base URL.
- ``browser``: one Chromium per test session.
- ``page_at(width, height)``: a page in a fresh touch-enabled context of that viewport.
- ``shot(page, name)``: a viewport PNG in test-artifacts/screenshots/ for humans to look at.
"""

import logging
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
# A run on PostgreSQL keeps its own artifacts: CI runs both databases side by side.
ARTIFACTS = REPO_ROOT / "test-artifacts" / ("postgresql" if os.environ.get("TEST_DATABASE_URL") else "")
SCREENSHOT_DIR = ARTIFACTS / "screenshots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_MESSAGE = (
    f"Chromium not installed at {CHROMIUM}: browser tests skipped; apt-get install chromium"
)
CI_MESSAGE = (
    f"CI=true but Chromium is not installed at {CHROMIUM}: browser tests must run on CI; "
    "apt-get install chromium"
)

# Timeouts (ms): everything is local, so anything slower than this is a bug.
ACTION_TIMEOUT_MS = 5_000
NAVIGATION_TIMEOUT_MS = 10_000


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _chromium_missing() -> bool:
    return not os.access(CHROMIUM, os.X_OK)


try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # a dev dependency: pip install -e '.[dev]'
    if not _on_ci():  # on CI the test modules' import error fails the run
        collect_ignore_glob = ["test_*.py"]


def _in_this_folder(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)  # before -m "not browser" deselects by marker
def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items: touch only the ones in this folder.
    skip = _chromium_missing() and not _on_ci()
    for item in items:
        if not _in_this_folder(item):
            continue
        item.add_marker(pytest.mark.browser)
        if skip:
            item.add_marker(pytest.mark.skip(reason=SKIP_MESSAGE))


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; on CI a missing browser fails the tests."""
    if _chromium_missing():
        if _on_ci():
            pytest.fail(CI_MESSAGE, pytrace=False)
        pytest.skip(SKIP_MESSAGE)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def app_overrides():
    return {}


@pytest.fixture
def live_app(make_app, app_overrides):
    from app.services import pinyin_data

    app = make_app(**app_overrides)
    pinyin_data.table(wait=pinyin_data.BUILD_TIMEOUT)  # built in the background at start; a kiosk is not tapped that soon
    return app


@pytest.fixture
def live_server(live_app):
    """Serve ``live_app`` on a free port; yields the base URL (no trailing slash)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_BASE_URL"] = url  # QR codes point back at this server
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()  # waits for serve_forever to return
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def page_at(browser):
    """``page_at(width, height)``: a page in a new touch context; closed after the test.
    ``bypass_csp=True`` lets a test inject a script of its own (the accessibility audit)."""
    contexts = []

    def open_page(width: int, height: int, bypass_csp: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            has_touch=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    """Save what the screen shows now (the viewport) as test-artifacts/screenshots/NAME."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / (name if name.endswith(".png") else f"{name}.png")
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="initial")
    return path


@pytest.fixture(name="shot")
def shot_fixture():
    return shot
