"""The staff screens' markup: every polled region has its "连接中断" notice.

The behaviour itself is tested in a real browser (tests/browser/test_staff_screens.py);
this checks every page's markup, so that a region added later cannot forget it.
"""

from html.parser import HTMLParser

import pytest

from app.models import Role
from tests.conftest import csrf_from
from tests.factories import login, staff_user
from tests.web.test_checkin import post as check_in
from tests.web.test_staff import register

HX = {"HX-Request": "true"}


class Page(HTMLParser):
    """The page's POST forms (with their buttons), other elements that POST, polled
    elements, ids and scripts."""

    def __init__(self, html):
        super().__init__()
        self.forms, self.posting, self.polled, self.ids, self.scripts = [], [], [], set(), []
        self._form = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if "every " in (a.get("hx-trigger") or ""):
            self.polled.append(a)
        if tag == "form":
            self._form = {**a, "buttons": []}
            if "hx-post" in a or (a.get("method") or "").lower() == "post":
                self.forms.append(self._form)
        elif tag in ("button", "input") and self._form is not None and (
                tag == "button" or a.get("type") == "submit"):
            self._form["buttons"].append(a)
        if tag != "form" and "hx-post" in a:
            self.posting.append({"tag": tag, **a})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


@pytest.fixture
def manager(app, client):
    """A manager (who may use every staff page) at window 1 with a 招工 ticket called, so
    that the console shows all its buttons; a registered worker and printed slips."""
    register(client)
    check_in(client)
    with app.app_context():
        staff_user(role=Role.MANAGER)
    assert login(client).status_code == 303
    token = csrf_from(client.get("/staff/queue/1").get_data(as_text=True))
    client.post("/staff/queue/1/call-next", data={"csrf_token": token}, headers=HX)
    return client


@pytest.mark.parametrize("url", ["/staff/queue/1", "/staff/print-jobs"])
@pytest.mark.parametrize("headers", [{}, HX])
def test_every_polled_region_has_its_connection_notice(manager, url, headers):
    page = Page(manager.get(url).get_data(as_text=True))
    assert page.polled, f"{url} polls nothing"
    for region in page.polled:
        notice = region.get("data-poll-notice")
        assert notice and notice in page.ids, f"{url}: {region.get('id')} has no notice"
    if not headers:
        assert "/static/polling.js" in page.scripts
