"""Hold a named lock until the caller's transaction ends (commit or rollback)."""

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import NamedLock


def hold(name: str) -> None:
    """Serialise with every other holder of ``name`` until this transaction ends.

    Call it first in a fresh transaction: on SQLite the write below is what takes the
    database's write lock, so what is read after it is current.
    """
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(NamedLock).values(name=name, taken=0).on_conflict_do_nothing())
    db.session.execute(update(NamedLock).where(NamedLock.name == name)
                       .values(taken=NamedLock.taken + 1))
