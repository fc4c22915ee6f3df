"""Which kiosk a request comes from, and so which printer its slips go to.

A kiosk learns its name once, at ``/kiosk/terminal``, from a member of staff signed in on
it (``app/kiosk/terminal_routes.py``); the name is kept in a long-lived cookie signed with
the app's secret key, so a visitor can neither forge nor change it (only staff can set it,
and a phone on the hall Wi-Fi cannot claim to be a kiosk). Without that cookie — never set,
cleared, or from before a change of SECRET_KEY — the kiosk is known by its network address
(``security.client_address()``): a configured terminal with that fixed ``address``, else the
address itself, so a kiosk whose cookies were cleared is never anonymous.

``current_terminal()`` is the one way services learn the terminal (e.g. for the audit
trail); outside a request (commands, tests calling services) it is the server itself.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeSerializer

from .hall_config import hall
from .security import client_address

COOKIE = "kiosk_terminal"
COOKIE_LIFETIME = timedelta(days=3650)  # set once per device
_SALT = "kiosk-terminal"


@dataclass(frozen=True)
class CurrentTerminal:
    name: str  # the configured terminal's name, or the network address of an unknown one
    printer: str  # where its slips print: its configured printer, else "default"
    label: str  # what staff call it (大厅1号机); the name when not configured
    configured: bool  # listed in KIOSK_TERMINALS
    source: str  # "cookie", "address" or "server" (no request)


SERVER = CurrentTerminal(name="server", printer="default", label="服务器", configured=False,
                         source="server")


def current_terminal() -> CurrentTerminal:
    """The terminal of the current request: its signed cookie, else its address."""
    if not has_request_context():
        return SERVER
    config = hall()
    name = _cookie_name()
    if name is not None:
        source = "cookie"
    else:
        address = client_address()
        at = config.terminal_at(address)
        name, source = (at.name if at else address), "address"
    terminal = config.terminals.get(name)
    if terminal is None:  # not (or no longer) configured: the default printer
        return CurrentTerminal(name=name, printer="default", label=name, configured=False,
                               source=source)
    return CurrentTerminal(name=name, printer=terminal.printer, label=terminal.label,
                           configured=True, source=source)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def _cookie_name() -> str | None:
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 200:
        return None
    try:
        name = _serializer().loads(raw)
    except BadSignature:  # forged, or signed with an earlier SECRET_KEY
        return None
    return name if isinstance(name, str) and name else None


def remember(response, name: str) -> None:
    """Name this device's terminal (only ever called for a signed-in member of staff)."""
    response.set_cookie(
        COOKIE, _serializer().dumps(name), max_age=int(COOKIE_LIFETIME.total_seconds()),
        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"], path="/")


def forget(response) -> None:
    """Back to being known by the network address."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])


def record_change(new_name: str | None) -> None:
    """Put the naming (or unnaming) of this device in the audit trail, by the signed-in staff."""
    from app.extensions import db
    from app.services import audit

    old = current_terminal()
    audit.record(audit.Ref("terminal", None), "name" if new_name else "unname",
                 before={"terminal": old.name, "source": old.source},
                 after={"terminal": new_name} if new_name else None,
                 detail=f"设备地址 {client_address()}")
    db.session.commit()
