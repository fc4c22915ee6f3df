"""我要维权 at the kiosk: the filing form's contract, bad input, the one-time key, and a
registered worker recognised by their slip's QR or their ID number."""

import re

import pytest
from sqlalchemy import func, select

from app.crypto import vault
from app.domain.disputes import CaseStatus
from app.extensions import db
from app.models import DisputeCase, PrintJob
from tests.conftest import csrf_from
from tests.factories import dispute_form, make_id, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")

HX = {"HX-Request": "true"}
KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')
NUMBER_RE = re.compile(r'id="case-number">([^<]+)<')


def fresh_form(client) -> tuple[str, str]:
    html = client.get("/kiosk/dispute").get_data(as_text=True)
    return csrf_from(html), KEY_RE.search(html).group(1)


def post(client, url="/kiosk/dispute", headers=None, **overrides):
    token, key = fresh_form(client)
    return client.post(url, data={**dispute_form(**overrides), "csrf_token": token, "form_key": key},
                       headers=headers or {})


def cases(app) -> list[DisputeCase]:
    with app.app_context():
        return list(db.session.scalars(select(DisputeCase)))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_start_screen_offers_wo_yao_wei_quan(client):
    html = client.get("/kiosk/").get_data(as_text=True)
    assert "我要维权" in html and 'href="/kiosk/dispute"' in html


