"""Configuration order and the instance secrets generated on first run."""

import json
import os
import stat

from app import create_app


def test_first_run_generates_secrets_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = create_app()
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    second = create_app()
    for key in ("SECRET_KEY", "PII_ENCRYPTION_KEY", "PII_HASH_KEY"):
        assert first.config[key] == second.config[key] == json.loads(path.read_text())[key]
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/linggong.sqlite3"
    assert first.config["PRINTER_URL"] == f"file:{tmp_path}/printouts"


def test_instance_config_then_environment_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text('HALL_PHONE = "0598-1111111"\nKIOSK_IDLE_SECONDS = 90\n')
    monkeypatch.setenv("LINGGONG_KIOSK_IDLE_SECONDS", "45")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/hall")
    monkeypatch.setenv("PRINTER_URL", "tcp://192.0.2.10:9100?paper=80")
    app = create_app()
    assert app.config["HALL_PHONE"] == "0598-1111111"
    assert app.config["KIOSK_IDLE_SECONDS"] == 45
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/hall"
    assert app.config["PRINTER_URL"] == "tcp://192.0.2.10:9100?paper=80"


def test_sqlite_connections_use_wal_and_foreign_keys(app):
    import pytest
    from sqlalchemy import text

    from app.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite pragmas only")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
