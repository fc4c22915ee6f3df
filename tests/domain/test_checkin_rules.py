"""The check-in rules as a pure function: which fields a choice requires, and their limits."""

from datetime import date, time
from decimal import Decimal

import pytest

from app.domain import InvalidFields
from app.domain.checkin import clean_checkin

TODAY = date(2026, 11, 28)
TASK = {"trade": "porter", "pay_unit": "day", "headcount": "3", "pay": "200",
        "work_date": "2026-11-29", "work_time": "07:30", "location": "凤岗街道水南村", "description": "包吃"}


def clean(raw, **choices):
    options = {"enterprise": False, "returning": False, "wants_task": True, "today": TODAY,
               "trade_codes": {"porter", "mason"}} | choices
    return clean_checkin(raw, **options)


def test_a_complete_task_is_cleaned():
    assert clean(TASK) == {"trade": "porter", "pay_unit": "day", "headcount": 3, "pay": Decimal("200.00"),
                           "work_date": date(2026, 11, 29), "work_time": time(7, 30),
                           "location": "凤岗街道水南村", "description": "包吃"}


@pytest.mark.parametrize("field,value,message", [
    ("trade", "astronaut", "请选择需要的工种"),
    ("pay_unit", "week", "请选择工资单位"),
    ("headcount", "0", "招工人数至少为1"),
    ("pay", "600", None),  # 600 元/小时 is over the hourly cap; see below
    ("work_date", "2026-11-27", "用工日期不能早于今天"),
    ("work_date", "2027-06-01", "用工日期不能晚于180天以后"),
    ("work_time", "7点半", "时间格式应为"),
    ("location", "电话13800138000", "请不要填写电话号码"),
])
def test_each_bad_work_field_is_named(field, value, message):
    raw = {**TASK, field: value}
    if field == "pay":
        raw["pay_unit"] = "hour"
        message = "工资不能超过500元"
    with pytest.raises(InvalidFields) as refused:
        clean(raw)
    assert list(refused.value.errors) == [field] and message in refused.value.errors[field]


def test_an_enterprise_needs_its_name_and_credit_code_unless_it_is_a_returning_one():
    with pytest.raises(InvalidFields) as refused:
        clean({}, enterprise=True, wants_task=False)
    assert set(refused.value.errors) == {"employer_name", "uscc"}
    assert clean({}, enterprise=True, returning=True, wants_task=False) == {"description": ""}


def test_a_consultation_needs_no_work_fields():
    assert clean({"description": ""}, wants_task=False) == {"description": ""}
