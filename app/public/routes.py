"""Pages people open on their own phone from the QR on their slip: the worker's own record
(/w/<token>), a queue ticket's live status (/q/<token>), and the rating page of the one
service the slip is for (/w/<token>/rate, /q/<token>/rate), offered on those pages. A
dispute case's progress page and its rating (/c/<token>) are in case_routes.py, a deal's
(/d/<token>) in deal_routes.py, and the check page of a deal's 劳务协议 (/v/<token>) in
verify_routes.py."""

from flask import Blueprint, abort, render_template, request, url_for

from app import htmx
from app.clock import local_today
from app.domain import InvalidFields
from app.domain.ratings import LEVEL_BY_VALUE, LEVELS, Reason, read_answer
from app.hall_config import hall
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import queue, ratings, slips, workers
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


def _gone(message: str, detail: str, rate: dict | None = None):
    """Why this QR no longer opens anything, and what to do: nothing leads to kiosk screens
    (``rate``: a ticket of an earlier day can still be rated, see ``_rate_offer``)."""
    body, status = htmx.render("public/gone.html", "public/_gone.html", status=410,
                               message=message, detail=detail, rate=rate)
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
                           info=workers.card(worker, local_today()), token=token,
                           rate=_rate_offer("w", token, ratings.registration_service(worker)))


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
                           info=workers.card(worker, local_today()), token=token, just_requested=True,
                           rate=_rate_offer("w", token, ratings.registration_service(worker)))


@bp.get("/q/<token>")
@allow(Audience.PUBLIC)
@no_store
def ticket_status(token: str):
    """An employer's ticket, live: position, and the window once called."""
    ticket = queue.by_token(token)
    if ticket is None:
        abort(404)
    rate = _rate_offer("q", token, ratings.ticket_service(ticket))
    if ticket.day < local_today():
        return _gone(f"这是{cn_date(ticket.day)}的排队号，已经作废",
                     "排队号只在取号当天有效。如需办理，请到大厅重新取号。", rate=rate)
    context = {"ticket": ticket, "ahead": queue.waiting_ahead(ticket), "token": token,
               "service": queue.services()[ticket.service_code], "rate": rate}
    body, status = htmx.render("public/ticket.html", "public/_ticket_status.html", **context)
    # 286 tells htmx to stop polling: nothing changes after done or no-show.
    return body, (286 if htmx.wants_fragment() and not ticket.status.is_open else status)


# -- rating the service a slip is for ------------------------------------------------------

# The rating page of each kind of slip, and the page its QR opens (where the rating is offered).
RATE_PAGES = {"w": "public.rate_registration", "q": "public.rate_ticket", "c": "public.rate_case",
              "d": "public.rate_deal"}
STATUS_PAGES = {"w": ("public.my_record", "返回我的登记信息"), "q": ("public.ticket_status", "返回排队进度"),
                "c": ("public.case_progress", "返回案件进度"), "d": ("public.deal_page", "返回交易进度")}


def _rate_offer(letter: str, token: str, service: ratings.RatedService) -> dict | None:
    """What a slip's own page shows about rating its service: a button to rate it, "rated"
    once it is, nothing while it cannot be rated (a ticket still waiting, an expired link)."""
    if service.not_yet or service.expired:
        return None
    return {"url": url_for(RATE_PAGES[letter], token=token), "rated": ratings.rating_of(service) is not None}


@bp.route("/w/<token>/rate", methods=["GET", "POST"])
@allow(Audience.PUBLIC)
@checks_characters  # a control character in the remark is answered beside the field
@no_store
def rate_registration(token: str):
    """Rating the registration a worker's slip is for."""
    return _rate("w", token)


@bp.route("/q/<token>/rate", methods=["GET", "POST"])
@allow(Audience.PUBLIC)
@checks_characters  # a control character in the remark is answered beside the field
@no_store
def rate_ticket(token: str):
    """Rating the queue ticket (and the window that served it) an employer's slip is for."""
    return _rate("q", token)


def _rate(letter: str, token: str):
    """The one rating of a slip's service: the form (GET), stored once (POST)."""
    service = ratings.service_for(letter, token)
    if service is None:
        if letter == "w" and slips.was_replaced(token):
            raise SlipReplaced()
        abort(404)
    endpoint, back_label = STATUS_PAGES[letter]
    page = {"service": service, "token": token, "letter": letter,
            "back": {"url": url_for(endpoint, token=token), "label": back_label}}
    if service.expired:
        days = hall().rating_slip_days
        return _gone("这张凭条的评价已过期",
                     f"凭条上的服务办理后 {days} 天内可以扫码评价。如有意见或建议，欢迎到大厅服务窗口反映。")
    if (rated := ratings.rating_of(service)) is not None:
        return _already_rated(rated, page)
    if service.not_yet:
        return render_template("public/rate_not_yet.html", **page), 409
    if request.method == "GET":
        return _rate_form(page)
    form = request.form
    try:
        answer = read_answer(_posted_level(), form.get("role", ""), form.getlist("reasons"),
                             form.get("comment", ""), form.get("phone", ""))
    except InvalidFields as err:
        return _rate_form(page, errors=err.errors, status=422)
    try:
        rating = ratings.rate_service(service, answer)
    except ratings.AlreadyRated:  # another phone rated this slip a moment ago
        return _already_rated(ratings.rating_of(service), page)
    return render_template("public/rate_thanks.html", rating=rating, level=answer.level,
                           follow_up_days=hall().follow_up_days, **page)


def _posted_level() -> str:
    """The posted level if it is a short plain number, else "" (refused as no level): 5,000
    digits are more than ``int`` reads (ValueError), and must be a 422, not a crash."""
    raw = request.form.get("level", "").strip()
    return raw if len(raw) <= 2 and raw.isascii() and raw.isdigit() else ""


def _rate_form(page: dict, errors: dict | None = None, status: int = 200):
    form = request.form if request.method == "POST" else {}
    chosen = set(request.form.getlist("reasons")) if request.method == "POST" else set()
    level = LEVEL_BY_VALUE.get(int(_posted_level() or 0)) if request.method == "POST" else None
    return render_template("public/rate.html", levels=LEVELS, reasons=list(Reason), errors=errors or {},
                           chosen_level=level, chosen_reasons=chosen, comment=form.get("comment", ""),
                           phone=form.get("phone", ""), **page), status


def _already_rated(rating, page: dict):
    """Once rated, a slip's page says so and when, and nothing else (not what was said)."""
    return render_template("public/rate_already.html", rated_at=rating.at if rating else None, **page), 409


# /c/<token> (a dispute case), /d/<token> (a deal) and /v/<token> (a deal agreement's check)
# register on bp.
from . import (  # noqa: E402,F401
    case_routes,
    deal_routes,
    verify_routes,
)
