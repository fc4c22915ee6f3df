"""The score page (考核评分): who may read and change it, what it shows first, the records
behind each figure (page and CSV, masked), the JSON contract, what-if figures, the
assessor's manual points, locking and unlocking.

The clock stands at 2026-11-28 10:00 in the hall; the service started on 2026-01-01, so
year 1 is 2026-01-01 to 2026-12-31 and the page shows it by default.
"""

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import func, select

from app.domain.deals import DealStatus, FalseKind
from app.extensions import db
from app.models import (
    AssessmentSettings,
    AuditEntry,
    EmployerType,
    FollowerCount,
    Livestream,
    LivestreamKind,
    ManualScore,
    Role,
    ScoreSnapshot,
    StaffUser,
    TaskStatus,
)
from app.services import assessment, deal_seal, metrics, score_evidence, scoring, task_orders
from tests.conftest import csrf_from
from tests.deal_steps import deal_at
from tests.factories import VALID_USCC, as_user, employer, make_id, staff_user, task_order, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")

JSON_KEYS = {"period", "rubric", "locked", "items", "base_total", "bonus_total", "total", "grade",
             "payment_percent"}
MANUAL_FULL = {"A1": "8", "A2": "3", "B1": "2", "B2": "3", "B3": "3", "B4": "3", "B5": "5", "B6": "3", "B9": "3"}


@pytest.fixture
def people(app):
    with app.app_context():
        staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)
        staff_user("xiaoli", Role.STAFF)


def user(name: str) -> StaffUser:
    return db.session.scalar(select(StaffUser).where(StaffUser.username == name))


@pytest.fixture
def started(app, people):
    """The service start date and the contract's money (bid 500,000, network fee 100,000)."""
    with app.app_context():
        assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000"),
                              bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=user("boss"))




def published(at: str, **fields):
    """A posting published at a hall-local moment."""
    stored = datetime.fromisoformat(at + "+08:00").astimezone(UTC).replace(tzinfo=None)
    return task_order(status=TaskStatus.PUBLISHED, published_at=stored, reviewed_at=stored, **fields)


def livestream(held_on: date, **fields):
    record = Livestream(held_on=held_on, platform="抖音", kind=LivestreamKind.RECRUITING, minutes=60,
                        viewers=120, **fields)
    db.session.add(record)
    db.session.commit()
    return record


def followers(counted_on: date, figure: int):
    db.session.add(FollowerCount(counted_on=counted_on, followers=figure))
    db.session.commit()


def enter_manual(app, points: dict[str, str]):
    with app.app_context():
        for key, value in points.items():
            assessment.enter_manual(1, key, value, "", user("kaohe"))


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (ManualScore, ScoreSnapshot, AuditEntry))


# -- who may do what --------------------------------------------------------------------

SCORE_URLS = ["/admin/score", "/admin/score.json", "/admin/score/1/items/C1", "/admin/score/1/items/C1.csv",
              "/admin/score/1/print", "/admin/score/1/what-if"]


def test_staff_are_refused_every_score_page(app, started):
    staff = as_user(app, "xiaoli")
    for url in SCORE_URLS:
        assert staff.get(url).status_code == 403, url
    assert "考核评分" not in staff.get("/staff/print-jobs").get_data(as_text=True)  # no nav link


def test_the_manager_reads_but_may_not_score_or_lock(app, started):
    manager = as_user(app, "boss")
    for url in SCORE_URLS:
        assert manager.get(url).status_code == 200, url
    page = manager.get("/admin/score").get_data(as_text=True)
    assert 'href="/admin/score"' in page  # the nav link
    assert "保存评分" not in page and "锁定本年度" not in page
    token = csrf_from(page)
    before = counts(app)
    assert manager.post("/admin/score/1/items/A1/manual",
                        data={"points": "8", "note": "", "csrf_token": token}).status_code == 403
    assert manager.post("/admin/score/1/lock", data={"confirm": "yes", "csrf_token": token}).status_code == 403
    assert counts(app) == before


def test_the_assessor_home_and_nav_lead_to_the_score_page(app, started):
    assessor = as_user(app, "kaohe")
    home = assessor.get("/staff/").get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/admin/score" id="assessor-score-link"', home)
    assert 'href="/admin/score">考核评分</a>' in home


