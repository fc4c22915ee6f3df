"""When the database is unreachable: the kiosk says so before anyone types, staff get a
Chinese page, and error pages render without the database."""

import pytest

from app import create_app
from tests.conftest import KEYS
from tests.factories import login, staff_user

DOWN = "系统暂时无法使用"


@pytest.fixture
def down_app(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/no-such-folder/hall.sqlite3"
    else:
        url = "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"  # nothing listens there
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PRINTER_URL": "memory:down",
                       "PUBLIC_BASE_URL": "http://hall.test", **KEYS})


@pytest.mark.parametrize("url", ["/kiosk/", "/kiosk/privacy", "/kiosk/register?consent=1", "/kiosk/checkin"])
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_kiosk_says_at_once_that_the_service_is_unavailable(down_app, url, headers):
    resp = down_app.test_client().get(url, headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 503 and DOWN in html
    assert 'name="id_number"' not in html and 'name="phone"' not in html  # no form to fill in
    assert 'href="/kiosk/"' in html


def test_signed_in_staff_get_a_chinese_page_not_a_bare_error(app, client, down_app):
    with app.app_context():
        staff_user()
    login(client)
    down = down_app.test_client()
    down.set_cookie("session", client.get_cookie("session").value)
    for url in ("/staff/workers", "/staff/queue/1", "/staff/print-jobs"):
        resp = down.get(url)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 503 and DOWN in html and "Internal Server Error" not in html, url


def test_a_form_posted_while_the_database_is_down_gets_the_chinese_page(down_app):
    resp = down_app.test_client().post("/kiosk/register", data={"name": "张三"})
    assert resp.status_code in (400, 503)
    assert "Internal Server Error" not in resp.get_data(as_text=True)


def test_each_areas_error_page_renders_without_the_database(app, client, down_app):
    with app.app_context():
        staff_user()
    login(client)
    down = down_app.test_client()
    down.set_cookie("session", client.get_cookie("session").value)
    staff = down.get("/staff/workers").get_data(as_text=True)
    assert 'id="staff-error"' in staff and 'class="staff-header"' in staff and 'href="/kiosk/"' not in staff
    phone = down.get("/w/some-token").get_data(as_text=True)
    assert DOWN in phone and 'id="phone-error"' in phone and "0598-5820000" in phone
    assert 'href="/kiosk/"' not in phone

