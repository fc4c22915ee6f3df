"""交易: the deal console. The list (进行中 by state, 已完成, 已取消, 省际建议), staff's match of
a registered worker to a posting, a deal's page with what was recorded at each step (who and
when) and one POST per step the deal allows now: price, insurance, employer payment, wage
settlement, completion, cancellation (asked on a page of its own), a note, and the
inter-provincial decision. The agreement is signed on its own page. Staff and the manager
act; the assessor reads every deal, names masked, and cannot act."""

from flask import flash, render_template, request, url_for
from flask_login import current_user

from app import htmx
from app.clock import local_now, local_today
from app.domain import Conflict, Invalid
from app.domain.deals import DEAL, ConfirmedVia, DealSource, DealStatus, NoteKind, Side
from app.domain.disputes import PaymentMethod
from app.domain.task_orders import PayUnit
from app.extensions import db
from app.forms import checked_form_key, new_form_key
from app.hall_config import hall
from app.models import Deal, Role, TaskOrder, Worker
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import deal_console, deal_seal, deal_slips, deals, printing, slips, workers
from app.terminals import current_terminal

from .routes import bp

REASON_MAX = deals.REASON_MAX
# The choices of the step forms, as (value, label).
CHOICES = {name: [(o.value, o.label) for o in enum] for name, enum in
           (("side", Side), ("unit", PayUnit), ("method", PaymentMethod), ("kind", NoteKind))}


def _can_act() -> bool:
    return current_user.role in (Role.STAFF, Role.MANAGER)


def _base() -> str:
    return slips.public_base_url()


def _print(job: dict) -> None:
    """A deal's slip on this desk's printer, in the step's own transaction."""
    printing.enqueue(**job, printer=current_terminal().printer, requested_by_id=current_user.id)


# -- the list -----------------------------------------------------------------------------

@bp.get("/deals", endpoint="deals")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def deals_list():
    shown = deal_console.Shown.of(request.args.get("show"))
    state = deal_console.open_state(request.args.get("state")) if shown == deal_console.Shown.OPEN else None
    query = deal_console.clean_query(request.args.get("q"))
    raw = request.args.get("page", "")
    number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    found = deal_console.page(shown, state, number, query, by_name=_can_act())
    return render_template("staff/deals.html", shown=shown, shown_labels=deal_console.Shown.LABELS,
                           state=state, q=query, found=found,
                           counts=deal_console.open_counts(), suggested=deal_console.suggested_count(),
                           can_act=_can_act())


# -- staff's match ---------------------------------------------------------------------------

def _posting_or_404(raw) -> TaskOrder:
    return db.get_or_404(TaskOrder, int(raw) if str(raw or "").isdigit() and len(str(raw)) <= 9 else 0)


def _match_page(task: TaskOrder, query: str = "", errors: dict | None = None, status: int = 200,
                form_key: str | None = None):
    found = [workers.card(w, local_today()) for w in workers.search(query, limit=20)] if query else []
    trade = hall().trades_by_code.get(task.trade_code)
    return render_template("staff/deal_new.html", task=task, q=query, found=found, errors=errors or {},
                           trade_name=trade.name if trade else "",
                           form_key=form_key or new_form_key(),
                           deals=deal_console.of_posting(task)), status


@bp.route("/deals/new", methods=["GET", "POST"], endpoint="deal_new")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def deal_new():
    """The posting, and a search for the worker to match (POSTed: an ID number stays out of
    URLs and logs); each worker found has a button 撮合 to ``deal_create``."""
    task = _posting_or_404(request.values.get("posting"))
    query = request.form.get("q", "")[:40] if request.method == "POST" else ""
    return _match_page(task, query)


