"""纠纷调解: the case console. The list (open cases, the most urgent first), filing an oral
or phone application, a case's page with its timeline, and one POST per step of the
workflow (accept, decline, session, fail, follow-up, perform, refer, withdraw, merge).
The agreement has its own signing page (``staff/_dispute_agreement_panel.html`` is where
it appears). Staff and the manager act; the assessor reads every case, names and phones
masked, and cannot act. The alert bar's line is ``dispute_alert``."""

import re
from datetime import datetime, timedelta

from flask import flash, render_template, request
from flask_login import current_user

from app import htmx
from app.clock import from_local, local_now
from app.domain import Conflict, Invalid, InvalidFields, parse_iso_date
from app.domain.disputes import (
    FACTS_MAX,
    REASON_MAX,
    WANTS_MAX,
    ApplicantRole,
    CaseChannel,
    CaseKind,
    Party,
    read_filing,
)
from app.domain.ratings import LEVEL_BY_VALUE
from app.extensions import db
from app.forms import checked_form_key, new_form_key
from app.models import DisputeCase, Role
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import deal_console, dispute_console, disputes, printing, referrals, slips
from app.template_helpers import cn_date
from app.terminals import current_terminal

from .routes import alert_line, bp, take_step

STAFF_CHANNELS = (CaseChannel.COUNTER, CaseChannel.PHONE)
FILING_FIELDS = ("channel", "applicant_role", "applicant_name", "applicant_phone", "id_number",
                 "other_party_name", "other_party_phone", "other_party_company", "kind", "amount",
                 "facts", "wants")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


alert_line("dispute_alert", dispute_console.alert_for)


# -- the list -----------------------------------------------------------------------------

@bp.get("/disputes", endpoint="disputes")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def disputes_list():
    shown = dispute_console.Shown.of(request.args.get("show"))
    query = dispute_console.clean_query(request.args.get("q"))
    raw = request.args.get("page", "")
    number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    return render_template("staff/disputes.html", shown=shown, shown_labels=dispute_console.Shown.LABELS,
                           q=query, found=dispute_console.page(shown, number, query),
                           counts=dispute_console.open_counts(), can_act=_can_act())


def _can_act() -> bool:
    return current_user.role in (Role.STAFF, Role.MANAGER)


# -- filing at the counter or by phone ----------------------------------------------------------

def _filing_page(values: dict, errors: dict, status: int = 200, deal=None):
    return render_template("staff/dispute_new.html", values=values, errors=errors, channels=STAFF_CHANNELS,
                           roles=list(ApplicantRole), kinds=list(CaseKind), facts_max=FACTS_MAX,
                           wants_max=WANTS_MAX, deal=deal), status


@bp.route("/disputes/new", methods=["GET", "POST"])
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters  # every field is checked by read_filing, which answers beside the field
@no_store
def dispute_new():
    if request.method == "GET":
        # 申请纠纷调解 on a deal's page: the form pre-filled from the deal, linked to it
        deal = deal_console.deal_of(request.args.get("deal"))
        defaults = deal_console.dispute_defaults(deal) if deal else {}
        return _filing_page({"form_key": new_form_key(), **defaults}, {}, deal=deal)
    values = {name: request.form.get(name, "") for name in (*FILING_FIELDS, "form_key", "deal")}
    deal = deal_console.deal_of(values["deal"])
    errors: dict[str, str] = {}
    try:
        form_key = checked_form_key(values["form_key"])
    except Invalid as err:
        values["form_key"] = new_form_key()
        return _filing_page(values, {"form_key": err.message}, 422, deal=deal)
    try:
        channel = CaseChannel(values["channel"])
        if channel not in STAFF_CHANNELS:
            raise ValueError
    except ValueError:
        channel, errors["channel"] = None, "请选择申请方式：窗口口头申请或电话申请"
    known_name, known_phone = (deal_console.known_applicant(deal, values["applicant_role"]) if deal
                               else (None, None))
    try:
        filing = read_filing(values, known_name=known_name, known_phone=known_phone)
    except InvalidFields as err:
        errors.update(err.errors)
    if errors:
        return _filing_page(values, errors, 422, deal=deal)
    # An applicant at the counter takes the same slip as at the kiosk (its QR: the case's page,
    # and later the rating); one who phoned gets theirs with the agreement or the referral.
    at_counter = channel == CaseChannel.COUNTER
    try:
        case = disputes.file_case(filing, channel=channel, form_key=form_key, user=current_user,
                                  slip_printer=current_terminal().printer if at_counter else None, deal=deal)
    except InvalidFields as err:  # an ID number registered under another name
        return _filing_page(values, err.errors, 422, deal=deal)
    slip = "申请凭条已送打印，请交给申请人。" if at_counter else ""
    flash(f"已登记纠纷申请 {case.number}（{channel.label}）。受理期限：{cn_date(case.accept_due)}"
          f"（含当天），请在期限内受理或不予受理。{slip}", "ok")
    return htmx.redirect_to("staff.dispute_detail", case_id=case.id)


