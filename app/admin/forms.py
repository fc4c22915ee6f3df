"""Forms of the administration screens."""

from decimal import Decimal

from wtforms import StringField

from app.domain import Invalid, parse_iso_date
from app.domain.validation import clean_money
from app.forms import Cleaned, HallForm

MAX_YUAN = Decimal("100000000")  # 1亿元: far above any hall contract, within the column


def _yuan(label: str):
    """A money field: yuan, two decimals at most, zero allowed; blank is "not known yet"."""
    return Cleaned(lambda raw: clean_money(raw, label=label, maximum=MAX_YUAN, required=False,
                                           allow_zero=True))


def _service_start(raw: str | None):
    day = parse_iso_date(raw, label="服务起始日期")
    if not 2000 <= day.year <= 2100:
        raise Invalid("服务起始日期不对，请核对年份")
    return day


class ScoreSettingsForm(HallForm):
    """The manager's contract settings (``assessment.save_settings``). Each field's clean
    value is on ``field.cleaned``; that the network fee is at most the bid price is the
    service's rule."""

    service_start = StringField(validators=[Cleaned(_service_start)])
    contract_amount = StringField(validators=[_yuan("合同金额")])
    bid_price = StringField(validators=[_yuan("中标价")])
    network_fee = StringField(validators=[_yuan("网络建设费")])
