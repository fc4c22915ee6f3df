"""Rules for what people type at the kiosk: names, mobile numbers, money amounts."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from . import FieldError

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# CJK Unified Ideographs (basic + Ext-A, and compatibility), the middle dots used in
# minority and transliterated names (· U+00B7, • U+2022 typed by some IMEs, ・ U+30FB).
NAME_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]{2,20}$")
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "。": "·"})


def clean_phone(raw: str | None) -> str:
    phone = "".join(unicodedata.normalize("NFKC", raw or "").split()).replace("-", "")
    if not phone:
        raise FieldError("请输入手机号码")
    if not PHONE_RE.match(phone):
        raise FieldError("手机号码应为1开头的11位数字")
    return phone


def clean_name(raw: str | None) -> str:
    name = "".join((raw or "").split()).translate(_NAME_DOTS)
    if not name:
        raise FieldError("请输入姓名")
    if not NAME_RE.match(name) or name.startswith("·") or name.endswith("·") or "··" in name:
        raise FieldError("姓名应为2到20个汉字，少数民族姓名可用中间点“·”")
    return name


def clean_money(
    raw: str | None, *, label: str, maximum: Decimal, required: bool = True
) -> Decimal | None:
    """A positive yuan amount with at most two decimals, not above ``maximum``."""
    text = unicodedata.normalize("NFKC", raw or "").strip().replace("元", "").replace(",", "")
    if not text:
        if required:
            raise FieldError(f"请输入{label}")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldError(f"{label}应为数字") from None
    if not value.is_finite() or value <= 0:
        raise FieldError(f"{label}应大于0")
    if value > maximum:
        raise FieldError(f"{label}不能超过{maximum}元，请核对")
    if value != value.quantize(Decimal("0.01")):
        raise FieldError(f"{label}最多保留两位小数")
    return value.quantize(Decimal("0.01"))
