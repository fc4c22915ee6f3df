"""The hall display: who is called to which window, the queue, the published job postings;
and the spoken call for each call (a WAV rendered on the server, see
``app/services/announcements.py``)."""

import logging
import math
from datetime import UTC

from flask import Blueprint, abort, current_app, send_file, url_for
from sqlalchemy import select

from app import htmx
from app.clock import local_now, local_today
from app.domain import Invalid
from app.domain.announcements import announcement_text
from app.extensions import db
from app.hall_config import hall as hall_config
from app.models import Ticket
from app.policy import Audience, allow
from app.services import announcements, queue, task_orders

bp = Blueprint("display", __name__, url_prefix="/display")
log = logging.getLogger(__name__)

POSTINGS_PER_PAGE = 4
POSTINGS_PAGE_SECONDS = 12  # each page of postings stays this long (the board is re-rendered)
POSTINGS_SHOWN = 24  # newest first; more than this wait for an older one to close


@bp.get("/")
@allow(Audience.DISPLAY)
def hall():
    return _board("display/hall.html")


@bp.get("/board")
@allow(Audience.DISPLAY)
def board():
    """The cheap fragment the display polls."""
    return _board("display/hall.html")


@bp.get("/announcement/<number>/<id:window>.wav")  # id: no overflow on a huge number
@allow(Audience.DISPLAY)
def announcement(number: str, window: int):
    """The spoken call "请 A 零零七 号，到 三 号窗口办理" as audio/wav: only for a ticket
    called to that window today (so nobody can make the server render anything else)."""
    if not _called_today(number, window):
        abort(404)
    try:
        path = announcements.announcement_wav(number, window)
    except announcements.SpeechUnavailable as exc:
        log.warning("spoken call unavailable: %s", exc)
        return "语音播报不可用", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return send_file(path, mimetype="audio/wav", max_age=3600)


def _called_today(number: str, window: int) -> bool:
    if len(number) > 8:
        return False
    return db.session.scalar(
        select(Ticket.id).where(Ticket.day == local_today(), Ticket.number == number,
                                Ticket.window == window, Ticket.last_called_at.is_not(None))
        .limit(1)) is not None


def _board(page: str):
    today = local_today()
    now = local_now()
    state = queue.board(today, current_app.config["DISPLAY_RECENT_CALLS"])
    calls = sorted(state.now_serving, key=lambda t: t.window)
    newest = max(calls, key=lambda t: (t.last_called_at, t.id), default=None)
    postings = task_orders.open_postings(today, limit=POSTINGS_SHOWN)
    pages = max(1, math.ceil(len(postings) / POSTINGS_PER_PAGE))
    # The page on show follows the clock, so every refresh (and every display) agrees.
    page_index = int(now.timestamp() // POSTINGS_PAGE_SECONDS) % pages
    speech = announcements.available()
    return htmx.render(
        page, "display/_board.html",
        calls=[_call(t, t is newest, speech) for t in calls],
        columns=_columns(len(calls)),
        board=state, services=queue.services(),
        postings=postings[page_index * POSTINGS_PER_PAGE:(page_index + 1) * POSTINGS_PER_PAGE],
        postings_page=(page_index + 1, pages), apply_at=_apply_at(),
        speech="server" if speech else "browser",
        refresh=current_app.config["DISPLAY_REFRESH_SECONDS"],
    )


def _call(ticket: Ticket, newest: bool, speech: bool) -> dict:
    try:
        text = announcement_text(ticket.number, ticket.window)
    except Invalid:  # a number from a since-changed configuration: shown, not spoken
        text, speech = "", False
    return {
        "number": ticket.number, "window": ticket.window, "newest": newest,
        # A recall changes last_called_at: a new key, announced again.
        "key": f"{ticket.id}-{int(ticket.last_called_at.replace(tzinfo=UTC).timestamp() * 1000)}",
        "text": text,
        "audio": url_for("display.announcement", number=ticket.number, window=ticket.window)
        if speech else "",
    }


# The calls area's shape (width / height) on a landscape and on a portrait screen.
CALLS_AREA_SHAPE = {"landscape": 2.4, "portrait": 1.2}


def _columns(count: int) -> dict[str, int]:
    """How many columns of call cards make the numbers largest: a card's number is limited by
    its height (46% of it) or by its width (four characters, 35% each), see display.css."""
    count = max(count, 1)

    def best(shape: float) -> int:
        def size(cols: int) -> tuple[float, int]:
            rows = math.ceil(count / cols)
            return min(0.46 / rows, 0.35 * shape / cols), count - cols * rows  # then fewer gaps
        return max(range(1, count + 1), key=size)

    return {orientation: best(shape) for orientation, shape in CALLS_AREA_SHAPE.items()}


def _apply_at() -> str:
    """Where a worker signs up for a posting: the kiosk's job board, or the windows serving
    the service whose check-in creates a task order (招工), else the service desk."""
    services = hall_config().services
    windows = [str(number) for number, codes in hall_config().windows.items()
               if any(services[code].creates_task for code in codes if code in services)]
    if not windows:
        return "报名：到触屏“我要找活 → 找工作”，或到服务窗口说出招工编号"
    return f"报名：到触屏“我要找活 → 找工作”，或到 {'、'.join(windows)} 号窗口说出招工编号"

