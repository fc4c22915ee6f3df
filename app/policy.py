"""Who may reach which route: one declaration per view, one check per request, deny by default.

Every view says who it is for, right under its route decorator::

    @bp.get("/print-jobs")
    @allow(Audience.STAFF, Audience.MANAGER)
    def print_jobs(): ...

``check_route`` (installed by ``app.security.init_app`` as a ``before_request`` hook, before
CSRF protection) looks the declaration up for every request:

- a view without a declaration is refused with 403, whoever asks (and the log says which);
- a view open to a hall audience (kiosk, phone link, display, sign-in pages) is served to anyone;
- otherwise the person must be signed in (else the login page; for htmx a 401 with
  HX-Redirect, see ``app.htmx.login_redirect``) and hold one of the declared roles (else 403).

The app's static files (CSS, JS, vendored htmx) are the one exception, named in
``UNDECLARED_ENDPOINTS``. The error pages (``app.errors``) use the same declaration to choose
the area's page: kiosk, staff or phone.
"""

import enum
from collections.abc import Callable

from flask import abort, current_app, request
from flask_login import current_user

from .extensions import login_manager
from .models import Role

ATTRIBUTE = "allowed_audiences"


class Audience(enum.Enum):
    """Who a route is for."""

    KIOSK = "kiosk"  # anyone at a hall terminal: the kiosk's pages
    PUBLIC = "public"  # anyone holding a link: /w/<token>, /q/<token> on their own phone
    DISPLAY = "display"  # the hall display (shows nothing personal)
    SIGN_IN = "sign_in"  # sign-in, sign-out and first-run setup: anyone
    STAFF = "staff"  # signed in as staff
    MANAGER = "manager"  # signed in as manager
    ASSESSOR = "assessor"  # signed in as the labour bureau's assessor: no personal data

    @property
    def role(self) -> Role | None:
        """The staff role this audience is, or None for an audience open to anyone."""
        return _ROLES.get(self)


_ROLES = {Audience.STAFF: Role.STAFF, Audience.MANAGER: Role.MANAGER, Audience.ASSESSOR: Role.ASSESSOR}
OPEN = frozenset(a for a in Audience if a.role is None)
SIGNED_IN = frozenset(a for a in Audience if a.role is not None)

# Served to anyone without a declaration: Flask's own route for app/static (nothing personal).
UNDECLARED_ENDPOINTS = frozenset({"static"})


def allow(*audiences: Audience) -> Callable:
    """Declare who may reach a view. Put it right under the route decorator."""
    if not audiences or not all(isinstance(a, Audience) for a in audiences):
        raise TypeError("allow() needs one or more Audience members")
    declared = frozenset(audiences)
    if declared & OPEN and declared & SIGNED_IN:
        raise ValueError(f"{sorted(a.name for a in declared)}: an audience open to anyone "
                         "already admits every role; declare one or the other")

    def decorator(view: Callable) -> Callable:
        if hasattr(view, ATTRIBUTE):
            raise ValueError(f"{view.__name__} declares its audience twice")
        setattr(view, ATTRIBUTE, declared)
        return view

    return decorator


def audiences_of(endpoint: str | None, app=None) -> frozenset[Audience] | None:
    """The endpoint's declared audiences; None if it declares none (or does not exist)."""
    view = (app or current_app).view_functions.get(endpoint) if endpoint else None
    return getattr(view, ATTRIBUTE, None)


def undeclared_endpoints(app) -> list[str]:
    """Endpoints that would be refused to everyone for want of a declaration."""
    return sorted(endpoint for endpoint, view in app.view_functions.items()
                  if endpoint not in UNDECLARED_ENDPOINTS and not hasattr(view, ATTRIBUTE))


def check_route():
    """The one check, before every request (see the module's docstring)."""
    if request.routing_exception is not None or request.endpoint in UNDECLARED_ENDPOINTS:
        return None  # not found, wrong method or a redirect to the canonical URL: routing answers
    audiences = audiences_of(request.endpoint)
    if audiences is None:
        current_app.logger.error("refused: route %s declares no audience (app.policy.allow)",
                                 request.endpoint)
        abort(403)
    if audiences & OPEN:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in {a.role for a in audiences}:
        abort(403)
    return None
