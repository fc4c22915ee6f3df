"""The hall terminal (kiosk): start screen, worker registration, employer check-in."""

from flask import Blueprint, current_app

from app import database, htmx

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


@bp.before_request
def _database_reachable():
    """Every kiosk step first checks the database, so that a person is told at once that
    the service is briefly unavailable, before typing a whole form for nothing."""
    database.ping()


def step(partial: str, status: int = 200, **context):
    """Every kiosk step is one partial: the whole page for plain requests."""
    return htmx.render("kiosk/page.html", partial, status=status, step=partial, **context)


# Printed in QR codes until PUBLIC_BASE_URL is configured (staff see a warning meanwhile):
# the address `make run` serves on. Never the request's Host header, which the client
# chooses and which would put someone else's address on the hall's paper.
UNCONFIGURED_BASE_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    """The address printed in QR codes: only ever from the configuration."""
    return current_app.config["PUBLIC_BASE_URL"] or UNCONFIGURED_BASE_URL


from . import checkin_routes, routes  # noqa: E402,F401  (they register on bp)
