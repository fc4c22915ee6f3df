"""Job postings and deals (交易): the rules, with no Flask and no database.

A *posting* is a task order (``app.domain.task_orders``) once staff publish it: it stays on
the board until its validity ends, its places are filled, or staff close it or confirm it
false. A *deal* is one worker engaged on one posting; it moves through ``DEAL``, one step
after the other, as a real platform records them:

    accepted → priced → signed → insured → paid → settled → completed

- **accepted**: the worker applied at the kiosk, or staff matched them (a place is taken);
- **priced**: both sides accepted the amount and unit (each side's confirmation is kept);
- **signed**: the 劳务协议 generated from the deal, signed by both on the touchscreen;
- **insured**: the insurer, policy, premium and cover dates, or 未投保 with the reason;
- **paid**: the employer's payment (amount, method, reference, time);
- **settled**: the wage paid to the worker (amount, method, time);
- **completed**: counted in C3 by the completion time.

A deal is cancelled with a reason from any state before completion; its place goes back
to the posting. The hall moves no money: it records what was agreed, paid and settled.
Money is ``Decimal`` with two places, never a float.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from decimal import Decimal

from . import Conflict, Invalid
from .checkin import MAX_PAY  # per unit: above it a figure is a typing slip
from .idcard import ADULT_AGE, MIN_AGE, age_on
from .trades import Trade
from .validation import clean_money
from .workflow import LabelledEnum, Workflow

MAX_AMOUNT = Decimal("1000000")  # a payment, a wage or a premium
MAX_PREMIUM = Decimal("100000")
# Work lasting up to this many days is short-term labour (短期用工, item G2).
SHORT_TERM_MAX_DAYS = 90
MAX_DURATION_DAYS = 365
FUJIAN = "35"  # the province code of Fujian: the first two digits of an ID number


class DealStatus(LabelledEnum):
    ACCEPTED = "accepted", "已接单"
    PRICED = "priced", "价格已确认"
    SIGNED = "signed", "协议已签订"
    INSURED = "insured", "保险已登记"
    PAID = "paid", "雇主已付款"
    SETTLED = "settled", "工资已结算"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"

    @property
    def is_open(self) -> bool:
        return self not in (DealStatus.COMPLETED, DealStatus.CANCELLED)


# The steps in order: each state's next one (cancellation aside).
STEP_ORDER = (DealStatus.ACCEPTED, DealStatus.PRICED, DealStatus.SIGNED, DealStatus.INSURED,
              DealStatus.PAID, DealStatus.SETTLED, DealStatus.COMPLETED)
OPEN_DEAL_STATES = frozenset(s for s in DealStatus if s.is_open)

_D = DealStatus
DEAL = Workflow(
    "该交易",
    {
        "confirm_price": ((_D.ACCEPTED,), _D.PRICED, "确认价格"),
        "sign": ((_D.PRICED,), _D.SIGNED, "签订劳务协议"),
        "insure": ((_D.SIGNED,), _D.INSURED, "登记保险"),
        "pay": ((_D.INSURED,), _D.PAID, "登记雇主付款"),
        "settle": ((_D.PAID,), _D.SETTLED, "登记工资结算"),
        "complete": ((_D.SETTLED,), _D.COMPLETED, "确认完成"),
        "cancel": (OPEN_DEAL_STATES, _D.CANCELLED, "取消"),
    },
    next_steps={
        _D.ACCEPTED: "请先确认双方接受的价格",
        _D.PRICED: "请先请双方在触屏上签订劳务协议",
        _D.SIGNED: "请先登记保险（或未投保的原因）",
        _D.INSURED: "请先登记雇主付款",
        _D.PAID: "请先登记工资结算",
        _D.SETTLED: "工资已结算，可确认交易完成",
        _D.COMPLETED: "交易已完成，无需再操作；如有纠纷请登记协商或申请调解",
        _D.CANCELLED: "交易已取消，无需再操作；如需继续，请重新报名",
    },
)


class Side(LabelledEnum):
    """The two parties of a deal (and of its agreement)."""

    WORKER = "worker", "零工（乙方）"
    EMPLOYER = "employer", "用工方（甲方）"


class ConfirmedVia(LabelledEnum):
    KIOSK = "kiosk", "本人在触屏上确认"
    STAFF = "staff", "工作人员按本人口头确认登记"


class DealSource(LabelledEnum):
    KIOSK = "kiosk", "零工在触屏报名"
    STAFF = "staff", "工作人员撮合"


class PostingSource(LabelledEnum):
    """Where a posting came from; ``ENTERPRISE``: staff published it for an enterprise (G1)."""

    CHECKIN = "checkin", "用工方现场登记"
    PHONE = "phone", "电话登记"
    ENTERPRISE = "enterprise", "代企业发布"


class FalseKind(LabelledEnum):
    """What a record confirmed false (虚假, item C4) is."""

    POSTING = "task_order", "岗位信息"
    WORKER = "worker", "零工信息"


class NoteKind(LabelledEnum):
    NEGOTIATION = "negotiation", "任务未完成协商"
    NOTE = "note", "备注"


# -- acceptance -----------------------------------------------------------------------------

def check_age(birth_date: date, trade: Trade, day: date) -> None:
    """``Conflict`` when the worker may not be engaged for ``trade`` on ``day``."""
    age = age_on(birth_date, day)
    if age < MIN_AGE:
        raise Conflict("未满16周岁不能接受用工（《劳动法》第十五条），本次报名未成功")
    if age < ADULT_AGE and trade.minors_forbidden:
        raise Conflict(f"“{trade.name}”属于未成年工禁止从事的劳动（重体力、高处、有毒有害等），"
                       "未满18周岁不能报名，请选择其他岗位")


PLACE_GONE = "很抱歉，这个岗位的名额刚刚被别人报满了。请看看其他岗位，或到服务台咨询"
NOT_OPEN = "这个岗位已经不在招工了（已到期、已招满或已关闭）。请看看其他岗位"


def is_inter_provincial(worker_from_other_province: bool | None, work_outside_fujian: bool) -> bool:
    """Suggested as inter-provincial service (G3): a worker whose ID shows a home province
    other than Fujian, or a workplace outside Fujian. Staff confirm it."""
    return bool(worker_from_other_province) or work_outside_fujian


PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
             "浙江", "安徽", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
             "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门")


def place_outside_fujian(location: str) -> bool:
    """A workplace that names another province first (江西省南昌市…, 浙江温州): a suggestion
    for the posting form's 省外 box, which staff can change."""
    text = (location or "").strip()
    return any(text.startswith(name) for name in PROVINCES)


