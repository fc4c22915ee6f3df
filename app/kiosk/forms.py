"""Kiosk forms. CSRF comes from Flask-WTF; every rule lives in app.domain."""

from decimal import Decimal

from wtforms import HiddenField, SelectMultipleField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from app.domain.idcard import parse_id_number
from app.domain.trades import AVAILABILITY
from app.domain.validation import clean_money, clean_name, clean_phone
from app.forms import Cleaned, HallForm, checked_form_key
from app.hall_config import hall

MAX_DAILY_WAGE = Decimal("3000")


class CodeChoices(SelectMultipleField):
    """Multiple choice of codes; an unknown code is a Chinese error, not an English one."""

    def __init__(self, *args, required_message: str | None = None, **kwargs):
        super().__init__(*args, validate_choice=False, **kwargs)
        self.required_message = required_message

    def pre_validate(self, form) -> None:
        allowed = {choice.value for choice in self.choices}
        self.data = list(dict.fromkeys(self.data or []))
        if any(code not in allowed for code in self.data):
            raise ValidationError("选项无效，请重新选择")
        if self.required_message and not self.data:
            raise ValidationError(self.required_message)


class RegistrationForm(HallForm):
    name = StringField(validators=[Cleaned(clean_name)])
    id_number = StringField(validators=[Cleaned(parse_id_number)])
    phone = StringField(validators=[Cleaned(clean_phone)])
    trades = CodeChoices(required_message="请至少选择一个工种")  # choices: the hall's trades
    expected_wage = StringField(
        validators=[Cleaned(lambda raw: clean_money(raw, label="期望日薪", maximum=MAX_DAILY_WAGE))]
    )
    availability = CodeChoices(choices=[SelectChoice(a.code, a.name) for a in AVAILABILITY])
    consent = HiddenField()
    # One per form shown (see app.forms.new_form_key); optional for other clients, but a
    # key this session did not issue is refused.
    form_key = HiddenField(validators=[Cleaned(lambda raw: checked_form_key(raw) if raw else None)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trades.choices = [SelectChoice(t.code, t.name) for t in hall().trades]

    def validate_consent(self, field) -> None:
        if field.data != "1":
            raise ValidationError("请先阅读并同意《个人信息收集告知》")
