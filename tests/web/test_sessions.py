"""Staff sessions: sign-out ends them on the server, idle sessions expire, the CSRF token
rotates at sign-in, Secure cookies and proxy headers behind HTTPS, one first manager, and
account forms that speak Chinese and refuse guessable passwords."""

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, StaffUser, utcnow
from app.services import accounts
from tests.conftest import at_once, csrf_from
from tests.factories import login, staff_user


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app, client):
    with app.app_context():
        staff_user()
    assert login(client).status_code == 303
    copied = client.get_cookie("session").value
    page = client.get("/staff/workers")
    assert page.status_code == 200
    client.post("/staff/logout", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    resp = thief.get("/staff/workers")
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


def test_the_csrf_token_changes_at_sign_in(app, client):
    with app.app_context():
        staff_user()
    before = csrf_from(client.get("/staff/login").get_data(as_text=True))
    login(client)
    after = csrf_from(client.get("/staff/workers").get_data(as_text=True))
    with app.test_request_context():
        from itsdangerous import URLSafeTimedSerializer

        raw = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
        assert raw.loads(before) != raw.loads(after)


def test_an_idle_staff_session_expires_but_polling_does_not_keep_it_alive(make_app):
    app = make_app(STAFF_IDLE_MINUTES=30)
    client = app.test_client()
    with app.app_context():
        staff_user()
    start = utcnow()
    with time_machine.travel(start, tick=False):
        login(client)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        poll = client.get("/staff/queue/1/live", headers={"HX-Request": "true"})
        assert poll.status_code == 200  # still signed in, but a poll is not activity
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/staff/workers").status_code == 200  # activity
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/staff/workers").status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        resp = client.get("/staff/workers")
        assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


def test_secure_cookies_and_proxy_headers_behind_an_https_proxy(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True, TRUSTED_PROXIES=1)
    client = app.test_client()
    with app.app_context():
        staff_user()
    forwarded = {"X-Forwarded-For": "198.51.100.4", "X-Forwarded-Proto": "https",
                 "Referer": "https://localhost/staff/login"}
    page = client.get("/staff/login", headers=forwarded)
    assert "Secure" in page.headers["Set-Cookie"]
    resp = client.post("/staff/login", headers=forwarded, data={
        "username": "xiaoli", "password": "wrong-password-9",
        "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.status_code == 422  # the CSRF check saw an HTTPS request (strict referrer)
    with app.app_context():
        from app.models import Attempt

        assert db.session.scalars(select(Attempt.client)).one() == "198.51.100.4"


def test_without_trusted_proxies_forwarded_headers_are_ignored(app, client):
    with app.app_context():
        staff_user()
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    client.post("/staff/login", headers={"X-Forwarded-For": "198.51.100.4"}, data={
        "username": "xiaoli", "password": "wrong-password-9", "csrf_token": token})
    with app.app_context():
        from app.models import Attempt

        assert db.session.scalars(select(Attempt.client)).one() == "127.0.0.1"


def test_racing_first_run_setups_create_exactly_one_manager(app):
    results = at_once(app, 8, lambda n: accounts.create_first_manager(
        f"boss{n}", "Long-enough-pw-7", "王经理"))
    assert sum(isinstance(r, StaffUser) for r in results) == 1
    assert all(isinstance(r, (StaffUser, accounts.AccountError)) for r in results)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 1


def test_account_form_speaks_chinese_and_refuses_guessable_passwords(app, client):
    with app.app_context():
        staff_user(username="manager", role=Role.MANAGER)
    login(client, username="manager")
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    base = {"username": "newbie", "display_name": "新人", "role": "staff", "csrf_token": token}
    for password, message in [("aaaaaaaaaa", "至少两类"), ("Password123", "太容易被猜到"),
                              ("newbie-2026-x", "不能包含用户名")]:
        resp = client.post("/admin/users", data={**base, "password": password, "password2": password})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), password
    bad_role = client.post("/admin/users", data={**base, "role": "root", "password": "Tea-kettle-42",
                                                 "password2": "Tea-kettle-42"})
    html = bad_role.get_data(as_text=True)
    assert bad_role.status_code == 422 and "请选择角色" in html and "Not a valid choice" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 1