# -- postings ---------------------------------------------------------------------------------

def valid_until(published_on: date, work_date: date, valid_days: int) -> date:
    """The last day a posting stays on the board: ``valid_days`` days from publication
    (the day itself counts), but never past the work date."""
    return min(published_on + timedelta(days=valid_days - 1), work_date)


def is_short_term(duration_days: int) -> bool:
    return duration_days <= SHORT_TERM_MAX_DAYS


# Wording that discriminates beyond what the law allows (就业促进法 第三条、第二十七条、第二十八条、
# 第三十一条; 妇女权益保障法): flagged to the reviewer before publication, who decides. Ages
# are legal only as the law's own limits (16, 18, retirement), so an upper age limit is
# flagged for the reviewer to judge.
def _any(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(alternatives))


_FLAGS = (
    # "不限男女" says the opposite: no 限 right after 不
    ("性别", _any(r"(?<!不)(只|仅|限)(招|要|收)?(男|女)", "男性优先", "女性优先", "男士优先", "女士优先",
                r"不(要|招|收)(女|男)", r"要求(男|女)(性|士|工)?", r"招(男|女)(工|性|士)",
                r"(男|女)(性|士)?勿扰", "已婚已育", "未婚")),
    ("民族", _any(r"(只|仅|限)(招|要|收)?汉族", r"不(要|招|收)(少数)?民族",
                r"不(要|招|收)(回族|藏族|维族|维吾尔族|彝族|苗族)")),
    ("地域", _any(r"(只|仅|限)(招|要|收)?(本地|当地|本县|本市|本省|沙县)人?",
                r"不(要|招|收)(外地|外省|河南|四川|江西|贵州|湖南|新疆)", "本地人优先",
                r"(限|要求).{0,4}户籍", r"(限|只要).{0,6}籍")),
    ("年龄", _any(r"([2-5][0-9])\s*(周)?岁(以下|以内)", r"不超过\s*[2-5][0-9]\s*(周)?岁",
                # an age range ending below the retirement age: 18-45岁, 18至45周岁
                r"[1-9][0-9]\s*(周岁|岁)?\s*(-|—|–|~|～|至|到)\s*[2-5][0-9]\s*(周)?岁",
                r"(年龄|岁数).{0,4}(以下|以内|不超过)", r"限.{0,4}(年轻|青年)", "只要年轻")),
    ("健康状况", _any(r"不(要|招|收)(乙肝|携带者|残疾)", r"乙肝(携带者)?(勿|不要|免)")),
)


def discrimination_flags(*texts: str) -> list[str]:
    """What a reviewer is warned of in a posting's wording: '性别：“只招男”' per finding."""
    found = []
    for label, pattern in _FLAGS:
        for text in texts:
            match = pattern.search(text or "")
            if match:
                found.append(f"{label}：“{match.group(0)}”")
                break
    return found


# -- money -------------------------------------------------------------------------------------

def clean_pay(raw: str | None, unit: str, *, label: str = "工价") -> Decimal:
    """A pay per unit: above 0, two places at most, below the unit's limit."""
    if unit not in MAX_PAY:
        raise Invalid("请选择工资单位", "pay_unit")
    return clean_money(raw, label=label, maximum=MAX_PAY[unit])


def clean_amount(raw: str | None, *, label: str, allow_zero: bool = False,
                 maximum: Decimal = MAX_AMOUNT) -> Decimal:
    return clean_money(raw, label=label, maximum=maximum, allow_zero=allow_zero)


# -- the agreement's seal ---------------------------------------------------------------------

def canonical(content: dict) -> str:
    """The agreement's content as one text: sorted keys, no spaces, money as exact text.
    The service seals it with a key only the server holds (``app.services.deals``)."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def png_digest(png: bytes) -> str:
    return hashlib.sha256(png).hexdigest()
