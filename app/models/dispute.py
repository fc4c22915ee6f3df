"""Dispute cases (item E1), their sessions, follow-ups and signed agreements, and the hall's
incident log (items B8, B9).

Nothing here is ever deleted: a case ends declined, withdrawn or merged with its reason, an
incident is voided with its reason; both stay visible to the assessor. Phone numbers and ID
numbers are encrypted like every other one (``app.crypto``) and shown masked; the signatures
are the PNG images drawn on the touchscreen.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.disputes import (
    ApplicantRole,
    CaseChannel,
    CaseKind,
    CaseStatus,
    EntryKind,
    IncidentKind,
    Party,
    PaymentMethod,
)
from app.extensions import db

from .base import str_enum, utcnow
from .employer import Employer
from .score import Voidable
from .worker import Worker


class DisputeCounter(db.Model):
    """The last case number issued per year: numbers are gapless (see services.disputes)."""

    __tablename__ = "dispute_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class DisputeCase(db.Model):
    __tablename__ = "dispute_case"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        # The open cases by state and the counters by time of receipt.
        Index("ix_dispute_case_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(16), unique=True)  # 2026-JF-0007
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.RECEIVED)
    kind: Mapped[CaseKind] = mapped_column(str_enum(CaseKind))
    channel: Mapped[CaseChannel] = mapped_column(str_enum(CaseChannel))

    applicant_role: Mapped[ApplicantRole] = mapped_column(str_enum(ApplicantRole))
    applicant_name: Mapped[str] = mapped_column(String(40))
    applicant_phone_cipher: Mapped[str] = mapped_column(Text)
    applicant_phone_last4: Mapped[str] = mapped_column(String(4))
    # An ID number given by an applicant who is not a registered worker (a registered one is
    # linked instead: ``worker_id``).
    applicant_id_cipher: Mapped[str | None] = mapped_column(Text)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    # The deal the dispute is about (a task not completed), when it arose from one.
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deal.id"), index=True)

    other_party_name: Mapped[str] = mapped_column(String(40))
    other_party_company: Mapped[str] = mapped_column(String(40), default="")
    other_party_phone_cipher: Mapped[str | None] = mapped_column(Text)
    other_party_phone_last4: Mapped[str | None] = mapped_column(String(4))

    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # claimed
    facts: Mapped[str] = mapped_column(Text)
    wants: Mapped[str] = mapped_column(Text)

    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_on: Mapped[date]  # hall-local day of receipt
    accept_due: Mapped[date]  # the 3rd working day after receipt (moves with the calendar)
    accepted_at: Mapped[datetime | None]
    accepted_on: Mapped[date | None]  # the 15-day clock starts here
    agreed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]  # first entry into a closing state
    # Why it was declined, failed, withdrawn, referred or merged (the latest such reason).
    closing_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))  # accepted by
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))  # staff filing
    terminal: Mapped[str | None] = mapped_column(String(64))  # kiosk filing

    # The agreement (劳动争议调解协议书), once signed.
    agreed_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    pay_by: Mapped[date | None]
    pay_method: Mapped[PaymentMethod | None] = mapped_column(str_enum(PaymentMethod))
    agreement_terms: Mapped[str | None] = mapped_column(Text)
    performed_at: Mapped[datetime | None]

    # The two slips' QR tokens: the applicant's (from filing) and the other party's (printed
    # at the agreement or the referral); each opens the progress page and rates the mediation.
    applicant_token: Mapped[str] = mapped_column(String(43), unique=True)
    respondent_token: Mapped[str] = mapped_column(String(43), unique=True)

    worker: Mapped[Worker | None] = relationship()
    employer: Mapped[Employer | None] = relationship()
    merged_into: Mapped["DisputeCase | None"] = relationship(remote_side=[id])
    entries: Mapped[list["DisputeEntry"]] = relationship(
        back_populates="case", order_by="DisputeEntry.at", lazy="selectin")
    signatures: Mapped[list["DisputeSignature"]] = relationship(
        back_populates="case", order_by="DisputeSignature.id", lazy="selectin")

    @property
    def sessions(self) -> list["DisputeEntry"]:
        return [e for e in self.entries if e.kind == EntryKind.SESSION]

    @property
    def follow_ups(self) -> list["DisputeEntry"]:
        return [e for e in self.entries if e.kind == EntryKind.FOLLOW_UP]

    def signature_of(self, party: Party) -> "DisputeSignature | None":
        return next((s for s in self.signatures if s.party == party), None)


class DisputeEntry(db.Model):
    """A mediation session (when, who attended, what was said) or a follow-up of an agreement."""

    __tablename__ = "dispute_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind))
    at: Mapped[datetime]  # when the session was held / the call made
    attendees: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[DisputeCase] = relationship(back_populates="entries")


class DisputeSignature(db.Model):
    """One signature drawn on the touchscreen under an agreement: applicant, other party or
    mediator. The agreement holds exactly one of each."""

    __tablename__ = "dispute_signature"
    __table_args__ = (UniqueConstraint("case_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"))
    party: Mapped[Party] = mapped_column(str_enum(Party))
    signer: Mapped[str] = mapped_column(String(40))  # the name written under it
    png: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[DisputeCase] = relationship(back_populates="signatures")


class Incident(Voidable, db.Model):
    """An incident in the hall. Voided entries stay, with the reason, and do not count."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_kind_at", "kind", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[IncidentKind] = mapped_column(str_enum(IncidentKind))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(60))  # where in the hall
    # Who was involved, as told (names, descriptions): personal data, so encrypted and shown
    # only to roles that need it.
    involved_cipher: Mapped[str] = mapped_column(Text)
    police_called: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str] = mapped_column(Text)
