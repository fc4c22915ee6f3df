"""The entry screens for what only staff know (直播与关注), the 专职 mark on the accounts page,
and the manager's score settings: who may do what, what a person sees, and that bad input
is answered in Chinese with nothing written."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AssessmentSettings,
    AuditEntry,
    FollowerCount,
    Livestream,
    PeriodRubric,
    Role,
    StaffUser,
)
from app.services import metrics, score_locks, scoring
from tests.conftest import csrf_from
from tests.factories import login, staff_user

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today in the hall: 2026-11-28

SESSION = {"held_on": "2026-11-20", "platform": "抖音", "kind": "recruiting", "minutes": "90",
           "viewers": "1200", "postings_promoted": "8", "note": ""}
SETTINGS = {"service_start": "2026-01-01", "contract_amount": "500000", "bid_price": "480000.50",
            "network_fee": "30000"}


@pytest.fixture
def as_role(app, client):
    """Sign the client in with a new account of that role (username = the role's value)."""
    def sign_in(role=Role.STAFF):
        with app.app_context():
            staff_user(username=role.value, role=role)
        assert login(client, username=role.value).status_code == 303
        return client

    return sign_in


def post(client, page: str, url: str, data: dict, **kwargs):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit_actions(app, record_type) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.actor_label) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == record_type).order_by(AuditEntry.id))]


