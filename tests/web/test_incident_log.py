"""事件登记, the hall's incident log: staff and the manager enter incidents and void those
entered in error (with a reason, never deleted); the assessor reads the list with who was
involved masked; bad input is answered beside its field with nothing written."""

import re

import pytest
from sqlalchemy import func, select

from app.crypto import vault
from app.domain.periods import LocalPeriod
from app.extensions import db
from app.models import AuditEntry, Incident, Role
from app.services import metrics
from tests.conftest import csrf_from
from tests.factories import as_user, incident, staff_user, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")  # the hall: Saturday 2026-11-28 10:00

ENTRY = {"kind": "fight", "occurred_on": "2026-11-28", "occurred_time": "09:15", "place": "取号等候区",
         "involved": "零工张三、用工方李四（13800001234）", "police_called": "yes",
         "outcome": "双方被劝开，民警到场登记后离开"}


@pytest.fixture
def people(app):
    with app.app_context():
        for name, role in (("xiaoli", Role.STAFF), ("boss", Role.MANAGER), ("bureau", Role.ASSESSOR)):
            staff_user(username=name, role=role)
    return {name: as_user(app, name) for name in ("xiaoli", "boss", "bureau")}


def post(client, url: str, data: dict):
    token = csrf_from(client.get("/staff/incidents").get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def add(client, **overrides):
    return post(client, "/staff/incidents", {**ENTRY, **overrides})


def count(app, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Incident).where(*where))


def row_html(client, incident_id: int) -> str:
    html = client.get("/staff/incidents").get_data(as_text=True)
    return re.search(rf'<tr class="[^"]*" id="incident-{incident_id}">(.*?)</tr>', html, re.S).group(1)


def november(app) -> LocalPeriod:
    from zoneinfo import ZoneInfo

    return LocalPeriod.month(2026, 11, ZoneInfo(app.config["HALL_TIMEZONE"]))


@pytest.mark.parametrize("who", ["xiaoli", "boss"])
def test_staff_and_the_manager_enter_an_incident_and_see_it_in_full(app, people, who):
    client = people[who]
    resp = add(client)
    assert resp.status_code == 303 and resp.headers["Location"] == "/staff/incidents"
    page = client.get("/staff/incidents")
    assert "已登记：2026-11-28 09:15 取号等候区 打架斗殴" in text_of(page)
    row = text_of(page).split("事件记录")[-1]
    assert ("2026-11-28 09:15 打架斗殴 取号等候区 零工张三、用工方李四（13800001234） 已报警 "
            "双方被劝开，民警到场登记后离开") in row
    assert "有效" in row and "11月 1 件" in text_of(page)  # the month strip counts it
    with app.app_context():
        assert metrics.measure("hall_incidents", november(app)).value == 1
        stored = db.session.scalar(select(Incident))
        assert "张三" not in stored.involved_cipher  # encrypted at rest
        assert [e.action for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "incident"))] == ["create"]


def test_the_nav_leads_every_role_to_the_log(people):
    for client in people.values():
        assert 'href="/staff/incidents">事件登记</a>' in client.get("/staff/dispute-figures").get_data(as_text=True)


def test_missing_fields_are_named_beside_each_and_nothing_is_written(app, people):
    resp = post(people["xiaoli"], "/staff/incidents", {"involved": "王五"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    for field, message in [("kind", "请选择事件类型"), ("occurred_at", "请选择发生日期"), ("place", "请输入发生地点"),
                           ("police_called", "请选择是否报警"), ("outcome", "请输入处理结果")]:
        assert re.search(rf'id="{field}-error">.*?{message}', html), field
    assert "involved-error" not in html and ">王五</textarea>" in html  # what was typed stays
    assert count(app) == 0


@pytest.mark.parametrize("when, message", [
    (("2026-11-28", "10:01"), "发生时间不能晚于现在"),
    (("2026-11-29", "08:00"), "发生时间不能晚于现在"),
    (("2026-11-28", "25:00"), "请填写发生时间，如 14:30"),
    (("2026-11-28", ""), "请填写发生时间，如 14:30"),
    (("28/11/2026", "09:00"), "发生日期格式应为 年-月-日"),
])
def test_a_time_in_the_future_or_unreadable_is_refused(app, people, when, message):
    resp = add(people["xiaoli"], occurred_on=when[0], occurred_time=when[1])
    assert resp.status_code == 422
    assert re.search(rf'id="occurred_at-error">.*?{message}', resp.get_data(as_text=True))
    assert count(app) == 0


@pytest.mark.parametrize("clock_time", ["10:00", "9:59", "09:59:30", "09：58"])
def test_a_moment_ago_is_accepted_as_typed_or_as_the_browser_sends_it(app, people, clock_time):
    assert add(people["xiaoli"], occurred_time=clock_time).status_code == 303
    assert count(app) == 1


def test_markup_is_refused_and_other_characters_are_shown_escaped(app, people):
    client = people["xiaoli"]
    resp = add(client, involved="<script>alert(1)</script>", outcome="已劝离 <b>")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert re.search(r'id="involved-error">.*?不能包含 &lt; 或 &gt; 符号', html)
    assert re.search(r'id="outcome-error">.*?不能包含 &lt; 或 &gt; 符号', html)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html  # shown back, inert
    assert count(app) == 0

    assert add(client, place='东门 "A&B" 区', involved="张三 & 李四").status_code == 303
    html = client.get("/staff/incidents").get_data(as_text=True)
    assert "东门 &#34;A&amp;B&#34; 区" in html and "张三 &amp; 李四" in html


def test_voiding_asks_for_a_reason_then_keeps_the_record_struck_through(app, people):
    client = people["boss"]
    add(client)
    add(client, kind="fee", place="服务窗口", occurred_time="08:30")
    with app.app_context():
        first = db.session.scalars(select(Incident).order_by(Incident.id)).first().id

    ask = post(client, f"/staff/incidents/{first}/void", {})
    assert ask.status_code == 200 and "作废这条事件记录？" in text_of(ask)
    assert "不再计入场内治安事件（B8）" in text_of(ask) and 'name="reason"' in ask.get_data(as_text=True)
    no_reason = post(client, f"/staff/incidents/{first}/void", {"confirm": "yes", "reason": "  "})
    assert no_reason.status_code == 422 and "请写明作废原因" in text_of(no_reason)
    assert count(app, Incident.voided_at.is_not(None)) == 0

    done = post(client, f"/staff/incidents/{first}/void", {"confirm": "yes", "reason": "同一起事件登记了两次"})
    assert done.status_code == 303
    voided = row_html(client, first)
    assert "已作废" in voided and "原因：同一起事件登记了两次" in voided and "小李" in voided
    assert "2026-11-28" in voided and "/void" not in voided  # when, and no second 作废 button
    assert 'class="voided"' in client.get("/staff/incidents").get_data(as_text=True)
    assert "（共 2 条，其中已作废 1 条）" in text_of(client.get("/staff/incidents"))
    with app.app_context():
        assert metrics.measure("hall_incidents", november(app)).value == 0
        assert metrics.measure("fee_incidents", november(app)).value == 1
    assert count(app) == 2  # nothing deleted

    again = post(client, f"/staff/incidents/{first}/void", {"confirm": "yes", "reason": "再作废一次"})
    assert again.status_code == 409
    assert "由 小李 作废（原因：同一起事件登记了两次），无需再作废" in text_of(again)
    with app.app_context():
        row = db.session.get(Incident, first)
        assert row.void_reason == "同一起事件登记了两次"
        actions = [e.action for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "incident", AuditEntry.record_id == first))]
        assert actions == ["create", "void"]


