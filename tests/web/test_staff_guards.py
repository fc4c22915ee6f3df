"""The staff screens' markup: every button that changes something is guarded against a
double tap, and every polled region has its "连接中断" notice.

The behaviour itself is tested in a real browser (tests/browser/test_staff_screens.py);
this checks every page's markup, so that a form added later cannot forget its guard.
"""

from html.parser import HTMLParser

import pytest

from app.models import Role
from tests.conftest import csrf_from
from tests.factories import login, staff_user
from tests.web.test_checkin import post as check_in
from tests.web.test_staff import register

pytestmark = pytest.mark.usefixtures("frozen_clock")  # the console acts on today's tickets only

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
            self._form = {**a, "buttons": [], "fields": []}
            if "hx-post" in a or (a.get("method") or "").lower() == "post":
                self.forms.append(self._form)
        elif tag in ("button", "input") and self._form is not None and (
                tag == "button" or a.get("type") == "submit"):
            self._form["buttons"].append(a)
        if tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            self._form["fields"].append(a["name"])
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


PAGES = ["/staff/queue/1", "/staff/print-jobs", "/staff/workers", "/staff/workers/1",
         "/admin/users", "/admin/livestreams", "/admin/followers", "/admin/score/settings", "/staff/incidents"]


@pytest.mark.parametrize("url", PAGES)
def test_every_post_is_guarded_against_a_double_tap(manager, url):
    resp = manager.get(url)
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    assert page.forms, "no form found: the parser missed them"
    unguarded = []
    for form in page.forms:
        label = f"form {form.get('hx-post') or form.get('action')}"
        if not form["buttons"]:
            unguarded.append(f"{label}: no button")
        elif "hx-post" in form:
            # htmx sends the form: the form (not its button) issues the request, so the
            # guard belongs on the form; "this" there would disable the form, i.e. nothing
            if form.get("hx-disabled-elt") != "find button" or form.get("hx-sync") != "this:drop":
                unguarded.append(f"{label}: hx-disabled-elt={form.get('hx-disabled-elt')!r} "
                                 f"hx-sync={form.get('hx-sync')!r}")
        elif "/static/staff.js" not in page.scripts:
            # the browser sends the form: staff.js lets one submit through per page
            unguarded.append(f"{label}: plain form on a page without staff.js")
    unguarded += [f"<{e['tag']}> {e['hx-post']}" for e in page.posting
                  if e.get("hx-disabled-elt") != "this"]
    assert not unguarded, f"{url}: " + "; ".join(unguarded)


@pytest.mark.parametrize("url", PAGES)
def test_every_post_reaches_a_route_with_its_csrf_token(app, manager, url):
    """Built with url_for (the post_button macro): each form posts to a route of the app that
    takes a POST, htmx and the browser to the same address, with the CSRF token."""
    page = Page(manager.get(url).get_data(as_text=True))
    adapter = app.url_map.bind("localhost")
    for form in page.forms:
        action = form.get("action") or url  # no action: the page's own address
        assert form.get("hx-post", action) == action, form
        adapter.match(action, method="POST")  # raises NotFound / MethodNotAllowed otherwise
        assert form["fields"].count("csrf_token") == 1, action


def test_the_console_guards_each_of_its_buttons(manager):
    """The console page really showed the buttons the guard is about."""
    page = Page(manager.get("/staff/queue/1").get_data(as_text=True))
    posts = {f.get("hx-post", "").rsplit("/", 1)[-1] for f in page.forms if "hx-post" in f}
    assert {"call-next", "recall", "serve", "done", "no_show", "transfer", "publish",
            "reject"} <= posts


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


def test_the_phones_ticket_status_keeps_its_last_answer_on_a_failed_poll(app, client):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Ticket
    from tests.web.test_checkin import post as check_in

    check_in(client)
    with app.app_context():
        token = db.session.scalars(select(Ticket)).one().status_token
    page = Page(client.get(f"/q/{token}").get_data(as_text=True))
    assert page.polled and page.polled[0].get("data-poll-notice") in page.ids
    assert "/static/polling.js" in page.scripts
