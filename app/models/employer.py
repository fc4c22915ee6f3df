"""Employers (用工主体): households and enterprises, recognised again by phone."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.workflow import LabelledEnum
from app.extensions import db

from .base import str_enum, utcnow


class EmployerType(LabelledEnum):
    INDIVIDUAL = "individual", "个人/家庭"
    ENTERPRISE = "enterprise", "企业/单位"


class Employer(db.Model):
    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_type: Mapped[EmployerType] = mapped_column(
        str_enum(EmployerType)
    )
    # Enterprise name (public business information); empty for households.
    employer_name: Mapped[str | None] = mapped_column(String(100))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    contact_name: Mapped[str] = mapped_column(String(40))
    phone_cipher: Mapped[str] = mapped_column(Text)
    phone_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone_last4: Mapped[str] = mapped_column(String(4), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def display_name(self) -> str:
        return self.employer_name or self.contact_name
