"""Sign-in limits: per account and per client address, a growing delay that always ends,
exact under parallel guesses, the same work for unknown names, old rows pruned."""

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, AttemptKind, Outcome, utcnow
from app.services import accounts
from tests.conftest import at_once, csrf_from
from tests.factories import staff_user

ATTACKER, OFFICE = "203.0.113.7", "192.168.1.20"


def sign_in(client, password="correct-horse-1", username="xiaoli", address=OFFICE):
    env = {"REMOTE_ADDR": address}
    token = csrf_from(client.get("/staff/login", environ_base=env).get_data(as_text=True))
    return client.post("/staff/login", environ_base=env, data={
        "username": username, "password": password, "csrf_token": token})


def test_guesses_from_one_address_wait_longer_each_time_but_the_wait_ends(app, client):
    with app.app_context():
        staff_user()
    for _ in range(5):
        assert sign_in(client, "guess-guess", address=ATTACKER).status_code == 422
    refused = sign_in(client, address=ATTACKER)  # even the right password waits there
    assert refused.status_code == 429 and "30秒后再试" in refused.get_data(as_text=True)
    start = utcnow()
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert sign_in(client, "guess-again", address=ATTACKER).status_code == 422
        assert "1分钟后再试" in sign_in(client, address=ATTACKER).get_data(as_text=True)
    with time_machine.travel(start + timedelta(seconds=95), tick=False):
        assert sign_in(client, address=ATTACKER).status_code == 303


def test_a_guesser_cannot_lock_the_real_person_out(app, client):
    with app.app_context():
        staff_user()
    for _ in range(12):
        sign_in(client, "guess-guess", address=ATTACKER)
    assert sign_in(client, address=ATTACKER).status_code == 429
    ok = app.test_client()
    assert sign_in(ok, address=OFFICE).status_code == 303  # no recent failures here


def test_an_address_guessing_many_names_is_limited_too(app, client):
    with app.app_context():
        staff_user()
    for n in range(10):
        assert sign_in(client, "guess-guess", username=f"name{n}", address=ATTACKER).status_code == 422
    assert sign_in(client, "guess-guess", username="fresh", address=ATTACKER).status_code == 429


def test_parallel_guesses_are_checked_no_more_than_the_limit(app, monkeypatch):
    with app.app_context():
        staff_user()
    checked = []
    real_check = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda h, p: checked.append(p) or real_check(h, p))
    results = at_once(app, 20, lambda _: accounts.authenticate("xiaoli", "guess-guess", ATTACKER))
    assert all(r is None or isinstance(r, accounts.TooManyAttempts) for r in results)
    assert len(checked) == 5
    with app.app_context():
        outcomes = dict(db.session.execute(
            select(Attempt.outcome, func.count()).group_by(Attempt.outcome)).all())
    assert outcomes == {Outcome.FAILED: 5, Outcome.REFUSED: 15}


def test_an_unknown_name_costs_the_same_password_check_as_a_known_one(app, monkeypatch):
    with app.app_context():
        staff_user()
        hashes = []
        real_check = accounts.check_password_hash
        monkeypatch.setattr(accounts, "check_password_hash",
                            lambda h, p: hashes.append(h.split("$")[0]) or real_check(h, p))
        assert accounts.authenticate("nobody", "guess-guess", OFFICE) is None
        assert accounts.authenticate("xiaoli", "guess-guess", OFFICE) is None
    assert len(hashes) == 2 and hashes[0] == hashes[1]  # the same method and cost


def test_old_attempt_rows_are_pruned(app):
    with app.app_context():
        db.session.add(Attempt(kind=AttemptKind.SIGN_IN, account="x", client=ATTACKER,
                               outcome=Outcome.FAILED, at=utcnow() - timedelta(days=9)))
        db.session.commit()
        accounts.authenticate("xiaoli", "guess-guess", OFFICE)
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
