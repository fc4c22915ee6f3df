"""Rules for what people type at the kiosk: names, mobile numbers, money amounts, and the
free text shown on the public hall display."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from . import Invalid

PHONE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
# CJK Unified Ideographs (basic + Ext-A, and compatibility), the middle dots used in
# minority and transliterated names (· U+00B7, • U+2022 typed by some IMEs, ・ U+30FB).
NAME_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]{2,20}$")
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "。": "·"})


def clean_phone(raw: str | None) -> str:
    phone = "".join(unicodedata.normalize("NFKC", raw or "").split()).replace("-", "")
    if not phone:
        raise Invalid("请输入手机号码")
    if not PHONE_RE.match(phone):
        raise Invalid("手机号码应为1开头的11位数字")
    return phone


def clean_name(raw: str | None) -> str:
    name = "".join((raw or "").split()).translate(_NAME_DOTS)
    if not name:
        raise Invalid("请输入姓名")
    if not NAME_RE.match(name) or name.startswith("·") or name.endswith("·") or "··" in name:
        raise Invalid("姓名应为2到20个汉字，少数民族姓名可用中间点“·”")
    return name


def clean_money(
    raw: str | None, *, label: str, maximum: Decimal, required: bool = True, allow_zero: bool = False
) -> Decimal | None:
    """A positive yuan amount (or zero, with ``allow_zero``) with at most two decimals, not
    above ``maximum``."""
    text = unicodedata.normalize("NFKC", raw or "").strip().replace("元", "").replace(",", "")
    if not text:
        if required:
            raise Invalid(f"请输入{label}")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Invalid(f"{label}应为数字") from None
    if allow_zero and not (value.is_finite() and value >= 0):
        raise Invalid(f"{label}应为0或正数")
    if not allow_zero and not (value.is_finite() and value > 0):
        raise Invalid(f"{label}应大于0")
    if value > maximum:
        raise Invalid(f"{label}不能超过{maximum}元，请核对")
    if value != value.quantize(Decimal("0.01")):
        raise Invalid(f"{label}最多保留两位小数")
    return value.quantize(Decimal("0.01"))


def format_yuan(value: Decimal | None) -> str:
    """An amount as people write it: 200, 150.5, 1,200 (no ".00" on a whole amount)."""
    if value is None:
        return ""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def clean_uscc(raw: str | None) -> str:
    """统一社会信用代码: 18 characters with a check character (python-stdnum)."""
    from stdnum.cn import uscc

    code = "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()
    if not code:
        raise Invalid("请输入统一社会信用代码")
    if len(code) != 18:
        raise Invalid(f"统一社会信用代码应为18位，现在是{len(code)}位")
    try:
        return uscc.validate(code)
    except uscc.InvalidChecksum:
        raise Invalid("统一社会信用代码校验位不对，请逐位核对") from None
    except uscc.ValidationError:
        raise Invalid("统一社会信用代码格式不对，请核对营业执照") from None


def clean_count(raw: str | None, *, label: str, minimum: int, maximum: int) -> int:
    text = unicodedata.normalize("NFKC", raw or "").strip().removesuffix("人")
    if not text:
        raise Invalid(f"请输入{label}")
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise Invalid(f"{label}应为整数")
    value = int(text)
    if value < minimum:
        raise Invalid(f"{label}至少为{minimum}")
    if value > maximum:
        raise Invalid(f"{label}不能超过{maximum}")
    return value


def clean_text(raw: str | None, *, label: str, minimum: int, maximum: int) -> str:
    text = " ".join((raw or "").split())
    if minimum and not text:
        raise Invalid(f"请输入{label}")
    if len(text) < minimum:
        raise Invalid(f"{label}至少{minimum}个字")
    if len(text) > maximum:
        raise Invalid(f"{label}最多{maximum}个字")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise Invalid(f"{label}含有无法显示的字符")
    return text


# Phone numbers in text that goes on the public hall display. People disguise them: full-width
# or circled digits, Chinese numerals (一三八, 〇/零, 幺, 两, 壹贰叁…), and separators between the
# digits (138.0013.8000, 138 0013 8000, 138/0013/8000). A colon is deliberately no separator:
# it joins the hours and minutes of times ("8:00-11:30，13:30-17:30"), not phone digits.
_CHINESE_DIGITS = {
    "0": "〇零○洞",
    "1": "一壹幺弌",
    "2": "二贰貳两兩弍",
    "3": "三叁參弎",
    "4": "四肆",
    "5": "五伍",
    "6": "六陆陸",
    "7": "七柒拐",
    "8": "八捌",
    "9": "九玖勾",
}
_TO_DIGIT = str.maketrans({ch: digit for digit, chars in _CHINESE_DIGITS.items() for ch in chars})
_SEPARATORS = ".。·•・‧、_/\\|~〜,;+*#()[]【】〔〕<>"
_MOBILE = re.compile(r"(?=1[3-9][0-9]{9})")  # overlapping: every place one may start
_PHONE_PREFIXES = ("0", "86", "086", "0086")


def _as_digits(text: str) -> str:
    """NFKC, then every digit-like character as an ASCII digit, separators as spaces and any
    other character as a line break (which ends a run of digits)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).translate(_TO_DIGIT):
        category = unicodedata.category(ch)
        if category in ("Mn", "Me", "Cf"):  # keycap marks, variation selectors, zero-width
            continue
        digit = unicodedata.digit(ch, None)  # also ❶ ⓵ ٣ and other scripts' digits
        if digit is not None:
            out.append(str(digit))
        elif ch.isspace() or ch in _SEPARATORS or category == "Pd":  # Pd: every kind of dash
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def _run_has_mobile(groups: list[str]) -> bool:
    """A mobile number in one run of digit groups (the digits between separators).

    Inside one group any 11 digits count. Across groups the number must start and end at
    group edges, so that a list such as "150/180/200/250" is not taken for a phone number;
    only a country or trunk prefix (0, 86, 0086) may stand before it in its first group.
    """
    joined = "".join(groups)
    spans, position = [], 0
    for group in groups:
        spans.append((position, position + len(group)))
        position += len(group)

    def group_at(index: int) -> tuple[int, int]:
        return next(span for span in spans if span[0] <= index < span[1])

    for match in _MOBILE.finditer(joined):
        start, end = match.start(), match.start() + 11
        first, last = group_at(start), group_at(end - 1)
        if first == last:
            return True
        if joined[first[0]:start] in ("", *_PHONE_PREFIXES) and end == last[1]:
            return True
    return False


def contains_phone_number(text: str) -> bool:
    """Whether ``text`` holds a mainland mobile number, however it is written."""
    for line in _as_digits(text).split("\n"):
        groups = line.split()
        if sum(map(len, groups)) >= 11 and _run_has_mobile(groups):
            return True
    return False


def clean_public_text(raw: str | None, *, label: str, minimum: int, maximum: int) -> str:
    """Free text that is shown on the public hall display: no phone numbers in it."""
    text = clean_text(raw, label=label, minimum=minimum, maximum=maximum)
    if contains_phone_number(text):
        raise Invalid("这里会在大厅屏幕上公开显示，请不要填写电话号码")
    return text
