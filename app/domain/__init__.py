"""Pure rules: no Flask, no database. Errors carry Chinese messages for the person.

The one error family of the domain (the web layer maps it once, in ``app/errors.py``):

- ``Invalid``: a value a person typed is wrong (422), optionally naming its field;
  ``InvalidFields`` carries several at once.
- ``Conflict``: the record's state does not allow the action, or another person's action
  won a race (409).
"""

from datetime import date as _date


class DomainError(Exception):
    """Base of the domain's errors: ``message`` is Chinese, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(DomainError, ValueError):
    """A value a person typed is wrong; ``message`` is shown beside ``field`` when given."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    @property
    def errors(self) -> dict[str, str]:
        return {self.field or "form": self.message}


class InvalidFields(Invalid):
    """Several field errors at once: ``{field_name: message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()), field=next(iter(errors), None))
        self._errors = dict(errors)

    @property
    def errors(self) -> dict[str, str]:
        return self._errors


class Conflict(DomainError):
    """The action is refused in the record's present state, or lost a race to another."""


EARLIEST_DATE = _date(2000, 1, 1)  # before it, a date is a typing slip (0026 for 2026), never a record's


def parse_iso_date(raw: str | None, *, label: str):
    """A YYYY-MM-DD date from 2000 on, or Invalid."""
    text = (raw or "").strip()
    if not text:
        raise Invalid(f"请选择{label}")
    try:
        day = _date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{label}格式应为 年-月-日") from None
    if day < EARLIEST_DATE:
        raise Invalid(f"{label}不对，请核对年份")
    return day
