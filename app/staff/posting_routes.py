"""招工信息: the postings console. The list (tabs 待审核 / 在招 / 已结束 / 虚假, search by
number or place), entering a posting from a phone call or for an enterprise (G1), a
posting's page with its discrimination flags, audit trail and deals, and one POST per
allowed step (publish, reject, close, void, confirm false), all through
``app.services.task_orders``. Voiding and confirming false cannot be undone: they ask on a
page of their own. A worker record is confirmed false from the worker's page. Staff and
the manager act; the assessor reads the list and the pages, employers masked, no buttons."""

from flask import flash, render_template, request, url_for
from flask_login import current_user

from app import htmx
from app.clock import local_today
from app.domain import Conflict, Invalid, InvalidFields
from app.domain.deals import FalseKind, PostingSource, place_outside_fujian
from app.domain.masking import mask_name
from app.domain.postings import FIELDS, REQUIREMENTS_MAX, STAFF_SOURCES, read_posting
from app.domain.task_orders import TASK_ORDERS
from app.extensions import db
from app.forms import checked_form_key, new_form_key
from app.hall_config import hall
from app.models import EmployerType, Role, TaskOrder, Worker
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import audit, dispute_console, posting_console, task_orders
from app.services.deal_slips import employer_shown

from .routes import bp, take_step, worker_page

# The window's check-in draft (staff/_task_order.html) shows the same flags before 发布.
bp.app_context_processor(lambda: {"posting_flags": posting_console.flags})


def _can_act() -> bool:
    return current_user.role in (Role.STAFF, Role.MANAGER)


# -- the list -----------------------------------------------------------------------------------

@bp.get("/postings", endpoint="postings")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def postings_list():
    tab = request.args.get("tab", "review")
    tab = tab if tab in posting_console.TABS else "review"
    query = " ".join(request.args.get("q", "").split())[:40]
    today = local_today()
    rows, total = posting_console.console_list(tab, query, today)
    return render_template("staff/postings.html", tab=tab, tabs=posting_console.TABS, q=query, rows=rows,
                           total=total, limit=posting_console.LIST_LIMIT, today=today, can_act=_can_act(),
                           employer_shown=employer_shown, state=posting_console.board_state,
                           flags=posting_console.flags, is_late=task_orders.is_late,
                           late_hours=task_orders.late_hours, sources=PostingSource)


# -- entry by phone or for an enterprise --------------------------------------------------------

def _entry_page(values: dict, errors: dict, status: int = 200):
    return render_template("staff/posting_new.html", values=values, errors=errors,
                           sources=STAFF_SOURCES, employer_types=list(EmployerType),
                           today=local_today().isoformat(), requirements_max=REQUIREMENTS_MAX), status


@bp.route("/postings/new", methods=["GET", "POST"])
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
@no_store
def posting_new():
    if request.method == "GET":
        return _entry_page({"form_key": new_form_key(), "source": PostingSource.PHONE.value,
                            "employer_type": "individual", "duration_days": "1", "pay_unit": "day"}, {})
    values = {name: request.form.get(name, "") for name in (*FIELDS, "form_key")}
    try:
        form_key = checked_form_key(values["form_key"])
    except Invalid as err:
        values["form_key"] = new_form_key()
        return _entry_page(values, {"form_key": err.message}, 422)
    try:
        source, data = read_posting(values, today=local_today(), trade_codes=set(hall().trades_by_code))
        task = task_orders.create_posting(data, source=source, user=current_user, form_key=form_key)
    except InvalidFields as err:
        db.session.rollback()
        return _entry_page(values, err.errors, 422)
    flash(f"已登记招工信息 {task.number}（{PostingSource(task.source).label}），待审核：请核对后发布", "ok")
    return htmx.redirect_to("staff.posting_detail", task_id=task.id)


