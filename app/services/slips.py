"""The content of every printed slip, as a printer-independent receipt."""

import hashlib

from flask import current_app
from sqlalchemy import select

from app.clock import format_local, local_today
from app.domain.trades import trade_names
from app.domain.validation import format_yuan
from app.extensions import db
from app.hall_config import hall
from app.models import ReplacedQr, Ticket, Worker
from printers import Receipt

from .queue import services as queue_services
from .workers import card


def public_base_url() -> str:
    """The address printed in QR codes: only ever from the configuration (PUBLIC_BASE_URL,
    else SERVED_AT, the address `make run` serves on; staff see a warning meanwhile). Never
    a request's Host header, which the client chooses and which would put someone else's
    address on the hall's paper."""
    return current_app.config["PUBLIC_BASE_URL"] or current_app.config["SERVED_AT"]


def worker_subject(worker: Worker) -> str:
    """The print jobs' subject of a worker's slips."""
    return f"worker:{worker.id}"


def ticket_subject(ticket: Ticket) -> str:
    return f"ticket:{ticket.id}"


def worker_url(worker: Worker, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/w/{worker.qr_token}"


def worker_slip(worker: Worker, public_base_url: str) -> dict:
    """Keyword arguments for ``printing.enqueue``: the registration slip of a worker."""
    info = card(worker, local_today())
    receipt = (
        Receipt(items=[])
        .text(hall().name, size=2, align="center", bold=True)
        .text("零工登记凭条", align="center")
        .rule()
        .text("零工编号", align="center")
        .text(info.number, size=2, align="center", bold=True)
        .rule()
        .text(f"姓名：{info.name}")
        .text(f"身份证：{info.masked_id}")
        .text(f"手机：{info.masked_phone}")
        .text(f"工种：{info.trades}")
        .text(f"期望日薪：{format_yuan(info.expected_wage)}元")
    )
    if info.is_minor:
        receipt.text("未成年工（16-17周岁）：不安排禁忌劳动", bold=True)
    receipt.text(f"登记时间：{format_local(worker.last_registered_at)}").feed(1)
    receipt.qr(worker_url(worker, public_base_url), size=6)
    # One QR: its page shows the record and offers to rate the registration. One line on
    # 58 mm paper (32 columns), so it never wraps a lone character onto a line of its own.
    receipt.text("手机扫码查看登记信息、评价服务", align="center")
    receipt.text("再次办理时出示此码", align="center")
    receipt.text(f"服务电话：{hall().phone}", align="center").feed(2)
    return {
        "receipt": receipt,
        "kind": "worker_slip",
        "subject": worker_subject(worker),
        "title": f"零工登记凭条 {info.number}",
    }


def ticket_url(ticket, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/q/{ticket.status_token}"


def ticket_slip(ticket, ahead: int, public_base_url: str) -> dict:
    """Keyword arguments for ``printing.enqueue``: an employer's queue ticket."""
    service = queue_services()[ticket.service_code]
    receipt = (
        Receipt(items=[])
        .text(hall().name, size=2, align="center", bold=True)
        .text(f"排队凭条 · {service.name}", align="center")
        .rule()
        .text(ticket.number, size=3, align="center", bold=True)
        .text(f"您前面还有 {ahead} 位", align="center")
        .text(f"取号时间：{format_local(ticket.issued_at)}", align="center")
        .rule()
    )
    if ticket.task_order is not None:
        task = ticket.task_order
        when = task.work_date.isoformat() + (f" {task.work_time:%H:%M}" if task.work_time else "")
        receipt.text(f"招工：{trade_names([task.trade_code], hall().trades)} {task.headcount}人")
        receipt.text(f"工资：{format_yuan(task.pay)}{task.pay_unit.label}")
        receipt.text(f"时间：{when}")
        receipt.text(f"地点：{task.location}")
        if task.description:
            receipt.text(f"说明：{task.description}")
        receipt.text("工作人员审核后在大厅屏幕发布", align="center")
        receipt.rule()
    receipt.feed(1).qr(ticket_url(ticket, public_base_url), size=6)
    receipt.text("手机扫码查看排队进度、评价服务", align="center")  # one QR: status, then rating
    receipt.text("请留意大厅屏幕和广播叫号", align="center")
    receipt.text(f"服务电话：{hall().phone}", align="center").feed(2)
    return {
        "receipt": receipt,
        "kind": "queue_ticket",
        "subject": ticket_subject(ticket),
        "title": f"排队凭条 {ticket.number}",
    }


def token_hash(token: str) -> str:
    """How a replaced QR is remembered (ReplacedQr): the token itself opens a record, its
    hash opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def was_replaced(token: str) -> bool:
    """Whether ``token`` is the QR of an older registration slip of a worker whose record
    still exists: each registration prints a new QR and the older ones stop opening the
    record (registration._save remembers them). A worker's replaced QRs are forgotten when
    the worker is anonymised, so those QRs are simply unknown."""
    if not token or len(token) > 64:
        return False
    return db.session.scalar(
        select(ReplacedQr.worker_id).join(Worker, Worker.id == ReplacedQr.worker_id)
        .where(ReplacedQr.token_hash == token_hash(token), Worker.anonymised_at.is_(None))) is not None


class SlipGone(Exception):
    """The record behind a slip no longer exists as it was (e.g. anonymised)."""


def current_slip(kind: str, subject: str) -> dict | None:
    """The slip of a record as it is now (its current QR), for a reprint; None for kinds
    that have no record to rebuild from (their stored receipt is copied)."""
    from .queue import waiting_ahead

    _, _, record_id = subject.partition(":")
    if not record_id.isdigit():
        return None
    if kind == "worker_slip":
        worker = db.session.get(Worker, int(record_id))
        if worker is None or worker.anonymised_at is not None:
            raise SlipGone("该零工的个人信息已删除，不能重新打印")
        return worker_slip(worker, public_base_url())
    if kind == "queue_ticket":
        ticket = db.session.get(Ticket, int(record_id))
        if ticket is None:
            raise SlipGone("找不到这张排队凭条对应的号")
        return ticket_slip(ticket, waiting_ahead(ticket), public_base_url())
    from . import referrals

    if kind in referrals.KINDS:
        return referrals.current_slip(kind, int(record_id), public_base_url())
    return None
