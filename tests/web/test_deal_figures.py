"""招工与交易统计 as staff, the manager and the assessor read it: the month's figures by trade
and by day, the CSV, nothing personal; a wrong period said beside its field."""

import csv
import io

import pytest

from app.domain.deals import DealStatus
from app.hall_config import hall
from app.models import Role
from tests.deal_steps import deal_at
from tests.factories import as_user, employer, posting, staff_user, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")  # the hall: 2026-11-28 10:00


@pytest.fixture
def month_of_deals(app, frozen_clock):
    with app.app_context():
        user = staff_user(username="xiaoli", role=Role.STAFF)
        staff_user(username="boss", role=Role.MANAGER)
        staff_user(username="bureau", role=Role.ASSESSOR)
        frozen_clock.move_to("2026-11-03 09:00")
        boss = employer(contact_name="王大富", phone="13905980077")
        deal_at(DealStatus.COMPLETED, user, task=posting(trade_code="porter", headcount=4, employer=boss),
                person=worker(name="张小明", phone="13800000042"))
        frozen_clock.move_to("2026-11-28 10:00")
        posting(trade_code="cleaner", headcount=2)  # valid until tomorrow: about to expire


@pytest.mark.parametrize("who", ["xiaoli", "boss", "bureau"])
def test_every_role_reads_the_figures_and_nothing_personal(app, month_of_deals, who):
    client = as_user(app, who)
    page = client.get("/staff/deal-figures")
    assert page.status_code == 200
    words = text_of(page)
    assert "招工与交易统计 2026年11月" in words
    assert "发布招工信息（C2） 2 条 提供岗位 6 个" in words
    assert "满岗率 16.7% 已接岗位 1 个 ／ 提供岗位 6 个" in words
    assert "接单 ／ 完成 ／ 取消 1 ／ 1 ／ 0 笔" in words
    assert "结算工资合计 200 元" in words
    assert "搬运装卸 1 4 25.0% 1 1 0 1 200 200" in words  # by trade
    assert "11月3日 1 4 25.0% 1 1 0 1 200 200" in words  # by day
    assert "11月4日至11月27日 无记录" in words
    assert "保洁 1 2 0.0% 0 0 0 0 0 —" in words
    assert "ZG" in words and "2026年11月29日" in words  # the cleaner posting is about to expire
    html = page.get_data(as_text=True)
    for personal in ("王大富", "13905980077", "张小明", "13800000042"):
        assert personal not in html


def test_the_csv_has_a_line_per_trade_and_day(app, month_of_deals):
    client = as_user(app, "bureau")
    got = client.get("/staff/deal-figures.csv?month=2026-11")
    assert got.status_code == 200 and got.mimetype == "text/csv"
    assert 'filename="deals-2026-11.csv"' in got.headers["Content-Disposition"]
    body = got.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["分组", "行业或日期", "发布招工信息（条）", "提供岗位（个）"]
    trades = [r for r in rows if r[0] == "行业"]
    days = [r for r in rows if r[0] == "日期"]
    with app.app_context():
        assert len(trades) == len(hall().trades) and len(days) == 30
    assert ["行业", "搬运装卸", "1", "4", "1", "25.0%", "1", "1", "0", "1", "200.00", "200.00"] in trades
    assert ["日期", "2026-11-03", "1", "4", "1", "25.0%", "1", "1", "0", "1", "200.00", "200.00"] in days
    assert rows[-1][:4] == ["合计", "2026年11月", "2", "6"] and len(rows) == 1 + len(trades) + 30 + 1
    assert "张小明" not in body and "王大富" not in body


def test_a_run_of_days_and_a_wrong_one(app, month_of_deals):
    client = as_user(app, "xiaoli")
    words = text_of(client.get("/staff/deal-figures?from=2026-11-04&to=2026-11-28"))
    assert "招工与交易统计 2026年11月4日至2026年11月28日" in words
    assert "发布招工信息（C2） 1 条 提供岗位 2 个" in words
    wrong = client.get("/staff/deal-figures?from=2026-11-20&to=2026-11-10")
    assert wrong.status_code == 422
    assert "结束日期不能早于起始日期" in text_of(wrong)
    assert client.get("/staff/deal-figures.csv?month=2026-99").status_code == 422


def test_signed_out_is_sent_to_sign_in(client):
    for url in ("/staff/deal-figures", "/staff/deal-figures.csv"):
        resp = client.get(url)
        assert resp.status_code in (302, 303) and "/staff/login" in resp.headers["Location"]


def test_the_staff_nav_links_to_the_figures(app, month_of_deals):
    html = as_user(app, "xiaoli").get("/staff/dispute-figures").get_data(as_text=True)
    assert 'href="/staff/deal-figures">招工与交易统计</a>' in html