@bp.get("/postings/outside-fujian")
@allow(Audience.STAFF, Audience.MANAGER)
def posting_outside_fujian():
    """The 省外 box ticked as suggested for the workplace just typed (the entry form asks
    when the place changes; staff can change the box)."""
    suggested = place_outside_fujian(request.args.get("location", "")[:100])
    return render_template("staff/_posting_outside_fujian.html", checked=suggested, suggested=suggested)


# -- a posting ----------------------------------------------------------------------------------

def _detail(task: TaskOrder, status: int = 200, *, step: str | None = None, values=None, errors=None):
    can_act = _can_act()
    taken = posting_console.deals_of(task)
    deals = [(deal, f"{mask_name(deal.worker.name)}（{deal.worker.number}）") for deal in taken]
    # Reasons staff wrote, as the assessor reads them: the names the posting knows masked,
    # long numbers (phones, ID numbers) hidden.
    known = {task.employer.contact_name, task.employer.employer_name, *(d.worker.name for d in taken)}
    return render_template(
        "staff/posting_detail.html", task=task, can_act=can_act,
        actions=TASK_ORDERS.allowed(task.status) if can_act else [], labels=TASK_ORDERS,
        flags=posting_console.flags(task), trail=audit.trail_of(task), deals=deals,
        state=posting_console.board_state(task, local_today()), late_hours=task_orders.late_hours(task),
        is_late=task_orders.is_late(task), false_record=task_orders.false_record(FalseKind.POSTING, task.id),
        employer=task.employer, employer_shown=employer_shown(task),
        contact=mask_name(task.employer.contact_name),
        source=PostingSource(task.source), valid_days=hall().posting_valid_days,
        said=(lambda text: text or "") if can_act else lambda text: dispute_console.masked_text(text, known),
        step=step, values=values or {}, errors=errors or {}), status


@bp.get("/postings/<id:task_id>")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def posting_detail(task_id: int):
    return _detail(db.get_or_404(TaskOrder, task_id))


def _step(task_id: int, action: str, names: tuple[str, ...], run, done: str):
    """One step of a posting (``take_step``), then back to it; ``done`` may name the posting."""
    return take_step(db.get_or_404(TaskOrder, task_id), action, names, run, _detail,
                     lambda task: done.format(task=task), "staff.posting_detail", task_id=task_id)


def _valid_days(raw: str) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 90:
        raise InvalidFields({"valid_days": "有效天数应为 1 到 90 之间的整数；不填则按大厅设置"})
    return int(text)


@bp.post("/postings/<id:task_id>/publish")
@allow(Audience.STAFF, Audience.MANAGER)
def posting_publish(task_id: int):
    def run(task, v):
        task_orders.publish_posting(task, current_user, valid_days=_valid_days(v["valid_days"]))

    return _step(task_id, "publish", ("valid_days",), run,
                 "已发布 {task.number}，在招工板上显示到 {task.valid_until}（含当天）")


@bp.post("/postings/<id:task_id>/reject")
@allow(Audience.STAFF, Audience.MANAGER)
def posting_reject(task_id: int):
    return _step(task_id, "reject", (), lambda task, v: task_orders.reject(task, current_user),
                 "已决定 {task.number} 不予发布")


@bp.post("/postings/<id:task_id>/close")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def posting_close(task_id: int):
    if request.form.get("confirm") != "yes":
        return _confirmed(task_id, "close", ("reason",),
                          lambda v: task_orders.clean_reason(v["reason"], "下架的原因"),
                          "下架招工信息 {task.number}",
                          ["它从招工板和大厅屏幕上撤下，零工不能再报名，已接单的交易照常办理；",
                           "它仍计入发布岗位数（C2）；",
                           "此操作不能撤销。如需再招，请重新登记招工信息。"], "确认下架")
    return _step(task_id, "close", ("reason",),
                 lambda task, v: task_orders.close(task, v["reason"], current_user),
                 "已下架 {task.number}，它已离开招工板")


