"""The hall's local time (Asia/Shanghai). Stored timestamps are naive UTC."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app.domain.periods import LocalPeriod, PeriodKind, to_utc
from app.models.base import PLACED_AT


def hall_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["HALL_TIMEZONE"])


def local_now() -> datetime:
    placed = PLACED_AT.get()
    if placed is not None:
        return placed.replace(tzinfo=UTC).astimezone(hall_tz())
    return datetime.now(hall_tz())


@contextmanager
def placed_at(utc_naive: datetime) -> Iterator[None]:
    """Run the block as if it were ``utc_naive`` (naive UTC) for everything that reads the
    app's clock (``local_now``, ``app.models.utcnow``): the demo year files its cases and
    incidents through the services, each step at the moment it happened. Never used by a
    request."""
    token = PLACED_AT.set(utc_naive)
    try:
        yield
    finally:
        PLACED_AT.reset(token)


def now_ms() -> int:
    """Now as epoch milliseconds: what screens set their clocks by (app/static/clock.js)."""
    return int(local_now().timestamp() * 1000)


def local_today() -> date:
    return local_now().date()


def to_local(utc_naive: datetime | None) -> datetime | None:
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=UTC).astimezone(hall_tz())


def from_local(local_naive: datetime) -> datetime:
    """A time as entered in the hall (naive, hall-local) as it is stored (naive UTC)."""
    return to_utc(local_naive.replace(tzinfo=hall_tz()))


def format_local(utc_naive: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    value = to_local(utc_naive)
    return value.strftime(fmt) if value else ""


def hall_period(kind: PeriodKind | str = PeriodKind.DAY, at: datetime | None = None, *,
                service_start: date | None = None) -> LocalPeriod:
    """The hall's day, month or assessment year containing ``at`` (naive UTC; default now).
    An assessment year needs the service start date (the manager's setting, see
    ``app.services.assessment``)."""
    return LocalPeriod.containing(at or datetime.now(UTC), kind, hall_tz(), service_start=service_start)
