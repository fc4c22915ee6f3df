"""满意度统计 in a real Chromium, as the manager reads it at 1920×1080 and 1366×768: the rate
first, nothing wider than the screen, the heat map and the trend drawn, the page passing the
accessibility audit. Ratings are written straight into the table over the last two months
(the real clock: browser tests do not freeze it)."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from app.domain.ratings import Channel, RaterRole
from app.extensions import db
from app.models import Rating, RatingRefusal, Role
from tests.factories import staff_user

from .conftest import shot
from .staff_helpers import sign_in
from .test_accessibility import AXE, EXCLUDE, FAILING_IMPACTS, RUN_AXE

SCREENS = [(1920, 1080), (1366, 768)]


def seed(app) -> None:
    """Two months of ratings, busier around midday and on weekdays, some from slips."""
    pick = random.Random(11)
    now = datetime.now(UTC).replace(tzinfo=None)
    with app.app_context():
        staff_user("boss", Role.MANAGER)
        for n in range(600):
            at = now - timedelta(days=pick.randint(0, 60), hours=pick.choice([0, 1, 2, 3, 4, 5, 6, 7, 8]),
                                 minutes=pick.randint(0, 59))
            slip = n % 4 == 0
            window = pick.choice([1, 2, 3]) if slip and n % 8 == 0 else None
            db.session.add(Rating(at=at, level=pick.choices([1, 2, 3, 4, 5], [50, 25, 12, 8, 5])[0],
                                  role=pick.choice(list(RaterRole)),
                                  channel=Channel.SLIP if slip else Channel.TERMINAL,
                                  terminal=None if slip else pick.choice(["exit-1", "10.0.0.31"]),
                                  service=f"bench:{n}" if slip else None,
                                  service_kind=("ticket" if window else "registration") if slip else None,
                                  window=window))
        today = local_today()
        db.session.add(RatingRefusal(day=today, terminal="exit-1", count=14))
        db.session.add(RatingRefusal(day=today - timedelta(days=1), terminal="10.0.0.31", count=3))
        db.session.commit()


def accessible(page):
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = [v for v in page.evaluate(RUN_AXE, EXCLUDE) if v["impact"] in FAILING_IMPACTS]
    assert not violations, (page.url, violations)


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_manager_reads_the_satisfaction_figures(page_at, live_server, live_app, size):
    seed(live_app)
    page = page_at(*size, bypass_csp=True)
    sign_in(page, live_server, username="boss")
    page.get_by_role("link", name="满意度").first.click()
    expect(page.locator("#ratings-rate")).to_contain_text("%")
    assert page.locator("#ratings-rate").bounding_box()["y"] < size[1], "the rate is on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than the screen"
    expect(page.locator("#ratings-heat-map svg[role=img]")).to_be_visible()
    assert page.locator("#ratings-heat-map .ratings-cell").count() == 7 * 24
    expect(page.locator("#ratings-refused")).to_contain_text("未命名终端（标识")
    expect(page.locator("#ratings-refused")).not_to_contain_text("10.0.0.31")
    name = f"ratings-{size[0]}x{size[1]}"
    shot(page, f"{name}-top")
    page.locator("#ratings-heat-section").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('ratings-heat-section').scrollIntoView({block: 'start'})")
    shot(page, f"{name}-heat-map")
    page.evaluate("document.getElementById('ratings-trend-section').scrollIntoView({block: 'start'})")
    shot(page, f"{name}-trend")
    # the previous month, picked from the list
    page.locator("#month").select_option(index=1)
    page.get_by_role("button", name="查看该月").click()
    expect(page.locator("h1")).to_contain_text("月")
    accessible(page)
