"""A worker (零工) registered at the hall, and the anonymous count of refused minors."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .base import utcnow


class ReplacedQr(db.Model):
    """The QR of an older registration slip (its token's SHA-256, never the token): such a
    QR opens a page saying a newer slip replaced it. Found by its key, so an unknown QR
    costs one index lookup; a worker's rows go when the worker is anonymised."""

    __tablename__ = "replaced_qr"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class Worker(db.Model):
    __tablename__ = "worker"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    # ID and phone numbers: Fernet ciphertext plus a keyed hash (blind index).
    id_cipher: Mapped[str | None] = mapped_column(Text)
    id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone_cipher: Mapped[str | None] = mapped_column(Text)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_last4: Mapped[str | None] = mapped_column(String(4), index=True)
    # What the product needs from the ID number in clear, and nothing more: the birth date
    # and the address code are read from the decrypted number when needed, because in clear
    # they (with the last 4 digits printed on slips) would rebuild the whole number. The
    # sex is the parity of the 17th digit (within the last 4); the province only as
    # "from outside Fujian" (score item G3).
    sex: Mapped[str | None] = mapped_column(String(1))
    from_other_province: Mapped[bool | None]
    expected_wage: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    # The kiosk terminal of the latest registration (its name, or its address).
    last_terminal: Mapped[str | None] = mapped_column(String(64))
    # Unguessable token in the slip's QR: opens the worker's own (masked) record.
    qr_token: Mapped[str] = mapped_column(String(43), unique=True)
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_registered_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registration_count: Mapped[int] = mapped_column(default=1)
    deletion_requested_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    trades: Mapped[list["WorkerTrade"]] = relationship(
        back_populates="worker", cascade="all, delete-orphan", order_by="WorkerTrade.trade_code"
    )
    availability: Mapped[list["WorkerAvailability"]] = relationship(
        cascade="all, delete-orphan", order_by="WorkerAvailability.code")

    @property
    def number(self) -> str:
        """The worker number printed on the slip and shown on screens."""
        return f"G{self.id:06d}"

    @property
    def trade_codes(self) -> list[str]:
        return [t.trade_code for t in self.trades]

    @property
    def availability_codes(self) -> list[str]:
        return [a.code for a in self.availability]


class WorkerTrade(db.Model):
    __tablename__ = "worker_trade"

    worker_id: Mapped[int] = mapped_column(
        ForeignKey("worker.id", ondelete="CASCADE"), primary_key=True
    )
    trade_code: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)
    worker: Mapped[Worker] = relationship(back_populates="trades")


class WorkerAvailability(db.Model):
    """When a worker is free (codes of app.domain.trades.AVAILABILITY), like their trades."""

    __tablename__ = "worker_availability"

    worker_id: Mapped[int] = mapped_column(
        ForeignKey("worker.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(20), primary_key=True)


class UnderageRefusal(db.Model):
    """How many under-16s were turned away on a day. Nothing about the person is kept."""

    __tablename__ = "underage_refusal"

    day: Mapped[date] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
