"""Worker registration at the kiosk, through the web layer."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.masking import mask_id_number
from app.extensions import db
from app.models import PrintJob, UnderageRefusal, Worker
from printers import memory_printer
from tests.conftest import csrf_from
from tests.factories import make_id, registration

HX = {"HX-Request": "true"}


def form_token(client) -> str:
    return csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))


def post(client, url="/kiosk/register", headers=None, **overrides):
    data = registration(**overrides)
    data.setdefault("csrf_token", form_token(client))
    return client.post(url, data=data, headers=headers or {})


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("headers", [{}, HX])
def test_start_privacy_and_form_pages(client, headers):
    start = client.get("/kiosk/", headers=headers)
    assert start.status_code == 200 and "我要找活" in start.get_data(as_text=True)
    privacy = client.get("/kiosk/privacy", headers=headers).get_data(as_text=True)
    for words in ("谁收集", "为什么收集", "收集什么", "保存多久", "怎么撤回"):
        assert words in privacy
    form = client.get("/kiosk/register?consent=1", headers=headers)
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert 'name="trades" value="mason"' in html and 'name="csrf_token"' in html
    assert form.headers["Cache-Control"] == "no-store"
    # a plain request gets the whole page, an htmx request only the step
    assert ("<html" in html) is (headers == {})


def test_history_restore_request_gets_the_full_page(client):
    resp = client.get("/kiosk/", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in resp.get_data(as_text=True)


def test_consent_is_not_pre_ticked_when_arriving_without_agreeing(client):
    html = client.get("/kiosk/register").get_data(as_text=True)
    assert 'type="checkbox" name="consent" value="1"' in html
    assert 'name="consent" value="1" checked' not in html


@pytest.mark.parametrize("headers", [{}, HX])
def test_registration_shows_number_and_qr_and_queues_a_slip(app, client, headers):
    resp = post(client, headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'id="worker-number">G000001<' in html
    assert "登记成功" in html and "<svg" in html
    assert "138****5678" in html and "13812345678" not in html
    assert resp.headers["Cache-Control"] == "no-store"
    with app.app_context():
        job = db.session.scalars(select(PrintJob)).one()
        assert job.kind == "worker_slip" and job.subject == "worker:1"
        texts = [item.get("text", "") for item in job.receipt["items"]]
        id_number = registration()["id_number"]
        assert f"身份证：{mask_id_number(id_number)}" in texts
        assert "手机：138****5678" in texts
        assert not any(id_number in t or "13812345678" in t for t in texts)


def test_review_step_shows_masked_data_and_carries_the_fields(client):
    resp = post(client, url="/kiosk/register/review")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "请核对您的信息" in html
    assert "**************1239" in html and "138****5678" in html
    assert 'action="/kiosk/register"' in html
    assert "泥瓦工" in html and "搬运装卸" in html


def test_review_edit_returns_the_filled_form(client):
    resp = post(client, url="/kiosk/register/review", edit="1")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'value="张三"' in html
    assert 'value="mason" checked' in html


@pytest.mark.parametrize("field,value,message", [
    ("name", "", "请输入姓名"),
    ("name", "Zhang", "2到20个汉字"),
    ("id_number", "360426199101010072", "校验位"),
    ("id_number", "", "请输入身份证号码"),
    ("phone", "12345", "11位"),
    ("trades", [], "请至少选择一个工种"),
    ("trades", ["astronaut"], "选项无效"),
    ("expected_wage", "0", "应大于0"),
    ("expected_wage", "abc", "应为数字"),
    ("consent", "", "请先阅读并同意"),
])
@pytest.mark.parametrize("url", ["/kiosk/register", "/kiosk/register/review"])
def test_bad_input_gets_422_with_message_and_writes_nothing(app, client, url, field, value, message):
    resp = post(client, url=url, headers=HX, **{field: value})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in html
    assert "<html" not in html  # the form partial, swapped in place
    assert count(app, Worker) == 0 and count(app, PrintJob) == 0


def test_missing_csrf_token_is_refused(app, client):
    resp = client.post("/kiosk/register", data={**registration(), "csrf_token": ""})
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
    assert count(app, Worker) == 0


def test_same_id_again_updates_the_record_and_counts_once(app, client):
    post(client)
    again = post(client, phone="13900001111", trades=["cook"], expected_wage="300",
                 id_number=" " + registration()["id_number"].lower() + " ")
    html = again.get_data(as_text=True)
    assert "已登记，信息已更新" in html and 'id="worker-number">G000001<' in html
    assert count(app, Worker) == 1
    with app.app_context():
        worker = db.session.scalars(select(Worker)).one()
        assert worker.registration_count == 2 and worker.trade_codes == ["cook"]
        assert str(worker.expected_wage) == "300.00" and worker.phone_last4 == "1111"
    assert count(app, PrintJob) == 2


@time_machine.travel("2026-11-28 10:00 +0800", tick=False)
@pytest.mark.parametrize("url", ["/kiosk/register", "/kiosk/register/review"])
def test_under_sixteen_is_refused_kindly_and_only_counted(app, client, url):
    resp = post(client, url=url, id_number=make_id("20101129"))  # 16 tomorrow
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "未满16周岁" in html and "没有被保存" in html
    assert 'id="worker-number"' not in html
    assert count(app, Worker) == 0 and count(app, PrintJob) == 0
    with app.app_context():
        assert db.session.get(UnderageRefusal, date(2026, 11, 28)).count == 1


@time_machine.travel("2026-11-28 10:00 +0800", tick=False)
def test_sixteenth_birthday_today_registers_as_minor_worker(app, client):
    html = post(client, id_number=make_id("20101128")).get_data(as_text=True)
    assert 'id="worker-number"' in html and "未成年工" in html


def test_printer_being_down_never_blocks_the_person(app, client):
    memory_printer("default").fail_open = True
    resp = post(client)
    assert resp.status_code == 200 and 'id="worker-number"' in resp.get_data(as_text=True)


def test_worker_qr_page_is_masked_and_offers_deletion(app, client):
    post(client)
    with app.app_context():
        token = db.session.scalars(select(Worker)).one().qr_token
    page = client.get(f"/w/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "G000001" in html and "138****5678" in html
    assert "13812345678" not in html and page.headers["Cache-Control"] == "no-store"
    assert client.post(f"/w/{token}/delete", data={"confirm": "yes"}).status_code == 400  # CSRF
    asked = client.post(f"/w/{token}/delete", data={"csrf_token": csrf_from(html)})
    question = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "确认申请删除我的信息？" in question
    assert "15个工作日内删除" in question and f'href="/w/{token}"' in question  # 取消: back, unchanged
    assert asked.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.scalars(select(Worker)).one().deletion_requested_at is None
    done = client.post(f"/w/{token}/delete", data={"csrf_token": csrf_from(question), "confirm": "yes"})
    assert "已收到您的删除申请" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Worker)).one().deletion_requested_at is not None


def test_unknown_qr_token_is_404(client):
    assert client.get("/w/not-a-real-token").status_code == 404


def test_someone_elses_id_with_another_name_does_not_take_over_the_record(app, client):
    post(client)
    with app.app_context():
        before = db.session.scalars(select(Worker)).one()
        token, phone = before.qr_token, before.phone_last4
    resp = post(client, name="李四", phone="13900009999", headers=HX)
    assert resp.status_code == 422 and "姓名与登记信息不一致" in resp.get_data(as_text=True)
    with app.app_context():
        after = db.session.scalars(select(Worker)).one()
        assert (after.name, after.qr_token, after.phone_last4, after.registration_count) == \
            ("张三", token, phone, 1)
    assert count(app, PrintJob) == 1


def test_each_registration_gets_a_fresh_qr_and_keeps_a_deletion_request(app, client):
    post(client)
    with app.app_context():
        worker = db.session.scalars(select(Worker)).one()
        old_token = worker.qr_token
        worker.deletion_requested_at = worker.last_registered_at
        db.session.commit()
    post(client)
    with app.app_context():
        worker = db.session.scalars(select(Worker)).one()
        assert worker.qr_token != old_token and worker.deletion_requested_at is not None
    old = client.get(f"/w/{old_token}")  # the old slip's QR opens nothing, and says why
    assert old.status_code == 410 and "已被新的凭条替换" in old.get_data(as_text=True)


def test_the_same_form_submitted_twice_registers_and_prints_once(app, client):
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    data = {**registration(), "csrf_token": csrf_from(html), "form_key": key}
    first = client.post("/kiosk/register", data=data).get_data(as_text=True)
    second = client.post("/kiosk/register", data=data).get_data(as_text=True)
    assert "登记成功" in first and "登记成功" in second
    assert count(app, PrintJob) == 1
    with app.app_context():
        assert db.session.scalars(select(Worker)).one().registration_count == 1


def test_a_form_key_from_another_session_fetches_nothing(app, client):
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    data = {**registration(), "csrf_token": csrf_from(html), "form_key": key}
    assert "登记成功" in client.post("/kiosk/register", data=data).get_data(as_text=True)
    other = app.test_client()  # another terminal replays the key it read off the screen
    stolen = {**registration(name="李四", phone="13900000000"), "form_key": key,
              "csrf_token": csrf_from(other.get("/kiosk/register?consent=1").get_data(as_text=True))}
    resp = other.post("/kiosk/register", data=stolen)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "页面已过期" in html and "G000001" not in html
    with app.app_context():
        assert db.session.scalars(select(Worker)).one().name == "张三"


@time_machine.travel("2026-11-28 10:00 +0800", tick=False)
def test_a_child_pressing_again_and_again_is_counted_once(app, client):
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    data = {**registration(id_number=make_id("20120101")), "csrf_token": csrf_from(html), "form_key": key}
    for url in ["/kiosk/register/review"] * 10 + ["/kiosk/register"] * 10:
        assert client.post(url, data=data).status_code == 422
    with app.app_context():
        assert db.session.get(UnderageRefusal, date(2026, 11, 28)).count == 1


def test_simultaneous_registrations_of_one_person_are_all_counted(app):
    import threading

    from app.domain.idcard import parse_id_number
    from app.services.registration import RegistrationData, register_worker

    data = RegistrationData(name="张三", id_number=parse_id_number(registration()["id_number"]),
                            phone="13812345678", trades=["mason"], expected_wage=Decimal("200"),
                            availability=[])
    start = threading.Barrier(4)

    def kiosk():
        with app.app_context():
            start.wait()
            register_worker(data, today=date(2026, 11, 28), public_base_url="http://hall.test")
            db.session.remove()

    threads = [threading.Thread(target=kiosk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with app.app_context():
        assert db.session.scalars(select(Worker)).one().registration_count == 4


def test_when_a_worker_is_free_is_kept_as_rows_and_shown_back(app, client):
    from app.models import WorkerAvailability

    assert post(client, availability=["weekend", "evening"]).status_code == 200
    with app.app_context():
        codes = set(db.session.scalars(select(WorkerAvailability.code)))
        token = db.session.scalars(select(Worker)).one().qr_token
    assert codes == {"weekend", "evening"}
    page = client.get(f"/w/{token}").get_data(as_text=True)
    assert "周末" in page
