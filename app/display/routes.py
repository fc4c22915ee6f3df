"""The hall display (landscape screen): who is called where, the queue, open jobs."""

from flask import Blueprint, current_app

from app import htmx
from app.clock import local_today
from app.policy import Audience, allow
from app.services import queue, task_orders

bp = Blueprint("display", __name__, url_prefix="/display")


@bp.get("/")
@allow(Audience.DISPLAY)
def hall():
    return _board("display/hall.html")


@bp.get("/board")
@allow(Audience.DISPLAY)
def board():
    """The cheap fragment the display polls."""
    return _board("display/hall.html")


def _board(page: str):
    today = local_today()
    return htmx.render(
        page, "display/_board.html",
        board=queue.board(today, current_app.config["DISPLAY_RECENT_CALLS"]),
        services=queue.services(), postings=task_orders.open_postings(today),
        refresh=current_app.config["DISPLAY_REFRESH_SECONDS"],
    )
