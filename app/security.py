"""Who may see what: login, roles, CSRF errors, and headers that keep pages private."""

import re
from functools import wraps

from flask import abort, current_app, make_response, request, url_for
from flask_login import current_user

from . import htmx
from .extensions import db, login_manager
from .models import Role, StaffUser

STAFF_ROLES = (Role.STAFF, Role.MANAGER)


@login_manager.user_loader
def _load_user(user_id: str):
    return db.session.get(StaffUser, int(user_id))


@login_manager.unauthorized_handler
def _unauthorized():
    return htmx.login_redirect(url_for("auth.login", next=htmx.current_page_path()))


def roles_required(*roles: Role):
    """Signed in and holding one of ``roles``; otherwise the login page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def no_store(view):
    """Personal pages: never kept in the browser's cache or history cache."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        resp = make_response(view(*args, **kwargs))
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["Pragma"] = "no-cache"
        return resp

    return wrapped


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters() -> None:
    """Nobody types control characters; a NUL cannot even be stored in PostgreSQL."""
    values = [*request.args.values(), *(request.form.values() if request.method == "POST" else [])]
    if any(_CONTROL.search(v) for v in values):
        abort(400)


def _refuse_oversized_forms() -> None:
    """MAX_FORM_PARTS and MAX_FORM_MEMORY_SIZE for every form. Werkzeug applies them to
    multipart bodies only; a urlencoded body (what browsers and htmx send) is otherwise
    bounded by MAX_CONTENT_LENGTH alone. Reading ``request.form`` raises the 413 itself when
    the body is larger than MAX_CONTENT_LENGTH."""
    config = current_app.config
    fields = [(name, value) for name, values in request.form.lists() for value in values]
    if len(fields) + len(request.files) > config["MAX_FORM_PARTS"]:
        abort(413)
    limit = config["MAX_FORM_MEMORY_SIZE"]
    if any(len(name.encode("utf-8", "surrogatepass")) > limit
           or len(value.encode("utf-8", "surrogatepass")) > limit for name, value in fields):
        abort(413)


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    # First of all request hooks, before CSRF protection reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_oversized_forms)
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
