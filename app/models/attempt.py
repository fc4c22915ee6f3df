"""Attempts that are limited per client: staff sign-ins, the kiosk's employer lookup, and the
kiosk's check of a worker by ID number and the phone's last 4 digits.

One row per attempt, pruned after a while. Sign-ins are throttled per account and per
client address from these rows (``app/domain/throttle.py``); the manager sees them summed
up per day, kind, client and outcome.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.workflow import LabelledEnum
from app.extensions import db

from .base import str_enum, utcnow


class AttemptKind(LabelledEnum):
    SIGN_IN = "sign_in", "工作人员登录"
    EMPLOYER_LOOKUP = "employer_lookup", "老客户查询"
    WORKER_CHECK = "worker_check", "零工身份核对"  # the kiosk's ID number + phone's last 4


class Outcome(LabelledEnum):
    PENDING = "pending", "进行中"  # a sign-in being checked right now; counts as a failure until done
    FAILED = "failed", "失败"  # wrong name or password
    REFUSED = "refused", "被限制"  # over the limit: not even checked
    FOUND = "found", "查到"  # lookup: the phone belongs to a known employer (or the worker checks out)
    NOT_FOUND = "not_found", "未查到"  # lookup: unknown phone or a wrong last 4 (a probe, if it repeats)


class Attempt(db.Model):
    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AttemptKind] = mapped_column(str_enum(AttemptKind))
    # The account name as typed (lower case) for sign-ins; for a worker check the keyed hash
    # of the ID number tried (its first 40 characters, never the number); empty for lookups.
    account: Mapped[str] = mapped_column(String(40), default="", index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)  # the client's address
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
