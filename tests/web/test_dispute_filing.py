"""Staff file an oral or phone application (登记口头或电话申请): the kiosk's fields, typed
at a keyboard, with the channel chosen; bad input answered beside each field with nothing
stored; the same form sent twice files one case."""

import json
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.domain.disputes import CaseChannel, CaseStatus
from app.extensions import db
from app.models import DisputeCase, Role
from tests.factories import as_user, dispute_form, staff_user, text_of
from tests.factories import worker as registered

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall


@pytest.fixture
def staff(app):
    with app.app_context():
        staff_user(username="staff", role=Role.STAFF)
    return as_user(app, "staff")


def the_form(client) -> dict:
    html = client.get("/staff/disputes/new").text
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1) for name in ("csrf_token", "form_key")}


def cases(app) -> list[DisputeCase]:
    with app.app_context():
        found = db.session.scalars(select(DisputeCase)).all()
        for case in found:
            db.session.expunge(case)
        return found


def test_a_phone_application_is_filed_once_however_often_it_is_sent(app, staff):
    hidden = the_form(staff)
    data = {**hidden, **dispute_form(applicant_name="陈七", other_party_company="沙县某某装修公司"), "channel": "phone"}
    first = staff.post("/staff/disputes/new", data=data)
    second = staff.post("/staff/disputes/new", data=data)  # a double click, or the back button
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == "/staff/disputes/1"
    [case] = cases(app)
    assert case.number == "2026-JF-0001" and case.channel == CaseChannel.PHONE and case.status == CaseStatus.RECEIVED
    assert case.other_party_company == "沙县某某装修公司" and case.created_by_id is not None
    page = text_of(staff.get("/staff/disputes/1"))
    assert "已登记纠纷申请 2026-JF-0001（电话申请）。受理期限：2026年12月2日" in page
    assert "收到申请（电话申请） · 小李" in page and "陈七" in page


def test_a_counter_application_of_a_registered_worker_links_to_their_record(app, staff):
    with app.app_context():
        person = registered(name="李四", id_number="360426199101010071")
        person_id = person.id
    data = {**the_form(staff), **dispute_form(id_number="360426199101010071"), "channel": "counter"}
    assert staff.post("/staff/disputes/new", data=data).status_code == 303
    [case] = cases(app)
    assert case.worker_id == person_id and case.channel == CaseChannel.COUNTER
    assert f'href="/staff/workers/{person_id}"' in staff.get(f"/staff/disputes/{case.id}").text


def test_an_applicant_at_the_counter_takes_the_case_slip_and_one_on_the_phone_does_not(app, staff):
    """The slip's QR is the applicant's way to the case's page and to rating the mediation:
    whoever stands at the counter gets it, as at the kiosk."""
    from app.models import PrintJob

    data = {**the_form(staff), **dispute_form(), "channel": "counter"}
    assert "申请凭条已送打印" in text_of(staff.post("/staff/disputes/new", data=data, follow_redirects=True))
    data = {**the_form(staff), **dispute_form(), "channel": "phone"}
    assert staff.post("/staff/disputes/new", data=data).status_code == 303
    with app.app_context():
        counter, phone = db.session.scalars(select(DisputeCase).order_by(DisputeCase.id)).all()
        jobs = db.session.scalars(select(PrintJob)).all()
        assert [(job.kind, job.subject) for job in jobs] == [("dispute_slip", f"case:{counter.id}")]
        assert counter.applicant_token in json.dumps(jobs[0].receipt)  # its QR: the applicant's page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"channel": ""}, "channel", "请选择申请方式：窗口口头申请或电话申请"),
    ({"channel": "kiosk"}, "channel", "请选择申请方式"),  # the kiosk files its own
    ({"applicant_role": ""}, "applicant_role", "请选择您是零工还是用工方"),
    ({"applicant_name": ""}, "applicant_name", "请输入姓名"),
    ({"applicant_phone": "1380000"}, "applicant_phone", "手机号"),
    ({"id_number": "123456"}, "id_number", "身份证"),
    ({"other_party_name": ""}, "other_party_name", "请输入对方姓名或单位"),
    ({"other_party_phone": "13800000001"}, "other_party_phone", "对方电话不能和您的电话相同"),
    ({"kind": "fight"}, "kind", "请选择纠纷类型"),
    ({"amount": "一千二"}, "amount", "涉及金额"),
    ({"facts": ""}, "facts", "请输入发生了什么"),
    ({"facts": "他说<script>"}, "facts", "不能包含 < 或 > 符号"),
    ({"wants": "要钱\x00"}, "wants", "含有无法显示的字符"),
])
def test_bad_input_is_answered_beside_its_field_and_nothing_is_filed(app, staff, changes, field, message):
    data = {**the_form(staff), **dispute_form(), "channel": "counter", **changes}
    resp = staff.post("/staff/disputes/new", data=data)
    assert resp.status_code == 422
    html = resp.text
    assert message in unescape(html[html.index(f'id="{field}-error"'):][:300])
    assert 'id="error-summary"' in html
    # what was typed stays in the form, escaped
    kept = "李四" if field != "applicant_name" else "王老板"
    assert f'value="{kept}"' in html and "<script>" not in html.split('id="facts"')[1][:200]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DisputeCase)) == 0


def test_a_form_key_from_elsewhere_files_nothing(app, staff):
    data = {**the_form(staff), **dispute_form(), "channel": "counter", "form_key": "forged.0123456789abcdef0123"}
    resp = staff.post("/staff/disputes/new", data=data)
    assert resp.status_code == 422 and "页面已过期，请重新填写" in text_of(resp)
    assert cases(app) == []
    fresh = re.search(r'name="form_key" value="([^"]+)"', resp.text).group(1)
    assert staff.post("/staff/disputes/new", data={**data, "form_key": fresh}).status_code == 303


def test_the_assessor_cannot_file(app):
    with app.app_context():
        staff_user(username="assessor", role=Role.ASSESSOR)
    assessor = as_user(app, "assessor")
    assert assessor.get("/staff/disputes/new").status_code == 403
    assert "登记口头或电话申请" not in assessor.get("/staff/disputes").text


def test_an_id_number_registered_under_another_name_is_said_beside_it(app, staff):
    with app.app_context():
        registered(name="张三丰", id_number="360426199101010071")
    data = {**the_form(staff), **dispute_form(applicant_name="李四", id_number="360426199101010071"),
            "channel": "counter"}
    resp = staff.post("/staff/disputes/new", data=data)
    assert resp.status_code == 422
    assert 'id="id_number-error"' in resp.text and "姓名与登记信息不一致" in text_of(resp)
    assert 'name="applicant_name"' in resp.text  # the form again, as typed
    assert cases(app) == []
