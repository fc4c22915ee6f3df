"""劳务协议: the agreement of a deal, signed on the hall's touchscreen. Staff open the signing
page once the price is confirmed (state 价格已确认): the agreement as generated from the deal
(``deal_seal.agreement_content``), then both sides sign with a finger (app/static/signature-pad.js,
the pads of the mediation agreement). Both slips print at once on this terminal's printer;
the A4 agreement (two copies, each side keeps one) is offered on the page.

Staff and the manager only: the signed agreement names the parties in full. The public check
page its QR opens (/v/<token>) is app/public/verify_routes.py.
"""

from flask import abort, flash, render_template, request
from flask_login import current_user

from app import htmx
from app.clock import to_local
from app.domain import Conflict, InvalidFields
from app.domain.deals import Side
from app.domain.disputes import SIGNATURE_MAX_BYTES
from app.extensions import db
from app.models import Deal
from app.policy import Audience, allow
from app.security import large_form, no_store
from app.services import deal_agreement as agreement
from app.services import deal_seal, deal_slips, deals
from app.services.disputes import Signed
from app.services.slips import public_base_url
from app.template_helpers import cn_date
from app.terminals import current_terminal

from .agreement_routes import signature_image
from .routes import bp

# Two signatures as PNG data URLs (each at most SIGNATURE_MAX_BYTES as a file) and two names.
SIGNATURE_FIELD = SIGNATURE_MAX_BYTES * 4 // 3 + 64
SIGNING_BODY = 2 * SIGNATURE_FIELD + 16 * 1024


def _deal(deal_id: int) -> Deal:
    return db.get_or_404(Deal, deal_id)


def _page(deal: Deal, status: int = 200, *, values=None, errors=None):
    values = values or {}
    signers = {side: values.get(f"signer_{side.value}", default)
               for side, default in agreement.signer_defaults(deal).items()}
    signed = agreement.is_signed(deal)
    return render_template(
        "staff/deal_agreement.html", deal=deal, values=values, errors=errors or {}, signers=signers,
        sides=agreement.SIDES, can_sign=agreement.can_sign(deal), signed=signed,
        doc=(agreement.signed_document(deal) if signed
             else agreement.document(deal_seal.agreement_content(deal))),
        verdict=deal_seal.verify(deal) if signed else None, check_code=agreement.check_code(deal),
        slips=agreement.latest_slips(deal) if signed else [],
        refusal=None if signed or agreement.can_sign(deal) else agreement.refusal(deal)), status


@bp.get("/deals/<id:deal_id>/agreement")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def deal_agreement(deal_id: int):
    deal = _deal(deal_id)
    ok = agreement.can_sign(deal) or agreement.is_signed(deal)
    return _page(deal, 200 if ok else 409)


@bp.post("/deals/<id:deal_id>/agreement")
@allow(Audience.STAFF, Audience.MANAGER)
@large_form(body=SIGNING_BODY, field=SIGNATURE_FIELD)
@no_store
def deal_agreement_sign(deal_id: int):
    deal = _deal(deal_id)
    form = request.form
    values = {}
    for side in Side:
        values[f"signer_{side.value}"] = form.get(f"signer_{side.value}", "")
        values[f"signature_{side.value}"] = form.get(f"signature_{side.value}", "")
    if not agreement.can_sign(deal):
        return _page(deal, 409, values=values, errors={"form": agreement.refusal(deal)})
    signatures = {side: Signed(values[f"signer_{side.value}"], values[f"signature_{side.value}"])
                  for side in Side}
    try:
        deals.sign(deal, signatures, current_user, terminal=current_terminal().name)
    except InvalidFields as err:
        for side in Side:  # a refused signature is drawn again; the other stays on the page
            if f"signature_{side.value}" in err.errors:
                values[f"signature_{side.value}"] = ""
        return _page(deal, 422, values=values, errors=err.errors)
    except Conflict as err:
        db.session.rollback()
        db.session.refresh(deal)
        return _page(deal, 409, values=values, errors={"form": str(err)})
    agreement.queue_slips(deal, current_user, printer=current_terminal().printer)
    flash(f"{deal.number} 已签订劳务协议；双方的协议凭条已送打印。"
          "请打印协议书（A4，一式两份）交双方各执一份。", "ok")
    return htmx.redirect_to("staff.deal_agreement", deal_id=deal.id)


@bp.get("/deals/<id:deal_id>/signatures/<side>.png")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def deal_signature_png(deal_id: int, side: str):
    return signature_image(_deal(deal_id), Side, side)


@bp.get("/deals/<id:deal_id>/agreement/print")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def deal_agreement_print(deal_id: int):
    """The agreement on A4, two copies (甲方留存, 乙方留存), each one page, with both
    signatures, the 校验码 and the QR of the check page."""
    deal = _deal(deal_id)
    if not agreement.is_signed(deal):
        abort(409, description=agreement.NOT_SIGNED)
    return render_template(
        "staff/deal_agreement_print.html", deal=deal, doc=agreement.signed_document(deal),
        sides=agreement.SIDES, copies=("甲方留存", "乙方留存"), check_code=agreement.check_code(deal),
        verify_url=deal_slips.verify_url(deal, public_base_url()),
        signed_on=cn_date(to_local(deal.signed_at).date()))


@bp.post("/deals/<id:deal_id>/agreement/slips")
@allow(Audience.STAFF, Audience.MANAGER)
def deal_agreement_slips(deal_id: int):
    deal = _deal(deal_id)
    try:
        jobs = agreement.queue_slips(deal, current_user, printer=current_terminal().printer)
    except Conflict as err:
        abort(409, description=str(err))
    flash(f"已将 {len(jobs)} 张劳务协议凭条送打印（甲方、乙方各一张）。", "ok")
    return htmx.redirect_to("staff.deal_agreement", deal_id=deal.id)