def test_without_a_service_start_the_page_says_the_manager_must_set_it(app, people):
    resp = as_user(app, "boss").get("/admin/score")
    assert resp.status_code == 200
    text = text_of(resp)
    assert "还没有设置服务起始日期" in text and "请 经理 在考核设置中填写服务起始日期" in text
    if "admin.score_settings" in app.view_functions:  # the settings page is another branch's
        assert 'id="score-settings-link"' in resp.get_data(as_text=True)
    else:
        assert "考核设置页面尚未开放" in text
    json = as_user(app, "boss").get("/admin/score.json")
    assert json.status_code == 422 and "服务起始日期" in json.get_json()["error"]


# -- the page ---------------------------------------------------------------------------

def test_the_page_shows_total_grade_and_money_first_then_next_steps_then_the_sheet(app, started):
    text = text_of(as_user(app, "boss").get("/admin/score"))
    assert "第1年 2026-01-01至2026-12-31" in text
    assert "评分细则：shaxian-2026" in text
    # nothing scored by hand, no records: the items counting what is not recorded yet (B8, C4,
    # E1: fewer is better) give their points, 15 in all; 较差 pays 100,000 + 400,000 × 70 %
    assert "总分 15" in text and "等级 较差" in text and "全年应拨 ¥380,000.00" in text
    assert text.index("总分 15") < text.index("下一步") < text.index("评分表 内容 项目 评分标准")
    assert "距合格（70 分）还差 55 分" in text
    assert "尚未评分的人工项目" in text and "A1 信息网络建设" in text
    assert "本期尚无登记" in text  # F1: no follower count entered, not "0 人"


def test_without_the_contracts_money_the_page_asks_the_manager_for_it(app, people):
    with app.app_context():
        db.session.add(AssessmentSettings(id=1, service_start=date(2026, 1, 1)))
        db.session.commit()
    text = text_of(as_user(app, "boss").get("/admin/score"))
    assert "请经理填写合同金额" in text and "¥" not in text


def test_the_payment_schedule_has_each_tranche_and_the_balance(app, started):
    text = text_of(as_user(app, "boss").get("/admin/score"))
    # 15 % of the contract, then 15 %, 20 %, 20 % of the bid: 350,000; entitlement 380,000
    for line in ("2026-02-01 服务满1个月：合同金额的15% ¥75,000.00", "2026-04-01 服务满3个月：中标价的15% ¥75,000.00",
                 "2026-07-01 服务满6个月：中标价的20% ¥100,000.00", "2026-10-01 服务满9个月：中标价的20% ¥100,000.00",
                 "2027-01-01 服务满12个月：按较差等次拨付尾款 ¥30,000.00", "全年应拨（较差，70%） ¥380,000.00"):
        assert line in text
    assert "第二、三年的支付方式由双方另行商议" in text


def test_the_next_tier_says_what_it_is_worth_in_grade_and_money(app, started):
    """Full manual points but A1 at 5, twelve livestreams (one in every month so far),
    4,000 followers: 30 + 15 + 12 + 10 = 67 (较差). 1,000 registrations more give C1 3 points:
    70, 合格, which pays 10 % of (bid − network fee) more."""
    enter_manual(app, {**MANUAL_FULL, "A1": "5"})
    with app.app_context():
        for month in range(1, 12):
            livestream(date(2026, month, 10))
        livestream(date(2026, 11, 20))
        followers(date(2026, 11, 1), 4000)
    text = text_of(as_user(app, "boss").get("/admin/score"))
    assert "总分 67" in text
    assert "再登记 1,000 名零工可达 3 分，+3 分 总分升至 70，等级升为合格，全年应拨增加 ¥40,000.00" in text
    assert "再发布 1,000 条岗位可达 5 分，+5 分 总分升至 72，等级升为合格" in text
    assert "本期： 本年度 12 场" in text and "最近登记 4,000 人" in text


def test_manual_items_show_their_evidence_and_suggestions(app, started):
    with app.app_context():
        task_order()  # a draft: evidence for A1's first function
    text = text_of(as_user(app, "kaohe").get("/admin/score"))
    assert "发包方岗位任务订单： 登记招工信息 1 条" in text  # A1's checklist, in its own words
    assert "双方签订电子合同（含保险）： 电子协议已签 0 份" in text  # live, nothing signed yet
    assert "最近备份：尚无记录" in text  # A2
    # B5: three active full-time accounts (staff and manager; the assessor is not staff)
    assert "建议分：0 分（专职工作人员 2）" in text
    assert "建议分：3 分（违规收费事件 0）" in text  # B9: no 违规收费 incident this year


