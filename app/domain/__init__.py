"""Pure rules: no Flask, no database. Errors carry Chinese messages for the person."""


class FieldError(ValueError):
    """A value a person typed is wrong; ``message`` is shown beside the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationErrors(ValueError):
    """Several field errors at once: ``{field_name: message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def parse_iso_date(raw: str | None, *, label: str):
    """A YYYY-MM-DD date or a FieldError."""
    from datetime import date

    text = (raw or "").strip()
    if not text:
        raise FieldError(f"请选择{label}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{label}格式应为 年-月-日") from None
