"""A dispute case's progress page on the phone (/c/<token>, the QR on a party's case slip)
and the rating of its mediation (/c/<token>/rate, once the mediation is over).

The page shows the case as the slip's holder may see it: the number, kind, stage, the dates
so far (sessions by date only), what happens next, an agreement's amount, deadline and
method; never the other party's name or phone, and the applicant's name masked.
"""

from dataclasses import dataclass
from datetime import date

from flask import abort, render_template

from app.clock import to_local
from app.domain.disputes import NEXT_FOR_APPLICANT, CaseStatus, Party
from app.domain.masking import mask_name
from app.models import DisputeCase
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import dispute_console, disputes

from .routes import _rate, _rate_offer, bp

# What the other party's page says comes next, where it differs from the applicant's.
NEXT_FOR_RESPONDENT = {
    CaseStatus.RECEIVED: "工作人员正在审核这份申请，会电话联系您",
    CaseStatus.ACCEPTED: "已受理，工作人员会电话约双方来大厅调解",
    CaseStatus.DECLINED: "本申请不予受理，案件结束",
    CaseStatus.WITHDRAWN: "申请人已撤回申请，案件结束",
    CaseStatus.FAILED: "调解未能达成协议，申请人可以申请劳动争议仲裁",
    CaseStatus.REFERRED: "已转劳动争议仲裁，仲裁委员会会通知您",
    CaseStatus.MERGED: "本申请与之前的申请是同一件事，已合并办理",
}


@dataclass(frozen=True)
class Milestone:
    label: str
    on: date


def milestones(case: DisputeCase) -> list[Milestone]:
    """The dates so far, in order: received, accepted, each session (its date only), the
    agreement, the end."""
    steps = [Milestone("提交申请", case.received_on)]
    if case.accepted_on:
        steps.append(Milestone("受理", case.accepted_on))
    steps += [Milestone(f"第{n}次调解", to_local(s.at).date()) for n, s in enumerate(case.sessions, 1)]
    if case.agreed_at:
        steps.append(Milestone("达成调解协议", to_local(case.agreed_at).date()))
    if case.closed_at and case.status != CaseStatus.AGREED:
        steps.append(Milestone(f"结案（{case.status.label}）", to_local(case.closed_at).date()))
    return steps


def next_step(case: DisputeCase, party: Party) -> str:
    if party == Party.RESPONDENT:
        return NEXT_FOR_RESPONDENT.get(case.status) or NEXT_FOR_APPLICANT[case.status]
    return NEXT_FOR_APPLICANT[case.status]


# The states whose closing reason the parties read (a merged case shows its original's number).
REASON_SHOWN = {CaseStatus.DECLINED: "不予受理的原因", CaseStatus.FAILED: "调解不成的原因"}


@bp.get("/c/<token>")
@allow(Audience.PUBLIC)
@no_store
def case_progress(token: str):
    found = disputes.by_token(token)
    if found is None:
        abort(404)
    case, party = found
    reason = REASON_SHOWN.get(case.status)
    merged = case.status == CaseStatus.MERGED and case.merged_into is not None
    return render_template(
        "public/case.html", case=case, party=party, applicant=mask_name(case.applicant_name),
        steps=milestones(case), next_step=next_step(case, party),
        # staff wrote the reason: the names it may hold are masked (the other party's never shows)
        reason={"label": reason, "text": dispute_console.redact(case, case.closing_reason)}
        if reason and case.closing_reason else None,
        merged_into=case.merged_into.number if merged else None,
        rate=_rate_offer("c", token, disputes.case_service(found)))


@bp.route("/c/<token>/rate", methods=["GET", "POST"])
@allow(Audience.PUBLIC)
@checks_characters  # a control character in the remark is answered beside the field
@no_store
def rate_case(token: str):
    """Rating the mediation of a case, from either party's slip, once it is over."""
    return _rate("c", token)
