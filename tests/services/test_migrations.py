"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(app):
    with app.app_context():
        db.drop_all()
        try:
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            assert "worker" in inspect(db.engine).get_table_names()
            downgrade(revision="base")
            assert "worker" not in inspect(db.engine).get_table_names()
        finally:
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_to_0005_keeps_the_province_flag_and_masks_stored_slips(app):
    """Rows written before 0005: the province becomes a flag, slips keep only the last 4."""
    import json

    with app.app_context():
        db.drop_all()
        try:
            upgrade(revision="0004")
            old_receipt = {"items": [{"type": "text", "text": "身份证：350427********1357"},
                                     {"type": "text", "text": "姓名：林建国"}], "cut": True}
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO worker (id, name, birth_date, province_code, expected_wage, availability,"
                    " qr_token, consent_version, consent_at, first_registered_at, last_registered_at,"
                    " registration_count) VALUES (1, '林建国', '1968-03-12', '36', 200, 'any', 't1',"
                    " '2026-11', '2026-11-01', '2026-11-01', '2026-11-01', 1)"))
                conn.execute(text(
                    "INSERT INTO print_job (id, printer, kind, subject, title, receipt, status,"
                    " mark_reprint, attempts, created_at) VALUES (1, 'default', 'worker_slip',"
                    " 'worker:1', 'slip', :receipt, 'printed', false, 1, '2026-11-01')"),
                    {"receipt": json.dumps(old_receipt, ensure_ascii=False)})
            upgrade()
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT from_other_province FROM worker")).scalar() in (True, 1)
                stored = conn.execute(text("SELECT receipt FROM print_job")).scalar()
            stored = json.loads(stored) if isinstance(stored, str) else stored
            assert stored["version"] == 1
            assert stored["items"][0]["text"] == "身份证：**************1357"
            assert stored["items"][1]["text"] == "姓名：林建国"
            columns = {c["name"] for c in inspect(db.engine).get_columns("worker")}
            assert not columns & {"birth_date", "province_code"}
            downgrade(revision="base")
        finally:
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_to_0007_moves_the_ticket_events_into_a_verified_audit_chain(app):
    from app.services.audit import verify

    with app.app_context():
        db.drop_all()
        try:
            upgrade(revision="0006")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO staff_user (id, username, display_name, role, password_hash, active,"
                    " full_time, created_at, session_version) VALUES (1, 'xiaoli', '小李', 'staff', 'x',"
                    " true, true, '2026-11-01', 0)"))
                conn.execute(text(
                    "INSERT INTO ticket (id, issued_service, service_code, day, seq, number, status,"
                    " recalls, status_token, issued_at) VALUES (1, 'hire', 'hire', '2026-11-01', 1,"
                    " 'A001', 'called', 0, 'tok', '2026-11-01 01:00:00')"))
                for n, (action, before, after, staff) in enumerate([
                        ("issue", None, "waiting", None), ("call", "waiting", "called", 1)], start=1):
                    conn.execute(text(
                        "INSERT INTO ticket_event (id, ticket_id, action, from_status, to_status,"
                        " \"window\", staff_id, at) VALUES (:id, 1, :action, :before, :after, :window,"
                        " :staff, :at)"), {"id": n, "action": action, "before": before, "after": after,
                                           "window": staff, "staff": staff,
                                           "at": f"2026-11-01 01:0{n}:00.123456"})
            upgrade()
            verdict = verify()
            db.session.remove()  # end the read transaction before tables are dropped
            assert verdict.ok and verdict.checked == 2
            with db.engine.connect() as conn:
                rows = conn.execute(text(
                    "SELECT action, actor_label, record_type, record_id FROM audit_entry ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [("issue", "kiosk", "ticket", 1), ("call", "xiaoli", "ticket", 1)]
            downgrade(revision="base")
        finally:
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_to_0011_remembers_the_qrs_of_replaced_slips_from_the_stored_slips(app):
    """Slips printed before 0011: the QRs that no longer open a record are found by key."""
    import json

    from app.services import slips

    def slip(conn, job_id, worker_id, token):
        receipt = {"items": [{"type": "qr", "data": f"http://hall.example/w/{token}", "size": 6}]}
        conn.execute(text(
            "INSERT INTO print_job (id, printer, kind, subject, title, receipt, status, mark_reprint,"
            " attempts, created_at) VALUES (:id, 'default', 'worker_slip', :subject,"
            " 'slip', :receipt, 'printed', false, 1, '2026-11-01')"),
            {"id": job_id, "subject": f"worker:{worker_id}", "receipt": json.dumps(receipt)})

    with app.app_context():
        db.drop_all()
        try:
            upgrade(revision="0010")
            with db.engine.begin() as conn:
                for worker_id, token, anonymised in ((1, "now-1", None), (2, "anonymised-2", "2026-11-02")):
                    conn.execute(text(
                        "INSERT INTO worker (id, name, expected_wage, qr_token, consent_version, consent_at,"
                        " first_registered_at, last_registered_at, registration_count, anonymised_at)"
                        " VALUES (:id, '林建国', 200, :token, '2026-11', '2026-11-01', '2026-11-01',"
                        " '2026-11-01', 2, :anonymised)"), {"id": worker_id, "token": token,
                                                            "anonymised": anonymised})
                slip(conn, 1, 1, "old-1")
                slip(conn, 2, 1, "now-1")
                slip(conn, 3, 2, "old-2")  # an anonymised worker's QRs stay unknown
            upgrade()
            assert slips.was_replaced("old-1")
            assert not slips.was_replaced("now-1") and not slips.was_replaced("old-2")
            assert not slips.was_replaced("never-printed")
            db.session.remove()  # its transaction would keep the tables from being dropped
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM replaced_qr")).scalar() == 1
                assert "old-1" not in str(conn.execute(text("SELECT * FROM replaced_qr")).all())
            downgrade(revision="base")
        finally:
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
