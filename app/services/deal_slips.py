"""The slips of a deal, as printer-independent receipts (like ``app/services/slips.py``).

Every deal slip has the same head (the hall, the slip's title, the deal number) and the same
foot: a QR to the deal's page on the holder's phone (``/d/<token>``, where the service is
rated once the deal is over: the ratings' slip seam) and the hall's phone. The agreement's
slips carry a second QR, to the page that checks the agreement is genuine (``/v/<token>``).

- ``application_slip``: the worker's, at the kiosk when they apply (or at the counter when
  staff match them): the work, when and where to be, the pay, and the employer's contact
  as the hall's policy allows (``SLIP_EMPLOYER_CONTACT``).
- ``agreement_slip``: one per side once both have signed.
- ``settlement_slip``: the worker's, when the wage is settled.

Names are masked; no slip carries an ID number, and a phone number only where the hall's
policy says so.
"""

from app.clock import format_local
from app.crypto import vault
from app.domain.deals import Side
from app.domain.masking import mask_business_name, mask_name
from app.domain.validation import format_yuan
from app.hall_config import hall
from app.models import Deal
from printers import Receipt

APPLICATION_KIND = "deal_application"
AGREEMENT_KIND = "deal_agreement"
SETTLEMENT_KIND = "deal_settlement"


def deal_subject(deal: Deal) -> str:
    """The print jobs' subject of a deal's slips (``printing.slip_can_print``)."""
    return f"deal:{deal.id}"


def deal_url(token: str, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/d/{token}"


def verify_url(deal: Deal, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/v/{deal.verify_token}"


def token_of(deal: Deal, side: Side) -> str:
    return deal.worker_token if side == Side.WORKER else deal.employer_token


def employer_shown(deal: Deal) -> str:
    """The employer as slips and public pages show it: a company's name masked like the
    hall display's, a household by its contact's masked name."""
    employer = deal.employer
    if employer.employer_name:
        return mask_business_name(employer.employer_name)
    return mask_name(employer.contact_name)


def deal_head(deal: Deal, title: str) -> Receipt:
    """The hall, the slip's title, the deal number large, and the work in one block."""
    task = deal.task_order
    trade = hall().trades_by_code[task.trade_code]
    when = task.work_date.strftime("%Y-%m-%d")
    if task.work_time:
        when += f" {task.work_time.strftime('%H:%M')}"
    receipt = (
        Receipt(items=[])
        .text(hall().name, size=2, align="center", bold=True)
        .text(title, align="center")
        .rule()
        .text("交易编号", align="center")
        .text(deal.number, size=2, align="center", bold=True)
        .rule()
        .text(f"工种：{trade.name}（岗位 {task.number}）")
        .text(f"用工方：{employer_shown(deal)}")
        .text(f"零工：{mask_name(deal.worker.name)}（{deal.worker.number}）")
        .text(f"时间：{when}，共 {task.duration_days} 天")
        .text(f"地点：{task.location}")
        .text(f"工价：{format_yuan(deal.pay)} {deal.pay_unit.label}")
    )
    return receipt


def deal_foot(receipt: Receipt, deal: Deal, side: Side, public_base_url: str) -> Receipt:
    """The QR to the deal's page on the holder's phone (rated there once the deal is over),
    and the hall's phone. Captions fit one line of 58 mm paper (16 characters)."""
    receipt.feed(1).qr(deal_url(token_of(deal, side), public_base_url), size=6)
    receipt.text("手机扫码查看交易进度", align="center")
    receipt.text("交易结束后可扫码评价", align="center")
    if hall().phone:
        receipt.text(f"服务电话：{hall().phone}", align="center")
    return receipt.feed(2)


def _job(receipt: Receipt, kind: str, deal: Deal, title: str) -> dict:
    return {"receipt": receipt, "kind": kind, "subject": deal_subject(deal),
            "title": f"{title} {deal.number}"}


# -- the slips ---------------------------------------------------------------------------------

def employer_contact(deal: Deal) -> list[str]:
    """The employer's contact as the hall's policy allows (``SLIP_EMPLOYER_CONTACT``)."""
    policy = hall().slip_employer_contact
    employer = deal.employer
    if policy == "full":
        return [f"联系人：{employer.contact_name}", f"电话：{vault().decrypt(employer.phone_cipher)}"]
    if policy == "masked":
        return [f"联系人：{mask_name(employer.contact_name)}", f"电话：尾号 {employer.phone_last4}"]
    phone = f"（{hall().phone}）" if hall().phone else ""
    return [f"联系用工方：请到服务台，由工作人员帮您联系{phone}"]


def application_slip(deal: Deal, public_base_url: str) -> dict:
    """The worker's slip when they apply (kiosk) or are matched (counter): when and where to
    be, the pay, the employer's contact as policy allows, and what happens next."""
    receipt = deal_head(deal, "报名凭条")
    if deal.task_order.requirements:
        receipt.text(f"要求：{deal.task_order.requirements}")
    receipt.text(issued_at_line(deal))
    receipt.rule()
    for line in employer_contact(deal):
        receipt.text(line)
    receipt.text("下一步：", bold=True)
    receipt.text("到服务台与用工方确认工价、签订劳务协议后再上岗")
    receipt.text("请保管好本凭条，办理时出示")
    return _job(deal_foot(receipt, deal, Side.WORKER, public_base_url), APPLICATION_KIND, deal, "报名凭条")


def agreement_slip(deal: Deal, side: Side, public_base_url: str) -> dict:
    """One side's slip of the signed agreement, with the QR that checks it is genuine."""
    receipt = deal_head(deal, f"劳务协议凭条（{side.label}）")
    receipt.text(f"签订时间：{format_local(deal.signed_at)}" if deal.signed_at else "尚未签订")
    receipt.rule()
    receipt.feed(1).qr(verify_url(deal, public_base_url), size=5)
    receipt.text("扫码核验协议真伪", align="center")
    receipt.text("协议内容以核验页面为准", align="center")
    receipt.rule()
    return _job(deal_foot(receipt, deal, side, public_base_url), AGREEMENT_KIND, deal,
                f"劳务协议凭条（{side.label}）")


def settlement_slip(deal: Deal, public_base_url: str) -> dict:
    """The worker's slip when the wage is settled: how much, how, when."""
    receipt = deal_head(deal, "工资结算凭条")
    receipt.rule()
    receipt.text(f"结算金额：{format_yuan(deal.wage_amount)} 元", size=2, bold=True)
    if deal.wage_method:
        receipt.text(f"支付方式：{deal.wage_method.label}")
    if deal.settled_at:
        receipt.text(f"支付时间：{format_local(deal.settled_at)}")
    receipt.text("如有异议，请到服务台申请协商或调解")
    return _job(deal_foot(receipt, deal, Side.WORKER, public_base_url), SETTLEMENT_KIND, deal, "工资结算凭条")


def issued_at_line(deal: Deal) -> str:
    return f"接单时间：{format_local(deal.accepted_at)}"
