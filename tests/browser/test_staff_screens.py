"""Staff screens in a real Chromium: polled regions ride out a failing poll; a double tap
on a button sends one request.

The console's waiting list (#staff-queue-live) and the print-jobs table (#staff-print-jobs)
poll every 5 s, so each wait below is bounded by a poll period and some slack.
"""

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.extensions import db
from app.models import PrintJob
from app.services import printing, queue
from printers import Receipt

from .conftest import shot
from .staff_helpers import add_staff, sign_in, staff_console

POLL_MS = 7_000  # one poll period (5 s) and some slack
TIMEOUT_POLL_MS = 12_000  # a poll that hangs fails after 5 s more
LIVE = "**/staff/queue/1/live"
JOBS = "**/staff/print-jobs"
NOTICE = "连接中断"
# what the app answers a staff htmx request that failed (errors/_staff.html): not for polled regions
ERROR_BOX = ('<section id="staff-error" class="error-box" role="alert"><h1>系统出了点问题</h1>'
             '<p><a class="btn btn-secondary" href="/staff/">返回</a></p></section>')


def issue(app) -> str:
    """A waiting 招工 ticket; returns its number."""
    with app.app_context():
        number = queue.new_ticket("hire", local_today()).number
        db.session.commit()
        return number


def add_job(app, title) -> None:
    with app.app_context():
        printing.enqueue(Receipt(items=[]).text(title), kind="test", subject="test", title=title)
        db.session.commit()


class Failing:
    """A route handler that fails the polls in one way, counting them; ``mode`` can change."""

    def __init__(self, mode):
        self.mode = mode
        self.count = 0

    def __call__(self, route):
        if route.request.method != "GET":
            route.continue_()
            return
        self.count += 1
        if self.mode == "abort":
            route.abort()  # a network error
        elif self.mode == "hang":
            pass  # never answered: the browser gives up when the poll times out
        else:
            route.fulfill(status=self.mode, body=ERROR_BOX)


def wait_for_polls(page, failing, more=1, timeout=POLL_MS):
    """Until ``more`` further polls have hit the failing route."""
    target = failing.count + more
    waited = 0
    while failing.count < target:
        assert waited < timeout, f"no poll within {timeout} ms"
        page.wait_for_timeout(250)
        waited += 250


def assert_kept(region, notice, text):
    """The last good content is still there, marked as stale, and no error box came in."""
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(NOTICE)
    expect(region).to_contain_text(text)
    expect(region).to_have_attribute("hx-trigger", "every 5s")  # still the polled element
    expect(region.page.locator("#staff-error")).to_have_count(0)
    expect(region.page.locator('a[href="/staff/"]')).to_have_count(0)


def test_console_waiting_list_survives_failing_polls(page_at, live_server, live_app):
    add_staff(live_app)
    first = issue(live_app)
    page = page_at(1920, 1080)
    staff_console(page, live_server)
    region = page.locator("#staff-queue-live")
    notice = region.locator(".poll-notice")
    expect(region).to_contain_text(first)
    expect(notice).to_be_hidden()

    failing = Failing(500)
    page.route(LIVE, failing)
    wait_for_polls(page, failing)
    assert_kept(region, notice, first)
    shot(page, "staff-console-offline-1920x1080")
    page.set_viewport_size({"width": 1366, "height": 768})
    shot(page, "staff-console-offline-1366x768")

    # a ticket issued while the network is down; the next poll has no answer at all
    second = issue(live_app)
    failing.mode = "abort"
    wait_for_polls(page, failing)
    assert_kept(region, notice, first)
    expect(region).not_to_contain_text(second)

    page.unroute(LIVE, failing)
    expect(region).to_contain_text(second, timeout=POLL_MS)
    expect(notice).to_be_hidden()
    expect(region).to_contain_text(first)

    # the login expired: the next poll leads to the sign-in page, not to "连接中断"
    page.context.clear_cookies()
    page.wait_for_url("**/staff/login**", timeout=POLL_MS)
    expect(page.locator("#username")).to_be_visible()


def test_print_jobs_table_survives_failing_polls(page_at, live_server, live_app):
    add_staff(live_app)
    add_job(live_app, "测试凭条一")
    page = page_at(1366, 768)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/print-jobs")
    region = page.locator("#staff-print-jobs")
    notice = region.locator(".poll-notice")
    expect(region).to_contain_text("测试凭条一")

    failing = Failing(503)
    page.route(JOBS, failing)
    add_job(live_app, "测试凭条二")  # what the failing poll would have brought
    wait_for_polls(page, failing)
    assert_kept(region, notice, "测试凭条一")
    expect(region).not_to_contain_text("测试凭条二")
    shot(page, "staff-print-jobs-offline")

    page.unroute(JOBS, failing)
    expect(region).to_contain_text("测试凭条二", timeout=POLL_MS)
    expect(notice).to_be_hidden()

    # a poll that is never answered times out, and polling goes on afterwards
    hanging = Failing("hang")
    page.route(JOBS, hanging)
    expect(notice).to_be_visible(timeout=TIMEOUT_POLL_MS)
    assert_kept(region, notice, "测试凭条二")
    add_job(live_app, "测试凭条三")
    page.unroute(JOBS, hanging)
    expect(region).to_contain_text("测试凭条三", timeout=TIMEOUT_POLL_MS)
    expect(notice).to_be_hidden()


