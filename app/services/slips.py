"""The content of every printed slip, as a printer-independent receipt."""

from flask import current_app
from printers import Receipt

from app.clock import format_local, local_today
from app.models import Worker

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
