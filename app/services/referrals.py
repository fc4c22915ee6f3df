"""转仲裁告知单: the slips printed when a case is referred to labour arbitration.

Two copies, each with its party's QR to the case's progress page (``/c/<token>``, where the
party also rates the mediation): the applicant's says what to bring to the arbitration
committee, the time bar and where the committee is; the other party's says that the case
was referred and where. The committee's name, address and phone are hall settings
(ARBITRATION_COMMITTEE, ARBITRATION_ADDRESS, ARBITRATION_PHONE); an address or phone left
empty prints as "ask at the counter", never as a guess.

A slip is rebuilt from the case when reprinted (``slips.current_slip``), so a reprint
carries the committee's address as it is configured now.
"""

from __future__ import annotations

from datetime import datetime

from app.clock import format_local
from app.domain import Conflict
from app.domain.disputes import CaseStatus, Party
from app.domain.masking import mask_name
from app.domain.validation import format_yuan
from app.extensions import db
from app.hall_config import hall
from app.models import DisputeCase, PrintJob, utcnow
from printers import Receipt

from . import audit, dispute_console, dispute_slips, disputes, printing

KINDS = {"referral_applicant": Party.APPLICANT, "referral_respondent": Party.RESPONDENT}
NO_ADDRESS = "请向服务窗口咨询地址"
NO_PHONE = "请向服务窗口咨询"
# What the applicant brings to the arbitration committee.
TO_BRING = (
    "本人身份证原件和复印件",
    "本告知单，以及调解记录或调解协议书",
    "干活的证明：派工记录、考勤、工作照片、证人等",
    "工钱的证明：欠条、工资条、转账记录、聊天记录等",
    "对方的姓名、电话、单位名称和地址（知道多少写多少）",
)
TIME_BAR = ("申请仲裁的时效为一年，从知道或者应当知道自己的权利被侵害之日起计算（《劳动争议调解仲裁法》"
            "第二十七条）。请尽早申请。")


def case_subject(case: DisputeCase) -> str:
    """The print jobs' subject of a case's slips: one for all of them (filing, agreement,
    referral), so that the case's print record lists every slip."""
    return dispute_slips.case_subject(case)


def case_url(token: str, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/c/{token}"


def committee_lines() -> list[tuple[str, str]]:
    config = hall()
    return [("仲裁委员会", config.arbitration_committee),
            ("地址", config.arbitration_address or NO_ADDRESS),
            ("电话", config.arbitration_phone or NO_PHONE)]


def referral_slip(case: DisputeCase, party: Party, public_base_url: str, referred: datetime | None) -> dict:
    """Keyword arguments for ``printing.enqueue``: one party's 转仲裁告知单."""
    applicant = party == Party.APPLICANT
    own, other = ((case.applicant_name, case.other_party_name) if applicant
                  else (case.other_party_name, case.applicant_name))
    receipt = (
        Receipt(items=[])
        .text(hall().name, size=2, align="center", bold=True)
        .text("转仲裁告知单", size=2, align="center", bold=True)
        .text("申请人联" if applicant else "被申请人联", align="center")
        .rule()
        .text("案件编号", align="center")
        .text(case.number, size=2, align="center", bold=True)
        .rule()
        .text(f"{'申请人' if applicant else '被申请人'}：{own}")
        .text(f"{'被申请人' if applicant else '申请人'}：{mask_name(other)}")
        .text(f"纠纷类型：{case.kind.label}")
    )
    if case.amount is not None:
        receipt.text(f"申请金额：{format_yuan(case.amount)}元")
    if referred is not None:
        receipt.text(f"转仲裁日期：{format_local(referred, '%Y年%m月%d日')}")
    receipt.rule()
    if applicant:
        receipt.text("本案调解未能解决，您可以向劳动人事争议仲裁委员会申请仲裁：", bold=True)
    else:
        receipt.text("本案调解未能解决，申请人可以向劳动人事争议仲裁委员会申请仲裁：", bold=True)
    for label, value in committee_lines():
        receipt.text(f"{label}：{value}")
    receipt.text("劳动争议仲裁不收费。")
    if applicant:
        receipt.rule().text("申请仲裁请带上：", bold=True)
        for n, item in enumerate(TO_BRING, 1):
            receipt.text(f"{n}. {item}")
        receipt.rule().text("仲裁时效：一年", bold=True).text(TIME_BAR)
        receipt.text("仲裁委员会不予受理的，可以向人民法院起诉。")
    receipt.rule().feed(1)
    token = case.applicant_token if applicant else case.respondent_token
    receipt.qr(case_url(token, public_base_url), size=6)
    receipt.text("手机扫码查看案件进度、评价调解", align="center")
    receipt.text(f"服务电话：{hall().phone}", align="center").feed(2)
    return {
        "receipt": receipt,
        "kind": next(kind for kind, p in KINDS.items() if p == party),
        "subject": case_subject(case),
        "title": f"转仲裁告知单（{party.label}联） {case.number}",
    }


def enqueue_slips(case: DisputeCase, public_base_url: str, *, printer: str, user,
                  referred: datetime | None = None, reprint_of: dict[str, PrintJob] | None = None
                  ) -> list[PrintJob]:
    """Both copies of a referred case's slip, added to the session (the caller commits)."""
    referred = referred or dispute_console.referred_at(case)
    jobs = []
    for kind, party in KINDS.items():
        slip = referral_slip(case, party, public_base_url, referred)
        before = (reprint_of or {}).get(kind)
        if before is not None:
            slip["receipt"] = slip["receipt"].with_banner("补打")
        jobs.append(printing.enqueue(**slip, printer=printer, requested_by_id=user.id if user else None,
                                     reprint_of_id=before.id if before else None))
    return jobs


def refer(case: DisputeCase, reason: str | None, *, public_base_url: str, printer: str, user) -> DisputeCase:
    """转仲裁 and its two slips, in one transaction: the slips print only if the case moved,
    and a referred case always has its slips (``disputes.refer`` commits them with the step)."""
    try:
        enqueue_slips(case, public_base_url, printer=printer, user=user, referred=utcnow())
        return disputes.refer(case, reason, user)
    except Exception:
        db.session.rollback()
        raise


def reprint(case: DisputeCase, public_base_url: str, *, printer: str, user) -> list[PrintJob]:
    """Both copies again, rebuilt from the case as it is now and marked 补打."""
    if case.status != CaseStatus.REFERRED:
        raise Conflict("只有已转仲裁的案件才能打印转仲裁告知单")
    jobs = enqueue_slips(case, public_base_url, printer=printer, user=user,
                         reprint_of={job.kind: job for job in latest_jobs(case)})
    db.session.flush()
    audit.record(audit.ref(case), "reprint", after={"slip": "referral", "jobs": [j.id for j in jobs]},
                 actor=audit.Actor.staff(user))
    db.session.commit()
    return jobs


def latest_jobs(case: DisputeCase) -> list[PrintJob]:
    """The newest job of each copy (what a reprint copies from)."""
    newest: dict[str, PrintJob] = {}
    for job in printing.jobs_for(case_subject(case)):  # newest first
        if job.kind in KINDS and job.kind not in newest:
            newest[job.kind] = job
    return list(newest.values())


def current_slip(kind: str, case_id: int, public_base_url: str) -> dict | None:
    """The slip as the case is now, for a reprint (``slips.current_slip``)."""
    case = db.session.get(DisputeCase, case_id)
    if case is None or case.status != CaseStatus.REFERRED:
        return None  # nothing to rebuild from: the stored copy is reprinted
    return referral_slip(case, KINDS[kind], public_base_url, dispute_console.referred_at(case))
