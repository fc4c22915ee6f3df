"""Deals (交易): one worker engaged on one posting, from acceptance to completion, with the
signed agreement, the confirmations of each side, the notes of a negotiation, and the
records confirmed false (item C4).

Nothing here is ever deleted: a deal ends completed or cancelled with its reason; a false
record stays with its reason and evidence. The agreement's content is kept as it was
signed, with its seal (``app.services.deals``): a row altered in the database afterwards no
longer verifies. Money is ``Numeric`` with two places, read as ``Decimal``.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, LargeBinary, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.deals import ConfirmedVia, DealSource, DealStatus, FalseKind, NoteKind, Side
from app.domain.disputes import PaymentMethod
from app.domain.task_orders import PayUnit
from app.extensions import db

from .base import str_enum, utcnow
from .employer import Employer
from .task_order import TaskOrder
from .worker import Worker


class Deal(db.Model):
    __tablename__ = "deal"
    __table_args__ = (
        Index("ix_deal_status_accepted", "status", "accepted_at"),
        # One deal not cancelled per worker and posting, whoever applies at the same moment
        # (two kiosks, a kiosk and a counter): the database refuses the second.
        Index("uq_deal_worker_order_open", "worker_id", "task_order_id", unique=True,
              sqlite_where=text("status != 'cancelled'"), postgresql_where=text("status != 'cancelled'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_order_id: Mapped[int] = mapped_column(ForeignKey("task_order.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    status: Mapped[DealStatus] = mapped_column(str_enum(DealStatus), default=DealStatus.ACCEPTED)
    source: Mapped[DealSource] = mapped_column(str_enum(DealSource))
    terminal: Mapped[str | None] = mapped_column(String(64))  # the kiosk of the application
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))  # staff match
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    # 2. Price: proposed by the posting, changed by staff; each side's confirmation of it.
    pay: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pay_unit: Mapped[PayUnit] = mapped_column(str_enum(PayUnit))
    worker_price_at: Mapped[datetime | None]
    worker_price_via: Mapped[ConfirmedVia | None] = mapped_column(str_enum(ConfirmedVia))
    employer_price_at: Mapped[datetime | None]
    employer_price_via: Mapped[ConfirmedVia | None] = mapped_column(str_enum(ConfirmedVia))
    priced_at: Mapped[datetime | None] = mapped_column(index=True)

    # 3. The agreement (劳务协议) as signed, its seal, and the QR token of its check page.
    agreement_content: Mapped[str | None] = mapped_column(Text)
    agreement_seal: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime | None] = mapped_column(index=True)
    verify_token: Mapped[str] = mapped_column(String(43), unique=True)

    # 4. Insurance, or why there is none.
    insurer: Mapped[str | None] = mapped_column(String(60))
    policy_number: Mapped[str | None] = mapped_column(String(40))
    premium: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    cover_from: Mapped[date | None]
    cover_to: Mapped[date | None]
    uninsured_reason: Mapped[str | None] = mapped_column(String(200))
    insured_at: Mapped[datetime | None]  # recorded

    # 5. The employer's payment.
    paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    paid_method: Mapped[PaymentMethod | None] = mapped_column(str_enum(PaymentMethod))
    paid_reference: Mapped[str | None] = mapped_column(String(60))
    paid_at: Mapped[datetime | None] = mapped_column(index=True)  # when it was paid (as told)

    # 6. The wage settled with the worker.
    wage_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    wage_method: Mapped[PaymentMethod | None] = mapped_column(str_enum(PaymentMethod))
    wage_reference: Mapped[str | None] = mapped_column(String(60))
    settled_at: Mapped[datetime | None] = mapped_column(index=True)  # when it was paid (as told)

    # 7. The end: completed (C3, by this time) or cancelled with the reason and the state.
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_from: Mapped[DealStatus | None] = mapped_column(str_enum(DealStatus))

    # Inter-provincial service (G3): suggested at acceptance, confirmed or dismissed by staff.
    interprovincial_suggested: Mapped[bool] = mapped_column(default=False)
    interprovincial_at: Mapped[datetime | None] = mapped_column(index=True)  # confirmed
    interprovincial_dismissed_at: Mapped[datetime | None]
    interprovincial_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    # The two parties' slip QR tokens: each opens the deal's page and rates the service.
    worker_token: Mapped[str] = mapped_column(String(43), unique=True)
    employer_token: Mapped[str] = mapped_column(String(43), unique=True)

    task_order: Mapped[TaskOrder] = relationship()
    worker: Mapped[Worker] = relationship()
    employer: Mapped[Employer] = relationship()
    signatures: Mapped[list["DealSignature"]] = relationship(
        back_populates="deal", order_by="DealSignature.id", lazy="selectin")
    notes: Mapped[list["DealNote"]] = relationship(back_populates="deal", order_by="DealNote.at")

    @property
    def number(self) -> str:
        """The deal's number, on screens, slips and the agreement."""
        return f"JY{self.id:07d}"

    def signature_of(self, side: Side) -> "DealSignature | None":
        return next((s for s in self.signatures if s.side == side), None)

    def price_confirmed_by(self, side: Side) -> bool:
        return (self.worker_price_at if side == Side.WORKER else self.employer_price_at) is not None


class DealSignature(db.Model):
    """A signature drawn on the touchscreen under a deal's agreement: one per side."""

    __tablename__ = "deal_signature"
    __table_args__ = (UniqueConstraint("deal_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"))
    side: Mapped[Side] = mapped_column(str_enum(Side))
    signer: Mapped[str] = mapped_column(String(40))  # the name written under it
    png: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    terminal: Mapped[str | None] = mapped_column(String(64))

    deal: Mapped[Deal] = relationship(back_populates="signatures")


class DealNote(db.Model):
    """A note on a deal: the negotiation when a task was not completed, or a remark."""

    __tablename__ = "deal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"), index=True)
    kind: Mapped[NoteKind] = mapped_column(str_enum(NoteKind))
    text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    deal: Mapped[Deal] = relationship(back_populates="notes")


class FalseRecord(db.Model):
    """A posting or a worker record confirmed false (虚假) by staff, with the reason and the
    evidence: counted in item C4 by the time of confirmation. A posting leaves the board at
    once; a worker so marked cannot apply for work until staff register them again."""

    __tablename__ = "false_record"
    __table_args__ = (UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FalseKind] = mapped_column(str_enum(FalseKind))
    record_id: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