def text(resp) -> str:
    """The page's text without tags, spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True)).split())


def sign_out(client):
    client.post("/staff/logout", data={"csrf_token": csrf_from(client.get("/admin/livestreams").get_data(as_text=True))})


def add_session(client, **overrides):
    return post(client, "/admin/livestreams", "/admin/livestreams/add", {**SESSION, **overrides})


# -- livestreams -------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_staff_and_the_manager_add_a_session_and_see_it_listed(app, as_role, role):
    client = as_role(role)
    resp = add_session(client, platform="快手", kind="employer")
    assert resp.status_code == 303 and resp.headers["Location"] == "/admin/livestreams"
    page = text(client.get("/admin/livestreams"))
    assert "2026年11月20日 快手 企业用工宣传 90 分钟 1,200 8" in page
    assert audit_actions(app, "livestream") == [("create", role.value)]


def test_the_nav_leads_every_role_to_the_records(as_role):
    for role in Role:
        client = as_role(role)
        assert 'href="/admin/livestreams">直播与关注</a>' in client.get("/staff/print-jobs" if role != Role.ASSESSOR
                                                                    else "/staff/").get_data(as_text=True)
        sign_out(client)


def test_bad_input_is_answered_in_chinese_beside_its_field_and_nothing_is_written(app, as_role):
    client = as_role()
    resp = add_session(client, held_on="2026-11-29", minutes="0", platform="", note="写了备注")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    for field, message in [("held_on", "直播日期不能晚于今天"), ("minutes", "直播时长应为1到1,440分钟之间的整数"),
                           ("platform", "请选择或填写直播平台")]:
        assert re.search(rf'id="{field}-error">.*?{message}', html), field
    assert 'value="写了备注"' in html and 'value="recruiting" checked' in html  # what was typed stays
    assert count(app, Livestream) == 0 and count(app, AuditEntry, AuditEntry.record_type == "livestream") == 0


def test_a_post_without_the_csrf_token_is_refused(app, as_role):
    client = as_role()
    assert client.post("/admin/livestreams/add", data=SESSION).status_code == 400
    assert client.post("/admin/followers/add", data={"counted_on": "2026-11-28", "followers": "9"}).status_code == 400
    assert count(app, Livestream) == 0 and count(app, FollowerCount) == 0


def test_voiding_asks_for_a_reason_then_keeps_the_record_struck_through(app, as_role):
    client = as_role()
    add_session(client)
    add_session(client, held_on="2026-11-21")
    november = scoring.months(scoring_year(app))[10]
    with app.app_context():
        first = db.session.scalars(select(Livestream).order_by(Livestream.id)).first().id
        assert metrics.measure("livestreams", november).value == 2

    ask = post(client, "/admin/livestreams", f"/admin/livestreams/{first}/void", {})
    assert ask.status_code == 200 and "作废这条直播记录？" in text(ask)
    assert "不再计入直播场次（D1）" in text(ask) and 'name="reason"' in ask.get_data(as_text=True)
    no_reason = post(client, "/admin/livestreams", f"/admin/livestreams/{first}/void", {"confirm": "yes"})
    assert no_reason.status_code == 422 and "请写明作废原因" in text(no_reason)
    assert count(app, Livestream, Livestream.voided_at.is_not(None)) == 0

    done = post(client, "/admin/livestreams", f"/admin/livestreams/{first}/void",
                {"confirm": "yes", "reason": "重复登记"})
    assert done.status_code == 303

    html = client.get("/admin/livestreams").get_data(as_text=True)
    voided_row = re.search(r'<tr class="voided">(.*?)</tr>', html, re.S).group(1)
    assert "2026年11月20日" in voided_row and "已作废" in voided_row and "原因：重复登记" in voided_row
    assert "小李" in voided_row and "/void" not in voided_row  # who voided it; no second 作废 button
    with app.app_context():
        assert metrics.measure("livestreams", november).value == 1
    assert audit_actions(app, "livestream") == [("create", "staff"), ("create", "staff"), ("void", "staff")]
    again = post(client, "/admin/livestreams", f"/admin/livestreams/{first}/void", {"confirm": "yes", "reason": "x"})
    assert again.status_code == 409 and "这条记录已经作废" in text(again)


def scoring_year(app):
    from zoneinfo import ZoneInfo

    from app.domain.periods import LocalPeriod

    return LocalPeriod.assessment_year(date(2026, 1, 1), 1, ZoneInfo("Asia/Shanghai"))


def test_the_assessor_reads_everything_but_may_not_post(app, client, as_role):
    as_role(Role.STAFF)
    add_session(client)
    add_session(client, held_on="2026-11-21", platform="快手")
    with app.app_context():
        row = db.session.scalars(select(Livestream).order_by(Livestream.id)).first()
        from app.services import outreach
        outreach.void_livestream(row, "重复登记", db.session.get(StaffUser, row.created_by_id))
    sign_out(client)

    assessor = as_role(Role.ASSESSOR)
    page = assessor.get("/admin/livestreams")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "原因：重复登记" in html and "快手" in html  # voided rows too
    assert 'action="/admin/livestreams/add"' not in html and "/void" not in html
    assert "考核人员可查看全部直播记录" in text(page)
    token = csrf_from(html)
    assert assessor.post("/admin/livestreams/add", data={**SESSION, "csrf_token": token}).status_code == 403
    assert assessor.post(f"/admin/livestreams/{row.id + 1}/void",
                         data={"confirm": "yes", "reason": "x", "csrf_token": token}).status_code == 403
    assert assessor.post("/admin/followers/add", data={"counted_on": "2026-11-28", "followers": "9",
                                                        "csrf_token": token}).status_code == 403
    assert count(app, Livestream) == 2 and count(app, Livestream, Livestream.voided_at.is_(None)) == 1
    assert count(app, FollowerCount) == 0


def test_a_month_without_a_session_stands_out(app, as_role):
    client = as_role(Role.MANAGER)
    post(client, "/admin/score/settings", "/admin/score/settings/save", SETTINGS)
    add_session(client, held_on="2026-03-10")
    html = client.get("/admin/livestreams").get_data(as_text=True)
    months = {name: state for state, name in re.findall(
        r'<li class="month month-(\w+)">.*?<span class="month-name">(\d+)月', html, re.S)}
    assert months["3"] == "held" and months["2"] == "missing" and months["11"] == "open"
    assert months["12"] == "ahead"
    assert text(client.get("/admin/livestreams")).count("本月无直播") == 9  # Jan, Feb, Apr … Oct
    assert "第1考核年度（2026年1月1日至2026年12月31日） 每月直播场次 （有效 1 场" in text(client.get("/admin/livestreams"))
    march = text(client.get("/admin/livestreams?year=1&month=2026-03"))
    assert "2026年3月 直播记录" in march and "2026年3月10日" in march


def test_without_a_service_start_the_page_says_so_and_lists_the_calendar_year(as_role):
    client = as_role()
    page = text(client.get("/admin/livestreams"))
    assert "尚未设置服务起始日期，无法划分考核年度，暂按自然年（2026年）列出" in page
    assert "2026年 直播记录" in page


def test_the_audit_trail_tells_the_entries_in_chinese(as_role):
    client = as_role(Role.MANAGER)
    add_session(client, kind="policy")
    page = text(client.get("/admin/audit?type=livestream"))
    assert "直播记录 #1 创建" in page
    assert "直播日期：2026-11-20 · 平台：抖音 · 直播类型：政策宣传 · 时长（分钟）：90 · 观看人数：1200 · 推介岗位数：8" in page


# -- follower counts ---------------------------------------------------------------------

def test_follower_counts_are_listed_newest_first_with_the_one_the_score_uses(app, as_role):
    client = as_role()
    for day, number in [("2026-10-01", "2100"), ("2026-11-15", "2,480"), ("2026-09-01", "1900")]:
        resp = post(client, "/admin/followers", "/admin/followers/add", {"counted_on": day, "followers": number})
        assert resp.status_code == 303
    page = client.get("/admin/followers")
    rows = re.findall(r"<td>(2026年\d+月\d+日)</td><td>([\d,]+) 人</td>", page.get_data(as_text=True))
    assert rows == [("2026年11月15日", "2,480"), ("2026年10月1日", "2,100"), ("2026年9月1日", "1,900")]
    assert "2026年 · 计分采用： 2026年11月15日 登记的 2,480 人" in text(page)
    counted = re.search(r'<tr class=" counted-row">(.*?)</tr>', page.get_data(as_text=True), re.S).group(1)
    assert "2026年11月15日" in counted and "计分采用" in counted

    with app.app_context():
        newest = db.session.scalar(select(FollowerCount.id).where(FollowerCount.followers == 2480))
    post(client, "/admin/followers", f"/admin/followers/{newest}/void", {"confirm": "yes", "reason": "看错了"})
    page = text(client.get("/admin/followers"))
    assert "计分采用： 2026年10月1日 登记的 2,100 人" in page and "原因：看错了" in page
    assert audit_actions(app, "follower_count")[-1] == ("void", "staff")


def test_a_wrong_follower_count_is_answered_and_not_written(app, as_role):
    client = as_role()
    resp = post(client, "/admin/followers", "/admin/followers/add", {"counted_on": "2026-12-01", "followers": "-5"})
    assert resp.status_code == 422
    assert "统计日期不能晚于今天" in text(resp) and "关注人数应为0到100,000,000人之间的整数" in text(resp)
    assert count(app, FollowerCount) == 0 and count(app, AuditEntry, AuditEntry.record_type == "follower_count") == 0


# -- full-time staff ---------------------------------------------------------------------

def test_the_manager_marks_accounts_full_time_and_sees_the_count(app, as_role):
    client = as_role(Role.MANAGER)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "当前专职人员 1 人（评分表要求不少于3人）" in page
    assert re.search(r'<input id="full_time" name="full_time" type="checkbox" value="y" checked>', page)

    # a new account, 专职 unticked (an unticked box sends nothing)
    resp = post(client, "/admin/users", "/admin/users", {
        "username": "xiaowang", "display_name": "小王", "role": "staff", "password": "Long-enough-pw-9",
        "password2": "Long-enough-pw-9"})
    assert resp.status_code == 303
    with app.app_context():
        wang = db.session.scalar(select(StaffUser).where(StaffUser.username == "xiaowang"))
        assert not wang.full_time
    assert "当前专职人员 1 人" in text(client.get("/admin/users"))

    resp = post(client, "/admin/users", f"/admin/users/{wang.id}/full-time", {"full_time": "1"})
    assert resp.status_code == 303
    page = text(client.get("/admin/users"))
    assert "当前专职人员 2 人（评分表要求不少于3人）" in page
    assert "xiaowang 小王 工作人员 启用 专职 设为非专职" in page
    post(client, "/admin/users", f"/admin/users/{wang.id}/full-time", {"full_time": "1"})  # a second tap
    assert audit_actions(app, "staff_user")[-1] == ("full_time", "manager")
    assert [a for a, _ in audit_actions(app, "staff_user")].count("full_time") == 1


def test_the_assessor_account_has_no_full_time_button(app, as_role):
    with app.app_context():
        assessor = staff_user(username="kaohe", role=Role.ASSESSOR).id
    client = as_role(Role.MANAGER)
    assert f"/admin/users/{assessor}/full-time" not in client.get("/admin/users").get_data(as_text=True)
    resp = post(client, "/admin/users", f"/admin/users/{assessor}/full-time", {"full_time": "1"})
    assert resp.status_code == 409 and "考核人员账号不计入专职工作人员" in text(resp)


# -- score settings ----------------------------------------------------------------------

def test_the_manager_saves_the_settings_and_sees_who_changed_them(app, as_role):
    client = as_role(Role.MANAGER)
    assert "尚未修改过" in text(client.get("/admin/score/settings"))
    resp = post(client, "/admin/score/settings", "/admin/score/settings/save", SETTINGS)
    assert resp.status_code == 303 and resp.headers["Location"] == "/admin/score/settings"
    with app.app_context():
        row = db.session.get(AssessmentSettings, 1)
        assert (row.service_start, row.contract_amount, row.bid_price, row.network_fee) == (
            date(2026, 1, 1), Decimal("500000.00"), Decimal("480000.50"), Decimal("30000.00"))
    page = client.get("/admin/score/settings")
    assert "最近修改：manager，2026-11-28 10:00" in text(page)
    assert 'value="480000.50"' in page.get_data(as_text=True)
    assert "2026年1月1日 至 2026年12月31日" in text(page)  # the first assessment year
    post(client, "/admin/score/settings", "/admin/score/settings/save", SETTINGS)  # nothing changed
    assert audit_actions(app, "assessment_settings") == [("settings", "manager")]


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("service_start", "", "请选择服务起始日期"),
    ("service_start", "1.1.2026", "服务起始日期格式应为 年-月-日"),
    ("contract_amount", "-1", "合同金额应为0或正数"),
    ("bid_price", "1000.005", "中标价最多保留两位小数"),
    ("bid_price", "四十万", "中标价应为数字"),
    ("network_fee", "480000.51", "网络建设费不能高于中标价"),
])
def test_wrong_settings_are_answered_and_nothing_is_written(app, as_role, field, raw, message):
    client = as_role(Role.MANAGER)
    resp = post(client, "/admin/score/settings", "/admin/score/settings/save", {**SETTINGS, field: raw})
    assert resp.status_code == 422
    assert re.search(rf'id="{field}-error">.*?{message}', resp.get_data(as_text=True))
    assert count(app, AssessmentSettings) == 0 and count(app, AuditEntry, AuditEntry.record_type ==
                                                         "assessment_settings") == 0


def test_zero_and_blank_sums_are_accepted(app, as_role):
    client = as_role(Role.MANAGER)
    resp = post(client, "/admin/score/settings", "/admin/score/settings/save",
                {"service_start": "2026-01-01", "contract_amount": "", "bid_price": "0", "network_fee": "0"})
    assert resp.status_code == 303
    with app.app_context():
        row = db.session.get(AssessmentSettings, 1)
        assert (row.contract_amount, row.bid_price, row.network_fee) == (None, Decimal(0), Decimal(0))


def test_the_assessor_sees_the_settings_read_only(app, client, as_role):
    manager = as_role(Role.MANAGER)
    post(manager, "/admin/score/settings", "/admin/score/settings/save", SETTINGS)
    sign_out(manager)
    assessor = as_role(Role.ASSESSOR)
    page = assessor.get("/admin/score/settings")
    assert page.status_code == 200
    assert "服务起始日期 2026年1月1日 合同金额 500,000 元 中标价 480,000.5 元 网络建设费 30,000 元" in text(page)
    assert "<form" not in page.get_data(as_text=True).split("<main")[1]  # nothing to change (but 退出)
    token = csrf_from(page.get_data(as_text=True))
    assert assessor.post("/admin/score/settings/save", data={**SETTINGS, "bid_price": "1",
                                                              "csrf_token": token}).status_code == 403
    assert assessor.post("/admin/score/settings/rubric/1", data={"version": "shaxian-2026",
                                                                  "csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(AssessmentSettings, 1).bid_price == Decimal("480000.50")
        # years 1–3 got the default rubric with the manager's settings; the assessor changed none
        assert {(r.period, r.version) for r in db.session.scalars(select(PeriodRubric))} == \
            {(1, "shaxian-2026"), (2, "shaxian-2026"), (3, "shaxian-2026")}
        assert audit_actions(app, "period_rubric") == []


def test_the_rubric_of_a_year_is_chosen_unless_the_year_is_locked(app, as_role):
    client = as_role(Role.MANAGER)
    post(client, "/admin/score/settings", "/admin/score/settings/save", SETTINGS)
    assert post(client, "/admin/score/settings", "/admin/score/settings/rubric/2",
                {"version": "shaxian-2026"}).status_code == 303
    assert audit_actions(app, "period_rubric") == [("set_rubric", "manager")]
    row = re.search(r"第2考核年度.*?</tr>", client.get("/admin/score/settings").get_data(as_text=True), re.S)
    assert "最近修改：manager" in row.group(0)

    unknown = post(client, "/admin/score/settings", "/admin/score/settings/rubric/1", {"version": "../secret"})
    assert unknown.status_code == 422 and "没有这个评分细则版本" in text(unknown)
    with app.app_context():
        score_locks.lock(1, db.session.scalar(select(StaffUser).where(StaffUser.username == "manager")))
    page = client.get("/admin/score/settings").get_data(as_text=True)
    assert 'action="/admin/score/settings/rubric/1"' not in page and "已锁定，不能更换" in page
    locked = post(client, "/admin/score/settings", "/admin/score/settings/rubric/1", {"version": "shaxian-2026"})
    assert locked.status_code == 409 and "该考核年度已锁定" in text(locked)
    assert count(app, PeriodRubric) == 3  # years 1–3, recorded with the first settings
