"""Named locks: one row per name, locked by updating it inside a transaction.

Used where a check and the write it guards must not interleave between web workers, on
SQLite (the update takes the database's write lock) and PostgreSQL (the row lock) alike:
the first-run setup and the sign-in limit. See ``app/services/locks.py``.
"""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class NamedLock(db.Model):
    __tablename__ = "named_lock"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    taken: Mapped[int] = mapped_column(default=0)
