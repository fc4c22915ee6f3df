"""Pages people open on their own phone from the QR on their slip."""

from flask import Blueprint, abort, render_template, request

from app import htmx
from app.clock import local_today
from app.policy import Audience, allow
from app.security import no_store
from app.services import queue, slips, workers
from app.template_helpers import cn_date

bp = Blueprint("public", __name__)


class SlipReplaced(Exception):
    """An older slip's QR: the record it opened now has a newer slip."""


def _worker_or_404(token: str):
    worker = workers.by_token(token)
    if worker is None:
        if slips.was_replaced(token):
            raise SlipReplaced()
        abort(404)
    return worker


def _gone(message: str, detail: str):
    """Why this QR no longer opens anything, and what to do: nothing leads to kiosk screens."""
    body, status = htmx.render("public/gone.html", "public/_gone.html", status=410,
                               message=message, detail=detail)
    # 286 ends an htmx poll (the ticket page's) that reaches a ticket of an earlier day.
    return body, (286 if htmx.wants_fragment() else status)


@bp.errorhandler(SlipReplaced)
def _replaced(_err):
    return _gone("这张凭条已被新的凭条替换，请使用最新的凭条",
                 "每次登记或更新信息都会打印一张新凭条，旧凭条上的二维码随之失效。"
                 "找不到新凭条时，请带身份证到服务窗口补打。")


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
    if ticket.day < local_today():
        return _gone(f"这是{cn_date(ticket.day)}的排队号，已经作废",
                     "排队号只在取号当天有效。如需办理，请到大厅重新取号。")
    context = {"ticket": ticket, "ahead": queue.waiting_ahead(ticket), "token": token,
               "service": queue.services()[ticket.service_code]}
    body, status = htmx.render("public/ticket.html", "public/_ticket_status.html", **context)
    # 286 tells htmx to stop polling: nothing changes after done or no-show.
    return body, (286 if htmx.wants_fragment() and not ticket.status.is_open else status)
