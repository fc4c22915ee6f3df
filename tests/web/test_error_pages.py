"""Error pages per area, chosen from the route's declared audience (app/errors.py): the kiosk
gets a big button back to its start screen inside #kiosk-step, staff get their own layout with
its nav and a way back to their page, a phone page gets the hall's phone and no kiosk link.
The domain's errors (Invalid, Conflict) are answered on the same pages when a route lets
them through."""

import pytest

from app.domain import Conflict, DomainError, Invalid
from app.models import Role
from app.policy import Audience, allow
from tests.factories import login, staff_user

HX = {"HX-Request": "true"}
PHONE = "0598-5820000"  # HALL_PHONE's default


def is_kiosk_page(html, back="/kiosk/"):
    return '<section id="kiosk-step" class="step error-box"' in html and f'href="{back}"' in html \
        and 'id="staff-error"' not in html


def is_staff_page(html):
    return '<section id="staff-error"' in html and 'id="kiosk-step"' not in html \
        and 'href="/kiosk/"' not in html


def is_phone_page(html):
    return '<section id="phone-error"' in html and PHONE in html and 'href="/kiosk/"' not in html \
        and 'id="kiosk-step"' not in html


def signed_in(app, client, role):
    with app.app_context():
        staff_user(role=role)
    assert login(client).status_code == 303
    return client


# -- kiosk and hall display -------------------------------------------------------------------

def test_a_kiosk_error_is_a_kiosk_step_with_the_way_back_to_the_start(client):
    resp = client.get("/kiosk/register/review")  # a kiosk route, but only for POST
    html = resp.get_data(as_text=True)
    assert resp.status_code == 405 and "不支持这种操作" in html
    assert is_kiosk_page(html)
    assert 'data-idle-seconds="60"' in html  # the kiosk still returns to its start screen

    fragment = client.get("/kiosk/register/review", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment
    assert is_kiosk_page(fragment)  # swapped into the kiosk's step


def test_a_display_error_leads_back_to_the_display_not_the_kiosk(client):
    resp = client.post("/display/board")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 405
    assert is_kiosk_page(html, back="/display/") and 'href="/kiosk/"' not in html
    assert "data-idle-seconds" not in html  # the display never jumps to the kiosk's start


# -- phone pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX])
@pytest.mark.parametrize("url", ["/w/no-such-token", "/q/no-such-ticket"])
def test_a_phone_page_error_gives_the_halls_phone_and_no_kiosk(client, url, headers):
    resp = client.get(url, headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "页面不存在" in html
    assert is_phone_page(html) and f'href="tel:{PHONE}"' in html
    assert ("<html" in html) == (not headers)


# -- staff ------------------------------------------------------------------------------------

def test_a_staff_error_keeps_the_staff_layout_and_its_nav(app, client):
    signed_in(app, client, Role.STAFF)
    resp = client.get("/staff/workers/999")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "页面不存在" in html
    assert is_staff_page(html)
    assert 'href="/staff/workers">零工名录</a>' in html and "退出" in html  # the staff nav
    assert 'href="/staff/"' in html  # the failing page itself is no way back: the staff home


def test_a_staff_htmx_error_is_a_fragment_back_to_the_page_the_person_was_on(app, client):
    signed_in(app, client, Role.STAFF)
    resp = client.post("/staff/queue/9/call-next", data={"csrf_token": csrf(client)},
                       headers={**HX, "HX-Current-URL": "http://localhost/staff/queue/1"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert is_staff_page(html) and "<html" not in html and "<header" not in html
    assert 'href="/staff/queue/1"' in html


def test_a_refused_assessor_stays_in_the_staff_layout_without_personal_links(app, client):
    signed_in(app, client, Role.ASSESSOR)
    resp = client.get("/staff/workers")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403 and "您没有权限查看此页面" in html
    assert is_staff_page(html) and "考核人员" in html
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert "/staff/workers" not in nav and "/staff/print-jobs" not in nav
    assert "/admin/users" not in nav and "/admin/attempts" not in nav
    assert "/admin/audit" in nav  # the audit trail: no personal data, the assessor's to read


def test_a_sign_in_page_error_is_a_staff_page_without_a_signed_in_header(app, client):
    with app.app_context():
        staff_user()
    resp = client.get("/setup")  # an account exists: setup is over
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert is_staff_page(html) and 'href="/staff/"' in html
    assert "<nav" not in html and "退出" not in html and "staff-alerts" not in html


def csrf(client):
    from tests.conftest import csrf_from

    return csrf_from(client.get("/staff/login").get_data(as_text=True))


# -- the domain's errors, let through by a route ----------------------------------------------

@pytest.fixture
def throwing_app(make_app):
    """Routes of each area that let a domain error through."""
    app = make_app()
    errors = {"conflict": Conflict("该号已被其他窗口叫走"), "invalid": Invalid("手机号应为11位数字", field="phone"),
              "other": DomainError("暂时不能办理")}

    @app.get("/kiosk/throws/<kind>")
    @allow(Audience.KIOSK)
    def kiosk_throws(kind):
        raise errors[kind]

    @app.get("/q/<token>/throws/<kind>")
    @allow(Audience.PUBLIC)
    def phone_throws(token, kind):
        raise errors[kind]

    @app.post("/staff/throws/<kind>")
    @allow(Audience.STAFF, Audience.MANAGER)
    def staff_throws(kind):
        raise errors[kind]

    return app


KINDS = [("conflict", 409, "该号已被其他窗口叫走"), ("invalid", 422, "手机号应为11位数字"),
         ("other", 400, "暂时不能办理")]


@pytest.mark.parametrize("kind,status,message", KINDS)
@pytest.mark.parametrize("headers", [{}, HX])
def test_domain_errors_on_the_kiosk_and_on_phones(throwing_app, kind, status, message, headers):
    client = throwing_app.test_client()
    for url, right_page in (("/kiosk/throws/", is_kiosk_page), ("/q/x/throws/", is_phone_page)):
        resp = client.get(url + kind, headers=headers)
        html = resp.get_data(as_text=True)
        assert resp.status_code == status and message in html, (url, resp.status_code)
        assert right_page(html), url
        assert ("<html" in html) == (not headers)


@pytest.mark.parametrize("kind,status,message", KINDS)
@pytest.mark.parametrize("headers", [{}, HX])
def test_domain_errors_on_staff_screens(throwing_app, kind, status, message, headers):
    client = signed_in(throwing_app, throwing_app.test_client(), Role.STAFF)
    resp = client.post(f"/staff/throws/{kind}", data={"csrf_token": csrf(client)}, headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == status and message in html
    assert is_staff_page(html)
    assert ('href="/staff/workers">零工名录</a>' in html) == (not headers)  # full page: the nav


def test_the_assessor_is_not_shown_printer_alerts_with_links_they_cannot_open(app, client):
    signed_in(app, client, Role.ASSESSOR)
    bar = client.get("/staff/alerts", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="staff-alerts"' in bar and "打印服务未运行" not in bar and "/staff/print-jobs" not in bar
