"""Fixtures: a fresh app and database per test, on SQLite or (TEST_DATABASE_URL) PostgreSQL.

PostgreSQL: a database of our own is created for the run and dropped at its end; each
test starts from empty tables. SQLite: a new file per test (WAL needs a real file).

``frozen_clock``: time stands still at a hall-local moment (2026-11-28 10:00 in the hall
unless moved), whatever the machine's time zone; see ``FrozenClock``.
"""

import os
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import Defaults
from app.extensions import db
from printers.memory import reset_memory_printers

PG_URL = os.environ.get("TEST_DATABASE_URL")
KEYS = {
    "SECRET_KEY": "test-secret-key",
    "PII_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
    "PII_HASH_KEY": "0f" * 32,
    # One round instead of scrypt's 0.2 s per hash and per check: most tests sign someone in.
    # tests/web/test_app_config.py checks that the hall's own default is scrypt.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
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
def make_app(pg_database, database_url, tmp_path, monkeypatch):
    """Build an app with overrides; its tables are there and empty."""
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def factory(**overrides):
        config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                  "PRINTER_URL": "memory:default", "PUBLIC_BASE_URL": "http://hall.test",
                  **KEYS, **overrides}
        app = create_app(config)
        with app.app_context():
            _empty_tables(pg_database is not None)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            if pg_database is None:
                db.drop_all()
            db.engine.dispose()
    reset_memory_printers()


def _empty_tables(postgresql: bool) -> None:
    """Every table there and empty, ids from 1. PostgreSQL keeps the run's tables and empties
    them (dropping and creating them took 0.4 s a test, ten minutes a run; TRUNCATE 0.2 s;
    DELETE and restarting the sequences 0.03 s); create_all first puts back what a test
    dropped (the migration tests do). SQLite: a new file per test, its tables made anew."""
    if not postgresql:
        db.drop_all()
        db.create_all()
        return
    db.create_all()
    sequences = db.session.scalars(text(
        "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")).all()
    statements = [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)]
    statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
    db.session.execute(text("; ".join(statements)))
    db.session.commit()


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


class FrozenClock:
    """The test clock: frozen at a moment, moved only by the test.

    Moments are strings in the hall's time: ``"2026-12-31 23:59"`` (hall-local) or with
    an offset, ``"2026-12-31 23:59 +08:00"``; or aware datetimes. A naive datetime is
    refused: here it could mean hall-local or (as stored) UTC. Everything reading the time
    (``datetime.now``, ``utcnow()``, ``local_today()``, ``time.time``) sees the frozen
    moment, in every thread; the process's time zone is left alone, so a test that
    depended on the machine's zone still would, and would show up under ``TZ=...``.
    """

    START = "2026-11-28 10:00"  # a Saturday in the hall, mid-morning

    def __init__(self, tz: str = Defaults.HALL_TIMEZONE):
        self.tz = ZoneInfo(tz)
        self._traveller = None
        self._coordinates = None

    def start(self, moment=START) -> "FrozenClock":
        self._traveller = time_machine.travel(self.utc(moment), tick=False)
        self._coordinates = self._traveller.start()
        return self

    def stop(self) -> None:
        self._traveller.stop()

    def move_to(self, moment) -> None:
        self._coordinates.move_to(self.utc(moment), tick=False)

    def tick(self, delta: timedelta | None = None, **kwargs) -> None:
        """Move on by ``delta`` or ``timedelta(**kwargs)`` (e.g. ``minutes=5``; negative: back)."""
        self._coordinates.shift(delta if delta is not None else timedelta(**kwargs))

    def now(self) -> datetime:
        """The hall's clock (aware)."""
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()

    def utcnow(self) -> datetime:
        """Now as stored: naive UTC."""
        return datetime.now(UTC).replace(tzinfo=None)

    def utc(self, moment) -> datetime:
        """An aware UTC datetime for a moment given as described above."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment.strip())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=self.tz)
        elif isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise TypeError("a naive datetime is ambiguous here: give a string or an aware datetime")
        else:
            raise TypeError(f"not a moment: {moment!r}")
        # Aware UTC (datetime.UTC is no ZoneInfo), so time-machine leaves TZ alone.
        return moment.astimezone(UTC)

    def stored(self, moment) -> datetime:
        """The naive-UTC value a moment is stored as."""
        return self.utc(moment).replace(tzinfo=None)


@pytest.fixture
def frozen_clock():
    """Time frozen at ``FrozenClock.START`` in the hall; ``move_to`` and ``tick`` move it."""
    clock = FrozenClock().start()
    yield clock
    clock.stop()


def at_once(app, count: int, work) -> list:
    """Run ``work(n)`` for n in range(count), each in its own thread with its own app
    context and database session, all starting together. Returns what each returned or
    the exception it raised, in order of n."""
    import threading

    start, results = threading.Barrier(count), [None] * count

    def run(n):
        with app.app_context():
            start.wait()
            try:
                results[n] = work(n)
            except Exception as err:  # noqa: BLE001 - handed back to the test
                results[n] = err
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
