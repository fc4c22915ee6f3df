"""Staff accounts: creation, sign-in with its limits, the first-run setup, sign-out."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash

from app.clock import to_local
from app.domain import Conflict, throttle
from app.domain.passwords import password_problem
from app.extensions import db
from app.models import Attempt, AttemptKind, Outcome, Role, StaffUser, utcnow
from app.models.staff import hash_password

from . import audit, locks

# Attempt rows older than this are deleted (the manager's view covers the last week).
KEEP_ATTEMPTS = timedelta(days=8)


class AccountError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def has_accounts() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(StaffUser)))


def create_user(username: str, password: str, role: Role, display_name: str | None = None,
                *, full_time: bool = True, commit: bool = True) -> StaffUser:
    username = username.strip()
    if db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.lower())):
        raise AccountError("username", "该用户名已存在")
    if problem := password_problem(password, username):
        raise AccountError("password", problem)
    user = StaffUser(username=username, display_name=display_name or username, role=Role(role),
                     full_time=full_time)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(audit.ref(user), "create", after={"username": user.username, "role": user.role.value,
                                                   "full_time": user.full_time})
    if commit:
        db.session.commit()
    return user


def create_first_manager(username: str, password: str, display_name: str | None) -> StaffUser:
    """The first-run setup: exactly one manager, however many setups are posted at once."""
    db.session.rollback()
    locks.hold("setup")
    if has_accounts():
        db.session.rollback()
        raise AccountError("username", "系统已经设置过管理员，请直接登录")
    try:
        user = create_user(username, password, Role.MANAGER, display_name, commit=False)
    except AccountError:
        db.session.rollback()
        raise
    db.session.commit()
    return user


class TooManyAttempts(Exception):
    def __init__(self, wait: timedelta):
        super().__init__(f"wait {wait}")
        self.wait = wait

    @property
    def message(self) -> str:
        return f"尝试次数过多，请{throttle.minutes_text(self.wait)}后再试"


@dataclass(frozen=True)
class _Reservation:
    attempt_id: int
    name: str


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash of the same method and cost as real ones: checking an unknown name against
    it takes as long as a wrong password for a real name, so names cannot be told apart."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password("not-a-password"))
    return _DUMMY_HASH[0]


def authenticate(username: str, password: str, client: str) -> StaffUser | None:
    """The user, or None for a wrong name or password; ``TooManyAttempts`` over the limit.

    The limit is checked and this attempt reserved under a lock, so parallel guesses are
    counted exactly; the slow password check runs outside it.
    """
    reservation = _reserve(username, client)
    user = db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.username) == reservation.name))
    hashed = user.password_hash if user is not None else _dummy_hash()
    ok = check_password_hash(hashed, password or "") and user is not None and user.active
    if not ok:
        db.session.execute(update(Attempt).where(Attempt.id == reservation.attempt_id)
                           .values(outcome=Outcome.FAILED))
        db.session.commit()
        return None
    # Success forgives this client's failures on this account; other clients' stay.
    db.session.execute(delete(Attempt).where(
        Attempt.kind == AttemptKind.SIGN_IN, Attempt.account == reservation.name,
        Attempt.client == client, Attempt.outcome.in_([Outcome.FAILED, Outcome.PENDING])))
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _reserve(username: str, client: str) -> _Reservation:
    name = (username or "").strip().lower()[:40]
    client = client[:64]
    now = utcnow()
    db.session.rollback()
    locks.hold("sign-in")
    db.session.execute(delete(Attempt).where(Attempt.at < now - KEEP_ATTEMPTS))
    since = now - max(throttle.ACCOUNT.window, throttle.CLIENT.window)
    failed = (Attempt.kind == AttemptKind.SIGN_IN) & Attempt.outcome.in_([Outcome.FAILED, Outcome.PENDING]) \
        & (Attempt.at > since)
    by_account = list(db.session.scalars(select(Attempt.at).where(failed, Attempt.account == name)))
    by_client = list(db.session.scalars(select(Attempt.at).where(failed, Attempt.client == client)))
    wait = throttle.sign_in_wait(by_account, by_client, now)
    outcome = Outcome.REFUSED if wait else Outcome.PENDING
    attempt = Attempt(kind=AttemptKind.SIGN_IN, account=name, client=client, outcome=outcome, at=now)
    db.session.add(attempt)
    db.session.commit()
    if wait:
        raise TooManyAttempts(wait)
    return _Reservation(attempt_id=attempt.id, name=name)


def sign_out(user: StaffUser) -> None:
    """End every session of this user on the server side: their session id changes."""
    db.session.execute(update(StaffUser).where(StaffUser.id == user.id)
                       .values(session_version=StaffUser.session_version + 1))
    db.session.commit()


def set_full_time(user: StaffUser, full_time: bool) -> StaffUser:
    """Mark an account full-time (专职) or not, for item B5; pressing it twice changes once.
    The assessor is not hall staff: that account has no such mark."""
    if user.role == Role.ASSESSOR:
        raise Conflict("考核人员账号不计入专职工作人员")
    if user.full_time == full_time:
        return user
    user.full_time = full_time
    audit.record(audit.ref(user), "full_time" if full_time else "part_time",
                 before={"full_time": not full_time}, after={"full_time": full_time})
    db.session.commit()
    return user


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.username)))


@dataclass(frozen=True)
class AttemptRow:
    day: object
    kind: AttemptKind
    client: str
    outcome: Outcome
    count: int


def attempt_summary(days: int) -> list[AttemptRow]:
    """Attempts counted per local day, kind, client and outcome, newest day first."""
    since = utcnow() - timedelta(days=days)
    rows = db.session.execute(
        select(Attempt.kind, Attempt.client, Attempt.outcome, Attempt.at).where(Attempt.at > since)
    ).all()
    counts: dict[tuple, int] = {}
    for kind, client, outcome, at in rows:
        key = (to_local(at).date(), kind, client, outcome)
        counts[key] = counts.get(key, 0) + 1
    return [AttemptRow(*key, count) for key, count in
            sorted(counts.items(), key=lambda kv: (kv[0][0], kv[1]), reverse=True)]
