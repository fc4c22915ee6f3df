"""Fixtures: a fresh app and database per test, on SQLite or (TEST_DATABASE_URL) PostgreSQL.

PostgreSQL: a database of our own is created for the run and dropped at its end; each
test starts from empty tables. SQLite: a new file per test (WAL needs a real file).
"""

import os
import re
import uuid

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from printers.memory import reset_memory_printers

PG_URL = os.environ.get("TEST_DATABASE_URL")
KEYS = {
    "SECRET_KEY": "test-secret-key",
    "PII_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
    "PII_HASH_KEY": "0f" * 32,
}


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database for this run, or None on SQLite."""
    if not PG_URL:
        yield None
        return
    admin_url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"linggong_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def database_url(pg_database, tmp_path):
    return pg_database or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def make_app(database_url, tmp_path, monkeypatch):
    """Build an app with overrides; tables are created empty and dropped afterwards."""
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def factory(**overrides):
        config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                  "PRINTER_URL": "memory:default", "PUBLIC_BASE_URL": "http://hall.test",
                  **KEYS, **overrides}
        app = create_app(config)
        with app.app_context():
            db.drop_all()
            db.create_all()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    reset_memory_printers()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    """An application context for service-level tests."""
    with app.app_context():
        yield app


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no csrf_token field"
    return match.group(1)
