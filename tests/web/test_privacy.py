"""A copy of the database must not reveal ID or phone numbers."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Worker
from tests.conftest import csrf_from
from tests.factories import make_id, registration
from tests.web.test_checkin import post as check_in

PEOPLE = [
    {"name": "王芳", "id_number": make_id("19750505", prefix="350405", seq="246"), "phone": "13905981234"},
    {"name": "林建国", "id_number": make_id("19680312", prefix="350427", seq="135"), "phone": "15859876543"},
    {"name": "陈小明", "id_number": "34052419800101001X", "phone": "18650001122"},
]


def register(client, person):
    token = csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))
    resp = client.post("/kiosk/register", data={**registration(**person), "csrf_token": token})
    assert resp.status_code == 200


EMPLOYER_PHONE = "13305987777"


def test_database_file_contains_no_id_or_phone_in_clear(app, client, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("scans the SQLite file; PostgreSQL stores the same ciphertext columns")
    for person in PEOPLE:
        register(client, person)
    check_in(client, phone=EMPLOYER_PHONE)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close connections so the WAL is checkpointed into the file
    path = database_url.removeprefix("sqlite:///")
    blob = open(path, "rb").read()
    for suffix in ("-wal", "-shm"):
        try:
            blob += open(path + suffix, "rb").read()
        except FileNotFoundError:
            pass
    for person in PEOPLE + [{"id_number": "", "phone": EMPLOYER_PHONE}]:
        for value in filter(None, (person["id_number"], person["phone"])):
            for encoding in ("ascii", "utf-16-le", "utf-16-be"):
                assert value.encode(encoding) not in blob, f"{value} found in clear"
    # the names are there (they are searched by staff), so the scan really reads the data
    assert "王芳".encode() in blob


def test_stored_columns_are_ciphertext_that_decrypts(app, client):
    register(client, PEOPLE[0])
    with app.app_context():
        worker = db.session.scalars(select(Worker)).one()
        assert PEOPLE[0]["id_number"] not in worker.id_cipher
        assert PEOPLE[0]["phone"] not in worker.phone_cipher
        vault = app.extensions["pii_vault"]
        assert vault.decrypt(worker.id_cipher) == PEOPLE[0]["id_number"]
        assert vault.decrypt(worker.phone_cipher) == PEOPLE[0]["phone"]
        assert worker.phone_last4 == "1234"
