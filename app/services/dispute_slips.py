"""The slips of a dispute case, as printer-independent receipts (like app/services/slips.py).

Every case slip has the same head (the hall, the slip's title, the case number) and the same
foot (a QR to the case's progress page on the holder's phone, ``/c/<token>``, and the hall's
phone). The applicant's slip is printed at filing (``filing_slip``); the other party's
slips (agreement, referral) are built the same way from ``case_head`` and ``progress_foot``
with the respondent's token. No slip carries the other party's name or phone; the
applicant's name is masked.
"""

from app.clock import format_local
from app.domain.disputes import NEXT_FOR_APPLICANT, CaseStatus
from app.domain.masking import mask_name
from app.hall_config import hall
from app.models import DisputeCase
from printers import Receipt

SLIP_KIND = "dispute_slip"  # the print jobs' kind of the applicant's filing slip


def case_subject(case: DisputeCase) -> str:
    """The print jobs' subject of a case's slips (``printing.slip_can_print``)."""
    return f"case:{case.id}"


def progress_url(token: str, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/c/{token}"


def case_head(case: DisputeCase, title: str) -> Receipt:
    """The hall, the slip's title, and the case number, large."""
    return (
        Receipt(items=[])
        .text(hall().name, size=2, align="center", bold=True)
        .text(title, align="center")
        .rule()
        .text("案件编号", align="center")
        .text(case.number, size=2, align="center", bold=True)
        .rule()
        .text(f"申请人：{mask_name(case.applicant_name)}（{case.applicant_role.label}）")
        .text(f"纠纷类型：{case.kind.label}")
    )


def progress_foot(receipt: Receipt, token: str, public_base_url: str) -> Receipt:
    """The QR to the progress page (where the mediation is rated once it is over), and the
    hall's phone. One line of 58 mm paper (16 characters) for the QR's caption."""
    receipt.feed(1).qr(progress_url(token, public_base_url), size=6)
    receipt.text("手机扫码查看办理进度", align="center")
    receipt.text("调解结束后可扫码评价", align="center")
    if hall().phone:
        receipt.text(f"服务电话：{hall().phone}", align="center")
    return receipt.feed(2)


def filing_slip(case: DisputeCase, public_base_url: str) -> dict:
    """Keyword arguments for ``printing.enqueue``: the applicant's slip, printed at filing."""
    receipt = case_head(case, "纠纷调解申请凭条")
    receipt.text(f"申请时间：{format_local(case.received_at)}")
    receipt.rule()
    receipt.text("下一步：", bold=True)
    receipt.text(NEXT_FOR_APPLICANT[CaseStatus.RECEIVED])
    receipt.text("请保管好本凭条，办理时出示")
    progress_foot(receipt, case.applicant_token, public_base_url)
    return {
        "receipt": receipt,
        "kind": SLIP_KIND,
        "subject": case_subject(case),
        "title": f"纠纷调解申请凭条 {case.number}",
    }