def test_the_monthly_trend_is_drawn_by_the_server(app, started):
    with app.app_context():
        published("2026-03-05 09:00")
        published("2026-03-20 09:00")
        published("2026-11-02 09:00")
    page = as_user(app, "boss").get("/admin/score").get_data(as_text=True)
    chart = re.search(r'<figure class="score-chart" id="chart-C2">.*?</figure>', page, re.S).group(0)
    assert "<title" in chart and "C2 岗位信息发布：每月条数" in chart
    assert "2026年3月 2 条" in chart and "2026年11月 1 条" in chart  # the description
    assert len(re.findall(r'<rect class="score-bar"', chart)) == 11  # January to November
    values = re.findall(r'class="score-bar-value"[^>]*>(\d+)<', chart)
    assert values == ["0", "0", "2"] + ["0"] * 7 + ["1"]


def test_period_tabs_and_unknown_periods(app, started):
    manager = as_user(app, "boss")
    text = text_of(manager.get("/admin/score"))
    assert "第2年 2027-01-01至2027-12-31 未开始" in text and "第3年 2028-01-01至2028-12-31" in text
    assert manager.get("/admin/score?period=2").status_code == 200
    for bad in ("x", "9", "-1", "1.5"):
        assert manager.get(f"/admin/score?period={bad}").status_code == 404, bad
    assert manager.get("/admin/score/9/items/C1").status_code == 404
    assert manager.get("/admin/score/1/items/Z9").status_code == 404


# -- manual points ----------------------------------------------------------------------

def test_the_assessor_enters_and_changes_a_manual_item(app, started):
    assessor = as_user(app, "kaohe")
    token = csrf_from(assessor.get("/admin/score").get_data(as_text=True))
    resp = assessor.post("/admin/score/1/items/B2/manual",
                         data={"points": "2.5", "note": "调解区偏小", "csrf_token": token})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/admin/score?period=1#item-B2")
    assessor.post("/admin/score/1/items/B2/manual", data={"points": "3", "note": "已扩建", "csrf_token": token})
    text = text_of(assessor.get("/admin/score"))
    assert "已保存 B2 的评分" in text
    assert "考核人员评分： 3 分 ；已扩建" in text
    assert "最近修改：kaohe 2026-11-28 10:00（共 2 次）" in text
    assert "总分 18" in text  # 15 + 3
    with app.app_context():
        trail = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "manual_score")).all()
        assert [(e.action, e.after["points"]) for e in trail] == [("score", "2.5"), ("score", "3")]


def test_manual_points_need_the_csrf_token(app, started):
    assessor = as_user(app, "kaohe")
    before = counts(app)
    resp = assessor.post("/admin/score/1/items/B2/manual", data={"points": "3", "note": ""})
    assert resp.status_code == 400
    assert counts(app) == before


@pytest.mark.parametrize("points, message", [("9", "分数应在 0 到 8 之间"), ("abc", "请填写分数，例如 3 或 2.5"),
                                             ("2.55", "分数最多保留一位小数"), ("-1", "分数应在 0 到 8 之间")])
def test_bad_manual_points_are_refused_with_422_and_nothing_is_written(app, started, points, message):
    assessor = as_user(app, "kaohe")
    token = csrf_from(assessor.get("/admin/score").get_data(as_text=True))
    before = counts(app)
    resp = assessor.post("/admin/score/1/items/A1/manual", data={"points": points, "note": "x", "csrf_token": token})
    assert resp.status_code == 422
    text = text_of(resp)
    assert f"A1 的评分没有保存：{message}" in text
    page = resp.get_data(as_text=True)
    assert f'value="{points}"' in page and 'aria-invalid="true"' in page  # kept, marked beside the field
    assert counts(app) == before


