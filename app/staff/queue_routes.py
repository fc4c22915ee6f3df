"""The staff call console: one window, its current ticket, the waiting list, today's figures."""

from flask import abort, render_template, request
from flask_login import current_user

from app import htmx
from app.clock import hall_period, local_today
from app.domain import Conflict
from app.domain.queue import TICKETS
from app.extensions import db
from app.models import TaskOrder, Ticket, utcnow
from app.policy import Audience, allow
from app.services import metrics, queue, task_orders

from .routes import bp

ACTIONS = ("recall", "serve", "done", "no_show", "transfer", "undo")


def _window_or_404(window: int) -> list[str]:
    codes = queue.windows().get(window)
    if codes is None:
        abort(404)
    return codes


def _console(window: int, status: int = 200, error: str | None = None):
    codes = _window_or_404(window)
    today = local_today()
    current = queue.at_window(today, window)
    context = dict(error=error, current=current, allowed=TICKETS.allowed(current.status) if current else [],
                   undo=None if current else queue.undoable(today, window),
                   **_live_context(window, codes))
    return htmx.render("staff/queue.html", "staff/_console.html", status=status, **context)


def _live_context(window: int, codes: list[str]) -> dict:
    today = hall_period()
    return dict(window=window, codes=codes, services=queue.services(), now=utcnow(),
                waiting=queue.waiting(today.first_day), figures=metrics.queue_figures(today),
                hourly=metrics.queue_hourly(today))


@bp.get("/queue")
@allow(Audience.STAFF, Audience.MANAGER)
def queue_windows():
    return render_template("staff/queue_windows.html", windows=queue.windows(),
                           services=queue.services())


@bp.get("/queue/<id:window>")
@allow(Audience.STAFF, Audience.MANAGER)
def queue_console(window: int):
    return _console(window)


@bp.get("/queue/<id:window>/live")
@allow(Audience.STAFF, Audience.MANAGER)
def queue_live(window: int):
    """The polled part: waiting list and today's figures."""
    codes = _window_or_404(window)
    if not htmx.wants_fragment():
        return htmx.redirect_to("staff.queue_console", window=window)
    return render_template("staff/_queue_live.html", **_live_context(window, codes))


def _after(window: int, error: str | None = None, conflict: bool = False):
    """htmx: the console swapped in place; plain form posts: 303 back to the console."""
    if htmx.is_htmx() or conflict:
        return _console(window, 409 if conflict else 200, error)
    return htmx.redirect_to("staff.queue_console", window=window)


@bp.post("/queue/<id:window>/call-next")
@allow(Audience.STAFF, Audience.MANAGER)
def queue_call_next(window: int):
    _window_or_404(window)
    try:
        called = queue.call_next(local_today(), window, current_user.id)
    except Conflict as err:
        return _after(window, err.message, conflict=True)
    if called is None and htmx.is_htmx():
        return _console(window, error="现在没有等候的号，请稍后再叫")
    return _after(window)


@bp.post("/queue/<id:window>/tickets/<id:ticket_id>/<action>")
@allow(Audience.STAFF, Audience.MANAGER)
def queue_act(window: int, ticket_id: int, action: str):
    _window_or_404(window)
    if action not in ACTIONS:
        abort(404)
    ticket = db.get_or_404(Ticket, ticket_id)
    try:
        if action == "undo":
            queue.undo(ticket, current_user.id, window)
        else:
            queue.act(ticket, action, current_user.id, window, request.form.get("to_service"))
    except Conflict as err:
        return _after(window, err.message, conflict=True)
    return _after(window)


@bp.post("/queue/<id:window>/task-orders/<id:task_id>/<decision>")
@allow(Audience.STAFF, Audience.MANAGER)
def queue_review_task(window: int, task_id: int, decision: str):
    if decision not in ("publish", "reject"):
        abort(404)
    _window_or_404(window)
    task = db.get_or_404(TaskOrder, task_id)
    try:
        task_orders.review(task, decision == "publish", current_user.id, window)
    except Conflict as err:
        return _after(window, err.message, conflict=True)
    return _after(window)
