"""Staff screens: worker directory, worker detail, the print outbox."""

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app import htmx
from app.clock import local_today
from app.domain import Conflict, Invalid
from app.domain.deals import FalseKind
from app.extensions import db
from app.models import PrinterState, PrintJob, Role, Worker
from app.policy import Audience, allow
from app.security import no_store
from app.services import deal_console, disputes, print_service, printing, task_orders, workers

bp = Blueprint("staff", __name__, url_prefix="/staff")


def alert_line(name: str, alert_for) -> None:
    """Offer the alert bar a lazy line ``name()``: ``alert_for(role)`` for the signed-in
    user, asked only when the bar is drawn; without it when the database is unreachable."""

    def line():
        if not (current_user and current_user.is_authenticated):
            return None
        try:
            return alert_for(current_user.role)
        except SQLAlchemyError:  # the database is unreachable: the bar goes without it
            return None

    bp.app_context_processor(lambda: {name: line})


def take_step(record, action: str, names: tuple[str, ...], run, page, done, endpoint: str, **ids):
    """One step of a record's workflow, sent from a form on its page: ``run(record, values)``
    with the form's ``names``; the service's checks answered beside their fields (422), a
    refusal by the workflow or a race lost to a colleague with its reason (409), both on
    ``page(record, status, step=, values=, errors=)``; else ``done(record)`` is flashed and
    the browser goes back to ``endpoint``."""
    values = {name: request.form.get(name, "") for name in names}
    try:
        run(record, values)
    except Invalid as err:
        db.session.rollback()
        return page(record, 422, step=action, values=values, errors=err.errors)
    except Conflict as err:
        db.session.rollback()
        return page(record, 409, step=action, values=values, errors={"form": err.message})
    flash(done(record), "ok")
    return htmx.redirect_to(endpoint, **ids)


@bp.get("/")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
def home():
    if current_user.role == Role.ASSESSOR:
        return htmx.render("staff/assessor_home.html", "staff/assessor_home.html")
    return htmx.redirect_to("staff.queue_windows")


@bp.route("/workers", methods=["GET", "POST"])
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def worker_list():
    """Recent workers; a search is POSTed so that ID numbers stay out of URLs and logs."""
    query = request.form.get("q", "")[:40] if request.method == "POST" else ""
    found = workers.search(query)
    cards = [workers.card(w, local_today()) for w in found]
    return htmx.render("staff/workers.html", "staff/_worker_results.html", cards=cards, q=query)


@bp.get("/alerts")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
def alerts():
    """The polled alert bar of every staff page (print service, printers, settings)."""
    if not htmx.wants_fragment():
        return htmx.redirect_to("staff.home")
    return render_template("staff/_alerts.html")


@bp.get("/workers/<id:worker_id>")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def worker_detail(worker_id: int):
    return worker_page(db.get_or_404(Worker, worker_id))


def worker_page(worker: Worker, status: int = 200, *, values=None, errors=None):
    """The worker's page; a form on it sent back with ``values`` and ``errors`` beside its fields."""
    jobs = printing.jobs_for(f"worker:{worker.id}")
    return htmx.render("staff/worker_detail.html", "staff/worker_detail.html", status, worker=worker,
                       info=workers.card(worker, local_today()), jobs=jobs, cases=disputes.of_worker(worker),
                       false_record=task_orders.false_record(FalseKind.WORKER, worker.id),
                       deals=deal_console.of_worker(worker), values=values or {},
                       errors=errors or {})


@bp.post("/workers/<id:worker_id>/anonymise")
@allow(Audience.MANAGER)
@no_store
def worker_anonymise(worker_id: int):
    """Two steps: the first POST only shows what will be erased (确认 / 取消); the POST
    with ``confirm=yes`` from that page erases it."""
    worker = db.get_or_404(Worker, worker_id)
    if request.form.get("confirm") != "yes":
        info = workers.card(worker, local_today())
        consequences = [f"删除 {info.number} {info.name} 的姓名、身份证号、手机号、性别、工种和有空时间；",
                        "删除本人的登记凭条内容，以后不能再补打；",
                        "本人手机上的“我的登记信息”页将打不开；",
                        "只保留登记时间，用于统计人数。此操作不能撤销。"]
        return render_template("staff/confirm.html",  # a whole page, as the button is a plain form
                               title=f"删除 {info.number} 的个人信息", consequences=consequences,
                               confirm_endpoint="staff.worker_anonymise",
                               confirm_values={"worker_id": worker.id}, confirm_label="确认删除",
                               cancel_url=url_for("staff.worker_detail", worker_id=worker.id))
    workers.anonymise(worker)
    return htmx.redirect_to("staff.worker_detail", worker_id=worker_id)


@bp.get("/print-jobs")
@allow(Audience.STAFF, Audience.MANAGER)
def print_jobs():
    jobs = printing.recent_jobs()
    states = list(db.session.scalars(select(PrinterState).order_by(PrinterState.name)))
    stopped, since = print_service.stopped_since()
    return htmx.render("staff/print_jobs.html", "staff/_print_jobs.html", jobs=jobs, states=states,
                       service_stopped=stopped, service_since=since,
                       problem_labels=printing.STATE_LABELS)


@bp.post("/printers/<name>/test")
@allow(Audience.STAFF, Audience.MANAGER)
def printer_test(name: str):
    ok, message = printing.test_printer(name[:40])
    flash(message, "ok" if ok else "error")
    return htmx.redirect_to("staff.print_jobs")


@bp.post("/print-jobs/<id:job_id>/reprint")
@allow(Audience.STAFF, Audience.MANAGER)
def print_job_reprint(job_id: int):
    job = db.get_or_404(PrintJob, job_id)
    try:
        printing.reprint(job, current_user.id)
    except printing.ReprintRefused as err:
        abort(409, description=str(err))
    return htmx.redirect_to("staff.print_jobs")


# The call console, 差评回访, 工作日历, 交易, 劳务协议, 纠纷调解, 调解协议, 事件登记, 纠纷与事件统计,
# 招工信息 and 招工与交易统计 register on bp.
from . import (  # noqa: E402,F401
    agreement_routes,
    calendar_routes,
    deal_agreement_routes,
    deal_figures_routes,
    deal_routes,
    dispute_figures_routes,
    dispute_routes,
    follow_up_routes,
    incident_routes,
    posting_routes,
    queue_routes,
)
