"""The employer check-in form: its fields and choices; the rules are in app.domain.checkin."""

import re
from datetime import date

from wtforms import HiddenField, RadioField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from app.domain import InvalidFields
from app.domain.checkin import clean_checkin
from app.domain.validation import clean_name, clean_phone
from app.forms import Cleaned, KeyedForm
from app.hall_config import hall

MASKED_NAME = re.compile(r"^[\u3400-\u9fff·]{1,2}\*+$")


def is_masked(name: str | None) -> bool:
    """A returning employer's name as the kiosk showed it (王**): it stands for the stored
    name, which the kiosk never sends to the screen."""
    return bool(MASKED_NAME.match(name or ""))


class Choice(RadioField):
    """A single choice whose unknown values get a Chinese message."""

    def __init__(self, *args, message: str, **kwargs):
        super().__init__(*args, validate_choice=False, **kwargs)
        self.message = message

    def pre_validate(self, form) -> None:
        if self.data not in {c.value for c in self.choices}:
            raise ValidationError(self.message)


class CheckinForm(KeyedForm):
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
        """The fields' own checks and the one-time key, then the check-in rules of
        ``app.domain.checkin``."""
        ok = super().validate(extra_validators)
        try:
            cleaned = clean_checkin(
                {name: self[name].data for name in CHOICE_DEPENDENT}, enterprise=self.is_enterprise,
                returning=self.is_returning, wants_task=self.wants_task, today=self.today,
                trade_codes=set(hall().trades_by_code))
        except InvalidFields as err:
            for name, message in err.errors.items():
                self[name].errors = [*self[name].errors, message]
            return False
        for name, value in cleaned.items():
            self[name].cleaned = value
        return ok


CHOICE_DEPENDENT = ("employer_name", "uscc", "trade", "pay_unit", "headcount", "pay", "work_date",
                    "work_time", "location", "description")
