"""A filed case and a logged incident never disappear: every registered route, with every
method, is sent by each staff role (with a valid CSRF token and a form that says yes to
everything) at a case in each state and at the incidents, and not one DELETE reaches their
tables, and every case, entry, signature and incident is still there afterwards."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.domain.disputes import Party
from app.extensions import db
from app.models import DisputeCase, DisputeEntry, DisputeSignature, Incident, Role, utcnow
from app.services import disputes, incidents
from tests import factories as f
from tests.conftest import csrf_from
from tests.web.test_route_policy import sample_values

PROTECTED = ("dispute_case", "dispute_entry", "dispute_signature", "dispute_counter", "incident", "deal",
             "deal_signature", "deal_note", "false_record", "task_order")
DELETE = re.compile(r'^\s*DELETE\s+FROM\s+"?(\w+)"?', re.IGNORECASE)
# A form that agrees to whatever a route may ask before it acts.
YES = {"confirm": "yes", "reason": "核对后处理", "note": "核对后处理", "text": "核对后处理", "into": "2026-JF-0001"}


def _counts() -> dict:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (DisputeCase, DisputeEntry, DisputeSignature, Incident)}


@pytest.fixture
def records(app):
    """A case in every state the workflow reaches, and incidents, one voided."""
    with app.app_context():
        staff = f.staff_user(username="seed")
        cases = [f.dispute() for _ in range(4)]
        disputes.accept(cases[1], staff)
        disputes.record_session(cases[1], held_at=utcnow(), attendees="双方", text="第一次调解", user=staff)
        disputes.agree(cases[1], amount="800", pay_by=date.today() + timedelta(days=5), method="cash",
                       terms="当场付清", user=staff,
                       signatures={p: disputes.Signed("某人", f.signature()) for p in Party})
        disputes.merge(cases[2], cases[0].number, "重复申请", staff)
        disputes.withdraw(cases[3], "已自行解决", staff)
        rows = [f.incident(), f.incident(kind="fee")]
        incidents.void(rows[1], "误登记", staff)
        for role in Role:
            f.staff_user(username=f"walk_{role.value}", role=role)
        return [c.id for c in cases], [r.id for r in rows], _counts()


class _Visitor:
    """A client signed in as ``username`` (again, whenever a route signed it out), sending
    every POST with a valid CSRF token and the yes-to-everything form."""

    def __init__(self, app, username):
        self.client, self.username, self.token = app.test_client(), username, None

    def send(self, method, url):
        with self.client.session_transaction() as session:
            if "_user_id" not in session:
                assert f.login(self.client, username=self.username).status_code == 303
                self.token = None
        if self.token is None:
            self.token = csrf_from(self.client.get("/staff/login").get_data(as_text=True))
        data = {**YES, "csrf_token": self.token} if method != "GET" else None
        return self.client.open(url, method=method, data=data)


def test_no_route_deletes_a_case_or_an_incident(app, records):
    case_ids, incident_ids, before = records
    deleted: list[str] = []
    with app.app_context():
        engine = db.engine

    def watch(conn, cursor, statement, parameters, context, executemany):
        match = DELETE.match(statement)
        if match and match.group(1) in PROTECTED:
            deleted.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        rules = [(rule, method) for rule in app.url_map.iter_rules() for method in sorted(rule.methods)
                 if method not in ("HEAD", "OPTIONS") and rule.endpoint != "static"]
        assert len(rules) > 50
        for role in Role:
            visitor = _Visitor(app, f"walk_{role.value}")
            for rule, method in rules:
                if rule.endpoint == "auth.logout":
                    continue  # signing out is harmless, and the visitor signs in again anyway
                for record_id in sorted({*case_ids, *incident_ids}) if rule.arguments else [None]:
                    values = {name: (record_id if "id" in name else value)
                              for name, value in sample_values(rule).items()}
                    visitor.send(method, app.url_map.bind("localhost").build(rule.endpoint, values, method=method))
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert deleted == []
    with app.app_context():
        after = _counts()
        assert all(after[name] >= count for name, count in before.items()), (before, after)
        assert {c.id for c in db.session.scalars(select(DisputeCase))} >= set(case_ids)
        voided = db.session.get(Incident, incident_ids[1])
        assert voided.void_reason == "误登记"
        merged = db.session.get(DisputeCase, case_ids[2])
        assert (merged.merged_into_id, merged.closing_reason) == (case_ids[0], "重复申请")
