"""The staff console's forms of a deal's steps, read as the deal services take them:
the insurance (or why there is none) and a payment (the employer's, or the wage). Pure, no
Flask; each reader checks every field and raises ``InvalidFields`` naming all the wrong ones,
in Chinese, beside their fields.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

from . import Invalid, InvalidFields, parse_iso_date
from .deals import MAX_PREMIUM, clean_amount
from .disputes import PaymentMethod, clean_statement
from .periods import to_utc

INSURER_MAX = 60
POLICY_MAX = 40
UNINSURED_REASON_MAX = 200
REFERENCE_MAX = 60
COVER_MAX_DAYS = 366  # a cover date further than this from today is a typing slip
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def read_insurance(form, today: date) -> dict:
    """The insurance form: insurer (2–60 characters), policy number, premium and cover dates
    (to ≥ from, within a year of ``today``); or ``uninsured=1`` with the reason. The
    keyword arguments of ``app.services.deals.insure``."""
    errors: dict[str, str] = {}
    if (form.get("uninsured") or "").strip() == "1":
        try:
            reason = clean_statement(form.get("uninsured_reason"), label="未投保的原因", minimum=2,
                                     maximum=UNINSURED_REASON_MAX)
        except Invalid as err:
            raise InvalidFields({"uninsured_reason": err.message}) from None
        return {"uninsured_reason": reason}
    values: dict = {}
    for name, label, minimum, maximum in (("insurer", "保险公司", 2, INSURER_MAX),
                                           ("policy_number", "保单号", 2, POLICY_MAX)):
        try:
            values[name] = clean_statement(form.get(name), label=label, minimum=minimum, maximum=maximum)
        except Invalid as err:
            errors[name] = err.message
    try:
        values["premium"] = clean_amount(form.get("premium"), label="保费", maximum=MAX_PREMIUM)
    except Invalid as err:
        errors["premium"] = err.message
    for name, label in (("cover_from", "保障开始日期"), ("cover_to", "保障结束日期")):
        try:
            day = parse_iso_date(form.get(name), label=label)
            if abs((day - today).days) > COVER_MAX_DAYS:
                raise Invalid(f"{label}离今天超过一年，请核对")
            values[name] = day
        except Invalid as err:
            errors[name] = err.message
    if "cover_from" in values and "cover_to" in values and values["cover_to"] < values["cover_from"]:
        errors["cover_to"] = "保障结束日期不能早于开始日期"
    if errors:
        raise InvalidFields(errors)
    return values


def read_payment(form, label: str, *, tz: tzinfo, now: datetime) -> dict:
    """A payment form (the employer's payment, or the wage settled to the worker): amount
    (``clean_amount``), method (``PaymentMethod``), reference (required unless cash), the
    date and clock time hall-local (``tz``) as stored, naive UTC, not later than ``now``
    (naive UTC). ``label``: 付款 or 结算, in the messages. Keys: amount, method, reference, at;
    the moment's errors are under ``on`` (its date) and ``time``."""
    errors: dict[str, str] = {}
    values: dict = {}
    try:
        values["amount"] = clean_amount(form.get("amount"), label=f"{label}金额")
    except Invalid as err:
        errors["amount"] = err.message
    method = None
    try:
        method = PaymentMethod((form.get("method") or "").strip())
        values["method"] = method
    except ValueError:
        errors["method"] = f"请选择{label}方式"
    try:
        reference = clean_statement(form.get("reference"), label="交易单号", minimum=0,
                                    maximum=REFERENCE_MAX)
        if not reference and method not in (None, PaymentMethod.CASH):
            raise Invalid(f"{method.label}{label}请填写交易单号（转账记录上的单号）")
        values["reference"] = reference
    except Invalid as err:
        errors["reference"] = err.message
    day = clock = None
    try:
        day = parse_iso_date(form.get("on"), label=f"{label}日期")
    except Invalid as err:
        errors["on"] = err.message
    if not (clock := _CLOCK.match((form.get("time") or "").strip())):
        errors["time"] = f"请填写{label}时间，如 14:30"
    if day is not None and clock:
        at = to_utc(datetime.combine(day, time(int(clock[1]), int(clock[2])), tzinfo=tz))
        if at > to_utc(now):
            errors["on"] = f"{label}时间不能晚于现在"
        values["at"] = at
    if errors:
        raise InvalidFields(errors)
    return values