# ---- double taps ---------------------------------------------------------------------------
# On the hall's network a request can take a while: the first tap's request is held back
# (as a slow network would) while the second tap comes.

class Held:
    """A route handler that holds back every request until the test lets it go."""

    def __init__(self):
        self.routes = []

    def __call__(self, route):
        self.routes.append(route)

    def wait(self, page, n=1):
        for _ in range(20):
            if len(self.routes) >= n:
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"{n} request(s) expected, {len(self.routes)} came")


def double_tap(button):
    """Two taps 150 ms apart at the same spot, as a finger does: the second one lands
    whatever the first did to the page."""
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    button.page.touchscreen.tap(x, y)
    button.page.wait_for_timeout(150)
    button.page.touchscreen.tap(x, y)


def count_posts(page):
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


POSTS_TO = {"叫下一位": "**/staff/queue/1/call-next", "重呼": "**/staff/queue/1/tickets/*/recall"}


@pytest.mark.parametrize("answer", ["ok", "network-error"])
@pytest.mark.parametrize("button", ["叫下一位", "重呼"])
def test_a_double_tap_on_a_console_button_sends_one_request(page_at, live_server, live_app,
                                                             button, answer):
    staff_id = add_staff(live_app)
    issue(live_app)
    issue(live_app)
    if button == "重呼":
        with live_app.app_context():
            queue.call_next(local_today(), 1, staff_id)
    page = page_at(1920, 1080)
    staff_console(page, live_server)
    posts = count_posts(page)
    held = Held()
    page.route(POSTS_TO[button], held)
    tapped = page.get_by_role("button", name=button)

    double_tap(tapped)
    held.wait(page)
    expect(tapped).to_be_disabled()
    page.wait_for_timeout(300)
    assert len(posts) == 1, posts
    if answer == "ok":
        held.routes[0].continue_()
        expect(page.locator(".console-number")).to_contain_text("A001")
    else:
        held.routes[0].abort()
        expect(tapped).to_be_enabled()  # the person can try again
    page.wait_for_timeout(1_000)  # time enough for a second request to go out
    assert len(posts) == 1, posts
    assert len(held.routes) == 1
    expect(page.locator("#staff-console .alert")).to_have_count(0)  # no refusal (409) shown


def test_a_double_tap_on_reprint_prints_one_copy(page_at, live_server, live_app):
    add_staff(live_app)
    add_job(live_app, "测试凭条一")
    page = page_at(1366, 768)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/print-jobs")
    posts = count_posts(page)
    held = Held()
    page.route("**/reprint", held)
    tapped = page.get_by_role("button", name="重新打印")

    double_tap(tapped)
    held.wait(page)
    page.wait_for_timeout(300)  # (the page cannot be inspected while it is being left)
    assert len(posts) == 1, posts
    with page.expect_navigation():
        held.routes[0].continue_()
    expect(page.locator("#staff-print-jobs .tag", has_text="补打")).to_have_count(1)
    assert len(posts) == 1, posts
    with live_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PrintJob)) == 2


@pytest.mark.parametrize("app_overrides", [{"PRINT_SERVICE_STALE_SECONDS": 3}])
def test_the_open_console_says_when_the_print_service_stops(page_at, live_server, live_app):
    import threading

    from app.services.print_worker import PrintWorker

    add_staff(live_app)
    worker = PrintWorker()

    def run_service():
        """A print worker's heartbeat, as its thread writes it; returns its stop switch."""
        stop = threading.Event()

        def beat():
            while not stop.is_set():
                with live_app.app_context():
                    worker.beat()
                    db.session.remove()
                stop.wait(1)

        threading.Thread(target=beat, daemon=True).start()
        return stop

    service = run_service()
    try:
        page = page_at(1366, 768)
        staff_console(page, live_server)
        alerts = page.locator("#staff-alerts")
        expect(alerts).not_to_contain_text("打印服务未运行")
    finally:
        service.set()  # the print service stops
    expect(alerts).to_contain_text("打印服务未运行（自", timeout=POLL_MS + 3_000)
    shot(page, "console-print-service-stopped-1366")
    service = run_service()  # started again: the bar clears by itself
    try:
        expect(alerts).not_to_contain_text("打印服务未运行", timeout=POLL_MS)
    finally:
        service.set()
