"""WTForms glue shared by all forms: run a domain rule and keep its cleaned value."""

from collections.abc import Callable

from wtforms import ValidationError

from .domain import FieldError


class Cleaned:
    """Validator that runs ``rule(raw)`` and stores the result on ``field.cleaned``.

    The rule is a pure domain function that raises ``FieldError`` with a Chinese message.
    """

    def __init__(self, rule: Callable):
        self.rule = rule

    def __call__(self, form, field) -> None:
        try:
            field.cleaned = self.rule(field.data)
        except FieldError as err:
            raise ValidationError(err.message) from None


def first_errors(form) -> dict[str, str]:
    """``{field: first message}`` for the template to show beside each field."""
    return {name: errs[0] for name, errs in form.errors.items() if errs}
