"""Database URLs and per-connection settings (SQLite: WAL, foreign keys, busy timeout)."""

import sqlite3
import time
from pathlib import Path

from sqlalchemy import BigInteger, cast, event, func, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from .extensions import db


def normalise_url(url: str | None, instance_path: str) -> str:
    """Default to the embedded SQLite file; use psycopg 3 for PostgreSQL URLs."""
    if not url:
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + str(Path(instance_path) / "linggong.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted and overwritten content is zeroed, so erased personal data is not left in
    # free space of the database file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def insert_if_missing(model, **values) -> None:
    """INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike (the caller's
    transaction): a row that others may be creating at the same instant."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


def ping() -> None:
    """A trivial query: raises ``OperationalError`` at once when the database is down."""
    db.session.execute(text("SELECT 1"))


def purge_old_versions() -> None:
    """After personal data was erased: SQLite keeps the old page versions in its WAL until a
    checkpoint, so copy the WAL into the (secure-delete) file and truncate it. PostgreSQL
    keeps dead row versions until VACUUM (autovacuum, or the operator's), see the README."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        for _ in range(20):  # readers still on an older snapshot make it busy for a moment
            busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            if not busy:
                return
            time.sleep(0.05)


def seconds_between(start, end):
    """SQL expression: seconds from ``start`` to ``end`` (naive UTC timestamp columns)."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0



def epoch_seconds(column):
    """SQL expression: whole seconds since 1970-01-01 of a naive-UTC timestamp column, as an
    integer (the fraction cut off, never rounded up into the next second)."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    # SQLite keeps the timestamp as text; strftime('%s') of its whole seconds (strftime
    # would round 23:59:59.9996 up to the next day)
    return cast(func.strftime("%s", func.substr(column, 1, 19)), BigInteger)
