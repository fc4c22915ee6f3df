"""Employer check-in at the kiosk: ticket, task order, slip, live status page.

On the frozen clock: numbers restart at the hall's midnight, which a test must not cross.
"""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employer, PrintJob, TaskOrder, Ticket, TicketStatus
from tests.conftest import csrf_from
from tests.factories import VALID_USCC, checkin

pytestmark = pytest.mark.usefixtures("frozen_clock")

HX = {"HX-Request": "true"}
KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')


def fresh_form(client) -> tuple[str, str]:
    html = client.get("/kiosk/checkin").get_data(as_text=True)
    return csrf_from(html), KEY_RE.search(html).group(1)


def post(client, url="/kiosk/checkin", headers=None, form_key=None, **overrides):
    token, key = fresh_form(client)
    data = {**checkin(**overrides), "csrf_token": token, "form_key": form_key or key}
    return client.post(url, data=data, headers=headers or {})


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("headers", [{}, HX])
def test_form_page_has_fields_and_a_one_time_key(client, headers):
    resp = client.get("/kiosk/checkin", headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    for field in ("employer_type", "contact_name", "phone", "service", "csrf_token", "form_key"):
        assert f'name="{field}"' in html, field
    assert 'name="trade"' not in html  # the work is the second step
    assert ("<html" in html) is (headers == {})
    again = client.get("/kiosk/checkin").get_data(as_text=True)
    assert KEY_RE.search(html).group(1) != KEY_RE.search(again).group(1)


@pytest.mark.parametrize("headers", [{}, HX])
def test_checkin_issues_ticket_with_draft_task_order_and_slip(app, client, headers):
    resp = post(client, headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'id="ticket-number">A001<' in html and "前面还有 <b id=\"ticket-ahead\">0</b> 位" in html
    assert "<svg" in html and "13905980001" not in html
    with app.app_context():
        ticket = db.session.scalars(select(Ticket)).one()
        assert ticket.status == TicketStatus.WAITING and ticket.task_order.status.value == "draft"
        assert ticket.task_order.headcount == 3 and str(ticket.task_order.pay) == "200.00"
        job = db.session.scalars(select(PrintJob)).one()
        assert job.kind == "queue_ticket" and "A001" in str(job.receipt)
    second = post(client, phone="13905980002", contact_name="李大姐")
    assert 'id="ticket-number">A002<' in second.get_data(as_text=True)
    assert 'id="ticket-ahead">1<' in second.get_data(as_text=True)


def test_enterprise_needs_name_and_valid_credit_code(app, client):
    resp = post(client, employer_type="enterprise", employer_name="", uscc="91110000600037341X", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请输入企业名称" in html and "校验位" in html
    ok = post(client, employer_type="enterprise", employer_name="沙县小吃集团有限公司", uscc=VALID_USCC.lower())
    assert ok.status_code == 200
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        assert employer.uscc == VALID_USCC and employer.employer_name == "沙县小吃集团有限公司"


def test_consultation_needs_no_work_details_and_gets_its_own_prefix(app, client):
    resp = post(client, service="consult", trade="", headcount="", pay="", work_date="", location="")
    assert 'id="ticket-number">B001<' in resp.get_data(as_text=True)
    assert count(app, TaskOrder) == 0


@pytest.mark.parametrize("field,value,message", [
    ("uscc", "123", "18位"),
    ("headcount", "0", "至少为1"),
    ("headcount", "1000", "不能超过999"),
    ("headcount", "两个", "应为整数"),
    ("pay", "0", "应大于0"),
    ("pay", "-50", "应大于0"),
    ("pay", "99999", "不能超过"),
    ("pay", "1e9", "不能超过"),
    ("work_date", "2020-01-01", "不能早于今天"),
    ("work_date", "2026-02-30", "年-月-日"),
    ("trade", "", "请选择需要的工种"),
    ("phone", "1390598", "11位"),
    ("contact_name", "", "请输入姓名"),
    ("location", "", "请输入干活地点"),
    ("service", "lottery", "请选择要办理的业务"),
    ("pay_unit", "month", "请选择工资单位"),
])
def test_bad_input_is_422_beside_the_field_and_writes_nothing(app, client, field, value, message):
    overrides = {field: value}
    if field == "uscc":
        overrides |= {"employer_type": "enterprise", "employer_name": "某公司"}
    resp = post(client, headers=HX, **overrides)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert count(app, Ticket) == 0 and count(app, TaskOrder) == 0 and count(app, Employer) == 0


def test_double_tap_issues_one_ticket(app, client):
    token, key = fresh_form(client)
    data = {**checkin(), "csrf_token": token, "form_key": key}
    first = client.post("/kiosk/checkin", data=data).get_data(as_text=True)
    second = client.post("/kiosk/checkin", data=data).get_data(as_text=True)
    assert 'id="ticket-number">A001<' in first and 'id="ticket-number">A001<' in second
    assert count(app, Ticket) == 1 and count(app, PrintJob) == 1


def test_returning_employer_confirms_a_masked_summary_and_the_stored_details_are_used(app, client):
    post(client, employer_type="enterprise", employer_name="沙县小吃集团有限公司", uscc=VALID_USCC)
    token, key = fresh_form(client)
    resp = client.post("/kiosk/checkin/lookup", headers=HX,
                       data={"csrf_token": token, "form_key": key, "phone": "13905980001"})
    html = resp.get_data(as_text=True)
    assert "欢迎回来" in html and "王** · 沙县******公司" in html
    for secret in ("王老板", "沙县小吃集团有限公司", VALID_USCC):
        assert secret not in html  # nothing filled in that the kiosk could not already see
    data = {**checkin(service="consult"), "csrf_token": token, "form_key": key, "returning": "1",
            "contact_name": "王**", "employer_type": "individual", "employer_name": "", "uscc": ""}
    review = client.post("/kiosk/checkin/review", data=data).get_data(as_text=True)
    assert "老客户 王** · 沙县******公司" in review and VALID_USCC not in review
    done = client.post("/kiosk/checkin", data=data)
    assert 'id="ticket-number">B001<' in done.get_data(as_text=True)
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        assert employer.contact_name == "王老板" and employer.uscc == VALID_USCC
        assert db.session.scalars(select(Ticket).where(Ticket.number == "B001")).one().notice is None


def test_lookups_are_limited_per_address_and_the_manager_sees_the_probing(app, client):
    from app.models import Role
    from tests.factories import login, staff_user

    token, key = fresh_form(client)
    answers = [client.post("/kiosk/checkin/lookup", data={
        "csrf_token": token, "form_key": key, "phone": f"1390598{n:04d}"}) for n in range(8)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 3
    assert "查询次数过多" in answers[-1].get_data(as_text=True)
    with app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
    login(client, username="boss")
    page = client.get("/admin/attempts").get_data(as_text=True)
    assert "老客户查询" in page and "127.0.0.1" in page
    assert "<td>未查到</td><td>5</td>" in page and "<td>被限制</td><td>3</td>" in page
    with app.app_context():
        staff_user(username="clerk")
    clerk = app.test_client()
    login(clerk, username="clerk")
    assert clerk.get("/admin/attempts").status_code == 403


def test_unknown_phone_lookup_says_nothing_about_anyone(client):
    token, key = fresh_form(client)
    html = client.post("/kiosk/checkin/lookup", headers=HX,
                       data={"csrf_token": token, "form_key": key, "phone": "13800000000"}).get_data(as_text=True)
    assert "欢迎回来" not in html
    # the person is told to go on, and the phone stays in its field
    assert "没有找到记录，请填写以下信息" in html and 'value="13800000000"' in html
    assert 'name="contact_name"' in html


def step_one(**overrides) -> dict:
    return {name: value for name, value in checkin(**overrides).items()
            if name in ("employer_type", "contact_name", "phone", "service")}


def test_check_in_is_two_steps_then_the_review(client):
    token, key = fresh_form(client)
    first = {**step_one(), "csrf_token": token, "form_key": key, "stage": "who"}
    work = client.post("/kiosk/checkin/review", headers=HX, data=first)
    html = work.get_data(as_text=True)
    assert work.status_code == 200 and "② 招工信息" in html
    for field in ("trade", "headcount", "pay", "pay_unit", "work_date", "work_time", "location",
                  "description"):
        assert f'name="{field}"' in html, field
    assert 'type="date"' not in html and 'type="time"' not in html  # the kiosk's own pickers
    assert 'name="contact_name" value="王老板"' in html  # step one's values travel along
    assert "有 " not in html  # nothing filled in yet is not an error yet
    # the work step sent empty: its errors, summed up at the top
    errors = client.post("/kiosk/checkin/review", headers=HX, data={**first, "stage": "work"})
    html = errors.get_data(as_text=True)
    assert errors.status_code == 422 and "有 5 处需要修改" in html
    assert '<a href="#trade" data-error-link>请选择需要的工种</a>' in html
    # back to step one keeps everything
    back = client.post("/kiosk/checkin/review", headers=HX, data={**first, "edit": "who"})
    assert 'value="13905980001"' in back.get_data(as_text=True)
    # a service without a task order goes from step one straight to the review
    consult = client.post("/kiosk/checkin/review", headers=HX, data={**first, "service": "consult"})
    assert "请核对招工信息" in consult.get_data(as_text=True)


def test_step_one_with_errors_stays_on_step_one(client):
    token, key = fresh_form(client)
    resp = client.post("/kiosk/checkin/review", headers=HX, data={
        **step_one(phone="12345", contact_name=""), "csrf_token": token, "form_key": key,
        "stage": "who"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "有 2 处需要修改" in html and 'name="trade"' not in html


def test_review_step_masks_contact_and_carries_fields(client):
    html = post(client, url="/kiosk/checkin/review").get_data(as_text=True)
    assert "请核对招工信息" in html and "王**" in html and "139****0001" in html
    assert 'name="form_key"' in html and 'action="/kiosk/checkin"' in html


@pytest.mark.parametrize("headers", [{}, HX])
def test_live_status_page_follows_the_ticket(app, client, headers):
    post(client)
    with app.app_context():
        ticket = db.session.scalars(select(Ticket)).one()
        token = ticket.status_token
    html = client.get(f"/q/{token}", headers=headers).get_data(as_text=True)
    assert "A001" in html and "前面还有" in html
    with app.app_context():
        ticket = db.session.scalars(select(Ticket)).one()
        ticket.status, ticket.window = TicketStatus.CALLED, 3
        db.session.commit()
    assert "请到 <b>3</b> 号窗口" in client.get(f"/q/{token}", headers=headers).get_data(as_text=True)
    with app.app_context():
        db.session.scalars(select(Ticket)).one().status = TicketStatus.DONE
        db.session.commit()
    done = client.get(f"/q/{token}", headers=headers)
    assert done.status_code == (286 if headers else 200)  # htmx stops polling when finished
    assert client.get("/q/nope").status_code == 404


def test_ticket_stands_when_its_slip_cannot_print(app, client):
    from app.models import JobStatus
    from app.services.print_worker import PrintWorker
    from printers import memory_printer

    memory_printer("default").fail_open = True
    resp = post(client)
    assert 'id="ticket-number">A001<' in resp.get_data(as_text=True)
    with app.app_context():
        assert PrintWorker().run_once() == 0
        job = db.session.scalars(select(PrintJob)).one()
        ticket = db.session.scalars(select(Ticket)).one()
        assert job.status == JobStatus.PENDING and ticket.status == TicketStatus.WAITING
        token = ticket.status_token
    assert "A001" in client.get(f"/q/{token}").get_data(as_text=True)
    assert 'id="ticket-number">A002<' in post(client, phone="13905980009").get_data(as_text=True)


def test_stored_contact_name_never_reaches_the_kiosk(app, client):
    post(client)  # 王老板 with 13905980001
    token, key = fresh_form(client)
    base = {"csrf_token": token, "form_key": key, "phone": "13905980001"}
    pages = [client.post("/kiosk/checkin/lookup", data=base).get_data(as_text=True)]
    data = {**checkin(contact_name="王**", service="consult"), **base}
    pages.append(client.post("/kiosk/checkin/review", data=data).get_data(as_text=True))
    pages.append(client.post("/kiosk/checkin/review", data={**data, "edit": "1"}).get_data(as_text=True))
    pages.append(client.post("/kiosk/checkin", data=data).get_data(as_text=True))
    for html in pages:
        assert "王老板" not in html
    assert 'id="ticket-number">B001<' in pages[-1]


def test_masked_name_that_does_not_match_the_phone_is_refused(app, client):
    post(client)
    resp = post(client, phone="13905980002", contact_name="王**", headers=HX)
    assert resp.status_code == 422 and "请输入联系人姓名" in resp.get_data(as_text=True)
    resp = post(client, contact_name="李**", headers=HX)
    assert resp.status_code == 422


def test_known_phone_with_other_details_does_not_overwrite_the_employer(app, client):
    post(client, employer_type="enterprise", employer_name="沙县小吃集团有限公司", uscc=VALID_USCC)
    post(client, contact_name="冒名者")
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        assert employer.contact_name == "王老板" and employer.uscc == VALID_USCC
        tickets = db.session.scalars(select(Ticket).order_by(Ticket.id)).all()
        assert tickets[0].notice is None and "不一致" in tickets[1].notice


@pytest.mark.parametrize("field", ["location", "description"])
def test_no_phone_numbers_in_text_shown_on_the_hall_display(app, client, field):
    resp = post(client, headers=HX, **{field: "找王老板 139-0598-0001"})
    assert resp.status_code == 422 and "请不要填写电话号码" in resp.get_data(as_text=True)


@pytest.mark.parametrize("value", [
    "找王老板 １３８００１３８０００", "138.0013.8000", "138 0013 8000", "138/0013/8000",
    "①③⑧⓪⓪①③⑧⓪⓪⓪", "一三八零零一三八零零零", "幺三八〇〇幺三八〇〇〇", "壹叁捌零零壹叁捌零零零",
])
@pytest.mark.parametrize("field", ["location", "description"])
def test_disguised_phone_numbers_are_refused_in_text_shown_on_the_hall_display(app, client, field, value):
    resp = post(client, headers=HX, **{field: value})
    assert resp.status_code == 422 and "请不要填写电话号码" in resp.get_data(as_text=True)
    assert count(app, Ticket) == 0 and count(app, TaskOrder) == 0


def test_ordinary_numbers_in_posting_text_are_accepted(app, client):
    resp = post(client, location="凤岗街道水南村3号楼", description="日薪150-200元，6人，2026年12月1日 7:30开工")
    assert resp.status_code == 200 and count(app, TaskOrder) == 1
