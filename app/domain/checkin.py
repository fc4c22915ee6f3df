"""Rules for an employer's check-in at the kiosk, like registration's: pure, no Flask.

Which fields are required depends on the choices made: an enterprise gives its name and
credit code (unless a returning employer confirmed the stored ones); a service that creates
a task order (招工) needs the work fields. Everything that goes on the public hall display
is refused when it carries a phone number.
"""

from collections.abc import Callable, Mapping
from datetime import date, time, timedelta
from decimal import Decimal

from . import Invalid, InvalidFields, parse_iso_date
from .validation import clean_count, clean_money, clean_public_text, clean_text, clean_uscc

MAX_PAY = {"day": Decimal("5000"), "hour": Decimal("500"), "piece": Decimal("10000")}
MAX_DAYS_AHEAD = 180


def clean_checkin(raw: Mapping[str, str | None], *, enterprise: bool, returning: bool,
                  wants_task: bool, today: date, trade_codes: set[str]) -> dict[str, object]:
    """The cleaned values of the choice-dependent fields; ``InvalidFields`` naming each bad one."""
    rules: dict[str, Callable] = {}
    if enterprise and not returning:
        rules["employer_name"] = lambda v: clean_text(v, label="企业名称", minimum=2, maximum=100)
        rules["uscc"] = clean_uscc
    if wants_task:
        unit = raw.get("pay_unit")
        rules |= {
            "trade": lambda v: v if v in trade_codes else _fail("请选择需要的工种"),
            "pay_unit": lambda v: v if v in MAX_PAY else _fail("请选择工资单位"),
            "headcount": lambda v: clean_count(v, label="招工人数", minimum=1, maximum=999),
            "pay": lambda v: clean_money(v, label="工资", maximum=MAX_PAY.get(unit, MAX_PAY["day"])),
            "work_date": lambda v: clean_work_date(v, today),
            "work_time": clean_work_time,
            "location": lambda v: clean_public_text(v, label="干活地点", minimum=2, maximum=100),
        }
    rules["description"] = lambda v: clean_public_text(v, label="补充说明", minimum=0, maximum=200)
    cleaned, errors = {}, {}
    for name, rule in rules.items():
        try:
            cleaned[name] = rule(raw.get(name))
        except Invalid as err:
            errors[name] = err.message
    if errors:
        raise InvalidFields(errors)
    return cleaned


def clean_work_date(raw: str | None, today: date) -> date:
    day = parse_iso_date(raw, label="用工日期")
    if day < today:
        raise Invalid("用工日期不能早于今天")
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise Invalid(f"用工日期不能晚于{MAX_DAYS_AHEAD}天以后")
    return day


def clean_work_time(raw: str | None) -> time | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise Invalid("时间格式应为 时:分，例如 07:30") from None


def _fail(message: str):
    raise Invalid(message)
