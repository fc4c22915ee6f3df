"""Staff accounts: creation, sign-in, the first-run setup."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import LoginFailure, Role, StaffUser, utcnow


class AccountError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def has_accounts() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(StaffUser)))


def create_user(username: str, password: str, role: Role, display_name: str | None = None) -> StaffUser:
    username = username.strip()
    if db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.lower())):
        raise AccountError("username", "该用户名已存在")
    if len(password) < 10:
        raise AccountError("password", "密码至少10个字符")
    user = StaffUser(username=username, display_name=display_name or username, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


class TooManyAttempts(Exception):
    pass


def authenticate(username: str, password: str) -> StaffUser | None:
    """The user, or None for a wrong name or password. After MAX_FAILURES failures for a
    name within LOCKOUT, further tries are refused until the oldest one has aged out."""
    name = (username or "").strip().lower()[:40]
    since = utcnow() - LOCKOUT
    failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure)
        .where(LoginFailure.username == name, LoginFailure.at > since)
    )
    if failures >= MAX_FAILURES:
        raise TooManyAttempts()
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == name))
    if user is None or not user.active or not user.check_password(password or ""):
        db.session.add(LoginFailure(username=name))
        db.session.commit()
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == name))
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.username)))
