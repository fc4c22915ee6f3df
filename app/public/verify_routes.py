"""The page the QR on a deal's agreement (the A4 copies and both slips) opens: /v/<token>.
Anyone holding the paper may check that the 劳务协议 is genuine and unaltered
(``deal_seal.verify``: the content rebuilt from the deal's rows as they are now, the signatures'
digests, and the seal, a keyed hash only the server can make).

Genuine: 协议真实有效，内容未被改动, with the agreement's content as signed, the names masked
as on the slips (the ID number is masked in the content itself), the signing time and the
校验码. Not genuine: 该协议未通过核验, why, and the hall's phone; none of the content.
"""

from flask import abort, render_template

from app.policy import Audience, allow
from app.security import no_store
from app.services import deal_agreement, deal_seal, deals

from .routes import bp


@bp.get("/v/<token>")
@allow(Audience.PUBLIC)
@no_store
def verify_agreement(token: str):
    deal = deals.by_verify_token(token)
    if deal is None:
        abort(404)
    verdict = deal_seal.verify(deal)
    return render_template(
        "public/verify_agreement.html", deal=deal, verdict=verdict,
        doc=deal_agreement.signed_document(deal, masked=True) if verdict.genuine else None,
        check_code=deal_agreement.check_code(deal) if verdict.genuine else "")
