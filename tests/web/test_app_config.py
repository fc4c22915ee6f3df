"""Configuration order, and the instance secrets: created once by a command, then only read."""

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from app import create_app, instance_secrets
from app.crypto import PiiVault
from app.extensions import db
from app.models import Worker
from tests.factories import registration

ROOT = Path(__file__).resolve().parents[2]


def test_create_app_never_generates_keys_and_says_how_to_make_them(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(instance_secrets.MissingSecrets, match="make db"):
        create_app()
    assert not (tmp_path / "secrets.json").exists()


def test_secrets_command_creates_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env = {**os.environ, "LINGGONG_INSTANCE_PATH": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", "from app.instance_secrets import cli; cli()", "create"],
                       cwd=ROOT, env=env, check=True, capture_output=True)
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    first, second = create_app(), create_app()
    stored = json.loads(path.read_text())
    for key in instance_secrets.SECRET_NAMES:
        assert first.config[key] == second.config[key] == stored[key]
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/linggong.sqlite3"
    assert first.config["PRINTER_URL"] == f"file:{tmp_path}/printouts"


def _create_and_read(folder: str) -> str:
    instance_secrets.create(folder)
    return json.dumps(instance_secrets.load(folder), sort_keys=True)


def test_processes_racing_to_create_secrets_all_end_with_the_same_keys(tmp_path):
    for trial in range(10):
        folder = str(tmp_path / f"trial{trial}")
        with ProcessPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(_create_and_read, [folder] * 6))
        assert len(set(results)) == 1, f"trial {trial}: workers ended with different keys"
        assert [p.name for p in Path(folder).iterdir()] == ["secrets.json"]  # no temp files left


def test_legacy_single_key_file_is_read_as_a_key_list(tmp_path):
    key = Fernet.generate_key().decode()
    (tmp_path / "secrets.json").write_text(json.dumps(
        {"SECRET_KEY": "s", "PII_ENCRYPTION_KEY": key, "PII_HASH_KEY": "0f" * 32}))
    assert instance_secrets.load(str(tmp_path))["PII_ENCRYPTION_KEYS"] == [key]


def test_a_new_key_still_reads_old_values_and_reencryption_moves_them_to_it(make_app):
    from app.services.pii import reencrypt_all
    from tests.web.test_registration import post

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app = make_app(PII_ENCRYPTION_KEYS=[old_key])
    assert post(app.test_client()).status_code == 200
    with app.app_context():
        hash_key = app.config["PII_HASH_KEY"]
        app.extensions["pii_vault"] = PiiVault([new_key, old_key], hash_key)  # key added
        assert reencrypt_all() == 2  # the worker's ID and phone
        worker = db.session.scalars(select(Worker)).one()
        assert PiiVault([new_key], hash_key).decrypt(worker.id_cipher) == registration()["id_number"]


def test_every_encrypted_column_is_reencrypted_when_a_key_is_added(app):
    """A column of ciphertext left out of ``CIPHER_COLUMNS`` would stay under the old key and
    become unreadable once that key is retired (the ratings' call-back phone once was)."""
    from app.services.pii import CIPHER_COLUMNS

    listed = {(model.__tablename__, column) for model, columns in CIPHER_COLUMNS for column in columns}
    stored = {(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns
              if column.name.endswith("_cipher")}
    assert stored == listed


def test_a_rating_phone_and_a_dispute_are_reencrypted_too(make_app):
    from app.services.pii import reencrypt_all

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app = make_app(PII_ENCRYPTION_KEYS=[old_key])
    with app.app_context():
        from tests import factories

        factories.rating(level=5, reasons=["waited"], phone="13800000009")
        factories.dispute(other_party_phone="")
        hash_key = app.config["PII_HASH_KEY"]
        app.extensions["pii_vault"] = PiiVault([new_key, old_key], hash_key)
        assert reencrypt_all() == 2  # the rating's phone, the applicant's phone
        from app.models import DisputeCase, Rating

        fresh = PiiVault([new_key], hash_key)
        assert fresh.decrypt(db.session.scalars(select(Rating)).one().phone_cipher) == "13800000009"
        assert fresh.decrypt(db.session.scalars(select(DisputeCase)).one().applicant_phone_cipher) == "13800000001"


def test_instance_config_then_environment_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    instance_secrets.create(str(tmp_path))
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
    from sqlalchemy import text

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite pragmas only")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_the_hall_hashes_staff_passwords_with_scrypt(make_app):
    """The tests hash with one cheap round (tests/conftest.py); the hall itself never does."""
    from app.config import Defaults
    from app.models.staff import hash_password
    from app.services import accounts
    from app.services.accounts import authenticate

    assert Defaults.PASSWORD_HASH_METHOD == "scrypt"
    app = make_app(PASSWORD_HASH_METHOD=Defaults.PASSWORD_HASH_METHOD)
    with app.app_context():
        user = accounts.create_user("laowang", "correct-horse-1", accounts.Role.STAFF, display_name="老王")
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        assert hash_password("x").startswith("scrypt:")
        assert authenticate("laowang", "correct-horse-1", "10.0.0.1") == user
