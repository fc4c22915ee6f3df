"""The 劳务协议's text, its seal and its check: what both sides of a deal sign.

The agreement is generated from the deal's rows and the hall's settings
(``agreement_content``), kept with the signatures' digests and the signing time as one
canonical text (``agreement_text``), and sealed with a keyed hash only the server can make
(``seal``: the server's hashing key, ``app.crypto``). ``verify`` checks the seal over the kept
text, then the deal's own facts in its rows as they are now against it: any field altered in
the database afterwards no longer verifies, and nobody without the key can reseal it.
``app.services.deals.sign`` stores it; the screens read it through ``signed_content``.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from app.crypto import vault
from app.domain.deals import canonical, png_digest
from app.domain.masking import mask_id_number
from app.hall_config import hall
from app.models import Deal, EmployerType


def agreement_content(deal: Deal) -> dict:
    """The 劳务协议 as generated from the deal's rows and the hall's settings: what both
    sides sign. ID numbers masked; money as exact text."""
    task, worker, employer = deal.task_order, deal.worker, deal.employer
    trade = hall().trades_by_code[task.trade_code]
    enterprise = employer.employer_type == EmployerType.ENTERPRISE and employer.employer_name
    return {
        "number": deal.number,
        "employer": {"name": employer.employer_name if enterprise else employer.contact_name,
                     "contact": employer.contact_name, "uscc": employer.uscc or ""},
        "worker": {"name": worker.name, "number": worker.number,
                   "id_number": mask_id_number(vault().decrypt(worker.id_cipher)) if worker.id_cipher
                   else ""},
        "work": {"posting": task.number, "trade_code": task.trade_code, "trade": trade.name,
                 "description": task.description,
                 "requirements": task.requirements, "place": task.location,
                 "date": task.work_date.isoformat(),
                 "time": task.work_time.strftime("%H:%M") if task.work_time else "",
                 "days": task.duration_days},
        "pay": {"amount": str(deal.pay), "unit": deal.pay_unit.value, "unit_label": deal.pay_unit.label},
        "terms": AGREEMENT_TERMS,
        "hall": hall().name,
    }


# The clauses every 劳务协议 of the hall carries (the parties' own details come from the deal).
AGREEMENT_TERMS = {
    "payment": "甲方在工作完成当日（按天计酬的，按实际工作天数）向乙方足额支付劳务报酬，"
               "可通过现金、微信、支付宝或银行转账支付；零工市场登记付款和结算情况。",
    "insurance": "甲方为乙方在工作期间投保意外伤害保险（保险信息在本协议签订后登记）；"
                 "未投保的，须登记原因，工作期间发生意外由甲方依法承担责任。",
    "safety": "甲方提供必要的劳动保护和安全条件，不得安排乙方从事与本协议不符的工作。",
    "dispute": "发生争议的，双方先协商；协商不成的，可向零工市场申请免费调解，"
               "或向劳动人事争议仲裁委员会申请仲裁、向人民法院起诉。",
}


def _signatures_digest(deal: Deal) -> dict[str, dict[str, str]]:
    return {s.side.value: {"signer": s.signer, "png": png_digest(s.png)} for s in deal.signatures}


def agreement_text(deal: Deal, signed_at: datetime | None = None) -> str:
    """The agreement as signed: its content, the signatures' digests and the signing time
    (``deal.signed_at`` unless given), as the canonical text that is sealed."""
    moment = signed_at or deal.signed_at
    return canonical({**agreement_content(deal), "signatures": _signatures_digest(deal),
                      "signed_at": moment.isoformat() if moment else ""})


# What ``verify`` compares between the kept text and the deal's rows now: the deal's own
# facts. The hall's name, the trade's name and the standard clauses are settings and code,
# which may change after signing without altering what was signed: the kept text says them.
_FACTS = {"number": (), "employer": ("name", "contact", "uscc"), "worker": ("name", "number", "id_number"),
          "work": ("posting", "trade_code", "description", "requirements", "place", "date", "time", "days"),
          "pay": ("amount", "unit"), "signatures": None, "signed_at": ()}
# A worker whose personal data was erased at their request (``workers.anonymise``): the
# rows no longer hold their name and ID number, which the kept text still does.
_ERASED = {"worker": ("number",)}


def _facts(content: dict, erased: bool) -> dict:
    picked = {}
    for key, fields in (_FACTS | (_ERASED if erased else {})).items():
        value = content.get(key)
        picked[key] = {f: value.get(f) for f in fields} if fields and isinstance(value, dict) else value
    return picked


def seal(text: str) -> str:
    """A keyed hash of the agreement's text (the server's hashing key, ``app.crypto``)."""
    return vault().blind_index("deal-agreement", text)


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    problem: str = ""  # why not, for the check page


def verify(deal: Deal) -> Verdict:
    """Is the agreement the one both sides signed, unaltered? The seal over the kept text
    (nobody without the server's key can reseal an altered one), then the deal's own facts
    in its rows now (parties, work, pay, signatures, signing time) against the kept text."""
    if deal.agreement_content is None or deal.agreement_seal is None:
        return Verdict(False, "该协议尚未签订")
    text = deal.agreement_content
    if not hmac.compare_digest(seal(text), deal.agreement_seal):
        return Verdict(False, "协议内容与签订时的校验码不符，可能已被改动")
    erased = deal.worker.anonymised_at is not None
    if _facts(json.loads(text), erased) != _facts(json.loads(agreement_text(deal)), erased):
        return Verdict(False, "交易记录与签订的协议不一致，可能已被改动")
    return Verdict(True)


def signed_content(deal: Deal) -> dict | None:
    return json.loads(deal.agreement_content) if deal.agreement_content else None
