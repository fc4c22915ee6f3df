"""Kiosk terminals: a kiosk's slips come out of its own printer; only staff name a kiosk."""

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import PrintJob, Role
from app.services.print_worker import PrintWorker
from app.terminals import COOKIE, current_terminal
from printers import memory_printer
from tests.conftest import csrf_from
from tests.factories import login, staff_user
from tests.web.test_checkin import post as check_in
from tests.web.test_registration import post as register

HALL = {
    "PRINTERS": {"front": "memory:front", "side": "memory:side"},
    "KIOSK_TERMINALS": {
        "kiosk-1": {"printer": "front", "label": "大厅1号机"},
        "kiosk-2": {"printer": "side", "label": "大厅2号机", "address": "192.168.1.22"},
        "kiosk-3": {"label": "门口3号机"},  # no printer of its own: "default"
    },
}


@pytest.fixture
def hall_app(make_app):
    app = make_app(**HALL)
    with app.app_context():
        staff_user()
        staff_user("pinggu", role=Role.ASSESSOR)
    return app


def set_terminal(client, name: str, **extra):
    page = client.get("/kiosk/terminal")
    assert page.status_code == 200, page.status_code
    return client.post("/kiosk/terminal", data={"terminal": name, **extra,
                                                "csrf_token": csrf_from(page.get_data(as_text=True))})


def printers_of_jobs(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PrintJob.printer).order_by(PrintJob.id)))


def test_a_kiosk_set_up_by_staff_prints_to_its_terminals_printer(hall_app):
    kiosk = hall_app.test_client()
    assert login(kiosk).status_code == 303
    resp = set_terminal(kiosk, "kiosk-1")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/kiosk/")
    cookie = kiosk.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only and cookie.max_age and cookie.max_age > 3 * 365 * 86400
    # The kiosk does not stay signed in.
    assert kiosk.get("/staff/workers").status_code in (302, 303)
    assert "大厅1号机" in kiosk.get("/kiosk/").get_data(as_text=True)  # staff can see which kiosk

    assert register(kiosk).status_code == 200
    assert check_in(kiosk).status_code == 200
    assert printers_of_jobs(hall_app) == ["front", "front"]
    with hall_app.app_context():
        PrintWorker().run_once()
    assert len(memory_printer("front").jobs) == 2
    assert memory_printer("default").jobs == [] and memory_printer("side").jobs == []


def test_setting_the_terminal_ends_only_the_kiosks_staff_session(hall_app):
    desk, kiosk = hall_app.test_client(), hall_app.test_client()
    login(desk)
    login(kiosk)
    set_terminal(kiosk, "kiosk-1")
    assert desk.get("/staff/workers").status_code == 200
    assert kiosk.get("/staff/workers").status_code in (302, 303)


def test_without_a_cookie_the_terminal_is_its_network_address(hall_app):
    with hall_app.test_request_context("/kiosk/", environ_base={"REMOTE_ADDR": "192.168.1.40"}):
        terminal = current_terminal()
        assert (terminal.name, terminal.printer, terminal.configured, terminal.source) == \
            ("192.168.1.40", "default", False, "address")
    with hall_app.test_request_context("/kiosk/", environ_base={"REMOTE_ADDR": "192.168.1.22"}):
        terminal = current_terminal()  # a terminal configured with a fixed address
        assert (terminal.name, terminal.printer, terminal.label) == ("kiosk-2", "side", "大厅2号机")
    with hall_app.app_context():
        assert current_terminal().name == "server"  # outside a request: commands, tests

    fixed = hall_app.test_client()
    fixed.environ_base["REMOTE_ADDR"] = "192.168.1.22"
    assert register(fixed).status_code == 200
    unknown = hall_app.test_client()
    assert check_in(unknown).status_code == 200
    assert printers_of_jobs(hall_app) == ["side", "default"]


