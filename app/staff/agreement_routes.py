"""调解协议: the mediation agreement of a dispute case. Staff take the signing page to the
mediation table on the hall's touchscreen: the terms, then the applicant, the other party and
the mediator each sign with a finger (app/static/signature-pad.js). Then the agreement is
printed on A4 in three copies, and a slip for each party (queued at once after the signing).

The panel on the case's page (staff/_dispute_agreement_panel.html) leads here; the assessor
sees the signed agreement and its signatures, and cannot sign or print slips.
"""

from datetime import timedelta

from flask import abort, flash, make_response, render_template, request
from flask_login import current_user

from app import htmx
from app.clock import local_today, to_local
from app.domain import Conflict, Invalid, InvalidFields, parse_iso_date
from app.domain.disputes import CASE, SIGNATURE_MAX_BYTES, Party, PaymentMethod
from app.extensions import db
from app.models import DisputeCase
from app.policy import Audience, allow
from app.security import large_form, no_store
from app.services import agreements, disputes
from app.services.disputes import Signed
from app.template_helpers import cn_date
from app.terminals import current_terminal

from .routes import bp

FIELDS = ("amount", "pay_by", "method", "terms")
# Three signatures as PNG data URLs (each at most SIGNATURE_MAX_BYTES as a file) and the terms.
SIGNATURE_FIELD = SIGNATURE_MAX_BYTES * 4 // 3 + 64
SIGNING_BODY = 3 * SIGNATURE_FIELD + 64 * 1024
PAY_BY_CHOICES = ((0, "今天"), (3, "3天内"), (7, "7天内"), (15, "15天内"), (30, "30天内"))


@bp.app_context_processor
def _agreement_slips():
    """``agreement_slips(case)`` for the panel on the case's page: each party's newest slip
    (asked only when the panel shows a signed agreement to staff)."""
    return {"agreement_slips": agreements.latest_slips}


def _case(case_id: int) -> DisputeCase:
    return db.get_or_404(DisputeCase, case_id)


def _signing_page(case: DisputeCase, status: int = 200, *, values=None, errors=None):
    today = local_today()
    values = values or {}
    signers = {party: values.get(f"signer_{party.value}", default)
               for party, default in agreements.signer_defaults(case, current_user).items()}
    return render_template(
        "staff/dispute_agreement.html", case=case, values=values, errors=errors or {},
        signers=signers, parties=list(Party), methods=list(PaymentMethod), can_sign=agreements.can_sign(case),
        today_iso=today.isoformat(), pay_by_choices=_pay_by_choices(today)), status


def _pay_by_choices(today) -> list[tuple[str, str, str]]:
    """The deadline's quick choices: (the date, 7天内, 2026年12月5日)."""
    days = [(today + timedelta(days=n), label) for n, label in PAY_BY_CHOICES]
    return [(day.isoformat(), label, cn_date(day)) for day, label in days]


@bp.route("/disputes/<id:case_id>/agreement", methods=["GET", "POST"])
@allow(Audience.STAFF, Audience.MANAGER)
@large_form(body=SIGNING_BODY, field=SIGNATURE_FIELD)
@no_store
def dispute_agreement(case_id: int):
    case = _case(case_id)
    if request.method == "GET":
        return _signing_page(case, 200 if agreements.can_sign(case) else 409)
    form = request.form
    values = {name: form.get(name, "") for name in FIELDS}
    for party in Party:
        values[f"signer_{party.value}"] = form.get(f"signer_{party.value}", "")
        values[f"signature_{party.value}"] = form.get(f"signature_{party.value}", "")
    if not agreements.can_sign(case):
        return _signing_page(case, 409, values=values, errors={"form": _refusal(case)})
    errors: dict[str, str] = {}
    try:
        pay_by = parse_iso_date(values["pay_by"], label="履行期限")
    except Invalid as err:
        pay_by, errors["pay_by"] = None, err.message
    signatures = {party: Signed(values[f"signer_{party.value}"], values[f"signature_{party.value}"])
                  for party in Party}
    try:
        disputes.agree(case, amount=values["amount"], pay_by=pay_by, method=values["method"],
                       terms=values["terms"], signatures=signatures, user=current_user)
    except InvalidFields as err:
        errors = {**err.errors, **errors}
        for party in Party:  # a refused signature is drawn again; the others stay on the page
            if f"signature_{party.value}" in errors:
                values[f"signature_{party.value}"] = ""
        return _signing_page(case, 422, values=values, errors=errors)
    except Conflict as err:
        db.session.refresh(case)
        return _signing_page(case, 409, values=values, errors={"form": str(err)})
    agreements.queue_slips(case, current_user, printer=current_terminal().printer)
    flash(f"{case.number} 已签订调解协议；双方的协议凭条已送打印。"
          "请打印协议书（A4，一式三份）交双方签收。", "ok")
    return htmx.redirect_to("staff.dispute_detail", case_id=case.id)


def _refusal(case: DisputeCase) -> str:
    try:
        CASE.apply(case.status, "agree")
    except Conflict as err:
        return str(err)
    return "该案件现在不能签订调解协议"


@bp.get("/disputes/<id:case_id>/signatures/<party>.png")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def dispute_signature(case_id: int, party: str):
    return signature_image(_case(case_id), Party, party)


def signature_image(record, signers: type, who: str):
    """One signature under an agreement as its PNG: ``record.signature_of(signers(who))``
    (a case's party, a deal's side); 404 for a signer it has not or does not know."""
    try:
        signer = signers(who)
    except ValueError:
        abort(404)
    signed = record.signature_of(signer)
    if signed is None:
        abort(404)
    resp = make_response(signed.png)
    resp.mimetype = "image/png"
    return resp


@bp.get("/disputes/<id:case_id>/agreement/print")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def dispute_agreement_print(case_id: int):
    """The agreement on A4, three copies: the applicant's, the other party's, the hall's. The
    parties' names in full (they sign it), so not for the assessor, who reads the case masked."""
    case = _case(case_id)
    if not agreements.has_agreement(case):
        abort(409, description=agreements.NO_AGREEMENT)
    applicant, respondent = agreements.parties(case)
    mediator = case.signature_of(Party.MEDIATOR)
    return render_template(
        "staff/dispute_agreement_print.html", case=case, applicant=applicant, respondent=respondent,
        copies=("申请人存执", "被申请人存执", "调解组织存档"), parties=list(Party), mediator=mediator,
        payment=agreements.payment_line(case), signed_on=cn_date(to_local(case.agreed_at).date()))


@bp.post("/disputes/<id:case_id>/agreement/slips")
@allow(Audience.STAFF, Audience.MANAGER)
def dispute_agreement_slips(case_id: int):
    case = _case(case_id)
    try:
        jobs = agreements.queue_slips(case, current_user, printer=current_terminal().printer)
    except Conflict as err:
        abort(409, description=str(err))
    flash(f"已将 {len(jobs)} 张协议凭条送打印（申请人、被申请人各一张）。", "ok")
    return htmx.redirect_to("staff.dispute_detail", case_id=case.id)
