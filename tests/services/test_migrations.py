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