def test_clearing_the_cookies_leaves_the_kiosk_known_by_its_address(hall_app):
    kiosk = hall_app.test_client()
    login(kiosk)
    set_terminal(kiosk, "kiosk-1")
    kiosk.delete_cookie(COOKIE)
    with hall_app.test_request_context("/kiosk/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        assert current_terminal().name == "127.0.0.1"  # the test client's address
    assert register(kiosk).status_code == 200
    assert printers_of_jobs(hall_app) == ["default"]


def test_a_visitor_cannot_name_a_terminal(hall_app):
    visitor = hall_app.test_client()
    page = visitor.get("/kiosk/register?consent=1")  # a CSRF token of the visitor's own
    token = csrf_from(page.get_data(as_text=True))
    assert visitor.get("/kiosk/terminal").status_code in (302, 303)
    resp = visitor.post("/kiosk/terminal", data={"terminal": "kiosk-1", "csrf_token": token})
    assert resp.status_code in (302, 303) and "/staff/login" in resp.headers["Location"]
    assert visitor.get_cookie(COOKIE) is None

    # A cookie made up by hand, or signed with another key, is ignored.
    for forged in ("kiosk-1", URLSafeSerializer("guess", salt="kiosk-terminal").dumps("kiosk-1")):
        visitor.set_cookie(COOKIE, forged)
        assert register(visitor).status_code == 200
    assert printers_of_jobs(hall_app) == ["default", "default"]

    # Nor can the hall's assessor.
    assessor = hall_app.test_client()
    login(assessor, "pinggu")
    assert assessor.get("/kiosk/terminal").status_code == 403


def test_only_configured_terminals_can_be_chosen_and_a_kiosk_can_be_unnamed(hall_app):
    kiosk = hall_app.test_client()
    login(kiosk)
    page = kiosk.get("/kiosk/terminal").get_data(as_text=True)
    assert "大厅1号机" in page and "大厅2号机" in page and "门口3号机" in page
    resp = set_terminal(kiosk, "kiosk-9")
    assert resp.status_code == 422 and "没有这个终端" in resp.get_data(as_text=True)
    assert kiosk.get_cookie(COOKIE) is None
    set_terminal(kiosk, "kiosk-3")
    assert register(kiosk).status_code == 200  # kiosk-3 has no printer of its own
    login(kiosk)
    set_terminal(kiosk, "")  # 不指定: back to the network address
    assert kiosk.get_cookie(COOKIE) is None
    with hall_app.test_request_context("/kiosk/"):
        assert current_terminal().source == "address"
    assert printers_of_jobs(hall_app) == ["default"]


def test_a_terminal_removed_from_the_configuration_prints_to_the_default_printer(hall_app):
    kiosk = hall_app.test_client()
    login(kiosk)
    set_terminal(kiosk, "kiosk-1")
    from app.hall_config import HallConfig

    hall_app.config["KIOSK_TERMINALS"] = {"kiosk-2": HALL["KIOSK_TERMINALS"]["kiosk-2"]}
    hall_app.extensions["hall"] = HallConfig.from_mapping(hall_app.config)  # as after a restart
    assert register(kiosk).status_code == 200
    assert printers_of_jobs(hall_app) == ["default"]


def test_a_reprint_goes_to_the_printer_of_the_original_slip(hall_app):
    kiosk, desk = hall_app.test_client(), hall_app.test_client()
    login(kiosk)
    set_terminal(kiosk, "kiosk-1")
    register(kiosk)
    login(desk)
    with hall_app.app_context():
        job_id = db.session.scalar(select(PrintJob.id))
    page = desk.get("/staff/print-jobs").get_data(as_text=True)
    resp = desk.post(f"/staff/print-jobs/{job_id}/reprint", data={"csrf_token": csrf_from(page)})
    assert resp.status_code in (200, 303), resp.status_code
    assert printers_of_jobs(hall_app) == ["front", "front"]


def test_every_record_made_at_a_kiosk_records_its_terminal(hall_app):
    from app.models import AuditEntry, Ticket, Worker

    kiosk = hall_app.test_client()
    login(kiosk)
    set_terminal(kiosk, "kiosk-1")
    register(kiosk)
    check_in(kiosk)
    with hall_app.app_context():
        assert db.session.scalars(select(Worker.last_terminal)).one() == "kiosk-1"
        assert db.session.scalars(select(Ticket.terminal)).one() == "kiosk-1"
        kiosk_entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type.in_(["worker", "ticket"]))).all()
        assert {(e.actor_kind, e.actor_label) for e in kiosk_entries} == {("terminal", "kiosk-1")}


def test_naming_a_terminal_is_in_the_audit_trail(hall_app):
    from app.models import AuditEntry

    kiosk = hall_app.test_client()
    login(kiosk)
    set_terminal(kiosk, "kiosk-2")
    with hall_app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "terminal")).one()
    assert (entry.action, entry.actor_label, entry.after) == ("name", "xiaoli", {"terminal": "kiosk-2"})
