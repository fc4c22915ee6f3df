"""WTForms glue shared by all forms: run a domain rule and keep its cleaned value; the
one-time form keys that make a double tap register or check in once."""

import hashlib
import hmac
import secrets
from collections.abc import Callable

from flask import current_app, session
from wtforms import ValidationError

from .domain import FieldError

FORM_KEY_EXPIRED = "页面已过期，请重新填写"


def new_form_key() -> str:
    """A one-time key for a form shown in this browser session (43 characters).

    It is bound to the session: a key read off another terminal's screen, or guessed,
    does not fetch that person's result from this one.
    """
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_form_key_mac(nonce)}"


def checked_form_key(raw: str | None) -> str:
    """The key if this session issued it; FieldError otherwise."""
    nonce, _, mac = (raw or "").partition(".")
    if not nonce or len(raw) > 43 or not hmac.compare_digest(mac, _form_key_mac(nonce)):
        raise FieldError(FORM_KEY_EXPIRED)
    return raw


def _form_key_mac(nonce: str) -> str:
    salt = session.setdefault("form_key_salt", secrets.token_hex(16))
    message = f"{salt}:{nonce}".encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()[:20]


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
