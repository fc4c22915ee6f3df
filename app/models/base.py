"""Shared column helpers. Timestamps are stored as naive UTC everywhere."""

from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import Enum

# A moment the clock is placed at (``app.clock.placed_at``: the demo year runs the services
# at each event's time); None: the real time.
PLACED_AT: ContextVar[datetime | None] = ContextVar("placed_at", default=None)


def utcnow() -> datetime:
    return PLACED_AT.get() or datetime.now(UTC).replace(tzinfo=None)


def str_enum(cls) -> Enum:
    """A Python enum stored as its string values (VARCHAR, no database enum type), so that
    adding a state needs no ALTER TYPE on PostgreSQL."""
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