@pytest.mark.parametrize("headers", [{}, HX])
def test_the_form_has_the_contract_fields_and_a_one_time_key(client, headers):
    resp = client.get("/kiosk/dispute", headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    for field in ("csrf_token", "form_key", "applicant_role", "applicant_name", "applicant_phone", "id_number",
                  "other_party_name", "other_party_phone", "other_party_company", "kind", "amount", "facts",
                  "wants"):
        assert f'name="{field}"' in html, field
    # the kiosk has no keyboard: every text is typed on the input panel, each with its keys
    for field, kind in (("applicant_name", "name"), ("applicant_phone", "phone"), ("id_number", "id"),
                        ("other_party_phone", "phone"), ("amount", "money"), ("facts", "text"),
                        ("wants", "text")):
        assert re.search(rf'id="{field}"[^>]*data-input="{kind}"', html, re.S), field
    # the common phrases of each kind are chips that add to the text
    assert 'data-append="facts" data-value="活干完了，工钱没给"' in html
    assert 'data-append="wants" data-value="要回全部工钱"' in html
    assert ("<html" in html) is (headers == {})


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_filing_shows_the_case_number_and_the_next_step_and_prints_a_slip(app, client, headers):
    resp = post(client, headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert NUMBER_RE.search(html).group(1) == "2026-JF-0001"
    assert "3 个工作日内受理，工作人员会电话联系您" in text_of(resp)
    [case] = cases(app)
    assert case.status == CaseStatus.RECEIVED and case.channel.value == "kiosk"
    assert case.applicant_name == "李四" and case.other_party_name == "王老板" and str(case.amount) == "1200.00"
    assert "<svg" in html  # the progress page's QR on screen too
    for secret in ("13800000001", "13900000002", "王老板"):
        assert secret not in html
    with app.app_context():
        job = db.session.scalars(select(PrintJob)).one()
        assert job.kind == "dispute_slip" and job.subject == f"case:{case.id}"


def test_an_employer_files_with_the_unknown_left_out(app, client):
    resp = post(client, applicant_role="employer", applicant_name="王老板", applicant_phone="13900000002",
                other_party_name="小李", other_party_phone="", kind="no_show", amount="",
                facts="说好的人没来", wants="退还预付的钱")
    assert resp.status_code == 200 and NUMBER_RE.search(resp.get_data(as_text=True))
    [case] = cases(app)
    assert case.applicant_role.value == "employer" and case.amount is None
    assert case.other_party_phone_cipher is None


@pytest.mark.parametrize("field,value,message", [
    ("kind", "", "请选择纠纷类型"),
    ("kind", "lottery", "请选择纠纷类型"),
    ("applicant_role", "", "请选择您是零工还是用工方"),
    ("amount", "-50", "涉及金额"),
    ("amount", "99999999", "涉及金额"),
    ("amount", "一千", "涉及金额"),
    ("facts", "<script>alert(1)</script>", "不能包含 < 或 > 符号"),
    ("wants", "要回<b>工钱</b>", "不能包含 < 或 > 符号"),
    ("applicant_name", "", "请输入姓名"),
    ("applicant_phone", "1380000", "11位"),
    ("other_party_name", "", "请输入对方姓名或单位"),
    ("other_party_phone", "13800000001", "对方电话不能和您的电话相同"),
    ("id_number", "123", "18位"),
])
def test_bad_input_is_422_beside_the_field_and_nothing_is_stored(app, client, field, value, message):
    resp = post(client, headers=HX, **{field: value})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in text_of(resp)
    assert re.search(rf'id="{field}-error"', html), "the message sits beside its field"
    assert "<script>alert" not in html  # free text comes back escaped, never as markup
    assert count(app, DisputeCase) == 0 and count(app, PrintJob) == 0


def test_the_form_keeps_what_was_typed_after_an_error(client):
    resp = post(client, kind="", facts="老板联系不上", other_party_company="某某装修公司")
    html = resp.get_data(as_text=True)
    assert 'value="老板联系不上"' in html and 'value="某某装修公司"' in html and 'value="李四"' in html


def test_the_same_form_sent_twice_files_one_case(app, client):
    token, key = fresh_form(client)
    data = {**dispute_form(), "csrf_token": token, "form_key": key}
    first = client.post("/kiosk/dispute", data=data).get_data(as_text=True)
    second = client.post("/kiosk/dispute", data=data).get_data(as_text=True)
    assert NUMBER_RE.search(first).group(1) == NUMBER_RE.search(second).group(1) == "2026-JF-0001"
    assert count(app, DisputeCase) == 1 and count(app, PrintJob) == 1
    third = post(client)  # a new form is a new case
    assert NUMBER_RE.search(third.get_data(as_text=True)).group(1) == "2026-JF-0002"


def test_a_form_without_its_key_files_nothing(app, client):
    token, _ = fresh_form(client)
    resp = client.post("/kiosk/dispute", data={**dispute_form(), "csrf_token": token, "form_key": "forged.key"})
    assert resp.status_code == 422 and "页面已过期" in text_of(resp)
    assert count(app, DisputeCase) == 0


# -- a registered worker -------------------------------------------------------------------

@pytest.fixture
def registered(app):
    with app.app_context():
        person = worker(name="张三丰", phone="13712345678", id_number=make_id("19800101", seq="555"))
        return {"token": person.qr_token, "id": person.id, "id_number": make_id("19800101", seq="555")}


def recognise(client, **fields):
    token, key = fresh_form(client)
    data = {**dispute_form(applicant_name="", applicant_phone=""), "csrf_token": token, "form_key": key,
            **fields}
    return client.post("/kiosk/dispute/recognise", data=data, headers=HX), data


def test_a_worker_is_recognised_by_the_slip_scanner_and_need_not_type_name_or_phone(app, client, registered):
    resp, data = recognise(client, slip=f"http://hall.test/w/{registered['token']}\r\n")
    page = text_of(resp)
    assert resp.status_code == 200 and re.search(r"已识别： ?张\*\*", page)
    html = resp.get_data(as_text=True)
    for secret in ("张三丰", "13712345678", registered["id_number"]):
        assert secret not in html  # only the masked name is ever on the kiosk
    done = client.post("/kiosk/dispute", data={**data, "slip": registered["token"]})
    assert done.status_code == 200 and NUMBER_RE.search(done.get_data(as_text=True))
    [case] = cases(app)
    assert case.worker_id == registered["id"] and case.applicant_name == "张三丰"
    with app.app_context():
        assert vault().decrypt(case.applicant_phone_cipher) == "13712345678"


def test_a_worker_is_recognised_by_the_id_number_with_their_name(app, client, registered):
    """An ID number is printed on many papers: with it, the name, as registration asks; then
    the phone registered may be left empty."""
    resp, _ = recognise(client, id_number=registered["id_number"])
    assert "用身份证号识别时，请同时输入您的姓名" in text_of(resp) and "已识别" not in text_of(resp)
    resp, _ = recognise(client, id_number=registered["id_number"], applicant_name="张三")
    assert "姓名与登记信息不一致" in text_of(resp) and "已识别" not in text_of(resp)
    resp, data = recognise(client, id_number=registered["id_number"], applicant_name="张三丰")
    assert re.search(r"已识别： ?张\*\*", text_of(resp))
    done = client.post("/kiosk/dispute", data={**data, "id_number": registered["id_number"],
                                               "applicant_name": "张三丰"})
    assert done.status_code == 200
    [case] = cases(app)
    assert case.worker_id == registered["id"] and case.applicant_name == "张三丰"


def test_an_id_number_with_another_name_files_nothing(app, client, registered):
    token, key = fresh_form(client)
    resp = client.post("/kiosk/dispute", data={**dispute_form(applicant_name="李四"), "csrf_token": token,
                                               "form_key": key, "id_number": registered["id_number"]})
    assert resp.status_code == 422 and "姓名与登记信息不一致" in text_of(resp)
    assert count(app, DisputeCase) == 0


@pytest.mark.parametrize("scanned,message", [
    ("http://hall.test/q/abcdefghijklmnopqrstuvwxyz", "这不是零工登记凭条的二维码"),
    ("http://hall.test/w/abcdefghijklmnopqrstuvwxyz", "没有找到这张凭条的登记信息"),
])
def test_a_slip_that_opens_nothing_is_said_beside_the_scan_field(app, client, registered, scanned, message):
    resp, data = recognise(client, slip=scanned)
    assert message in text_of(resp) and 'id="slip-error"' in resp.get_data(as_text=True)
    filed = client.post("/kiosk/dispute", data={**data, "slip": scanned})
    assert filed.status_code == 422 and message in text_of(filed)
    assert count(app, DisputeCase) == 0


def test_an_unknown_id_number_asks_for_name_and_phone(app, client, registered):
    resp, _ = recognise(client, id_number=make_id("19900101", seq="777"), applicant_name="王五")
    assert "没有找到这个身份证号的登记信息" in text_of(resp) and "已识别" not in text_of(resp)


def test_an_employer_is_never_recognised_as_a_worker(app, client, registered):
    data = dispute_form(applicant_role="employer", applicant_name="", applicant_phone="")
    token, key = fresh_form(client)
    resp = client.post("/kiosk/dispute", data={**data, "csrf_token": token, "form_key": key,
                                               "slip": registered["token"]})
    assert resp.status_code == 422 and "请输入姓名" in text_of(resp)
    assert count(app, DisputeCase) == 0
