"""Who may see what: login, sessions, request limits, and headers that keep pages private.
Which route is for whom is declared with ``app.policy.allow`` and checked by
``app.policy.check_route``, installed here in its place among the request hooks.

Staff sessions end on the server side: the session holds ``<user id>:<session version>``
and sign-out bumps the version (``accounts.sign_out``), so a cookie copied before the
sign-out opens nothing after it. A session also ends after ``STAFF_IDLE_MINUTES``
without a request of the person's own (polled refreshes of a screen do not count).
"""

import time
from functools import wraps

from flask import abort, current_app, g, make_response, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from . import htmx, policy
from .extensions import db, login_manager
from .forms import has_control_characters
from .models import StaffUser


@login_manager.user_loader
def _load_user(session_id: str):
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a session from before session versions, or tampered: sign in again
    user = db.session.get(StaffUser, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def client_address() -> str:
    """The client's address (behind a trusted proxy: the one the proxy reports)."""
    return (request.remote_addr or "unknown")[:64]


def start_session(user: StaffUser) -> None:
    """Sign in: a fresh session, with a new CSRF token (the old one may have been seen)."""

    session.clear()
    g.pop("csrf_token", None)
    login_user(user)
    session["seen"] = int(time.time())


def _expire_idle_session() -> None:
    """Sign out a staff session that has been idle too long; record activity otherwise."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    if now - session.get("seen", 0) > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        logout_user()
        session.pop("seen", None)
        return
    if not (htmx.wants_fragment() and request.method == "GET"):  # a poll is not activity
        session["seen"] = now


@login_manager.unauthorized_handler
def _unauthorized():
    return htmx.login_redirect(url_for("auth.login", next=htmx.current_page_path()))


def no_store(view):
    """Personal pages: never kept in the browser's cache or history cache."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        resp = make_response(view(*args, **kwargs))
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["Pragma"] = "no-cache"
        return resp

    return wrapped


def checks_characters(view):
    """Mark a view whose form (an ``app.forms.HallForm``) answers control characters in a
    field with a message beside that field; the blanket refusal below then leaves it be."""
    view.checks_characters = True
    return view


def _refuse_control_characters() -> None:
    """Nobody types control characters; a NUL cannot even be stored in PostgreSQL."""
    view = current_app.view_functions.get(request.endpoint)
    form_checked = request.method == "POST" and getattr(view, "checks_characters", False)
    values = [*request.args.values()]
    if request.method == "POST" and not form_checked:
        values += request.form.values()
    if any(has_control_characters(v) for v in values):
        abort(400)


def large_form(body: int, field: int):
    """Mark a view whose form is larger than the hall's limits (MAX_CONTENT_LENGTH,
    MAX_FORM_MEMORY_SIZE) by its nature, with limits of its own: ``body`` bytes in all,
    ``field`` bytes in one field (the mediation agreement's three signatures, drawn images)."""

    def decorator(view):
        view.large_form = (body, field)
        return view

    return decorator


def _refuse_oversized_forms() -> None:
    """MAX_FORM_PARTS and MAX_FORM_MEMORY_SIZE for every form. Werkzeug applies them to
    multipart bodies only; a urlencoded body (what browsers and htmx send) is otherwise
    bounded by MAX_CONTENT_LENGTH alone. Reading ``request.form`` raises the 413 itself when
    the body is larger than MAX_CONTENT_LENGTH. A view marked ``large_form`` has its own two
    limits instead."""
    config = current_app.config
    limit = config["MAX_FORM_MEMORY_SIZE"]
    if marked := getattr(current_app.view_functions.get(request.endpoint), "large_form", None):
        request.max_content_length, limit = marked
        request.max_form_memory_size = limit
    fields = [(name, value) for name, values in request.form.lists() for value in values]
    if len(fields) + len(request.files) > config["MAX_FORM_PARTS"]:
        abort(413)
    if any(len(name.encode("utf-8", "surrogatepass")) > limit
           or len(value.encode("utf-8", "surrogatepass")) > limit for name, value in fields):
        abort(413)


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    if proxies := int(app.config["TRUSTED_PROXIES"]):
        # Behind the hall's HTTPS reverse proxy: trust its X-Forwarded-For/-Proto/-Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # First of all request hooks, before CSRF protection reads the form: the size limits; then
    # an idle session ends; then the route policy (so that a signed-out person posting to a
    # staff route is sent to the login page, and a wrong role gets 403, whatever the form).
    app.before_request_funcs.setdefault(None, [])[0:0] = [
        _refuse_oversized_forms, _expire_idle_session, policy.check_route]
    app.before_request(_refuse_control_characters)

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        # The QR token in /w/<token> must never leak to another site through Referer.
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        )
        return resp