# -- a case -------------------------------------------------------------------------------------

def _detail(case: DisputeCase, status: int = 200, *, step: str | None = None, values=None, errors=None,
            phone: tuple[Party, str] | None = None):
    can_act = _can_act()
    ratings = [(Party.APPLICANT if r.service.endswith(":applicant") else Party.RESPONDENT,
                LEVEL_BY_VALUE.get(r.level), r) for r in disputes.satisfaction(case)]
    now = local_now()
    return render_template(
        "staff/dispute_detail.html", case=case, row=dispute_console.row(case), can_act=can_act,
        actions=[a for a in disputes.actions(case) if a != "agree"] if can_act else [],
        timeline=dispute_console.timeline(case), duplicates=dispute_console.duplicates(case),
        handler=dispute_console.handler_name(case), phones=dispute_console.masked_phones(case),
        phone=phone, ratings=ratings, step=step, values=values or {}, errors=errors or {},
        jobs=printing.jobs_for(referrals.case_subject(case)) if can_act else [],
        committee=referrals.committee_lines(), to_bring=referrals.TO_BRING, time_bar=referrals.TIME_BAR,
        now_date=now.date().isoformat(), yesterday=(now.date() - timedelta(days=1)).isoformat(),
        now_time=now.strftime("%H:%M"), reason_max=REASON_MAX,
        said=(lambda text: text or "") if can_act else (lambda text: dispute_console.redact(case, text)),
        deal=deal_console.deal_of(str(case.deal_id or "")),
        Party=Party), status


@bp.get("/disputes/<id:case_id>")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def dispute_detail(case_id: int):
    return _detail(db.get_or_404(DisputeCase, case_id))


def _step(case_id: int, action: str, names: tuple[str, ...], run, done: str):
    """One step of a case (``take_step``), then back to the case; ``done`` may name the case."""
    return take_step(db.get_or_404(DisputeCase, case_id), action, names, run, _detail,
                     lambda case: done.format(case=case), "staff.dispute_detail", case_id=case_id)


def _moment(day_raw: str, time_raw: str, fields: tuple[str, str], label: str) -> datetime:
    """A local date and time as entered (2026-11-28, 09:30), as stored (naive UTC); a wrong
    one is answered beside its date or its time field."""
    day_field, time_field = fields
    try:
        day = parse_iso_date(day_raw, label=f"{label}日期")
    except Invalid as err:
        raise InvalidFields({day_field: err.message}) from None
    match = TIME.match((time_raw or "").strip())
    if not match:
        raise InvalidFields({time_field: f"请填写{label}时间，如 09:30"})
    return from_local(datetime(day.year, day.month, day.day, int(match[1]), int(match[2])))


def _beside(errors: dict[str, str], moment: str, day_field: str) -> dict[str, str]:
    """The service names the moment (held_at, at); the page shows it beside its date."""
    return {day_field if name == moment else name: message for name, message in errors.items()}


@bp.post("/disputes/<id:case_id>/accept")
@allow(Audience.STAFF, Audience.MANAGER)
def dispute_accept(case_id: int):
    return _step(case_id, "accept", (), lambda case, v: disputes.accept(case, current_user),
                 "已受理 {case.number}，15 日调解期限从今天起算")


