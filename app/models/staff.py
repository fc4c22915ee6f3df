"""Staff accounts: hall staff, the manager and the labour bureau's assessor."""

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.domain.workflow import LabelledEnum
from app.extensions import db

from .base import str_enum, utcnow


class Role(LabelledEnum):
    STAFF = "staff", "工作人员"
    MANAGER = "manager", "经理"
    ASSESSOR = "assessor", "考核人员"


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(
        str_enum(Role)
    )
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    full_time: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of the session's user id: bumped at sign-out, which ends every session of the
    # user on the server side (a copied cookie stops working too).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def hash_password(password: str) -> str:
    """A password's hash by ``PASSWORD_HASH_METHOD`` (werkzeug's scrypt; the tests' own
    configuration makes it cheap). A hash names its method, so older ones still check."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
