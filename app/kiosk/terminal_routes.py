"""Naming a kiosk (its terminal, and so its printer): once per device, by staff only.

A member of staff signs in on the kiosk itself, opens /kiosk/terminal and taps the
terminal's name; the signed cookie is set (app/terminals.py) and the staff session on
this device ends at once, so the kiosk never stays signed in.
"""

from flask import redirect, request, session, url_for
from flask_login import logout_user

from app import terminals
from app.hall_config import hall
from app.policy import Audience, allow
from app.security import no_store

from . import bp, step


@bp.get("/terminal")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def terminal_form():
    return step("kiosk/_terminal.html", terminals=hall().terminals, error=None)


@bp.post("/terminal")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def terminal_set():
    choice = request.form.get("terminal", "")
    if "cancel" not in request.form and choice and choice not in hall().terminals:
        return step("kiosk/_terminal.html", 422, terminals=hall().terminals,
                    error="没有这个终端，请从列表中选择")
    response = redirect(url_for("kiosk.start"), code=303)
    if "cancel" not in request.form:
        terminals.record_change(choice or None)
        if choice:
            terminals.remember(response, choice)
        else:
            terminals.forget(response)
    logout_user()  # this device only: the person's other sessions go on
    session.clear()
    return response
