"""Hold a named lock until the caller's transaction ends (commit or rollback)."""

from sqlalchemy import update

from app.database import insert_if_missing
from app.extensions import db
from app.models import NamedLock


def hold(name: str) -> None:
    """Serialise with every other holder of ``name`` until this transaction ends.

    Call it first in a fresh transaction: on SQLite the write below is what takes the
    database's write lock, so what is read after it is current.
    """
    insert_if_missing(NamedLock, name=name, taken=0)
    db.session.execute(update(NamedLock).where(NamedLock.name == name)
                       .values(taken=NamedLock.taken + 1))
