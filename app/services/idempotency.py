"""One-time form keys for all kiosk flows (see ``IdempotencyKey``).

``find(key, Model)`` returns the record a key made, or None; ``remember(key, flow, record)``
adds the key to the caller's transaction, so the record and its key commit together and a
second sending racing the first fails on the key's primary key (the caller then finds the
first one's record).
"""

from app.extensions import db
from app.models import IdempotencyKey


def find(key: str | None, model):
    if not key:
        return None
    row = db.session.get(IdempotencyKey, key)
    if row is None or row.record_type != model.__tablename__:
        return None
    return db.session.get(model, row.record_id)


def remember(key: str | None, flow: str, record) -> None:
    if key:
        db.session.add(IdempotencyKey(key=key, flow=flow, record_type=type(record).__tablename__,
                                      record_id=record.id))
