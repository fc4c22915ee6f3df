"""Rules for what people type at the kiosk: names, mobile numbers, money amounts."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from . import FieldError

PHONE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
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


def clean_uscc(raw: str | None) -> str:
    """统一社会信用代码: 18 characters with a check character (python-stdnum)."""
    from stdnum.cn import uscc

    code = "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()
    if not code:
        raise FieldError("请输入统一社会信用代码")
    if len(code) != 18:
        raise FieldError(f"统一社会信用代码应为18位，现在是{len(code)}位")
    try:
        return uscc.validate(code)
    except uscc.InvalidChecksum:
        raise FieldError("统一社会信用代码校验位不对，请逐位核对") from None
    except uscc.ValidationError:
        raise FieldError("统一社会信用代码格式不对，请核对营业执照") from None


def clean_count(raw: str | None, *, label: str, minimum: int, maximum: int) -> int:
    text = unicodedata.normalize("NFKC", raw or "").strip().removesuffix("人")
    if not text:
        raise FieldError(f"请输入{label}")
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise FieldError(f"{label}应为整数")
    value = int(text)
    if value < minimum:
        raise FieldError(f"{label}至少为{minimum}")
    if value > maximum:
        raise FieldError(f"{label}不能超过{maximum}")
    return value


def clean_text(raw: str | None, *, label: str, minimum: int, maximum: int) -> str:
    text = " ".join((raw or "").split())
    if minimum and not text:
        raise FieldError(f"请输入{label}")
    if len(text) < minimum:
        raise FieldError(f"{label}至少{minimum}个字")
    if len(text) > maximum:
        raise FieldError(f"{label}最多{maximum}个字")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise FieldError(f"{label}含有无法显示的字符")
    return text