def test_an_automatic_item_cannot_be_scored_by_hand(app, started):
    assessor = as_user(app, "kaohe")
    token = csrf_from(assessor.get("/admin/score").get_data(as_text=True))
    resp = assessor.post("/admin/score/1/items/C1/manual", data={"points": "5", "csrf_token": token})
    assert resp.status_code == 422 and "由系统按记录计分" in text_of(resp)
    assert counts(app)[0] == 0


# -- the records behind a figure --------------------------------------------------------

def card_value(app, key: str) -> str:
    with app.app_context():
        return next(i["value"] for i in scoring.card(1).json()["items"] if i["key"] == key)


def csv_rows(resp) -> list[list[str]]:
    body = resp.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_each_drill_down_lists_exactly_what_its_figure_counts(app, started):
    with app.app_context():
        for _ in range(3):
            worker()
        published("2026-05-01 10:00")
        published("2026-11-27 16:00")
        task_order()  # a draft is not a posting
        task_order(status=TaskStatus.REJECTED)
        livestream(date(2026, 4, 2))
        livestream(date(2026, 6, 9))
        livestream(date(2026, 6, 10), voided_at=datetime(2026, 6, 11), void_reason="重复登记")
        livestream(date(2025, 12, 31))  # before the period
    manager = as_user(app, "boss")
    for key, value in (("C1", "3"), ("C2", "2"), ("D1", "2")):
        assert card_value(app, key) == value
        page = text_of(manager.get(f"/admin/score/1/items/{key}"))
        assert f"共 {value} 条" in page
        rows = csv_rows(manager.get(f"/admin/score/1/items/{key}.csv"))
        assert len(rows) - 1 == int(value), key
    # a session is listed with when it was typed in, so one entered long after stands out
    sessions = csv_rows(manager.get("/admin/score/1/items/D1.csv"))
    assert "登记时间" in sessions[0] and all(row[sessions[0].index("登记时间")] for row in sessions[1:])


