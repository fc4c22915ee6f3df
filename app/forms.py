"""WTForms glue shared by all forms: run a domain rule and keep its cleaned value; the
one-time form keys that make a double tap register or check in once."""

import hashlib
import hmac
import secrets
from collections.abc import Callable

from flask import current_app, session
from flask_wtf import FlaskForm
from wtforms import HiddenField, ValidationError

from .domain import Invalid

FORM_KEY_EXPIRED = "页面已过期，请重新填写"
UNREADABLE = "含有无法识别的字符，请删除后重新输入"


class HallForm(FlaskForm):
    """Every form of the hall: a value with control characters (nobody types them; a NUL
    cannot even be stored in PostgreSQL) gets a message beside its field, not a bare 400.
    Views that validate such a form are marked ``checks_characters`` (app.security)."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            values = field.raw_data or []
            if any(isinstance(v, str) and has_control_characters(v) for v in values):
                field.errors = [UNREADABLE]
                ok = False
        return ok


class KeyedForm(HallForm):
    """A form sent with the one-time key of the form shown (``new_form_key``): refused
    without it, so that the same form sent twice acts once."""

    form_key = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        try:
            self.form_key.cleaned = checked_form_key(self.form_key.data)
        except Invalid as err:
            self.form_key.errors = [*self.form_key.errors, err.message]
            ok = False
        return ok


def has_control_characters(text: str) -> bool:
    return any(ch < " " and ch not in "\t\n\r" or ch == "\x7f" for ch in text)


def new_form_key() -> str:
    """A one-time key for a form shown in this browser session (43 characters).

    It is bound to the session: a key read off another terminal's screen, or guessed,
    does not fetch that person's result from this one.
    """
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_form_key_mac(nonce)}"


def checked_form_key(raw: str | None) -> str:
    """The key if this session issued it; Invalid otherwise."""
    nonce, _, mac = (raw or "").partition(".")
    if not nonce or len(raw) > 43 or not hmac.compare_digest(mac, _form_key_mac(nonce)):
        raise Invalid(FORM_KEY_EXPIRED)
    return raw


def _form_key_mac(nonce: str) -> str:
    salt = session.setdefault("form_key_salt", secrets.token_hex(16))
    message = f"{salt}:{nonce}".encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()[:20]


class Cleaned:
    """Validator that runs ``rule(raw)`` and stores the result on ``field.cleaned``.

    The rule is a pure domain function that raises ``Invalid`` with a Chinese message.
    """

    def __init__(self, rule: Callable):
        self.rule = rule

    def __call__(self, form, field) -> None:
        try:
            field.cleaned = self.rule(field.data)
        except Invalid as err:
            raise ValidationError(err.message) from None


def first_errors(form) -> dict[str, str]:
    """``{field: first message}`` for the template to show beside each field."""
    return {name: errs[0] for name, errs in form.errors.items() if errs}