@bp.post("/disputes/<id:case_id>/decline")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_decline(case_id: int):
    return _step(case_id, "decline", ("reason",),
                 lambda case, v: disputes.decline(case, v["reason"], current_user),
                 "已决定不予受理，案件结束")


@bp.post("/disputes/<id:case_id>/session")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_session(case_id: int):
    def run(case, v):
        held_at = _moment(v["held_on"], v["held_time"], ("held_on", "held_time"), "调解")
        try:
            disputes.record_session(case, held_at=held_at, attendees=v["attendees"], text=v["text"],
                                    user=current_user)
        except InvalidFields as err:
            raise InvalidFields(_beside(err.errors, "held_at", "held_on")) from None

    return _step(case_id, "session", ("held_on", "held_time", "attendees", "text"), run, "已记录本次调解")


@bp.post("/disputes/<id:case_id>/fail")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_fail(case_id: int):
    return _step(case_id, "fail", ("reason",), lambda case, v: disputes.fail(case, v["reason"], current_user),
                 "已终止调解（调解不成）。如申请人要申请仲裁，请办理转仲裁")


@bp.post("/disputes/<id:case_id>/follow-up")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_follow_up(case_id: int):
    def run(case, v):
        at = _moment(v["at_on"], v["at_time"], ("at_on", "at_time"), "回访")
        try:
            disputes.record_follow_up(case, at=at, text=v["text"], user=current_user)
        except InvalidFields as err:
            raise InvalidFields(_beside(err.errors, "at", "at_on")) from None

    return _step(case_id, "follow_up", ("at_on", "at_time", "text"), run, "已记录履行回访")


@bp.post("/disputes/<id:case_id>/perform")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_perform(case_id: int):
    return _step(case_id, "perform", ("reason",),
                 lambda case, v: disputes.perform(case, v["reason"], current_user),
                 "已确认协议已履行，案件结束")


@bp.post("/disputes/<id:case_id>/refer")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_refer(case_id: int):
    def run(case, v):
        referrals.refer(case, v["reason"], public_base_url=slips.public_base_url(),
                        printer=current_terminal().printer, user=current_user)

    return _step(case_id, "refer", ("reason",), run,
                 "已转仲裁，正在打印转仲裁告知单（申请人联、被申请人联），请交给双方")


@bp.post("/disputes/<id:case_id>/withdraw")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_withdraw(case_id: int):
    return _step(case_id, "withdraw", ("reason",),
                 lambda case, v: disputes.withdraw(case, v["reason"], current_user),
                 "已记录申请人撤回，案件结束")


@bp.post("/disputes/<id:case_id>/merge")
@allow(Audience.STAFF, Audience.MANAGER)
@checks_characters
def dispute_merge(case_id: int):
    return _step(case_id, "merge", ("into", "reason"),
                 lambda case, v: disputes.merge(case, v["into"], v["reason"], current_user),
                 "已合并到 {case.merged_into.number}，请到原案件继续办理")


@bp.post("/disputes/<id:case_id>/referral-slip")
@allow(Audience.STAFF, Audience.MANAGER)
def dispute_referral_slip(case_id: int):
    return _step(case_id, "reprint", (), lambda case, v: referrals.reprint(
        case, slips.public_base_url(), printer=current_terminal().printer, user=current_user),
        "正在重新打印转仲裁告知单（两联，标“补打”）")


@bp.post("/disputes/<id:case_id>/phone")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def dispute_phone(case_id: int):
    """A party's full number, once, on this response (audited); never cached, never in a URL."""
    case = db.get_or_404(DisputeCase, case_id)
    try:
        party = Party(request.form.get("party", ""))
        if party == Party.MEDIATOR:
            raise ValueError
    except ValueError:
        return _detail(case, 422, errors={"phone": "请选择要查看谁的电话"})
    try:
        number = dispute_console.reveal_phone(case, party, user=current_user)
    except (Invalid, Conflict) as err:
        return _detail(case, 409 if isinstance(err, Conflict) else 422,
                       errors={f"phone_{party.value}": err.message})
    return _detail(case, phone=(party, number))