def test_the_follower_drill_down_lists_the_entries_and_the_newest_counts(app, started):
    with app.app_context():
        followers(date(2026, 3, 1), 1800)
        followers(date(2026, 10, 1), 2600)
        followers(date(2026, 6, 1), 2300)
    assert card_value(app, "F1") == "2600"
    manager = as_user(app, "boss")
    text = text_of(manager.get("/admin/score/1/items/F1"))
    assert "共 3 条登记；计分取最近一次登记的数字： 2600" in text
    rows = csv_rows(manager.get("/admin/score/1/items/F1.csv"))
    assert rows[0][:3] == ["计分", "日期", "关注人数"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [("", "2026-03-01", "1800"), ("", "2026-06-01", "2300"),
                                                      ("最新，计分取此数", "2026-10-01", "2600")]


def test_drill_downs_are_paged_by_fifty(app, started, monkeypatch):
    monkeypatch.setattr(score_evidence, "CSV_BATCH", 7)  # the CSV is read in batches: none is lost
    with app.app_context():
        boss = employer()
        for _ in range(51):
            published("2026-08-01 09:00", employer=boss)
    manager = as_user(app, "boss")
    first = manager.get("/admin/score/1/items/C2").get_data(as_text=True)
    assert "共 <strong>51</strong> 条" in first and "第 1 / 2 页" in first
    assert first.count("<tr>") - 1 == 50  # the header row and 50 records
    second = manager.get("/admin/score/1/items/C2?page=2").get_data(as_text=True)
    assert second.count("<tr>") - 1 == 1
    rows = csv_rows(manager.get("/admin/score/1/items/C2.csv"))
    assert len(rows) == 52 and len({row[0] for row in rows[1:]}) == 51  # the CSV has each once


def test_the_csv_is_masked_and_opens_in_excel(app, started):
    with app.app_context():
        worker(name="欧阳娜娜", phone="13912345678")
        company = employer(employer_type=EmployerType.ENTERPRISE, employer_name="沙县小吃集团有限公司", uscc=VALID_USCC)
        published("2026-11-01 09:00", employer=company)
    manager = as_user(app, "boss")
    resp = manager.get("/admin/score/1/items/C1.csv")
    assert resp.mimetype == "text/csv" and resp.headers["Content-Disposition"].startswith("attachment;")
    body = resp.get_data(as_text=True)
    assert "欧阳**" in body and "欧阳娜娜" not in body and "13912345678" not in body and "5678" not in body
    orders = manager.get("/admin/score/1/items/C2.csv").get_data(as_text=True)
    assert "沙县******公司" in orders and "小吃集团" not in orders
    assert "欧阳娜娜" not in manager.get("/admin/score/1/items/C1").get_data(as_text=True)


def test_an_item_whose_records_are_not_kept_yet_says_so(app, started, monkeypatch):
    monkeypatch.delitem(metrics.REGISTRY, "deals_completed")  # as before the deals were built
    text = text_of(as_user(app, "kaohe").get("/admin/score/1/items/C3"))
    assert "尚未记录" in text
    resp = as_user(app, "kaohe").get("/admin/score/1/items/A1?counter=task_orders_drafted")
    assert resp.status_code == 200 and "发包方岗位任务订单：共 0 条" in text_of(resp)
    assert as_user(app, "kaohe").get("/admin/score/1/items/A1?counter=nothing").status_code == 404


# -- JSON -------------------------------------------------------------------------------

def test_the_json_is_exactly_the_cards_contract(app, started):
    resp = as_user(app, "kaohe").get("/admin/score.json?period=1")
    data = resp.get_json()
    assert set(data) == JSON_KEYS
    assert data["period"] == {"index": 1, "start": "2026-01-01", "end": "2026-12-31"}
    assert data["rubric"] == "shaxian-2026" and data["locked"] is False
    assert all(set(item) == {"key", "value", "points", "max", "source"} for item in data["items"])
    assert [item["key"] for item in data["items"]][:3] == ["A1", "A2", "B1"]
    assert (data["total"], data["grade"], data["payment_percent"]) == ("15", "较差", 70)
    with app.app_context():
        assert data == scoring.card(1).json()


@pytest.mark.parametrize("period, status", [("x", 404), ("9", 404), ("0", 404), ("99999", 404)])
def test_a_bad_period_in_the_json_is_a_chinese_message(app, started, period, status):
    resp = as_user(app, "boss").get(f"/admin/score.json?period={period}")
    assert resp.status_code == status
    assert re.search(r"[\u4e00-\u9fff]", resp.get_json()["error"])


# -- what if ----------------------------------------------------------------------------

def form_values(page: str) -> dict[str, str]:
    form = re.search(r'<form method="get"[^>]*class="score-what-if-form".*?</form>', page, re.S).group(0)
    return {name: unescape(value) for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', form)}


def test_what_if_seven_enterprise_postings_are_seven_tenths(app, started):
    manager = as_user(app, "boss")
    values = form_values(manager.get("/admin/score").get_data(as_text=True))
    assert values["count_G1"] == "0" and values["manual_A1"] == ""  # prefilled: nothing scored yet
    resp = manager.get("/admin/score/1/what-if", query_string={**values, "count_G1": "7"})
    assert resp.status_code == 200
    text = text_of(resp)
    assert "测算结果：总分 15.7 （基础分 15 ＋ 加分 0.7），等级 较差" in text
    assert "G1 企业用工服务 0 0.7" in text
    assert "0.7000000000000001" not in text


def test_what_if_figures_give_the_grade_and_the_money(app, started):
    manager = as_user(app, "boss")
    values = form_values(manager.get("/admin/score").get_data(as_text=True))
    typed = {**values, **{f"manual_{k}": v for k, v in MANUAL_FULL.items()}, "count_C1": "2600",
             "count_C2": "2000", "count_C3": "1500", "count_F1": "4000", "rated": "100", "satisfied": "90",
             "sessions": "12", "months_without": "0"}
    text = text_of(manager.get("/admin/score/1/what-if", query_string=typed,
                               headers={"HX-Request": "true"}))
    # everything at its best: 100, 优秀 pays the whole bid price
    assert "总分 100 （基础分 100 ＋ 加分 0），等级 优秀" in text
    assert "全年应拨 ¥500,000.00 （比目前多 ¥120,000.00）" in text


def test_bad_what_if_figures_are_422_in_chinese_and_nothing_is_written(app, started):
    manager = as_user(app, "boss")
    values = form_values(manager.get("/admin/score").get_data(as_text=True))
    before = counts(app)
    resp = manager.get("/admin/score/1/what-if", query_string={
        **values, "count_C1": "-3", "rated": "10", "satisfied": "11", "months_without": "13", "manual_A1": "9",
        "count_C2": "很多"}, headers={"HX-Request": "true"})
    assert resp.status_code == 422
    text = text_of(resp)
    assert "有 5 处需要修改" in text
    for message in ("请填写 0 或正整数", "满意评价数不能多于全部评价数", "不能超过 12", "分数应在 0 到 8 之间"):
        assert message in text
    assert "测算结果" not in text
    assert counts(app) == before


# -- locking ----------------------------------------------------------------------------

def figures_shown(confirm_page) -> str:
    """The fingerprint of the figures the confirmation page showed (sent back to lock)."""
    return re.search(r'name="figures" value="([0-9a-f]{64})"', confirm_page.get_data(as_text=True)).group(1)


def test_figures_that_change_after_the_confirmation_are_not_locked(app, started):
    assessor = as_user(app, "kaohe")
    token = csrf_from(assessor.get("/admin/score").get_data(as_text=True))
    shown = figures_shown(assessor.post("/admin/score/1/lock", data={"csrf_token": token}))
    with app.app_context():
        worker()  # registered while the assessor reads the confirmation
    refused = assessor.post("/admin/score/1/lock", data={"confirm": "yes", "csrf_token": token, "figures": shown})
    assert refused.status_code == 409 and "数据又有变化" in text_of(refused)
    assert counts(app)[1] == 0
    again = figures_shown(assessor.post("/admin/score/1/lock", data={"csrf_token": token}))
    done = assessor.post("/admin/score/1/lock", data={"confirm": "yes", "csrf_token": token, "figures": again})
    assert done.status_code == 303 and assessor.get("/admin/score.json").get_json()["items"][11]["value"] == "1"


def test_locking_asks_first_then_keeps_the_figures_and_shows_the_hash(app, started):
    with app.app_context():
        worker()
    assessor = as_user(app, "kaohe")
    token = csrf_from(assessor.get("/admin/score").get_data(as_text=True))
    ask = assessor.post("/admin/score/1/lock", data={"csrf_token": token})
    assert ask.status_code == 200 and "锁定第1年的考核？" in text_of(ask) and "将按 0 分锁定" in text_of(ask)
    assert counts(app)[1] == 0  # asking wrote nothing
    done = assessor.post("/admin/score/1/lock", data={"confirm": "yes", "csrf_token": token,
                                                      "figures": figures_shown(ask)})
    assert done.status_code == 303
    with app.app_context():
        snapshot = db.session.scalars(select(ScoreSnapshot)).one()
        sha = snapshot.sha256
    locked_page = assessor.get("/admin/score").get_data(as_text=True)
    locked_json = assessor.get("/admin/score.json").get_json()
    assert "本年度已锁定，以下为锁定时的数据" in text_of(assessor.get("/admin/score"))
    assert sha in locked_page and "kaohe 于 2026-11-28 10:00" in text_of(assessor.get("/admin/score"))
    assert locked_json["locked"] is True
    with app.app_context():  # new records after the lock
        worker()
        worker()
        published("2026-11-28 09:00")
    assert assessor.get("/admin/score.json").get_json() == locked_json
    text = text_of(assessor.get("/admin/score"))
    assert "本期： 1 人" in text  # C1 as locked, not 3
    assert "保存评分" not in text  # no manual entry on a locked year
    before = counts(app)
    refused = assessor.post("/admin/score/1/items/B2/manual", data={"points": "3", "csrf_token": token})
    assert refused.status_code == 409 and "已锁定" in text_of(refused)
    assert counts(app) == before
    print_page = assessor.get("/admin/score/1/print").get_data(as_text=True)
    assert sha in print_page
    assert assessor.post("/admin/score/1/lock", data={"confirm": "yes", "csrf_token": token}).status_code == 409


def test_unlocking_needs_a_reason_and_keeps_the_earlier_snapshot(app, started):
    assessor = as_user(app, "kaohe")
    token = csrf_from(assessor.get("/admin/score").get_data(as_text=True))
    shown = figures_shown(assessor.post("/admin/score/1/lock", data={"csrf_token": token}))
    assessor.post("/admin/score/1/lock", data={"confirm": "yes", "csrf_token": token, "figures": shown})
    ask = assessor.post("/admin/score/1/unlock", data={"csrf_token": token})
    assert ask.status_code == 200 and "解锁原因" in text_of(ask)
    before = counts(app)
    refused = assessor.post("/admin/score/1/unlock", data={"confirm": "yes", "reason": "  ", "csrf_token": token})
    assert refused.status_code == 422 and "请写明解锁原因" in text_of(refused)
    assert counts(app) == before
    done = assessor.post("/admin/score/1/unlock", data={"confirm": "yes", "reason": "B2 复核后改分",
                                                        "csrf_token": token})
    assert done.status_code == 303
    text = text_of(assessor.get("/admin/score"))
    assert "本年度已锁定" not in text and "锁定本年度" in text
    assert "锁定记录" in text and "B2 复核后改分" in text and "2026-11-28 10:00 kaohe" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScoreSnapshot)) == 1


