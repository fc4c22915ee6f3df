"""The signed mediation agreement (调解协议) on paper: what the A4 copies show of the parties,
and the two agreement slips (one for each party) with the QR of that party's progress page.

The signing itself is ``disputes.agree``; the signing page (app/staff/agreement_routes.py)
queues the slips right after it. A slip's QR is also how its holder rates the mediation:
the applicant's opens ``/c/<applicant_token>``, the other party's ``/c/<respondent_token>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.crypto import vault
from app.domain import Conflict
from app.domain.disputes import ApplicantRole, CaseStatus, Party
from app.domain.masking import mask_id_number, mask_phone
from app.domain.validation import format_yuan
from app.extensions import db
from app.models import DisputeCase, JobStatus, PrintJob
from app.template_helpers import cn_date

from . import dispute_slips, disputes, printing
from .slips import public_base_url

SLIP_KIND = "agreement_slip"
# The states a signed agreement is seen in: agreed, then performed, or referred when it was not.
AGREED_STATES = frozenset({CaseStatus.AGREED, CaseStatus.PERFORMED, CaseStatus.REFERRED})
NO_AGREEMENT = "该案件还没有签订调解协议"


def has_agreement(case: DisputeCase) -> bool:
    """Signed by both parties and the mediator (a case referred after a failed mediation has none)."""
    return case.status in AGREED_STATES and case.agreed_at is not None and len(case.signatures) == len(Party)


def can_sign(case: DisputeCase) -> bool:
    return case.status == CaseStatus.MEDIATING


def token_of(case: DisputeCase, party: Party) -> str:
    """The QR token of a party's slips: the applicant's (from filing) or the other party's."""
    return case.respondent_token if party == Party.RESPONDENT else case.applicant_token


def case_url(case: DisputeCase, party: Party, base_url: str) -> str:
    """The progress page a party's slip opens (and rates the mediation from)."""
    return dispute_slips.progress_url(token_of(case, party), base_url)


def payment_line(case: DisputeCase) -> str:
    """协议金额 as the agreement states it: an amount, or none (terms without payment)."""
    if case.agreed_amount is None:
        return "无（见协议内容）"
    return f"{format_yuan(case.agreed_amount)} 元"


@dataclass(frozen=True)
class PartyOnPaper:
    """One party as the A4 agreement names it: the name in full (the parties sign it), the
    phone and ID number masked."""

    label: str  # 申请人 / 被申请人
    role: str  # 零工 / 用工方
    name: str
    company: str
    phone: str
    id_number: str


def parties(case: DisputeCase) -> tuple[PartyOnPaper, PartyOnPaper]:
    pii = vault()
    other_role = (ApplicantRole.EMPLOYER if case.applicant_role == ApplicantRole.WORKER
                  else ApplicantRole.WORKER)
    applicant_id = ""
    if case.worker is not None and case.applicant_role == ApplicantRole.WORKER and case.worker.id_cipher:
        applicant_id = pii.decrypt(case.worker.id_cipher)
    elif case.applicant_id_cipher:
        applicant_id = pii.decrypt(case.applicant_id_cipher)
    other_phone = disputes.other_party_phone(case)
    return (
        PartyOnPaper(Party.APPLICANT.label, case.applicant_role.label, case.applicant_name, "",
                     mask_phone(disputes.applicant_phone(case)),
                     mask_id_number(applicant_id) if applicant_id else ""),
        PartyOnPaper(Party.RESPONDENT.label, other_role.label, case.other_party_name,
                     case.other_party_company or "", mask_phone(other_phone) if other_phone else "", ""),
    )


def signer_defaults(case: DisputeCase, user) -> dict[Party, str]:
    """The names the signing page starts with (each editable): the applicant, the other
    party as filed, and the signed-in mediator."""
    return {Party.APPLICANT: case.applicant_name, Party.RESPONDENT: case.other_party_name,
            Party.MEDIATOR: user.display_name or user.username}


# -- the slips -----------------------------------------------------------------------------------

def agreement_slip(case: DisputeCase, party: Party, base_url: str) -> dict:
    """Keyword arguments for ``printing.enqueue``: one party's agreement slip (the case slips'
    head and foot, ``dispute_slips``; the QR is that party's own)."""
    receipt = dispute_slips.case_head(case, f"调解协议凭条 · {party.label}联")
    receipt.rule().text(f"协议金额：{payment_line(case)}")
    receipt.text(f"履行期限：{cn_date(case.pay_by)}前")
    if case.pay_method is not None:
        receipt.text(f"支付方式：{case.pay_method.label}")
    receipt.text("请按期履行；工作人员会回访", bold=True)
    receipt.text("逾期不履行，申请人可申请仲裁")
    receipt.rule()
    dispute_slips.progress_foot(receipt, token_of(case, party), base_url)
    return {"receipt": receipt, "kind": SLIP_KIND, "subject": dispute_slips.case_subject(case),
            "title": slip_title(case, party)}


def _slip_jobs(case: DisputeCase):
    return select(PrintJob).where(PrintJob.subject == dispute_slips.case_subject(case),
                                  PrintJob.kind == SLIP_KIND)


def slip_title(case: DisputeCase, party: Party) -> str:
    return f"调解协议凭条 {case.number}（{party.label}）"


def latest_slips(case: DisputeCase) -> list[tuple[Party, PrintJob]]:
    """Each party's newest agreement slip (a reprint from the print jobs page included), to
    say on the case's page whether it came out of the printer."""
    newest = {job.title: job for job in db.session.scalars(_slip_jobs(case).order_by(PrintJob.id))}
    found = [(party, newest.get(slip_title(case, party))) for party in (Party.APPLICANT, Party.RESPONDENT)]
    return [(party, job) for party, job in found if job is not None]


def slips_waiting(case: DisputeCase) -> list[PrintJob]:
    """The case's agreement slips not yet out of the printer."""
    return list(db.session.scalars(_slip_jobs(case).where(
        PrintJob.status.in_([JobStatus.PENDING, JobStatus.SENDING])).order_by(PrintJob.id)))


def queue_slips(case: DisputeCase, user, *, printer: str) -> list[PrintJob]:
    """Queue both parties' slips (applicant's first) on ``printer`` (the terminal's where the
    agreement is signed or the slips are asked for) and commit. Slips still waiting to be
    printed are returned instead of doubled (a second press while the printer is busy)."""
    if not has_agreement(case):
        raise Conflict(NO_AGREEMENT)
    if waiting := slips_waiting(case):
        return waiting
    base = public_base_url()
    jobs = [printing.enqueue(**agreement_slip(case, party, base), printer=printer,
                             requested_by_id=user.id if user else None)
            for party in (Party.APPLICANT, Party.RESPONDENT)]
    db.session.commit()
    return jobs

