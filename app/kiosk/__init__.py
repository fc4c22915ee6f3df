"""The hall terminal (kiosk): start screen, worker registration, employer check-in; and the
exit terminal by the door, where visitors rate the service (rating_routes.py)."""

from flask import Blueprint

from app import database, htmx
from app.terminals import current_terminal

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


@bp.before_request
def _database_reachable():
    """Every kiosk step first checks the database, so that a person is told at once that
    the service is briefly unavailable, before typing a whole form for nothing."""
    database.ping()


def step(partial: str, status: int = 200, **context):
    """Every kiosk step is one partial: the whole page for plain requests."""
    return htmx.render("kiosk/page.html", partial, status=status, step=partial,
                       terminal=current_terminal(), **context)


from . import (  # noqa: E402,F401  (they register on bp)
    checkin_routes,
    dispute_routes,
    input_routes,
    job_routes,
    rating_routes,
    routes,
    terminal_routes,
)
