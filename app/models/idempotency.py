"""One-time form keys of every kiosk flow: a form sent twice (a double tap, a retry after a
lost answer) finds the record its first sending made, instead of making another."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .base import utcnow


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_key"

    key: Mapped[str] = mapped_column(String(43), primary_key=True)  # app.forms.new_form_key
    flow: Mapped[str] = mapped_column(String(20))  # register, checkin, …
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
