"""Failed staff sign-ins, to slow down password guessing (per user name)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .base import utcnow


class LoginFailure(db.Model):
    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), index=True)  # lower-cased as typed
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
