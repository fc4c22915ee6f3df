"""The employer check-in form. Which fields are required depends on the choices made:
an enterprise gives its name and credit code; a service that creates a task order
(招工) needs the work fields."""

import re
from datetime import date, time, timedelta
from decimal import Decimal

from wtforms import HiddenField, RadioField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from app.domain import Invalid, parse_iso_date
from app.domain.validation import (
    clean_count,
    clean_money,
    clean_name,
    clean_phone,
    clean_public_text,
    clean_text,
    clean_uscc,
)
from app.forms import Cleaned, HallForm, checked_form_key
from app.hall_config import hall

MASKED_NAME = re.compile(r"^[\u3400-\u9fff·]{1,2}\*+$")


def is_masked(name: str | None) -> bool:
    """A returning employer's name as the kiosk showed it (王**): it stands for the stored
    name, which the kiosk never sends to the screen."""
    return bool(MASKED_NAME.match(name or ""))


MAX_PAY = {"day": Decimal("5000"), "hour": Decimal("500"), "piece": Decimal("10000")}
MAX_DAYS_AHEAD = 180


class Choice(RadioField):
    """A single choice whose unknown values get a Chinese message."""

    def __init__(self, *args, message: str, **kwargs):
        super().__init__(*args, validate_choice=False, **kwargs)
        self.message = message

    def pre_validate(self, form) -> None:
        if self.data not in {c.value for c in self.choices}:
            raise ValidationError(self.message)


class CheckinForm(HallForm):
    employer_type = Choice(
        choices=[SelectChoice("individual", "个人/家庭"), SelectChoice("enterprise", "企业/单位")],
        message="请选择是个人还是企业", default="individual",
    )
    employer_name = StringField()
    uscc = StringField()
    contact_name = StringField(validators=[Cleaned(lambda raw: raw if is_masked(raw) else clean_name(raw))])
    phone = StringField(validators=[Cleaned(clean_phone)])
    service = Choice(message="请选择要办理的业务")
    trade = StringField()
    headcount = StringField()
    pay = StringField()
    pay_unit = StringField(default="day")
    work_date = StringField()
    work_time = StringField()
    location = StringField()
    description = StringField()
    form_key = HiddenField()
    returning = HiddenField()  # "1": a returning employer confirmed by phone

    def __init__(self, *args, services: dict, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.service.choices = [SelectChoice(s.code, s.name) for s in services.values()]
        self.needs_task = {code for code, s in services.items() if s.creates_task}
        self.today = today

    @property
    def is_enterprise(self) -> bool:
        return self.employer_type.data == "enterprise"

    @property
    def is_returning(self) -> bool:
        return self.returning.data == "1"

    @property
    def wants_task(self) -> bool:
        return self.service.data in self.needs_task

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        checks = {"form_key": checked_form_key}
        if self.is_enterprise and not self.is_returning:
            checks["employer_name"] = lambda v: clean_text(v, label="企业名称", minimum=2, maximum=100)
            checks["uscc"] = clean_uscc
        if self.wants_task:
            checks |= {
                "trade": lambda v: v if v in hall().trades_by_code else _fail("请选择需要的工种"),
                "pay_unit": lambda v: v if v in MAX_PAY else _fail("请选择工资单位"),
                "headcount": lambda v: clean_count(v, label="招工人数", minimum=1, maximum=999),
                "pay": lambda v: clean_money(
                    v, label="工资", maximum=MAX_PAY.get(self.pay_unit.data, MAX_PAY["day"])),
                "work_date": self._clean_date,
                "work_time": _clean_time,
                "location": lambda v: clean_public_text(v, label="干活地点", minimum=2, maximum=100),
            }
        checks["description"] = lambda v: clean_public_text(v, label="补充说明", minimum=0, maximum=200)
        for name, rule in checks.items():
            field = self[name]
            try:
                field.cleaned = rule(field.data)
            except Invalid as err:
                field.errors = [*field.errors, err.message]
                ok = False
        return ok

    def _clean_date(self, raw: str | None) -> date:
        day = parse_iso_date(raw, label="用工日期")
        if day < self.today:
            raise Invalid("用工日期不能早于今天")
        if day > self.today + timedelta(days=MAX_DAYS_AHEAD):
            raise Invalid(f"用工日期不能晚于{MAX_DAYS_AHEAD}天以后")
        return day


def _clean_time(raw: str | None) -> time | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise Invalid("时间格式应为 时:分，例如 07:30") from None


def _fail(message: str):
    raise Invalid(message)
