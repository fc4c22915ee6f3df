"""Oversized requests get a 413 page in Chinese and write nothing (MAX_CONTENT_LENGTH,
MAX_FORM_PARTS, MAX_FORM_MEMORY_SIZE in app/config.py)."""

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employer, PrintJob, Ticket, Worker
from tests.conftest import csrf_from
from tests.factories import checkin, login, registration, staff_user

HX = {"HX-Request": "true"}
URLENCODED = "application/x-www-form-urlencoded"
TOO_LARGE = "提交的内容太多，超出了允许的大小。请返回重新填写。"
KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')


def nothing_written(app) -> bool:
    with app.app_context():
        return all(db.session.scalar(select(func.count()).select_from(model)) == 0
                   for model in (Worker, Ticket, Employer, PrintJob))


def registration_form(client) -> list[tuple[str, str]]:
    token = csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))
    return [(k, v) for k, vs in {**registration(), "csrf_token": token}.items()
            for v in (vs if isinstance(vs, list) else [vs])]


def checkin_form(client) -> list[tuple[str, str]]:
    html = client.get("/kiosk/checkin").get_data(as_text=True)
    return list({**checkin(), "csrf_token": csrf_from(html), "form_key": KEY_RE.search(html).group(1)}.items())


def post_urlencoded(client, url, fields, headers=None):
    return client.post(url, data=urlencode(fields).encode(), content_type=URLENCODED, headers=headers or {})


def assert_too_large(resp, back="/kiosk/"):
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413, resp.status_code
    assert TOO_LARGE in html and f'href="{back}"' in html


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_valid_form_still_goes_through_under_the_limits(app, client, headers):
    resp = post_urlencoded(client, "/kiosk/register", registration_form(client), headers)
    assert resp.status_code == 200 and "登记成功" in resp.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, HX])
def test_an_oversized_body_gets_413_and_writes_nothing(app, client, headers):
    fields = registration_form(client) + [("junk", "x" * (20 * 1024 * 1024))]
    assert_too_large(post_urlencoded(client, "/kiosk/register", fields, headers))
    assert nothing_written(app)


@pytest.mark.parametrize("count", [201, 5_000, 200_000])
def test_too_many_fields_get_413_and_write_nothing(app, client, count):
    fields = checkin_form(client) + [(f"f{i}", "") for i in range(count)]
    assert_too_large(post_urlencoded(client, "/kiosk/checkin", fields))
    assert nothing_written(app)


@pytest.mark.parametrize("size", [17 * 1024, 60 * 1024, 3 * 1024 * 1024])
def test_one_huge_field_gets_413_and_writes_nothing(app, client, size):
    fields = registration_form(client) + [("junk", "x" * size)]
    assert_too_large(post_urlencoded(client, "/kiosk/register", fields))
    assert nothing_written(app)


def test_one_huge_field_name_gets_413(app, client):
    fields = checkin_form(client) + [("x" * (20 * 1024), "1")]
    assert_too_large(post_urlencoded(client, "/kiosk/checkin", fields))
    assert nothing_written(app)


def test_multipart_bodies_have_the_same_limits(app, client):
    token = csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))
    base = {**registration(), "csrf_token": token}
    for extra in ({"junk": "x" * (20 * 1024)}, {f"f{i}": "" for i in range(300)},
                  {"junk": "x" * (1024 * 1024)}):
        resp = client.post("/kiosk/register", data={**base, **extra}, content_type="multipart/form-data")
        assert_too_large(resp)
    assert nothing_written(app)


def test_staff_get_a_way_back_to_their_page(app, client):
    with app.app_context():
        staff_user()
    login(client)
    token = csrf_from(client.get("/staff/workers").get_data(as_text=True))
    fields = [("csrf_token", token), ("q", "张")] + [(f"f{i}", "") for i in range(300)]
    assert_too_large(post_urlencoded(client, "/staff/workers", fields), back="/staff/workers")
    resp = post_urlencoded(client, "/staff/queue/1/call-next", fields,
                           headers={**HX, "HX-Current-URL": "http://localhost/staff/queue/1"})
    assert_too_large(resp, back="/staff/queue/1")
    assert "<html" not in resp.get_data(as_text=True)  # the fragment, swapped in place
