"""No request header value, however broken or hostile, makes a page answer 500."""

import pytest

from app.models import Role
from tests.conftest import csrf_from
from tests.factories import login, staff_user

HOSTILE_VALUES = [
    "", " ", "true", "TRUE", "false", "\t",
    "http://[::1", "http://[", "http://[::1]:99999/", "http://localhost:-1/", "http://localhost:abc/",
    "https://[v1.x]/", "http://local host/", ":::", "%", "%zz", "//evil.example/x",
    "http://localhost//evil.example/", "javascript:alert(1)", "http://localhost/staff/workers?q=张三",
    "http://localhost/" + "a" * 20_000, "x" * 60_000,
    "\xff\xfe\xfd", "http://localhost/\xe9\xe8", "中文", "http://本地/页面", "\u2028\u2029",
]
HTMX_HEADERS = ["HX-Request", "HX-Current-URL", "HX-Boosted", "HX-History-Restore-Request", "HX-Target",
                "HX-Trigger"]
HOST_VALUES = ["[::1", "[", "localhost:99999", "localhost:abc", "evil.example", "", "a" * 5000,
               "local host", "\xff", "中文.example"]

KIOSK_PAGES = ["/kiosk/", "/kiosk/privacy", "/kiosk/register?consent=1", "/kiosk/checkin", "/display/",
               "/display/board", "/q/no-such-ticket", "/w/no-such-worker", "/no-such-page"]
STAFF_PAGES = ["/staff/workers", "/staff/print-jobs", "/staff/queue", "/staff/queue/1", "/admin/users",
               "/staff/login"]


def header_sets():
    for value in HOSTILE_VALUES:
        for name in HTMX_HEADERS:
            yield {"HX-Request": "true", name: value}
        yield {name: value for name in HTMX_HEADERS}  # all at once, HX-Request broken too


def assert_never_500(client, urls, method="get", data=None):
    for url in urls:
        for headers in header_sets():
            resp = getattr(client, method)(url, headers=headers, data=data)
            assert resp.status_code < 500, (url, headers, resp.status_code)


def test_kiosk_pages_survive_hostile_htmx_headers(client):
    assert_never_500(client, KIOSK_PAGES)


def test_staff_pages_signed_out_survive_hostile_htmx_headers(client):
    assert_never_500(client, STAFF_PAGES)


def test_staff_pages_signed_in_survive_hostile_htmx_headers(app, client):
    with app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
    assert login(client, username="boss").status_code == 303
    assert_never_500(client, STAFF_PAGES)


def test_posts_without_a_valid_form_survive_hostile_htmx_headers(app, client):
    """The CSRF error handler reads HX-Current-URL too (a staff screen whose login ended)."""
    assert_never_500(client, ["/kiosk/checkin", "/staff/workers", "/staff/queue/1/call"], method="post",
                     data={"csrf_token": "stale"})


def test_posts_with_a_form_survive_hostile_htmx_headers(client):
    token = csrf_from(client.get("/kiosk/checkin").get_data(as_text=True))
    assert_never_500(client, ["/kiosk/checkin/review", "/kiosk/checkin/lookup"], method="post",
                     data={"csrf_token": token, "phone": "13905980001", "form_key": "k" * 20})


@pytest.mark.parametrize("host", HOST_VALUES)
def test_odd_host_headers_never_give_500(app, client, host):
    with app.app_context():
        staff_user()
    for url in KIOSK_PAGES + STAFF_PAGES:
        for headers in ({"Host": host}, {"Host": host, "HX-Request": "true",
                                         "HX-Current-URL": f"http://{host}/staff/workers"}):
            resp = client.get(url, headers=headers)
            assert resp.status_code < 500, (url, headers, resp.status_code)


@pytest.mark.parametrize("current", ["http://[::1", "http://localhost//evil.example/x",
                                     "http://localhost/\\evil.example/x", "http://elsewhere.example/staff/queue",
                                     "http://localhost/" + "a" * 5000])
def test_a_bad_current_url_header_is_ignored_for_the_way_back_after_login(client, current):
    resp = client.get("/staff/workers", headers={"HX-Request": "true", "HX-Current-URL": current})
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"] == "/staff/login?next=/staff/workers"


def test_the_current_url_header_is_the_way_back_after_login(client):
    resp = client.get("/staff/queue/1/live", headers={"HX-Request": "true",
                                                      "HX-Current-URL": "http://localhost/staff/queue/1?x=1"})
    assert resp.headers["HX-Redirect"] == "/staff/login?next=/staff/queue/1"


def test_an_error_on_a_phone_page_does_not_send_the_person_to_the_kiosk(client):
    html = client.get("/w/no-such-token").get_data(as_text=True)
    assert "页面不存在" in html and 'href="/kiosk/"' not in html and "0598-5820000" in html