# The list's address: OPTIONS answers for the list (which the assessor may read), not for this.
@bp.post("/deals", endpoint="deal_create", provide_automatic_options=False)
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def deal_create():
    task = _posting_or_404(request.form.get("posting"))
    raw = request.form.get("worker", "")
    worker = db.session.get(Worker, int(raw)) if raw.isdigit() and len(raw) <= 9 else None
    if worker is None:
        return _match_page(task, errors={"worker": "请先查找并选择要撮合的零工"}, status=422)
    try:
        form_key = checked_form_key(request.form.get("form_key"))
    except Invalid as err:
        return _match_page(task, errors={"worker": err.message}, status=422)
    try:
        deal = deals.accept(task, worker, source=DealSource.STAFF, user=current_user, form_key=form_key,
                            print_slip=lambda d: _print(deal_slips.application_slip(d, _base())))
    except Conflict as err:
        db.session.rollback()
        return _match_page(db.get_or_404(TaskOrder, task.id), errors={"worker": err.message}, status=409)
    flash(f"已撮合 {deal.number}：{deal_console.row(deal).worker} 接单，报名凭条已送打印，请交给零工。"
          "下一步：请双方确认价格", "ok")
    return htmx.redirect_to("staff.deal_detail", deal_id=deal.id)


# -- a deal ------------------------------------------------------------------------------------

def _detail(deal: Deal, status: int = 200, *, step: str | None = None, values=None, errors=None):
    can_act = _can_act()
    now = local_now()
    return render_template(
        "staff/deal_detail.html", deal=deal, row=deal_console.row(deal), parties=deals.parties_masked(deal),
        can_act=can_act, actions=DEAL.allowed(deal.status) if can_act else [],
        history=deal_console.history(deal), cases=deal_console.cases_of(deal),
        undecided=deal_console.inter_provincial_undecided(deal),
        reasons=deal_console.inter_provincial_reasons(deal), options=CHOICES, sides=list(Side), step=step,
        values=values or {}, errors=errors or {}, reason_max=REASON_MAX, now_date=now.date().isoformat(),
        now_time=now.strftime("%H:%M"), verdict=deal_seal.verify(deal) if deal.agreement_content else None,
        jobs=printing.jobs_for(deal_slips.deal_subject(deal)) if can_act else [],
        redact=lambda text: deal_console.redact(deal, text)), status


@bp.get("/deals/<id:deal_id>")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def deal_detail(deal_id: int):
    return _detail(db.get_or_404(Deal, deal_id))


def _step(deal_id: int, action: str, names: tuple[str, ...], run, done: str):
    """One step: the form's checks answered beside their fields (422, nothing written), a
    refusal by the workflow or a colleague's step a moment earlier with its reason (409),
    else back to the deal."""
    deal = db.get_or_404(Deal, deal_id)
    values = {name: request.form.get(name, "") for name in names}
    try:
        message = run(deal, values)
    except Invalid as err:
        db.session.rollback()
        return _detail(db.get_or_404(Deal, deal_id), 422, step=action, values=values, errors=err.errors)
    except Conflict as err:
        db.session.rollback()
        return _detail(db.get_or_404(Deal, deal_id), 409, step=action, values=values,
                       errors={"form": err.message})
    flash(message or done, "ok")
    return htmx.redirect_to("staff.deal_detail", deal_id=deal_id)


@bp.post("/deals/<id:deal_id>/price")
@allow(Audience.STAFF, Audience.MANAGER)
def deal_price(deal_id: int):
    def run(deal, v):
        DEAL.apply(deal.status, "confirm_price")  # out of order: refused before the form is read
        price = deal_console.read_price(v)
        deal = deals.confirm_price(deal, price.side, price.pay, price.unit, ConfirmedVia.STAFF, current_user)
        if deal.status == DealStatus.PRICED:
            return "双方已确认价格。下一步：请双方在触屏上签订劳务协议"
        return f"已登记{price.side.label}确认价格，还需另一方确认同一价格"

    return _step(deal_id, "price", ("side", "pay", "pay_unit"), run, "")


@bp.post("/deals/<id:deal_id>/insure")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def deal_insure(deal_id: int):
    def run(deal, v):
        DEAL.apply(deal.status, "insure")
        deals.insure(deal, **deal_console.read_insurance(v), user=current_user)

    return _step(deal_id, "insure", ("insurer", "policy_number", "premium", "cover_from", "cover_to",
                                     "uninsured", "uninsured_reason"), run,
                 "已登记保险。下一步：登记雇主付款")


PAYMENT_FIELDS = ("amount", "method", "reference", "on", "time")