def _confirmed(task_id: int, action: str, names: tuple[str, ...], check, title: str,
               consequences: list[str], label: str):
    """The first POST checks the fields and asks on a page of its own; the second, with
    ``confirm=yes`` from that page, acts."""
    task = db.get_or_404(TaskOrder, task_id)
    values = {name: request.form.get(name, "") for name in names}
    try:
        check(values)
    except InvalidFields as err:
        return _detail(task, 422, step=action, values=values, errors=err.errors)
    said = [f"记录{word}：{values[name]}" for name, word in (("reason", "原因"), ("evidence", "证据"))
            if name in values]
    return render_template("staff/confirm.html", title=title.format(task=task),
                           consequences=[*consequences, *said],
                           confirm_endpoint=f"staff.posting_{action}", confirm_values={"task_id": task.id},
                           confirm_hidden={**values, "confirm": "yes"}, confirm_label=label,
                           cancel_url=url_for("staff.posting_detail", task_id=task.id))


@bp.post("/postings/<id:task_id>/void")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def posting_void(task_id: int):
    if request.form.get("confirm") != "yes":
        return _confirmed(task_id, "void", ("reason",),
                          lambda v: task_orders.clean_reason(v["reason"], "作废的原因"),
                          "作废招工信息 {task.number}",
                          ["它从招工板和大厅屏幕上撤下，零工不能再报名；",
                           "它不计入发布岗位数（C2），只保留记录和作废原因；",
                           "此操作不能撤销。登记有误的才作废；招满或不再招人的请用“下架”。"], "确认作废")
    return _step(task_id, "void", ("reason",),
                 lambda task, v: task_orders.void(task, v["reason"], current_user), "已作废 {task.number}")


@bp.post("/postings/<id:task_id>/false")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def posting_false(task_id: int):
    if request.form.get("confirm") != "yes":
        return _confirmed(task_id, "false", ("reason", "evidence"),
                          lambda v: task_orders.clean_false_reasons(v["reason"], v["evidence"]),
                          "确认招工信息 {task.number} 为虚假信息",
                          ["它立即从招工板和大厅屏幕上撤下，零工不能再报名；",
                           "记入虚假信息处置（C4），不计入发布岗位数（C2）；",
                           "认定理由和证据随记录永久保存，此操作不能撤销。"], "确认为虚假信息")

    def run(task, v):
        task_orders.mark_false(FalseKind.POSTING, task, v["reason"], v["evidence"], current_user)

    return _step(task_id, "false", ("reason", "evidence"), run, "已确认 {task.number} 为虚假信息，已撤下")


# -- a worker record confirmed false ------------------------------------------------------------

@bp.post("/workers/<id:worker_id>/false")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def worker_false(worker_id: int):
    worker = db.get_or_404(Worker, worker_id)
    values = {name: request.form.get(name, "") for name in ("reason", "evidence")}
    try:
        task_orders.clean_false_reasons(values["reason"], values["evidence"])
        if request.form.get("confirm") != "yes":
            return render_template(
                "staff/confirm.html", title=f"确认零工 {worker.number} 的登记信息为虚假信息",
                consequences=["本人不能再在终端或窗口报名接单；",
                              "记入虚假信息处置（C4），认定理由和证据随记录永久保存；",
                              "已接的交易不受影响，请逐一核实处理。此操作不能撤销；",
                              f"记录原因：{values['reason']}", f"记录证据：{values['evidence']}"],
                confirm_endpoint="staff.worker_false", confirm_values={"worker_id": worker.id},
                confirm_hidden={**values, "confirm": "yes"}, confirm_label="确认为虚假信息",
                cancel_url=url_for("staff.worker_detail", worker_id=worker.id))
        task_orders.mark_false(FalseKind.WORKER, worker, values["reason"], values["evidence"], current_user)
    except InvalidFields as err:
        db.session.rollback()
        return worker_page(worker, 422, values=values, errors=err.errors)
    except Conflict as err:
        db.session.rollback()
        return worker_page(worker, 409, values=values, errors={"false_form": err.message})
    flash(f"已确认零工 {worker.number} 的登记信息为虚假信息", "ok")
    return htmx.redirect_to("staff.worker_detail", worker_id=worker.id)
