"""The route policy (app/policy.py): every route declares who may reach it, and one check before
every request holds each route to its declaration, for everyone who may ask; deny by default.

The table is built from ``app.url_map`` (every rule, every method), so a route added later is
checked too: it must declare its audience, and then it answers exactly that audience.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.routing import IntegerConverter

from app.models import Role
from app.policy import OPEN, UNDECLARED_ENDPOINTS, Audience, allow, audiences_of, undeclared_endpoints
from app.services import pinyin_data
from tests.conftest import csrf_from
from tests.factories import login, staff_user

# Who asks: signed out (a kiosk visitor, a phone, the display: anyone), by a plain request and
# by htmx; and signed in with each role.
SIGNED_OUT, SIGNED_OUT_HTMX = "signed out", "signed out (htmx)"
WHO = {SIGNED_OUT: None, SIGNED_OUT_HTMX: None, "staff": Role.STAFF, "manager": Role.MANAGER,
       "assessor": Role.ASSESSOR}

# What a person sees, in the policy's terms.
SERVED, SIGN_IN, SIGN_IN_HTMX, REFUSED = "served", "sent to sign in", "sent to sign in (htmx)", "refused"

# Sample values for a rule's variables: by name where a real value reaches further into the
# view than "x" would, else by converter: ids 1, anything else "x". A missing record: 404, fine.
SAMPLE_BY_NAME = {"action": "recall", "decision": "publish", "name": "default", "filename": "kiosk.css",
                  # the exit terminal's reasons screen (/kiosk/rate/4/worker: a bad level, a role)
                  "level": 4, "role": "worker"}


def sample_values(rule) -> dict:
    return {arg: SAMPLE_BY_NAME.get(arg, 1 if isinstance(conv, IntegerConverter) else "x")
            for arg, conv in rule._converters.items()}


def declared(app, endpoint) -> frozenset:
    """What the policy applies: the declaration, or anyone for the one named exception."""
    return OPEN if endpoint in UNDECLARED_ENDPOINTS else audiences_of(endpoint, app)


def table(app) -> list[tuple[str, str, frozenset]]:
    """(method, url, declared audiences) for every rule and every method of the app."""
    adapter = app.url_map.bind("localhost")
    return [(method, adapter.build(rule.endpoint, sample_values(rule), method=method),
             declared(app, rule.endpoint))
            for rule in app.url_map.iter_rules() for method in sorted(rule.methods)]


def expected(audiences: frozenset, who: str) -> str:
    role = WHO[who]
    if audiences & OPEN or any(a.role == role for a in audiences if role):
        return SERVED
    if role is None:
        return SIGN_IN_HTMX if who == SIGNED_OUT_HTMX else SIGN_IN
    return REFUSED


def outcome(resp) -> str:
    if resp.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(resp.headers["Location"])
        if target.path == "/staff/login" and "next" in parse_qs(target.query):
            return SIGN_IN
    if resp.status_code == 401:
        redirect = resp.headers.get("HX-Redirect", "")
        return SIGN_IN_HTMX if redirect.startswith("/staff/login?next=") else "401 without a way to sign in"
    if resp.status_code == 403:
        return REFUSED
    if resp.status_code >= 500:
        return f"server error {resp.status_code}"
    return SERVED  # including 404 for a missing record and 422 for an empty form


class Visitor:
    """A test client that stays who it is: signed in again if a request (退出) signed it out;
    every POST carries a valid CSRF token, so that only the policy can refuse it."""

    def __init__(self, app, who):
        self.client, self.role = app.test_client(), WHO[who]
        self.headers = {"HX-Request": "true"} if who == SIGNED_OUT_HTMX else {}
        self.token = None

    def request(self, method, url):
        if self.role is not None:
            with self.client.session_transaction() as session:
                signed_in = "_user_id" in session
            if not signed_in:
                assert login(self.client, username=f"user_{self.role.value}").status_code == 303
                self.token = None
        if self.token is None:  # the sign-in page has a form whoever asks
            self.token = csrf_from(self.client.get("/staff/login").get_data(as_text=True))
        data = {"csrf_token": self.token} if method == "POST" else None
        return self.client.open(url, method=method, data=data, headers=self.headers)


def add_one_user_per_role(app):
    with app.app_context():
        for role in Role:
            staff_user(username=f"user_{role.value}", role=role)


def test_every_route_declares_its_audience(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 20  # the whole app is registered
    undeclared = [rule.rule for rule in rules
                  if rule.endpoint not in UNDECLARED_ENDPOINTS and audiences_of(rule.endpoint, app) is None]
    assert not undeclared, f"routes without @allow(...): {undeclared}"
    assert undeclared_endpoints(app) == []
    assert UNDECLARED_ENDPOINTS == {"static"}  # the one exception: the app's CSS and JS


# The declarations themselves, where they matter: who each part of the site is for, and the
# few routes open to the assessor (who sees no personal data) or to the manager alone. A new
# route for the assessor or the manager alone is a decision: add it here.
BY_PREFIX = {"/kiosk/": {Audience.KIOSK}, "/w/": {Audience.PUBLIC}, "/q/": {Audience.PUBLIC},
             "/c/": {Audience.PUBLIC}, "/d/": {Audience.PUBLIC}, "/v/": {Audience.PUBLIC},
             "/display/": {Audience.DISPLAY}}
SIGN_IN_PAGES = {"auth.login", "auth.logout", "auth.setup"}
# The livestream and follower records (D1, F1): the assessor reads them (voided ones too).
FOR_THE_ASSESSOR_TOO = {"staff.home", "staff.alerts", "admin.livestreams", "admin.followers",
                       # 差评回访 and 工作日历: read, never acted on (no reveal, no steps, no day set)
                       "staff.follow_ups_list", "staff.follow_up", "staff.calendar",
                       # 纠纷调解: every case read (names and phones masked), never acted on
                       "staff.disputes", "staff.dispute_detail",
                       # 交易: every deal read (names masked), never acted on
                       "staff.deals", "staff.deal_detail",
                       # 事件登记 (read, 涉及人员 masked) and 纠纷与事件统计 (nothing personal)
                       "staff.incidents_list", "staff.dispute_figures_page", "staff.dispute_figures_csv",
                       # 招工与交易统计 (nothing personal: counts, sums, rates)
                       "staff.deal_figures", "staff.deal_figures_csv",
                       # the signatures under a case's mediation agreement (not its A4 print: names in full)
                       "staff.dispute_signature",
                       # 招工信息: the list and a posting read (employers masked), never acted on
                       "staff.postings", "staff.posting_detail"}
FOR_THE_MANAGER_ALONE = {"staff.worker_anonymise", "admin.users", "admin.attempts", "admin.user_full_time",
                         "admin.score_settings_save", "admin.score_rubric_save"}
# The audit trail and the score settings hold no personal data; the score page's lists are masked.
FOR_THE_MANAGER_AND_THE_ASSESSOR = {"admin.audit_trail", "admin.score_settings", "admin.score", "admin.score_json",
                                    "admin.score_records", "admin.score_records_csv", "admin.score_print",
                                    "admin.score_what_if", "admin.score_xlsx",
                                    # satisfaction figures and their CSV: no phone, address or comment
                                    "admin.ratings", "admin.ratings_csv"}
FOR_THE_ASSESSOR_ALONE = {"admin.score_manual", "admin.score_lock", "admin.score_unlock"}  # scoring, locking
STAFF_AT_A_KIOSK = {"kiosk.terminal_form", "kiosk.terminal_set"}  # naming a kiosk


def decided(rule) -> set:
    if rule.rule == "/":
        return {Audience.KIOSK}
    if rule.endpoint in SIGN_IN_PAGES:
        return {Audience.SIGN_IN}
    if rule.endpoint in STAFF_AT_A_KIOSK:
        return {Audience.STAFF, Audience.MANAGER}
    if rule.endpoint in FOR_THE_MANAGER_AND_THE_ASSESSOR:
        return {Audience.MANAGER, Audience.ASSESSOR}
    if rule.endpoint in FOR_THE_ASSESSOR_ALONE:
        return {Audience.ASSESSOR}
    if prefix := next((p for p in BY_PREFIX if rule.rule.startswith(p)), None):
        return BY_PREFIX[prefix]
    if rule.endpoint in FOR_THE_MANAGER_ALONE:
        return {Audience.MANAGER}
    if rule.endpoint in FOR_THE_ASSESSOR_TOO:
        return {Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR}
    assert rule.rule.startswith(("/staff/", "/admin/")), f"{rule.rule}: which part of the site?"
    return {Audience.STAFF, Audience.MANAGER}


def test_the_declarations_are_what_the_hall_decided(app):
    differ = [f"{rule.rule}: declared {sorted(a.value for a in audiences_of(rule.endpoint, app))}, "
              f"decided {sorted(a.value for a in decided(rule))}"
              for rule in app.url_map.iter_rules() if rule.endpoint not in UNDECLARED_ENDPOINTS
              and audiences_of(rule.endpoint, app) != decided(rule)]
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize("who", WHO)
def test_every_route_answers_exactly_its_declared_audience(app, who):
    add_one_user_per_role(app)
    pinyin_data.table(wait=60)  # the kiosk's pinyin route answers 503 until its table is built
    visitor = Visitor(app, who)
    wrong = []
    for method, url, audiences in table(app):
        resp = visitor.request(method, url)
        want, got = expected(audiences, who), outcome(resp)
        if got != want:
            names = ", ".join(sorted(a.value for a in audiences))
            wrong.append(f"{method} {url} (for {names}): {resp.status_code}, {got}; expected {want}")
    assert not wrong, f"as {who}:\n" + "\n".join(wrong)


def test_the_table_compares_different_answers(app):
    """Every audience is declared somewhere, and everyone is kept out of something (the
    manager out of the assessor's scoring and locking): the table above is not "served"
    everywhere."""
    rows = table(app)
    assert set().union(*(audiences for _m, _u, audiences in rows)) == set(Audience)
    kept_out = {who for who in WHO for _m, _u, audiences in rows if expected(audiences, who) != SERVED}
    assert kept_out == set(WHO)


def test_a_route_without_a_declaration_is_refused_to_everyone(make_app):
    app = make_app()

    @app.get("/kiosk/forgotten")
    def forgotten():
        return "anyone may read this?"

    add_one_user_per_role(app)
    assert undeclared_endpoints(app) == ["forgotten"]
    for who in WHO:
        resp = Visitor(app, who).request("GET", "/kiosk/forgotten")
        assert resp.status_code == 403, (who, resp.status_code)
        assert "anyone may read this" not in resp.get_data(as_text=True)


def test_the_same_route_declared_is_served_to_its_audience_only(make_app):
    app = make_app()

    @app.get("/staff/manager-only")
    @allow(Audience.MANAGER)
    def manager_only():
        return "for the manager"

    add_one_user_per_role(app)
    answers = {who: Visitor(app, who).request("GET", "/staff/manager-only") for who in WHO}
    assert {who: outcome(resp) for who, resp in answers.items()} == {
        SIGNED_OUT: SIGN_IN, SIGNED_OUT_HTMX: SIGN_IN_HTMX, "staff": REFUSED, "manager": SERVED,
        "assessor": REFUSED}
    assert answers["manager"].get_data(as_text=True) == "for the manager"
    assert answers[SIGNED_OUT].headers["Location"] == "/staff/login?next=/staff/manager-only"


def test_a_declaration_names_someone_and_does_not_mix_anyone_with_roles():
    with pytest.raises(TypeError):
        allow()
    with pytest.raises(TypeError):
        allow(Role.STAFF)  # a Role is not an Audience
    with pytest.raises(ValueError):
        allow(Audience.KIOSK, Audience.STAFF)  # "anyone" already includes staff
    view = allow(Audience.STAFF)(lambda: None)
    with pytest.raises(ValueError):
        allow(Audience.MANAGER)(view)  # declared twice


# The pages a slip's QR leads to, on a person's own phone: anyone holding the slip, no
# sign-in (the token is the key). The rating of the slip's service takes a POST.
SLIP_PAGES = {"public.my_record": {"GET"}, "public.request_deletion": {"POST"}, "public.ticket_status": {"GET"},
              "public.rate_registration": {"GET", "POST"}, "public.rate_ticket": {"GET", "POST"},
              "public.case_progress": {"GET"}, "public.rate_case": {"GET", "POST"},
              "public.deal_page": {"GET"}, "public.rate_deal": {"GET", "POST"},
              # the 劳务协议's check page (the QR on its A4 copies and slips): read only
              "public.verify_agreement": {"GET"}}


def test_a_slips_pages_are_open_to_whoever_holds_it(app):
    found = {rule.endpoint: set(rule.methods) - {"HEAD", "OPTIONS"} for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("public.")}
    assert found == SLIP_PAGES
    assert all(audiences_of(endpoint, app) == {Audience.PUBLIC} for endpoint in SLIP_PAGES)