@bp.post("/deals/<id:deal_id>/pay")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def deal_pay(deal_id: int):
    def run(deal, v):
        DEAL.apply(deal.status, "pay")
        paid = deal_console.read_payment(v, "付款")
        deals.pay(deal, amount=paid["amount"], method=paid["method"], reference=paid["reference"],
                  paid_at=paid["at"], user=current_user)

    return _step(deal_id, "pay", PAYMENT_FIELDS, run, "已登记雇主付款。下一步：登记工资结算")


@bp.post("/deals/<id:deal_id>/settle")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def deal_settle(deal_id: int):
    """The wage paid to the worker; the worker's settlement slip is printed at this desk."""
    def run(deal, v):
        DEAL.apply(deal.status, "settle")
        paid = deal_console.read_payment(v, "结算")
        # the slip is queued after the step's own commit: it shows what was recorded
        deal = deals.settle(deal, amount=paid["amount"], method=paid["method"], reference=paid["reference"],
                            settled_at=paid["at"], user=current_user)
        _print(deal_slips.settlement_slip(deal, _base()))
        db.session.commit()

    return _step(deal_id, "settle", PAYMENT_FIELDS, run,
                 "已登记工资结算，工资结算凭条已送打印，请交给零工。下一步：确认交易完成")


@bp.post("/deals/<id:deal_id>/complete")
@allow(Audience.STAFF, Audience.MANAGER)
def deal_complete(deal_id: int):
    def run(deal, v):
        deals.complete(deal, current_user)

    return _step(deal_id, "complete", (), run, "交易已完成（计入已完成交易）")


@bp.post("/deals/<id:deal_id>/cancel")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def deal_cancel(deal_id: int):
    """Two steps: the reason, then a page of its own that says what cancelling does (确认 /
    取消); the POST with ``confirm=yes`` from that page cancels."""
    deal = db.get_or_404(Deal, deal_id)
    reason = request.form.get("reason", "")
    if request.form.get("confirm") != "yes":
        try:
            DEAL.apply(deal.status, "cancel")
            deals.cancel_reason(reason)
        except Invalid as err:
            return _detail(deal, 422, step="cancel", values={"reason": reason}, errors=err.errors)
        except Conflict as err:
            return _detail(deal, 409, step="cancel", values={"reason": reason}, errors={"form": err.message})
        return render_template(
            "staff/confirm.html", title=f"取消交易 {deal.number}",
            consequences=[f"交易状态改为“已取消”（当前：{deal.status.label}），之后不能再办理；",
                          f"名额退回岗位 {deal.task_order.number}，其他零工可以报名；",
                          f"取消原因：{reason.strip()}", "此操作不能撤销。"],
            confirm_endpoint="staff.deal_cancel", confirm_values={"deal_id": deal.id},
            confirm_hidden={"reason": reason}, confirm_label="确认取消交易",
            cancel_url=url_for("staff.deal_detail", deal_id=deal.id))
    def run(deal, v):
        deals.cancel(deal, v["reason"], current_user)

    return _step(deal_id, "cancel", ("reason",), run, "交易已取消，名额已退回岗位")


@bp.post("/deals/<id:deal_id>/note")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def deal_note(deal_id: int):
    def run(deal, v):
        try:
            kind = NoteKind(v["kind"])
        except ValueError:
            raise Invalid("请选择记录类型", "kind") from None
        deals.add_note(deal, kind, v["text"], current_user)
        return f"已记录{kind.label}"

    return _step(deal_id, "note", ("kind", "text"), run, "")


@bp.post("/deals/<id:deal_id>/inter-provincial")
@allow(Audience.STAFF, Audience.MANAGER)
def deal_inter_provincial(deal_id: int):
    def run(deal, v):
        if v["decision"] not in ("confirm", "dismiss"):
            raise Invalid("请选择确认或排除", "decision")
        confirm = v["decision"] == "confirm"
        deals.decide_inter_provincial(deal, confirm, current_user)
        return "已确认为省际用工服务（计入省际用工服务）" if confirm else "已排除省际用工建议"

    return _step(deal_id, "inter_provincial", ("decision",), run, "")
