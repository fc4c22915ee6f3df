"""The one audit trail: every state change, by whom, to which record, before and after.

Entries are hash-chained: each holds the hash of the entry before it (``prev_hash``) and its
own (``hash``) over its content, written in the same transaction as the change it records.
See ``app/services/audit.py``.
"""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .base import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Who: a signed-in user ("staff", with its id), a kiosk terminal, or the system.
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_label: Mapped[str] = mapped_column(String(80))
    # Which record: its table and id (a typed reference, see audit.Ref).
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(30))
    before: Mapped[dict | None] = mapped_column(JSON)  # personal data masked
    after: Mapped[dict | None] = mapped_column(JSON)
    detail: Mapped[str | None] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (db.Index("ix_audit_entry_record", "record_type", "record_id"),)
