"""What the score page keeps: the contract's settings, the rubric version of each period,
the assessor's points for manual items, figures only staff know (follower counts), and the
locked snapshots of finalised periods.

Records that a score item counts are never deleted: an entry made in error is voided with a
reason, by a named user, and stays visible to the assessor (``Voidable``).
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .base import utcnow


class Voidable:
    """Who entered a record and, once it is voided, who voided it, when and why."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    void_reason: Mapped[str | None] = mapped_column(String(200))

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class AssessmentSettings(db.Model):
    """The one row (id 1) of the operator's contract: when service began and the money."""

    __tablename__ = "assessment_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_start: Mapped[date | None]
    contract_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    bid_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    network_fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class PeriodRubric(db.Model):
    """The rubric version an assessment year is scored with (absent: the default one)."""

    __tablename__ = "period_rubric"

    period: Mapped[int] = mapped_column(primary_key=True)  # 1, 2, 3 … from the service start
    version: Mapped[str] = mapped_column(String(60))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class ManualScore(db.Model):
    """The assessor's points for a manual item of a period, with a note (one row per item;
    every change is in the audit trail)."""

    __tablename__ = "manual_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[int]
    item_key: Mapped[str] = mapped_column(String(10))
    points: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    note: Mapped[str] = mapped_column(String(300), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    __table_args__ = (db.UniqueConstraint("period", "item_key", name="uq_manual_score_period_item"),)


class ScoreSnapshot(db.Model):
    """A finalised period: every item, value, point and note as locked, and its SHA-256.

    Never changed after it is written, except that unlocking stamps ``unlocked_*``; the
    period then has no current snapshot until it is locked again (a new row)."""

    __tablename__ = "score_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[int] = mapped_column(index=True)
    rubric_version: Mapped[str] = mapped_column(String(60))
    content: Mapped[dict] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    unlocked_at: Mapped[datetime | None]
    unlocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    unlock_reason: Mapped[str | None] = mapped_column(String(200))


class FollowerCount(Voidable, db.Model):
    """The official account's follower count on a date, as staff read it (item F1)."""

    __tablename__ = "follower_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    counted_on: Mapped[date] = mapped_column(index=True)  # hall-local date
    followers: Mapped[int]
    note: Mapped[str] = mapped_column(String(200), default="")
