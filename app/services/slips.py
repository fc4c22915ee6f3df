"""The content of every printed slip, as a printer-independent receipt."""

from flask import current_app

from app.clock import format_local, local_today
from app.domain.trades import trade_names
from app.models import Worker
from printers import Receipt

from .queue import services as queue_services
from .workers import card


def worker_url(worker: Worker, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/w/{worker.qr_token}"


def worker_slip(worker: Worker, public_base_url: str) -> dict:
    """Keyword arguments for ``printing.enqueue``: the registration slip of a worker."""
    info = card(worker, local_today())
    receipt = (
        Receipt(items=[])
        .text(current_app.config["HALL_NAME"], size=2, align="center", bold=True)
        .text("零工登记凭条", align="center")
        .rule()
        .text("零工编号", align="center")
        .text(info.number, size=2, align="center", bold=True)
        .rule()
        .text(f"姓名：{info.name}")
        .text(f"身份证：{info.masked_id}")
        .text(f"手机：{info.masked_phone}")
        .text(f"工种：{info.trades}")
        .text(f"期望日薪：{info.expected_wage:.2f}元")
    )
    if info.is_minor:
        receipt.text("未成年工（16-17周岁）：不安排禁忌劳动", bold=True)
    receipt.text(f"登记时间：{format_local(worker.last_registered_at)}").feed(1)
    receipt.qr(worker_url(worker, public_base_url), size=6)
    receipt.text("手机扫码查看本人登记信息", align="center")
    receipt.text("再次办理时出示此码", align="center")
    receipt.text(f"服务电话：{current_app.config['HALL_PHONE']}", align="center").feed(2)
    return {
        "receipt": receipt,
        "kind": "worker_slip",
        "subject": f"worker:{worker.id}",
        "title": f"零工登记凭条 {info.number}",
    }


def ticket_url(ticket, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/q/{ticket.status_token}"


def ticket_slip(ticket, ahead: int, public_base_url: str) -> dict:
    """Keyword arguments for ``printing.enqueue``: an employer's queue ticket."""
    service = queue_services()[ticket.service_code]
    receipt = (
        Receipt(items=[])
        .text(current_app.config["HALL_NAME"], size=2, align="center", bold=True)
        .text(f"排队凭条 · {service.name}", align="center")
        .rule()
        .text(ticket.number, size=3, align="center", bold=True)
        .text(f"您前面还有 {ahead} 位", align="center")
        .text(f"取号时间：{format_local(ticket.issued_at)}", align="center")
        .rule()
    )
    if ticket.task_order is not None:
        task = ticket.task_order
        receipt.text(f"招工：{trade_names([task.trade_code])} {task.headcount}人")
        receipt.text(f"工资：{task.pay:.2f}{task.pay_unit.label}")
        receipt.text(f"日期：{task.work_date.isoformat()}")
    receipt.feed(1).qr(ticket_url(ticket, public_base_url), size=6)
    receipt.text("手机扫码查看排队进度", align="center")
    receipt.text("请留意大厅屏幕和广播叫号", align="center").feed(2)
    return {
        "receipt": receipt,
        "kind": "queue_ticket",
        "subject": f"ticket:{ticket.id}",
        "title": f"排队凭条 {ticket.number}",
    }
