"""What a person sees at the kiosk and on their phone: errors summed up, chips that stay
pressed, the same ID with another name refused before the confirm tap, a done screen that
tells the truth about the slip, old QRs explained, money without ".00", the favicon."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.models import JobStatus, PrinterState, PrintJob, Worker, utcnow
from app.services import print_service
from tests.conftest import csrf_from
from tests.factories import checkin, registration, ticket

HX = {"HX-Request": "true"}
KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')
CANNOT_PRINT = "凭条暂时无法打印，请记下号码或到服务窗口领取"
TAKE_IT = "请在出纸口取走"


def register(client, url="/kiosk/register", **overrides):
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    data = {**registration(**overrides), "csrf_token": csrf_from(html),
            "form_key": KEY_RE.search(html).group(1)}
    return client.post(url, data=data, headers=HX)


def check_in(client, **overrides):
    html = client.get("/kiosk/checkin").get_data(as_text=True)
    data = {**checkin(**overrides), "csrf_token": csrf_from(html),
            "form_key": KEY_RE.search(html).group(1)}
    return client.post("/kiosk/checkin", data=data, headers=HX)


def print_worker_running(app):
    with app.app_context():
        print_service.record_beat("host:1:test", "host", utcnow())
        db.session.commit()


# ---- errors --------------------------------------------------------------------------

def test_a_form_with_errors_sums_them_up_with_links_to_each_field(client):
    resp = register(client, url="/kiosk/register/review", name="", phone="123", trades=[],
                    expected_wage="200")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "有 3 处需要修改" in html
    for target in ("name", "phone", "trades"):
        assert f'<a href="#{target}" data-error-link>' in html, target
    assert 'id="trades">' in html and 'class="field has-error" id="trades"' in html
    # the chosen wage chip is still shown pressed after the re-render; the others are not
    assert 'data-value="200" aria-pressed="true">200元' in html
    assert 'data-value="250" aria-pressed="false">250元' in html


def test_a_form_without_errors_has_no_summary(client):
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    chips = re.findall(r"<button[^>]*data-fill[^>]*>", html)
    assert "需要修改" not in html and chips and not [c for c in chips if 'aria-pressed="true"' in c]


# ---- the same ID number with another name --------------------------------------------

def test_same_id_with_another_name_is_refused_at_the_review_step(app, client):
    assert register(client).status_code == 200
    resp = register(client, url="/kiosk/register/review", name="李四", phone="13900009999")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请核对您的信息" not in html  # no review, no confirm button
    assert "这个身份证号码已登记，姓名与登记信息不一致，请到服务窗口核对" in html
    assert "张三" not in html  # nothing about the registered person
    with app.app_context():
        worker = db.session.scalars(select(Worker)).one()
        assert (worker.name, worker.registration_count) == ("张三", 1)
    # the same person (same name) passes on to the review
    again = register(client, url="/kiosk/register/review")
    assert again.status_code == 200 and "请核对您的信息" in again.get_data(as_text=True)


# ---- the done screens tell the truth about the slip ----------------------------------

@pytest.mark.parametrize("send", [register, check_in], ids=["registration", "checkin"])
def test_done_screen_without_a_print_worker_says_the_slip_cannot_print(client, send):
    html = send(client).get_data(as_text=True)
    assert CANNOT_PRINT in html and TAKE_IT not in html
    assert 'id="worker-number"' in html or 'id="ticket-number">A001<' in html


def test_done_screen_with_a_running_worker_and_a_good_printer_sends_to_the_slot(app, client):
    print_worker_running(app)
    html = register(client).get_data(as_text=True)
    assert TAKE_IT in html and CANNOT_PRINT not in html
    html = check_in(client).get_data(as_text=True)
    assert CANNOT_PRINT not in html


@pytest.mark.parametrize("problem", ["paper_out", "offline", "cover_open", "error", "doubtful"])
def test_done_screen_with_a_printer_in_trouble_says_the_slip_cannot_print(app, client, problem):
    print_worker_running(app)
    with app.app_context():
        db.session.add(PrinterState(name="default", problem=problem))
        db.session.commit()
    html = register(client).get_data(as_text=True)
    assert CANNOT_PRINT in html and TAKE_IT not in html


def test_done_screen_for_a_job_that_failed_says_the_slip_cannot_print(app, client):
    print_worker_running(app)
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    data = {**registration(), "csrf_token": csrf_from(html), "form_key": KEY_RE.search(html).group(1)}
    assert TAKE_IT in client.post("/kiosk/register", data=data, headers=HX).get_data(as_text=True)
    with app.app_context():
        db.session.scalars(select(PrintJob)).one().status = JobStatus.BROKEN
        db.session.commit()
    # the same form sent again (a double tap) shows the same record, and the failure
    again = client.post("/kiosk/register", data=data, headers=HX).get_data(as_text=True)
    assert CANNOT_PRINT in again and TAKE_IT not in again


# ---- phone pages of old slips ----------------------------------------------------------

def test_a_replaced_slip_explains_itself_and_leads_nowhere_else(app, client):
    register(client)
    with app.app_context():
        old = db.session.scalars(select(Worker)).one().qr_token
    register(client)  # the same person again: a new slip, a new QR
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 2
        new = db.session.scalars(select(Worker)).one().qr_token
    assert new != old
    resp = client.get(f"/w/{old}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 410
    assert "这张凭条已被新的凭条替换，请使用最新的凭条" in html
    assert 'href="/kiosk' not in html and "张三" not in html
    assert client.get(f"/w/{new}").status_code == 200
    # a token that was never printed stays a plain "not found"
    assert client.get("/w/never-printed_token").status_code == 404
    assert client.get("/w/%25").status_code == 404


def test_a_ticket_of_an_earlier_day_says_it_has_expired(app, client, frozen_clock):
    with app.app_context():
        old = ticket(day=local_today() - timedelta(days=1)).status_token
        today = ticket().status_token
    resp = client.get(f"/q/{old}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 410 and "排队号，已经作废" in html and "重新取号" in html
    assert "前面还有" not in html and 'href="/kiosk' not in html
    poll = client.get(f"/q/{old}", headers=HX)
    assert poll.status_code == 286  # the open page stops polling
    assert client.get(f"/q/{today}").status_code == 200


# ---- money, dates, favicon, idle settings ---------------------------------------------

def test_money_shows_without_trailing_zeros_on_screen_and_slip(app, client):
    review = register(client, url="/kiosk/register/review", expected_wage="150.5")
    assert "150.5 元/天" in review.get_data(as_text=True)
    register(client, expected_wage="200")
    with app.app_context():
        receipt = db.session.scalars(select(PrintJob)).one().receipt
    texts = [item.get("text") for item in receipt["items"]]
    assert "期望日薪：200元" in texts


def test_check_in_review_shows_the_date_in_chinese(client, frozen_clock):
    token_html = client.get("/kiosk/checkin").get_data(as_text=True)
    data = {**checkin(work_time="07:30"), "csrf_token": csrf_from(token_html),
            "form_key": KEY_RE.search(token_html).group(1)}
    review = client.post("/kiosk/checkin/review", data=data, headers=HX).get_data(as_text=True)
    tomorrow = frozen_clock.today() + timedelta(days=1)
    assert f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日 07:30" in review
    assert "200 元/天" in review


def test_every_page_links_the_favicon_and_it_is_served(client):
    for url in ("/kiosk/", "/setup"):
        assert 'rel="icon" href="/static/favicon.svg"' in client.get(url).get_data(as_text=True)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_forms_get_a_longer_idle_time_than_the_start_screen(make_app):
    app = make_app(KIOSK_IDLE_SECONDS=45, KIOSK_FORM_IDLE_SECONDS=200, KIOSK_IDLE_WARNING_SECONDS=12)
    html = app.test_client().get("/kiosk/").get_data(as_text=True)
    assert 'data-idle-seconds="45" data-form-idle-seconds="200" data-idle-warning-seconds="12"' in html
    assert "还需要更多时间吗？" in html
