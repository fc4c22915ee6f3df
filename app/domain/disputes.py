"""Dispute mediation (劳动争议调解) and the hall's incident log: the rules, with no Flask and
no database.

A case moves through ``CASE``: received → accepted (or declined, with a written reason) →
mediating (sessions) → agreed (terms signed by both parties and the mediator) → performed,
or failed → referred to arbitration; withdrawn by the applicant before an outcome; merged
into its original when it duplicates one. Nothing is ever deleted: declined, withdrawn and
merged cases stay, with the reason.

Two clocks: the hall decides within ``ACCEPT_WORKING_DAYS`` working days of receipt whether
it accepts (the hall's working-day calendar); once accepted, mediation has
``MEDIATION_DAYS`` calendar days before either party may go to arbitration (劳动争议调解仲裁法
第十四条): staff are warned from day ``MEDIATION_WARN_DAY`` and the case is flagged overdue
after the last day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from . import Invalid, InvalidFields
from .idcard import IdNumber, parse_id_number
from .validation import clean_money, clean_name, clean_phone, clean_text
from .workflow import LabelledEnum, Workflow

ACCEPT_WORKING_DAYS = 3
MEDIATION_DAYS = 15
MEDIATION_WARN_DAY = 10
MAX_AMOUNT = Decimal("1000000")  # above any gig-work claim: a typo, not a claim


class CaseStatus(LabelledEnum):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "已受理"
    DECLINED = "declined", "不予受理"
    MEDIATING = "mediating", "调解中"
    AGREED = "agreed", "已达成协议"
    PERFORMED = "performed", "协议已履行"
    FAILED = "failed", "调解不成"
    REFERRED = "referred", "已转仲裁"
    WITHDRAWN = "withdrawn", "已撤回"
    MERGED = "merged", "已合并"

    @property
    def is_open(self) -> bool:
        """Still the hall's to act on (an agreed case waits for its performance)."""
        return self in OPEN_STATES

    @property
    def clock_runs(self) -> bool:
        """The 15-day mediation clock runs (accepted, not yet agreed or ended)."""
        return self in (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


OPEN_STATES = frozenset({CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING, CaseStatus.AGREED})
# Entering one of these ends the case (``closed_at`` is set once, on the first of them).
CLOSING_STATES = frozenset(CaseStatus) - OPEN_STATES
# The mediation is over: both parties can rate it from their slip.
RATEABLE_STATES = frozenset({CaseStatus.AGREED, CaseStatus.PERFORMED, CaseStatus.FAILED, CaseStatus.REFERRED,
                             CaseStatus.DECLINED, CaseStatus.WITHDRAWN})

_S = CaseStatus
CASE = Workflow(
    "该案件",
    {
        "accept": ((_S.RECEIVED,), _S.ACCEPTED, "受理"),
        "decline": ((_S.RECEIVED,), _S.DECLINED, "不予受理"),
        "session": ((_S.ACCEPTED, _S.MEDIATING), _S.MEDIATING, "记录调解"),
        "agree": ((_S.MEDIATING,), _S.AGREED, "达成调解协议"),
        "fail": ((_S.ACCEPTED, _S.MEDIATING), _S.FAILED, "终止调解"),
        "follow_up": ((_S.AGREED,), _S.AGREED, "记录协议履行回访"),
        "perform": ((_S.AGREED,), _S.PERFORMED, "确认协议已履行"),
        "refer": ((_S.FAILED, _S.AGREED), _S.REFERRED, "转仲裁"),
        "withdraw": ((_S.RECEIVED, _S.ACCEPTED, _S.MEDIATING), _S.WITHDRAWN, "撤回"),
        "merge": ((_S.RECEIVED, _S.ACCEPTED), _S.MERGED, "合并到原案件"),
    },
    next_steps={
        _S.RECEIVED: "请先受理或不予受理",
        _S.ACCEPTED: "请先记录一次调解",
        _S.AGREED: "协议履行后请确认已履行；未履行可转仲裁",
        _S.FAILED: "调解不成的案件只能转仲裁",
        _S.DECLINED: "不予受理的案件已结束；如有新情况请重新申请",
        _S.PERFORMED: "案件已结束",
        _S.REFERRED: "案件已转仲裁，已结束",
        _S.WITHDRAWN: "申请人已撤回，案件已结束",
        _S.MERGED: "该案件已合并，请到原案件办理",
    },
)

# What the applicant's progress page says comes next, per state.
NEXT_FOR_APPLICANT = {
    _S.RECEIVED: f"{ACCEPT_WORKING_DAYS} 个工作日内受理，工作人员会电话联系您",
    _S.ACCEPTED: "已受理，工作人员会电话约双方来大厅调解",
    _S.MEDIATING: "调解进行中，请留意工作人员的电话",
    _S.AGREED: "已达成调解协议，请按协议约定的期限履行；工作人员会回访履行情况",
    _S.PERFORMED: "协议已履行，案件结束",
    _S.FAILED: "调解未能达成协议，您可以申请劳动争议仲裁，工作人员会告诉您要带的材料",
    _S.REFERRED: "已转劳动争议仲裁，请按转仲裁告知单准备材料",
    _S.DECLINED: "本申请不予受理，原因见下；如有新情况可以重新申请",
    _S.WITHDRAWN: "您已撤回申请，案件结束",
    _S.MERGED: "本申请与您之前的申请是同一件事，已合并办理",
}


class CaseKind(LabelledEnum):
    WAGES = "wages", "欠薪"
    INJURY = "injury", "工伤"
    MISMATCH = "mismatch", "工作内容与约定不符"
    NO_SHOW = "no_show", "拒不到岗"
    OTHER = "other", "其他"


class ApplicantRole(LabelledEnum):
    WORKER = "worker", "零工"
    EMPLOYER = "employer", "用工方"


class CaseChannel(LabelledEnum):
    KIOSK = "kiosk", "自助终端"
    COUNTER = "counter", "窗口口头申请"
    PHONE = "phone", "电话申请"


class Party(LabelledEnum):
    """Who signs an agreement."""

    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    MEDIATOR = "mediator", "调解员"


class PaymentMethod(LabelledEnum):
    CASH = "cash", "现金"
    WECHAT = "wechat", "微信"
    ALIPAY = "alipay", "支付宝"
    BANK = "bank", "银行转账"


class EntryKind(LabelledEnum):
    SESSION = "session", "调解记录"
    FOLLOW_UP = "follow_up", "履行回访"


# Common facts and wishes to tap, per kind (they fill the text; nothing else is stored).
FACTS = {
    CaseKind.WAGES: ("活干完了，工钱没给", "只给了一部分工钱", "老板联系不上", "工钱比说好的少"),
    CaseKind.INJURY: ("干活时受了伤", "老板不肯出医药费", "没有买保险"),
    CaseKind.MISMATCH: ("活比说好的重", "干的时间比说好的长", "干活地点和说好的不一样",
                        "活的内容和说好的不一样"),
    CaseKind.NO_SHOW: ("说好的人没来", "干到一半走了", "来了人但不会干"),
    CaseKind.OTHER: (),
}
WANTS = {
    CaseKind.WAGES: ("要回全部工钱", "按说好的工价结算"),
    CaseKind.INJURY: ("赔偿医药费", "赔偿误工费"),
    CaseKind.MISMATCH: ("按实际干的活加钱", "解除约定并结清工钱"),
    CaseKind.NO_SHOW: ("退还预付的钱", "赔偿损失"),
    CaseKind.OTHER: (),
}

NAME_MAX = 40
FACTS_MAX = 1000
WANTS_MAX = 500
REASON_MAX = 500
_MARKUP = re.compile(r"[<>]")
MARKUP_MESSAGE = "不能包含 < 或 > 符号，请用文字说明"


def clean_statement(raw: str | None, *, label: str, minimum: int, maximum: int) -> str:
    """Free text of a case (what happened, what is wanted, a reason): no markup characters,
    so that nothing a kiosk user types can ever look like code on a staff screen."""
    text = clean_text(raw, label=label, minimum=minimum, maximum=maximum)
    if _MARKUP.search(text):
        raise Invalid(MARKUP_MESSAGE)
    return text


def clean_party_name(raw: str | None, *, label: str, required: bool = True) -> str:
    """A person's or a company's name as told (a company may be all the applicant knows)."""
    return clean_statement(raw, label=label, minimum=1 if required else 0, maximum=NAME_MAX)


@dataclass(frozen=True)
class Filing:
    """A dispute application, checked."""

    applicant_role: ApplicantRole
    applicant_name: str
    applicant_phone: str
    id_number: IdNumber | None
    other_party_name: str
    other_party_phone: str | None
    other_party_company: str
    kind: CaseKind
    amount: Decimal | None
    facts: str
    wants: str


def read_filing(form: dict, *, known_name: str | None = None, known_phone: str | None = None) -> Filing:
    """Check an application (the kiosk's form, or the staff's); ``InvalidFields`` names
    every field that is wrong, in Chinese. A recognised registered worker (``known_…``, from
    their slip's QR or ID number) need not type their name and phone again."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    form = dict(form)
    for name, known in (("applicant_name", known_name), ("applicant_phone", known_phone)):
        if known and not (form.get(name) or "").strip():
            form[name] = known

    def take(name: str, rule):
        try:
            values[name] = rule(form.get(name))
        except Invalid as err:
            errors[name] = err.message

    take("applicant_role", lambda raw: _choice(ApplicantRole, raw, "请选择您是零工还是用工方"))
    take("applicant_name", clean_name)
    take("applicant_phone", clean_phone)
    take("id_number", lambda raw: parse_id_number(raw) if (raw or "").strip() else None)
    take("other_party_name", lambda raw: clean_party_name(raw, label="对方姓名或单位"))
    take("other_party_phone", lambda raw: clean_phone(raw) if (raw or "").strip() else None)
    take("other_party_company", lambda raw: clean_party_name(raw, label="对方单位", required=False))
    take("kind", lambda raw: _choice(CaseKind, raw, "请选择纠纷类型"))
    take("amount", lambda raw: clean_money(raw, label="涉及金额", maximum=MAX_AMOUNT, required=False))
    take("facts", lambda raw: clean_statement(raw, label="发生了什么（可点选常见情况）", minimum=1,
                                              maximum=FACTS_MAX))
    take("wants", lambda raw: clean_statement(raw, label="您的诉求", minimum=1, maximum=WANTS_MAX))
    other_phone = values.get("other_party_phone")
    if not errors and other_phone and other_phone == values["applicant_phone"]:
        errors["other_party_phone"] = "对方电话不能和您的电话相同"
    if errors:
        raise InvalidFields(errors)
    return Filing(**values)


def _choice(enum_type, raw: str | None, message: str):
    try:
        return enum_type((raw or "").strip())
    except ValueError:
        raise Invalid(message) from None


# -- the clocks --------------------------------------------------------------------------------

class ClockLevel(LabelledEnum):
    OK = "ok", "正常"
    WARN = "warn", "即将到期"
    OVERDUE = "overdue", "已超期"


@dataclass(frozen=True)
class Clock:
    """A deadline as a screen shows it: the due day, the day count, and its level."""

    due: date
    day: int  # days since the clock started (day 1 is the day after)
    level: ClockLevel


def mediation_clock(accepted_on: date, today: date) -> Clock:
    """15 calendar days from acceptance: warned from day 10, overdue after day 15."""
    day = (today - accepted_on).days
    due = accepted_on + timedelta(days=MEDIATION_DAYS)
    level = (ClockLevel.OVERDUE if day > MEDIATION_DAYS
             else ClockLevel.WARN if day >= MEDIATION_WARN_DAY else ClockLevel.OK)
    return Clock(due, day, level)


def acceptance_clock(received_on: date, due: date, today: date) -> Clock:
    """Accept or decline by ``due`` (the 3rd working day after receipt, from the calendar):
    warned on the due day itself, overdue after it."""
    day = (today - received_on).days
    level = ClockLevel.OVERDUE if today > due else ClockLevel.WARN if today == due else ClockLevel.OK
    return Clock(due, day, level)


def case_number(year: int, seq: int) -> str:
    return f"{year}-JF-{seq:04d}"


# -- the incident log --------------------------------------------------------------------------

class IncidentKind(LabelledEnum):
    FIGHT = "fight", "打架斗殴"
    EXTORTION = "extortion", "敲诈勒索"
    FORCED_TRADE = "forced_trade", "强迫交易"
    FALSE_HIRING = "false_hiring", "虚假招聘"
    CHILD_LABOUR = "child_labour", "雇佣童工"
    FEE = "fee", "违规收费"
    OTHER = "other", "其他"


# The five kinds item B8 counts; 违规收费 is item B9's.
HALL_INCIDENT_KINDS = (IncidentKind.FIGHT, IncidentKind.EXTORTION, IncidentKind.FORCED_TRADE,
                       IncidentKind.FALSE_HIRING, IncidentKind.CHILD_LABOUR)
FEE_INCIDENT_KINDS = (IncidentKind.FEE,)


# -- signatures --------------------------------------------------------------------------------

SIGNATURE_MAX_BYTES = 300_000
SIGNATURE_MIN_INK = 150  # drawn pixels: a tap or an empty box is not a signature


def read_signature(data_url: str | None, *, who: str) -> bytes:
    """A signature drawn on the touchscreen (``data:image/png;base64,…`` from the canvas),
    checked and stored as a clean PNG (no metadata); ``Invalid`` when empty or not an image."""
    import base64
    import binascii
    import io

    from PIL import Image, ImageChops, UnidentifiedImageError

    head, _, body = (data_url or "").partition(",")
    if head != "data:image/png;base64" or not body:
        raise Invalid(f"请{who}在签名框内签名")
    if len(body) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise Invalid(f"{who}的签名图片过大，请清除后重签")
    try:
        raw = base64.b64decode(body, validate=True)
        image = Image.open(io.BytesIO(raw))
        if image.format != "PNG" or image.width > 2000 or image.height > 1000:
            raise Invalid(f"{who}的签名无法识别，请清除后重签")
        image = image.convert("LA")
    except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
        raise Invalid(f"{who}的签名无法识别，请清除后重签") from None
    # Ink: pixels drawn (opaque and dark); a blank canvas is transparent or white.
    dark = image.getchannel("L").point(lambda v: 255 if v < 160 else 0)
    opaque = image.getchannel("A").point(lambda v: 255 if v > 64 else 0)
    ink = ImageChops.multiply(dark, opaque).histogram()[255]
    if ink < SIGNATURE_MIN_INK:
        raise Invalid(f"请{who}在签名框内写下姓名")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def read_signatures(signatures: Mapping, parties, errors: dict[str, str]) -> dict:
    """Each party's signature as the touchscreen sends it (``signatures[party]``: its
    ``signer`` and ``data_url``; missing for an empty pad): ``{party: (name, png)}``, every
    wrong one's message added to ``errors`` under ``signature_<party>``. One rule for the
    mediation agreement's three signatures and a deal agreement's two."""
    images = {}
    for party in parties:
        sent = signatures.get(party)
        try:
            signer = clean_party_name(sent.signer if sent else "", label=f"{party.label}姓名")
            images[party] = (signer, read_signature(sent.data_url if sent else None, who=party.label))
        except Invalid as err:
            errors[f"signature_{party.value}"] = err.message
    return images
