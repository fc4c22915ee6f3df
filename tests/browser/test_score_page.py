"""The score page (考核评分) in a real Chromium: the manager's morning read at 1920×1080 and
1366×768 (nothing wider than the screen, the total, grade and money at the top), and the
assessor scoring a manual item and locking the year.

The service started 250 days before today, so year 1 is under way whatever the date."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.clock import hall_tz, local_today
from app.extensions import db
from app.models import FollowerCount, Livestream, LivestreamKind, Role, ScoreSnapshot, StaffUser, TaskStatus
from app.services import assessment
from tests.factories import employer, staff_user, task_order, worker

from .conftest import shot
from .staff_helpers import sign_in
from .test_accessibility import AXE, EXCLUDE, FAILING_IMPACTS, RUN_AXE

SCREENS = [(1920, 1080), (1366, 768)]


def stored(day: date, hour: int = 10) -> datetime:
    """Naive UTC of a hall-local moment on ``day``."""
    return datetime.combine(day, time(hour), hall_tz()).astimezone(UTC).replace(tzinfo=None)


def seed(app) -> date:
    """Accounts, the contract, and some months of records; returns the service start."""
    with app.app_context():
        staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)
        boss = db.session.scalar(select(StaffUser).where(StaffUser.username == "boss"))
        today = local_today()
        start = today - timedelta(days=250)
        assessment.save_settings(service_start=start, contract_amount=Decimal("500000"), bid_price=Decimal("500000"),
                              network_fee=Decimal("100000"), user=boss)
        company = employer()
        for n in range(24):
            day = start + timedelta(days=n * 10)
            worker(name="林建国", first_registered_at=stored(day))
            for _ in range(1 + n % 3):
                task_order(employer=company, status=TaskStatus.PUBLISHED, published_at=stored(day, 9))
        for month in range(0, 8, 1):
            if month != 3:  # one month without a livestream
                db.session.add(Livestream(held_on=start + timedelta(days=month * 30 + 5), platform="抖音",
                                          kind=LivestreamKind.RECRUITING, minutes=60, viewers=200))
        db.session.add(FollowerCount(counted_on=start + timedelta(days=100), followers=1200))
        db.session.add(FollowerCount(counted_on=today - timedelta(days=3), followers=1800))
        db.session.commit()
        assessor = db.session.scalar(select(StaffUser).where(StaffUser.username == "kaohe"))
        for key, points in {"A1": "6", "B1": "2", "B2": "3", "B3": "3", "B4": "2.5", "B5": "5", "B6": "3"}.items():
            assessment.enter_manual(1, key, points, "现场检查" if key == "B4" else "", assessor)
        return start


def accessible(page):
    """axe-core finds nothing critical, serious or moderate on the page."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = [v for v in page.evaluate(RUN_AXE, EXCLUDE) if v["impact"] in FAILING_IMPACTS]
    assert not violations, (page.url, violations)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than the screen"


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_manager_reads_the_page_every_morning(page_at, live_server, live_app, size):
    seed(live_app)
    page = page_at(*size, bypass_csp=True)  # the audit injects axe-core
    sign_in(page, live_server, username="boss")
    page.get_by_role("link", name="考核评分").first.click()
    expect(page.locator("#score-total")).to_be_visible()
    # the total, grade and money are on the first screen, without scrolling
    for box in ("#score-total", "#score-grade", "#score-money"):
        assert page.locator(box).bounding_box()["y"] + 40 < size[1], box
    expect(page.locator("#score-money")).to_contain_text("¥")
    expect(page.locator("#score-next")).to_contain_text("再增加 200 名关注可达 5 分")  # F1 from 1,800
    no_sideways_scroll(page)
    name = f"score-page-manager-{size[0]}x{size[1]}"
    shot(page, name)
    page.locator("#score-table").scroll_into_view_if_needed()
    page.locator("#item-C1").scroll_into_view_if_needed()
    expect(page.locator("#item-F1")).to_contain_text("评分表未规定1500-1999人的得分")
    shot(page, f"{name}-sheet")
    page.locator("#item-D1").scroll_into_view_if_needed()
    shot(page, f"{name}-sheet-2")
    page.locator("#score-payment").scroll_into_view_if_needed()
    shot(page, f"{name}-payment")
    expect(page.locator("#chart-C2 svg")).to_be_visible()
    page.locator("#chart-C2").scroll_into_view_if_needed()
    shot(page, f"{name}-trends")
    expect(page.get_by_role("button", name="保存评分")).to_have_count(0)  # the manager does not score

    page.locator(".score-what-if summary").click()
    page.locator("input[name=count_G1]").fill("7")
    page.get_by_role("button", name="测算").click()
    expect(page.locator("#score-what-if-result")).to_contain_text("加分 0.7")
    page.locator("#score-what-if-result").scroll_into_view_if_needed()
    shot(page, f"{name}-what-if")
    no_sideways_scroll(page)
    accessible(page)

    page.goto(f"{live_server}/admin/score/1/items/C2")
    expect(page.locator("#score-records tbody tr")).to_have_count(48)  # 24 days of 1, 2 or 3 postings
    no_sideways_scroll(page)
    shot(page, f"score-records-{size[0]}x{size[1]}")
    accessible(page)
    page.goto(f"{live_server}/admin/score/1/print")
    accessible(page)


def test_the_assessor_scores_a_manual_item_and_locks_the_year(page_at, live_server, live_app):
    seed(live_app)
    page = page_at(1366, 768, bypass_csp=True)
    sign_in(page, live_server, username="kaohe")
    page.get_by_role("link", name="考核评分", exact=True).first.click()
    row = page.locator("#item-A2")
    row.get_by_label("A2 得分（0–3）").fill("2.5")
    row.get_by_label("A2 评分说明").fill("每日备份，已做恢复演练")
    row.get_by_role("button", name="保存评分").click()
    expect(page.locator(".score-flash")).to_contain_text("已保存 A2 的评分")
    row = page.locator("#item-A2")
    expect(row).to_contain_text("考核人员评分：2.5 分；每日备份，已做恢复演练")
    expect(row).to_contain_text("最近修改：kaohe")
    row.scroll_into_view_if_needed()
    shot(page, "score-page-assessor-manual-1366x768")
    accessible(page)

    row.get_by_label("A2 得分（0–3）").fill("4")  # above the item's 3 points
    row.get_by_role("button", name="保存评分").click()
    expect(page.locator("#score-error")).to_contain_text("分数应在 0 到 3 之间")
    expect(page.locator("#item-A2").get_by_label("A2 得分（0–3）")).to_be_focused()  # taken to the field
    expect(page.locator("#item-A2")).to_contain_text("考核人员评分：2.5 分")
    shot(page, "score-page-assessor-refused-1366x768")
    accessible(page)  # the refused entry, marked beside its field

    page.goto(f"{live_server}/admin/score")
    page.get_by_role("button", name="锁定本年度…").click()
    expect(page.locator("#score-confirm")).to_contain_text("将按 0 分锁定：B9")
    shot(page, "score-lock-confirm-1366x768")
    page.get_by_role("button", name="确认锁定").click()
    expect(page.locator("#score-locked")).to_contain_text("本年度已锁定，以下为锁定时的数据")
    with live_app.app_context():
        sha = db.session.scalars(select(ScoreSnapshot)).one().sha256
    expect(page.locator("#score-locked")).to_contain_text(sha)
    expect(page.get_by_role("button", name="保存评分")).to_have_count(0)
    no_sideways_scroll(page)
    shot(page, "score-page-locked-1366x768")
