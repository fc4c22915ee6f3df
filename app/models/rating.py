"""Satisfaction ratings (item B7), the presses refused as stuffing, the follow-up of bad
ratings, and the hall's working-day calendar that follow-ups (and dispute cases) count in.

A rating is never deleted or changed: it is what a person said. Its call-back phone (bad
ratings only, optional) is encrypted like every phone number and shown masked.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.ratings import Channel, FollowUpStatus, FollowUpStep, RaterRole, Reason
from app.domain.workdays import DayKind
from app.extensions import db

from .base import str_enum, utcnow


class Rating(db.Model):
    __tablename__ = "rating"
    __table_args__ = (
        # The stuffing limits look up a terminal's (and an address's) latest ratings.
        Index("ix_rating_terminal_at", "terminal", "at"),
        Index("ix_rating_address_at", "address", "at"),
        # A period's ratings and their levels (every figure) straight from the index.
        Index("ix_rating_at_level", "at", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    level: Mapped[int] = mapped_column(SmallInteger)  # 1 非常满意 … 5 非常不满意
    role: Mapped[RaterRole] = mapped_column(str_enum(RaterRole))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    # The exit terminal's name (its configured name, else its network address); for a
    # slip's rating None (a phone is no terminal).
    terminal: Mapped[str | None] = mapped_column(String(64))
    # The terminal's network address, so that clearing its cookies does not reset its limits.
    address: Mapped[str | None] = mapped_column(String(64))
    # The one service a slip's rating is for, e.g. "ticket:12" or "registration:5:2"
    # (worker 5's second registration): unique, so a slip rates its service once, even when
    # two phones send at the same instant. None for the exit terminal.
    service: Mapped[str | None] = mapped_column(String(40), unique=True)
    service_kind: Mapped[str | None] = mapped_column(String(20), index=True)  # registration, ticket …
    window: Mapped[int | None]  # the window that served the ticket rated
    comment: Mapped[str] = mapped_column(String(200), default="")
    phone_cipher: Mapped[str | None] = mapped_column(Text)
    phone_last4: Mapped[str | None] = mapped_column(String(4))

    reasons: Mapped[list["RatingReason"]] = relationship(
        cascade="all, delete-orphan", order_by="RatingReason.reason", lazy="selectin")
    follow_up: Mapped["RatingFollowUp | None"] = relationship(back_populates="rating", uselist=False)

    @property
    def reason_codes(self) -> list[Reason]:
        return [r.reason for r in self.reasons]


class RatingReason(db.Model):
    """A reason tapped with a bad rating (several allowed)."""

    __tablename__ = "rating_reason"

    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), primary_key=True)
    reason: Mapped[Reason] = mapped_column(str_enum(Reason), primary_key=True)


class RatingRefusal(db.Model):
    """How many presses a terminal had refused on a (hall-local) day: nothing else is kept."""

    __tablename__ = "rating_refusal"

    day: Mapped[date] = mapped_column(primary_key=True)
    terminal: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class RatingFollowUp(db.Model):
    """The follow-up of one bad rating: due within the configured working days."""

    __tablename__ = "rating_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), unique=True)
    status: Mapped[FollowUpStatus] = mapped_column(str_enum(FollowUpStatus), default=FollowUpStatus.OPEN,
                                                   index=True)
    due_on: Mapped[date] = mapped_column(index=True)  # hall-local; recomputed when the calendar changes
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    rating: Mapped[Rating] = relationship(back_populates="follow_up")
    steps: Mapped[list["FollowUpEntry"]] = relationship(order_by="FollowUpEntry.id",
                                                        back_populates="follow_up")


class FollowUpEntry(db.Model):
    """One step recorded on a follow-up: a call, progress, the corrective action."""

    __tablename__ = "follow_up_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(ForeignKey("rating_follow_up.id"), index=True)
    step: Mapped[FollowUpStep] = mapped_column(str_enum(FollowUpStep))
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))

    follow_up: Mapped[RatingFollowUp] = relationship(back_populates="steps")
    by = relationship("StaffUser")


class CalendarDay(db.Model):
    """An exception to Monday-to-Friday in the hall's working-day calendar."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[DayKind] = mapped_column(str_enum(DayKind))
    name: Mapped[str] = mapped_column(String(20), default="")  # 国庆节, 春节调休 …
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
