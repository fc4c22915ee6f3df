"""A posting entered by staff (电话登记, 代企业发布): the check-in's rules for the employer and
the work (``app.domain.checkin.clean_checkin``, one way), plus what only staff fill in —
the contact and phone heard on the phone, requirements, how many days the work lasts and
whether the workplace is outside Fujian. Pure, no Flask.

A posting for an enterprise (item G1) must name an enterprise: its name and credit code
are required, and a household is refused beside the employer type.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from . import Invalid, InvalidFields
from .checkin import clean_checkin
from .deals import MAX_DURATION_DAYS, PostingSource
from .validation import clean_count, clean_name, clean_phone, clean_public_text

ENTERPRISE_ONLY = "代企业发布只能为企业/单位发布：请选择“企业/单位”，填写企业名称和统一社会信用代码"
STAFF_SOURCES = (PostingSource.PHONE, PostingSource.ENTERPRISE)
REQUIREMENTS_MAX = 200
FIELDS = ("source", "employer_type", "employer_name", "uscc", "contact_name", "phone", "trade", "headcount",
          "pay", "pay_unit", "work_date", "work_time", "duration_days", "location", "outside_fujian",
          "description", "requirements")


@dataclass(frozen=True)
class PostingData:
    employer_type: str
    employer_name: str | None
    uscc: str | None
    contact_name: str
    phone: str
    trade: str
    headcount: int
    pay: Decimal
    pay_unit: str
    work_date: date
    work_time: time | None
    duration_days: int
    location: str
    outside_fujian: bool
    description: str
    requirements: str


def read_posting(raw: Mapping[str, str | None], *, today: date,
                 trade_codes: set[str]) -> tuple[PostingSource, PostingData]:
    """Where the posting came from and its cleaned fields; ``InvalidFields`` naming every bad
    field at once."""
    errors: dict[str, str] = {}
    try:
        source = PostingSource(raw.get("source") or "")
        if source not in STAFF_SOURCES:
            raise ValueError
    except ValueError:
        source, errors["source"] = None, "请选择来源：电话登记或代企业发布"
    employer_type = raw.get("employer_type") or ""
    if employer_type not in ("individual", "enterprise"):
        errors["employer_type"] = "请选择用工方类型"
    elif source == PostingSource.ENTERPRISE and employer_type != "enterprise":
        errors["employer_type"] = ENTERPRISE_ONLY
    enterprise = employer_type == "enterprise" or source == PostingSource.ENTERPRISE
    cleaned: dict[str, object] = {}
    try:
        cleaned = clean_checkin(raw, enterprise=enterprise, returning=False, wants_task=True, today=today,
                                trade_codes=trade_codes)
    except InvalidFields as err:
        errors |= err.errors
    own = {
        "contact_name": clean_name,
        "phone": clean_phone,
        "duration_days": lambda v: clean_count(v, label="工期天数", minimum=1, maximum=MAX_DURATION_DAYS),
        "requirements": lambda v: clean_public_text(v, label="用工要求", minimum=0, maximum=REQUIREMENTS_MAX),
    }
    for name, rule in own.items():
        try:
            cleaned[name] = rule(raw.get(name))
        except Invalid as err:
            errors[name] = err.message
    if errors:
        raise InvalidFields(errors)
    return source, PostingData(
        employer_type="enterprise" if enterprise else "individual",
        employer_name=cleaned.get("employer_name"), uscc=cleaned.get("uscc"),
        contact_name=cleaned["contact_name"], phone=cleaned["phone"], trade=cleaned["trade"],
        headcount=cleaned["headcount"], pay=cleaned["pay"], pay_unit=cleaned["pay_unit"],
        work_date=cleaned["work_date"], work_time=cleaned["work_time"],
        duration_days=cleaned["duration_days"],
        location=cleaned["location"], outside_fujian=raw.get("outside_fujian") == "1",
        description=cleaned["description"], requirements=cleaned["requirements"])