def test_the_print_page_is_a4_with_signature_lines(app, started):
    resp = as_user(app, "boss").get("/admin/score/1/print")
    text = text_of(resp)
    assert "沙县区零工市场运营绩效考核评分表" in text and "第1年（2026-01-01至2026-12-31）" in text
    assert "运营方（盖章）" in text and "考核人员（签字）" in text and text.count("日期：") == 2
    assert "总分 105 15" in text and "等级： 较差" in text
    assert "未锁定" in text
    css = app.test_client().get("/static/score.css").get_data(as_text=True)
    assert "@page { size: A4" in css


# -- postings and deals (A1, C4, G3) ------------------------------------------------------

def test_the_deals_items_tell_their_evidence_warnings_and_suggestions(app, started, frozen_clock):
    with app.app_context():
        staff = user("xiaoli")
        deal_at(DealStatus.COMPLETED, staff, person=worker(name="欧阳娜娜"))
        hubei = worker(name="司马相如", id_number=make_id("19850505", prefix="420105", seq="321"))
        suggested = deal_at(DealStatus.ACCEPTED, staff, person=hubei)
        liar = worker(name="诸葛亮亮")
        task_orders.mark_false(FalseKind.WORKER, liar, "诸葛亮亮冒用他人身份证登记",
                               "电话 13912345678 核实", staff)
        frozen_clock.move_to("2026-11-20 09:00")
        expired = task_order(status=TaskStatus.PUBLISHED, work_date=date(2026, 11, 21))
        frozen_clock.move_to("2026-11-28 10:00")
        expired_number, suggested_number = expired.number, suggested.number
        assert not deal_seal.verify(suggested).genuine  # not signed yet: nothing to check
    for name in ("boss", "kaohe"):
        client = as_user(app, name)
        text = text_of(client.get("/admin/score"))
        assert "接包方接任务订单： 接单 2 笔" in text and "双方签订电子合同（含保险）： 电子协议已签 1 份" in text
        assert "本期： 1 条" in text and "到期仍未招满、未下架 1 条" in text  # C4 and its warning
        assert "拖延发布 0 条（超过 24 小时才发布）" in text
        assert "待确认的省际用工建议 1 笔（工作人员在交易页确认后计入）" in text
        page = client.get("/admin/score").get_data(as_text=True)
        assert 'href="/admin/score/1/items/G3?counter=inter_provincial_suggested"' in page
        listed_page = client.get("/admin/score/1/items/G3?counter=inter_provincial_suggested")
        listed = text_of(listed_page)
        assert suggested_number in listed and "司马**" in listed and "司马相如" not in listed
        assert 'href="/staff/deals?show=suggested"' in listed_page.text  # where staff confirm them
        assert expired_number in text_of(client.get("/admin/score/1/items/C4?counter=postings_expired"))
        # the assessor and the manager read the false record's reason with names masked
        false_list = client.get("/admin/score/1/items/C4").get_data(as_text=True)
        assert "诸葛**冒用他人身份证登记" in false_list and "诸葛亮亮" not in false_list
        assert "13912345678" not in false_list
        csv_text = client.get("/admin/score/1/items/C4.csv").get_data(as_text=True)
        assert "诸葛**" in csv_text and "诸葛亮亮" not in csv_text and "13912345678" not in csv_text
        printed = text_of(client.get("/admin/score/1/print"))
        assert "提示：到期仍未招满、未下架 1 条" in printed and "电子协议已签 1 份" in printed
