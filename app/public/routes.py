"""Pages people open on their own phone from the QR on their slip."""

from flask import Blueprint, abort, render_template, request

from app import htmx
from app.clock import local_today
from app.policy import Audience, allow
from app.security import no_store
from app.services import queue, workers

bp = Blueprint("public", __name__)


def _worker_or_404(token: str):
    worker = workers.by_token(token)
    if worker is None:
        abort(404)
    return worker


@bp.get("/w/<token>")
@allow(Audience.PUBLIC)
@no_store
def my_record(token: str):
    worker = _worker_or_404(token)
    return render_template("public/my_record.html", worker=worker,
                           info=workers.card(worker, local_today()), token=token)


@bp.post("/w/<token>/delete")
@allow(Audience.PUBLIC)
@no_store
def request_deletion(token: str):
    """Two steps: the first POST only asks (what will be deleted, 确认 / 取消); the POST
    with ``confirm=yes`` from that page files the request."""
    worker = _worker_or_404(token)
    if request.form.get("confirm") != "yes":
        return render_template("public/confirm_deletion.html", token=token,
                               info=workers.card(worker, local_today()))
    workers.request_deletion(worker)
    return render_template("public/my_record.html", worker=worker,
                           info=workers.card(worker, local_today()), token=token, just_requested=True)



@bp.get("/q/<token>")
@allow(Audience.PUBLIC)
@no_store
def ticket_status(token: str):
    """An employer's ticket, live: position, and the window once called."""
    ticket = queue.by_token(token)
    if ticket is None:
        abort(404)
    context = {"ticket": ticket, "ahead": queue.waiting_ahead(ticket), "token": token,
               "service": queue.services()[ticket.service_code]}
    body, status = htmx.render("public/ticket.html", "public/_ticket_status.html", **context)
    # 286 tells htmx to stop polling: nothing changes after done or no-show.
    return body, (286 if htmx.wants_fragment() and not ticket.status.is_open else status)
