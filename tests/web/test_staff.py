"""Staff accounts, roles and the staff screens."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import PrintJob, Role, StaffUser, Worker
from tests.conftest import csrf_from
from tests.factories import login, make_id, registration, staff_user

HX = {"HX-Request": "true"}
STAFF_PAGES = ["/staff/workers", "/staff/workers/1", "/staff/print-jobs"]


def register(client, **overrides):
    token = csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))
    return client.post("/kiosk/register", data={**registration(**overrides), "csrf_token": token})


@pytest.fixture
def signed_in(app, client):
    def as_role(role=Role.STAFF):
        with app.app_context():
            staff_user(username=role.value, role=role)
        resp = login(client, username=role.value)
        assert resp.status_code == 303
        return client

    return as_role


def test_first_run_setup_creates_the_manager_then_disappears(app, client):
    assert client.get("/staff/login").headers["Location"].endswith("/setup")
    page = client.get("/setup").get_data(as_text=True)
    resp = client.post("/setup", data={"username": "boss", "display_name": "王经理",
                                       "password": "long-enough-pw", "password2": "long-enough-pw",
                                       "csrf_token": csrf_from(page)})
    assert resp.status_code == 303
    with app.app_context():
        user = db.session.scalars(select(StaffUser)).one()
        assert user.role == Role.MANAGER and user.password_hash != "long-enough-pw"
    assert client.get("/setup").status_code == 404


def test_setup_rejects_short_or_mismatched_passwords(app, client):
    token = csrf_from(client.get("/setup").get_data(as_text=True))
    resp = client.post("/setup", data={"username": "boss", "display_name": "王经理",
                                       "password": "short", "password2": "other", "csrf_token": token})
    assert resp.status_code == 422 and "密码至少10个字符" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_wrong_password_is_refused(app, client):
    with app.app_context():
        staff_user()
    resp = login(client, password="wrong-password")
    assert resp.status_code == 422 and "用户名或密码错误" in resp.get_data(as_text=True)


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_need_login(client, url):
    resp = client.get(url)
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_expired_login_on_htmx_request_redirects_the_whole_page(client, url):
    resp = client.get(url, headers=HX)
    assert resp.status_code == 401 and "/staff/login" in resp.headers["HX-Redirect"]


@pytest.mark.parametrize("url", STAFF_PAGES + ["/admin/users"])
def test_assessor_cannot_see_personal_data(signed_in, client, url):
    register(client)
    signed_in(Role.ASSESSOR)
    assert client.get(url).status_code == 403


def test_staff_cannot_manage_accounts(signed_in, client):
    signed_in(Role.STAFF)
    assert client.get("/admin/users").status_code == 403


def test_login_next_parameter_only_goes_to_local_pages(app, client):
    with app.app_context():
        staff_user()
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    data = {"username": "xiaoli", "password": "correct-horse-1", "csrf_token": token}
    resp = client.post("/staff/login?next=//evil.example/x", data=data)
    assert resp.headers["Location"] == "/staff/"
    again = app.test_client()
    token = csrf_from(again.get("/staff/login").get_data(as_text=True))
    broken = again.post("/staff/login?next=http://[::1", data={**data, "csrf_token": token})
    assert broken.status_code == 303 and broken.headers["Location"] == "/staff/"


@pytest.mark.parametrize("headers", [{}, HX])
def test_directory_search_by_name_phone_and_id_is_masked(signed_in, client, headers):
    register(client)
    register(client, name="李四", id_number=make_id("19900101", seq="456"), phone="13911112222")
    signed_in()
    token = csrf_from(client.get("/staff/workers").get_data(as_text=True))
    for query, expected, absent in [("张", "张三", "李四"), ("2222", "李四", "张三"),
                                    (registration()["id_number"], "张三", "李四")]:
        html = client.post("/staff/workers", data={"q": query, "csrf_token": token},
                           headers=headers).get_data(as_text=True)
        assert expected in html and absent not in html, query
        assert "13812345678" not in html and registration()["id_number"] not in html.replace(
            f'value="{query}"', "")
    page = client.get("/staff/workers", headers=headers).get_data(as_text=True)
    assert "138****5678" in page and "**************1239" in page
    assert ("<html" in page) is (headers == {})
    assert "<th></th>" not in page and '<th><span class="visually-hidden">操作</span></th>' in page


def test_worker_detail_and_reprint(app, signed_in, client):
    register(client)
    signed_in()
    detail = client.get("/staff/workers/1").get_data(as_text=True)
    assert "G000001" in detail and "零工登记凭条" in detail
    jobs = client.get("/staff/print-jobs").get_data(as_text=True)
    resp = client.post("/staff/print-jobs/1/reprint", data={"csrf_token": csrf_from(jobs)})
    assert resp.status_code == 303
    with app.app_context():
        copy = db.session.get(PrintJob, 2)
        assert copy.mark_reprint and copy.reprint_of_id == 1 and copy.requested_by_id is not None
    assert client.post("/staff/print-jobs/99/reprint", data={"csrf_token": csrf_from(jobs)}).status_code == 404


def test_reprint_without_csrf_token_changes_nothing(app, signed_in, client):
    register(client)
    signed_in()
    assert client.post("/staff/print-jobs/1/reprint").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 1


def test_deletion_request_then_manager_anonymises_and_count_stays(app, signed_in, client):
    register(client)
    with app.app_context():
        token = db.session.scalars(select(Worker)).one().qr_token
    page = client.get(f"/w/{token}").get_data(as_text=True)
    client.post(f"/w/{token}/delete", data={"csrf_token": csrf_from(page), "confirm": "yes"})
    signed_in(Role.MANAGER)
    detail = client.get("/staff/workers/1").get_data(as_text=True)
    assert "申请删除个人信息" in detail
    assert client.post("/staff/workers/1/anonymise", data={"confirm": "yes"}).status_code == 400  # CSRF
    asked = client.post("/staff/workers/1/anonymise", data={"csrf_token": csrf_from(detail)})
    question = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "删除 G000001 的个人信息？" in question
    assert "此操作不能撤销" in question and 'href="/staff/workers/1">取消</a>' in question
    with app.app_context():
        assert db.session.get(Worker, 1).anonymised_at is None and db.session.get(Worker, 1).id_cipher
    resp = client.post("/staff/workers/1/anonymise", data={"csrf_token": csrf_from(question), "confirm": "yes"})
    assert resp.status_code == 303
    with app.app_context():
        worker = db.session.get(Worker, 1)
        assert worker.id_cipher is None and worker.phone_cipher is None and worker.name == "已注销"
        assert worker.first_registered_at is not None  # still counted for its year
        assert db.session.scalar(select(func.count()).select_from(Worker)) == 1
    assert client.get(f"/w/{token}").status_code == 404


def test_staff_role_cannot_anonymise(app, signed_in, client):
    register(client)
    signed_in(Role.STAFF)
    page = client.get("/staff/workers/1").get_data(as_text=True)
    assert client.post("/staff/workers/1/anonymise", data={"csrf_token": csrf_from(page)}).status_code == 403


def test_manager_creates_an_account(app, signed_in, client):
    signed_in(Role.MANAGER)
    page = client.get("/admin/users").get_data(as_text=True)
    data = {"username": "assessor1", "display_name": "考核员", "role": "assessor",
            "password": "another-long-pw", "password2": "another-long-pw", "csrf_token": csrf_from(page)}
    assert client.post("/admin/users", data=data).status_code == 303
    dup = client.post("/admin/users", data=data)
    assert dup.status_code == 422 and "该用户名已存在" in dup.get_data(as_text=True)


def test_create_user_cli(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "laowang", "--role", "manager", "--password", "cli-password-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(StaffUser)).one()
        assert user.role == Role.MANAGER and user.check_password("cli-password-1")
    bad = runner.invoke(args=["create-user", "x", "--role", "manager", "--password", "short"])
    assert bad.exit_code != 0 and "密码至少10个字符" in bad.output


def test_anonymising_erases_the_slips_and_refuses_reprints(make_app, tmp_path):
    from pathlib import Path

    from app.services.print_worker import PrintWorker

    printouts = tmp_path / "printouts"
    app = make_app(PRINTER_URL=f"file://{printouts}")
    client = app.test_client()
    register(client)
    with app.app_context():
        assert PrintWorker().run_once() == 1
        staff_user(username="boss", role=Role.MANAGER)
    assert any("张三" in p.read_text() for p in Path(printouts).glob("*.txt"))
    login(client, username="boss")
    detail = client.get("/staff/workers/1").get_data(as_text=True)
    client.post("/staff/workers/1/anonymise", data={"csrf_token": csrf_from(detail), "confirm": "yes"})
    with app.app_context():
        job = db.session.get(PrintJob, 1)
        assert "张三" not in str(job.receipt) and job.scrubbed_at is not None
    assert list(Path(printouts).glob("*")) == []
    resp = client.post("/staff/print-jobs/1/reprint", data={"csrf_token": csrf_from(detail)})
    assert resp.status_code == 409 and "不能重新打印" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 1


def test_expired_session_on_a_polled_fragment_returns_to_the_page_not_the_fragment(client):
    resp = client.get("/staff/queue/1/live", headers={**HX, "HX-Current-URL": "http://localhost/staff/queue/1"})
    assert resp.status_code == 401 and resp.headers["HX-Redirect"] == "/staff/login?next=/staff/queue/1"


def test_expired_session_on_an_htmx_post_goes_to_login(client):
    resp = client.post("/staff/queue/1/call-next", headers={**HX, "HX-Current-URL": "http://localhost/staff/queue/1"})
    assert resp.status_code == 401 and "/staff/login" in resp.headers["HX-Redirect"]


def test_search_query_never_appears_in_the_login_redirect(client):
    resp = client.get("/staff/workers?q=350405198001011239")
    assert "350405198001011239" not in resp.headers["Location"]


def test_staff_are_warned_when_qr_codes_may_not_open_on_phones(make_app):
    app = make_app(PUBLIC_BASE_URL=None)
    client = app.test_client()
    with app.app_context():
        staff_user()
    login(client)
    assert "未设置二维码地址" in client.get("/staff/print-jobs").get_data(as_text=True)


def test_the_slip_qr_never_takes_its_address_from_the_host_header(make_app):
    from printers import Receipt

    app = make_app(PUBLIC_BASE_URL=None, WTF_CSRF_ENABLED=False)  # the cookie is for localhost
    resp = app.test_client().post("/kiosk/register", data=registration(), headers={"Host": "evil.example"})
    assert resp.status_code == 200 and "evil.example" not in resp.get_data(as_text=True)
    with app.app_context():
        from app.models import PrintJob

        receipt = Receipt.from_dict(db.session.scalars(select(PrintJob)).one().receipt)
        qr = [item.payload for item in receipt.items if hasattr(item, "payload")]
    assert qr and qr[0].startswith("http://127.0.0.1:5000/w/")
