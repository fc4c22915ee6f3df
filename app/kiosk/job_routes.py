"""我要找活 → 找工作 at the kiosk: the job board (also on its own address for a screen that
only shows jobs), and applying for a posting: recognising a registered worker (their slip's
QR on the scanner, or their ID number and the last four digits of their phone), the review
with the pay, and the application with its slip. Thin routes: the rules are
``app.services.deals`` (acceptance, the worker's price confirmation) and
``app.services.task_orders`` (the board)."""

import re

from flask import abort, request, url_for

from app.clock import local_today
from app.domain import Conflict, Invalid
from app.domain.deals import NOT_OPEN, ConfirmedVia, DealSource, DealStatus, Side
from app.domain.idcard import parse_id_number
from app.domain.masking import mask_name
from app.extensions import db
from app.forms import first_errors, new_form_key
from app.models import TaskOrder, Worker
from app.policy import Audience, allow
from app.security import checks_characters, client_address, no_store
from app.services import deal_slips, deals, printing, slips, task_orders, workers
from app.services.printing import slip_can_print
from app.terminals import current_terminal

from . import bp, step
from .dispute_forms import slip_worker
from .job_forms import JobApplyForm

PER_PAGE = 4  # four large cards fit a portrait 1080×1920 screen (and two rows of two, landscape)
NOT_FOUND = "没有找到您的登记信息，请先登记"
HOW_TO_IDENTIFY = "请扫登记凭条上的二维码，或输入身份证号码和手机号后4位"
LAST4_NEEDED = "请输入登记时所留手机号码的后4位数字"
LAST4 = re.compile(r"\d{4}")
BOARD = "board"  # the second screen: its idle timer and its 返回 go back to the board


def _step(partial: str, status: int = 200, screen: str | None = None, **context):
    """A step of the board or of applying; on the second screen (``screen=board``, carried
    in the links and forms) its idle timer and its 返回 go back to the board."""
    if screen is None:
        screen = BOARD if request.values.get("screen") == BOARD else ""
    home = url_for("kiosk.board") if screen == BOARD else url_for("kiosk.start")
    return step(partial, status, screen=screen, home_url=home, **context)


@bp.get("/worker")
@allow(Audience.KIOSK)
def worker_menu():
    """我要找活: find a job (the board), or register (the privacy notice, then the form)."""
    return step("kiosk/_worker_menu.html")


def _board(endpoint: str):
    number = request.args.get("page", 1, type=int) or 1
    found = task_orders.board_page(local_today(), request.args.get("trade") or None, number, PER_PAGE)
    return _step("kiosk/_jobs.html", screen=BOARD if endpoint == "kiosk.board" else "", board=found,
                 endpoint=endpoint)


@bp.get("/jobs")
@allow(Audience.KIOSK)
def jobs():
    return _board("kiosk.jobs")


@bp.get("/board")
@allow(Audience.KIOSK)
def board():
    """The board on a screen that only shows jobs: idle, it comes back here, not to the start."""
    return _board("kiosk.board")


def _posting(task_id: int) -> TaskOrder:
    task = db.session.get(TaskOrder, task_id)
    if task is None:
        abort(404)
    return task


def _gone(message: str):
    return _step("kiosk/_job_refused.html", 409, message=message)


def _recognise(form: JobApplyForm) -> tuple[Worker | None, dict[str, str]]:
    """The worker behind the scanned slip, else behind the ID number with their phone's last
    four digits. An unknown number and a wrong last four get the same answer: the kiosk
    never tells who is registered."""
    if (scanned := (form.slip.data or "").strip()):
        try:
            worker = slip_worker(scanned, NOT_FOUND)
        except Invalid as err:
            return None, {"slip": err.message}
        form.slip.data = worker.qr_token
        return worker, {}
    if not (form.id_number.data or "").strip() and not (form.phone_last4.data or "").strip():
        return None, {"slip": HOW_TO_IDENTIFY}
    try:
        number = parse_id_number(form.id_number.data)
    except Invalid as err:
        return None, {"id_number": err.message}
    last4 = (form.phone_last4.data or "").strip()
    if not LAST4.fullmatch(last4):
        return None, {"phone_last4": LAST4_NEEDED}
    try:
        worker = workers.check_worker(number.number, last4, client_address())
    except Invalid as err:
        return None, {"id_number": err.message}
    if worker is None:
        return None, {"id_number": NOT_FOUND}
    form.id_number.data = number.number
    return worker, {}


def _read(task: TaskOrder):
    """The posted form and the worker it recognises; or the form again, 422, with what to fix."""
    form = JobApplyForm()
    if not form.validate():
        return form, None, _form(task, form, 422, first_errors(form))
    worker, errors = _recognise(form)
    return form, worker, _form(task, form, 422, errors) if worker is None else None


def _form(task: TaskOrder, form: JobApplyForm, status: int = 200, errors: dict | None = None):
    return _step("kiosk/_job_apply.html", status, task=task, form=form, errors=errors or {},
                 not_found=NOT_FOUND in (errors or {}).values())


@bp.get("/jobs/<id:task_id>/apply")
@allow(Audience.KIOSK)
@no_store
def job_apply_form(task_id: int):
    task = _posting(task_id)
    if not task_orders.is_on_board(task, local_today()):
        return _gone(NOT_OPEN)
    return _form(task, JobApplyForm(formdata=None, form_key=new_form_key()))


@bp.post("/jobs/<id:task_id>/apply/review")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def job_apply_review(task_id: int):
    """识别: the slip scanner's Enter, or 下一步 after the keypad. Recognised: the masked
    name, the posting and its pay, and one button to accept the pay and apply."""
    task = _posting(task_id)
    if not task_orders.is_on_board(task, local_today()):
        return _gone(NOT_OPEN)
    form, worker, refused = _read(task)
    if refused:
        return refused
    form.form_key.data = new_form_key()  # the confirmation's own key: it applies once
    return _step("kiosk/_job_review.html", task=task, form=form, masked_name=mask_name(worker.name))


@bp.post("/jobs/<id:task_id>/apply")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def job_apply(task_id: int):
    """接受工价，确认报名: the acceptance and the worker's price confirmation at the posting's
    pay, and the application slip on this kiosk's printer. The same form sent again shows
    the same deal."""
    task = _posting(task_id)
    form, worker, refused = _read(task)
    if refused:
        return refused
    terminal = current_terminal()
    try:
        deal = deals.accept(
            task, worker, source=DealSource.KIOSK, terminal=terminal.name, form_key=form.form_key.cleaned,
            print_slip=lambda d: printing.enqueue(**deal_slips.application_slip(d, slips.public_base_url()),
                                                  printer=terminal.printer))
        # The worker accepted the posting's pay, as the review showed it: a form sent again
        # after staff changed the deal's price confirms nothing the worker did not see.
        seen = (deal.pay, deal.pay_unit) == (task.pay, task.pay_unit)
        if deal.status == DealStatus.ACCEPTED and seen and not deal.price_confirmed_by(Side.WORKER):
            deal = deals.confirm_price(deal, Side.WORKER, deal.pay, deal.pay_unit, ConfirmedVia.KIOSK)
    except Conflict as err:
        return _gone(err.message)
    # Answered directly (not 303), like the other kiosk done screens: no-store keeps it out
    # of history, and the same form sent again shows the same deal.
    return _step("kiosk/_job_done.html", deal=deal, task=deal.task_order,
                 deal_url=deal_slips.deal_url(deal.worker_token, slips.public_base_url()),
                 slip_prints=slip_can_print(deal_slips.deal_subject(deal)))