def test_the_assessor_reads_every_entry_masked_and_may_not_post(app, people):
    add(people["xiaoli"])
    with app.app_context():
        gone = incident(kind="extortion", voided=True, involved_cipher=vault().encrypt("赵六")).id
        entered = db.session.scalar(select(Incident.id).where(Incident.id != gone))
    assessor = people["bureau"]
    page = assessor.get("/staff/incidents")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "零***、用****（***********）" in text_of(page)
    assert "张三" not in html and "李四" not in html and "13800001234" not in html and "赵六" not in html
    assert "原因：重复登记" in text_of(page) and "敲诈勒索" in text_of(page)  # voided ones too
    assert 'action="/staff/incidents"' not in html.replace('method="get" action="/staff/incidents"', "")
    assert "/void" not in html and "考核人员可查看全部事件记录" in text_of(page)
    token = csrf_from(html)
    assert assessor.post("/staff/incidents", data={**ENTRY, "csrf_token": token}).status_code == 403
    assert assessor.post(f"/staff/incidents/{entered}/void",
                         data={"confirm": "yes", "reason": "x x", "csrf_token": token}).status_code == 403
    assert count(app) == 2 and count(app, Incident.voided_at.is_(None)) == 1


def test_the_list_filters_by_month_and_kind(app, people):
    client = people["xiaoli"]
    add(client)
    add(client, kind="false_hiring", occurred_on="2026-10-31", occurred_time="23:50", place="大厅门外")
    october = text_of(client.get("/staff/incidents?month=2026-10"))
    assert "2026年10月 事件记录" in october and "虚假招聘 大厅门外" in october
    assert "取号等候区" not in october.split("事件记录")[-1]
    hiring = text_of(client.get("/staff/incidents?kind=false_hiring"))
    assert "事件记录：虚假招聘" in hiring and "（共 1 条" in hiring
    assert "打架斗殴 取号等候区" not in hiring
    nothing = text_of(client.get("/staff/incidents?month=2026-10&kind=fight"))
    assert "这个月还没有打架斗殴事件记录" in nothing


def test_no_route_deletes_an_incident(app):
    deleting = [rule.rule for rule in app.url_map.iter_rules()
                if "incident" in rule.rule and ("DELETE" in rule.methods or "delete" in rule.rule)]
    assert deleting == []
    assert {rule.rule for rule in app.url_map.iter_rules() if "incident" in rule.rule} == {
        "/staff/incidents", "/staff/incidents/<id:row_id>/void"}


def test_the_same_form_sent_twice_enters_one_incident(app, people):
    """A retry after a lost answer (or a double click past the disabled button) must not
    count an incident twice in B8: the page's one-time key enters it once."""
    client = people["xiaoli"]
    html = client.get("/staff/incidents").get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    data = {**ENTRY, "csrf_token": csrf_from(html), "form_key": key}
    assert client.post("/staff/incidents", data=data).status_code == 303
    assert client.post("/staff/incidents", data=data).status_code == 303
    assert count(app) == 1
    forged = client.post("/staff/incidents", data={**data, "form_key": "forged.key"})
    assert forged.status_code == 422 and count(app) == 1
