"""The deal's 劳务协议 on screen and on paper: what the signing page, the A4 copies and the
public check page show of it, and the two agreement slips (one for each side).

The content is generated and sealed by ``deals.sign`` (``deal_seal.agreement_content``); the
signing page (app/staff/deal_agreement_routes.py) queues the slips right after it, on the
printer of the terminal where it was signed. The check page (/v/<token>,
app/public/verify_routes.py) shows the content only when ``deal_seal.verify`` finds it genuine,
with the names masked as on the slips.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.domain import Conflict
from app.domain.deals import DEAL, DealStatus, Side
from app.domain.masking import mask_business_name, mask_name
from app.domain.validation import format_yuan
from app.extensions import db
from app.models import Deal, JobStatus, PrintJob

from . import deal_seal, deal_slips, printing
from .slips import public_base_url

NOT_SIGNED = "该交易还没有签订劳务协议"
# Both sides in the order the agreement names them: 甲方 (the employer), then 乙方 (the worker).
SIDES = (Side.EMPLOYER, Side.WORKER)
CHECK_CODE_LENGTH = 16


def can_sign(deal: Deal) -> bool:
    return deal.status == DealStatus.PRICED


def is_signed(deal: Deal) -> bool:
    return deal.agreement_content is not None and len(deal.signatures) == len(Side)


def refusal(deal: Deal) -> str:
    """Why this deal cannot be signed now, in the workflow's words."""
    try:
        DEAL.apply(deal.status, "sign")
    except Conflict as err:
        return str(err)
    return "该交易现在不能签订劳务协议"


def signer_defaults(deal: Deal) -> dict[Side, str]:
    """The names the signing page starts with (each editable): the worker, and the
    employer's contact (the person who signs for a company)."""
    return {Side.WORKER: deal.worker.name, Side.EMPLOYER: deal.employer.contact_name}


def check_code(deal: Deal) -> str:
    """校验码: the first characters of the agreement's seal, printed on the paper."""
    return (deal.agreement_seal or "")[:CHECK_CODE_LENGTH]


def document(content: dict, *, masked: bool = False) -> dict:
    """The agreement's content as the templates show it: the pay as people write it, and,
    for the public check page (``masked``), the parties' names masked as on the slips
    (the ID number is masked in the content already)."""
    doc = {**content, "employer": dict(content["employer"]), "worker": dict(content["worker"])}
    pay = content["pay"]
    doc["pay_text"] = f"{format_yuan(Decimal(pay['amount']))} {pay['unit_label']}"
    # who signed, by side (the signed content keeps each name with its drawing's digest)
    doc["signers"] = {side: signed["signer"] for side, signed in content.get("signatures", {}).items()}
    if masked:
        employer = doc["employer"]
        is_company = employer["name"] != employer["contact"]
        employer["name"] = (mask_business_name(employer["name"]) if is_company
                            else mask_name(employer["name"]))
        employer["contact"] = mask_name(employer["contact"])
        employer["uscc"] = ""
        doc["worker"]["name"] = mask_name(doc["worker"]["name"])
        doc["signers"] = {side: mask_name(name) for side, name in doc["signers"].items()}
    return doc


def signed_document(deal: Deal, *, masked: bool = False) -> dict | None:
    content = deal_seal.signed_content(deal)
    return document(content, masked=masked) if content else None


# -- the slips -----------------------------------------------------------------------------------

def _slip_jobs(deal: Deal):
    return select(PrintJob).where(PrintJob.subject == deal_slips.deal_subject(deal),
                                  PrintJob.kind == deal_slips.AGREEMENT_KIND)


def slips_waiting(deal: Deal) -> list[PrintJob]:
    """The agreement slips of this deal not yet out of the printer."""
    return list(db.session.scalars(_slip_jobs(deal).where(
        PrintJob.status.in_([JobStatus.PENDING, JobStatus.SENDING])).order_by(PrintJob.id)))


def latest_slips(deal: Deal) -> list[PrintJob]:
    """Each side's newest agreement slip, to say on the page whether it came out."""
    newest = {job.title: job for job in db.session.scalars(_slip_jobs(deal).order_by(PrintJob.id))}
    return list(newest.values())


def queue_slips(deal: Deal, user, *, printer: str) -> list[PrintJob]:
    """Queue both sides' slips (the worker's first) on ``printer`` and commit. Slips still
    waiting to be printed are returned instead of doubled (a second press while the printer
    is busy)."""
    if not is_signed(deal):
        raise Conflict(NOT_SIGNED)
    if waiting := slips_waiting(deal):
        return waiting
    base = public_base_url()
    jobs = [printing.enqueue(**deal_slips.agreement_slip(deal, side, base), printer=printer,
                             requested_by_id=user.id if user else None)
            for side in (Side.WORKER, Side.EMPLOYER)]
    db.session.commit()
    return jobs
