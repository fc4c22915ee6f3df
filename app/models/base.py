"""Shared column helpers. Timestamps are stored as naive UTC everywhere."""

from datetime import UTC, datetime

from sqlalchemy import Enum


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def str_enum(cls) -> Enum:
    """A Python enum stored as its string values (VARCHAR, no database enum type), so that
    adding a state needs no ALTER TYPE on PostgreSQL."""
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
