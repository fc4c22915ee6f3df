"""The deal console's step forms read as the services take them: every wrong field named at
once, money exact, a payment's hall-local time stored as UTC and never later than now."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.domain import InvalidFields
from app.domain.deal_forms import read_insurance, read_payment
from app.domain.disputes import PaymentMethod

HALL = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 2, 0)  # naive UTC: 10:00 in the hall
TODAY = date(2026, 11, 28)


def test_insurance_is_read_exactly():
    read = read_insurance({"insurer": "中国人寿沙县支公司", "policy_number": "P-1", "premium": "3.50",
                           "cover_from": "2026-11-29", "cover_to": "2026-11-30"}, TODAY)
    assert read == {"insurer": "中国人寿沙县支公司", "policy_number": "P-1", "premium": Decimal("3.50"),
                    "cover_from": date(2026, 11, 29), "cover_to": date(2026, 11, 30)}


def test_every_wrong_insurance_field_is_named():
    with pytest.raises(InvalidFields) as caught:
        read_insurance({"insurer": "中", "policy_number": "", "premium": "100000.01",
                        "cover_from": "2026-11-30", "cover_to": "2026-11-29"}, TODAY)
    assert set(caught.value.errors) == {"insurer", "policy_number", "premium", "cover_to"}


def test_no_insurance_needs_a_reason_and_nothing_else():
    assert read_insurance({"uninsured": "1", "uninsured_reason": "用工方不同意投保", "premium": "abc"}, TODAY) == {
        "uninsured_reason": "用工方不同意投保"}
    with pytest.raises(InvalidFields) as caught:
        read_insurance({"uninsured": "1", "uninsured_reason": " "}, TODAY)
    assert set(caught.value.errors) == {"uninsured_reason"}


def test_a_payment_in_hall_time_is_stored_as_utc():
    read = read_payment({"amount": "199.99", "method": "wechat", "reference": "420000", "on": "2026-11-28",
                         "time": "09:30"}, "付款", tz=HALL, now=NOW)
    assert read == {"amount": Decimal("199.99"), "method": PaymentMethod.WECHAT, "reference": "420000",
                    "at": datetime(2026, 11, 28, 1, 30)}


@pytest.mark.parametrize("amount", ["0", "-1", "1000000.01", "1.001", "一百", "NaN", "Infinity"])
def test_a_bad_amount_is_refused(amount):
    with pytest.raises(InvalidFields) as caught:
        read_payment({"amount": amount, "method": "cash", "on": "2026-11-28", "time": "09:00"}, "结算",
                     tz=HALL, now=NOW)
    assert list(caught.value.errors) == ["amount"]
    assert caught.value.errors["amount"].startswith("结算金额")


def test_a_transfer_needs_its_reference_and_a_moment_not_in_the_future():
    with pytest.raises(InvalidFields) as caught:
        read_payment({"amount": "10", "method": "bank", "reference": "", "on": "2026-11-28", "time": "10:01"},
                     "付款", tz=HALL, now=NOW)
    assert caught.value.errors == {"reference": "银行转账付款请填写交易单号（转账记录上的单号）",
                                   "on": "付款时间不能晚于现在"}
    with pytest.raises(InvalidFields) as caught:
        read_payment({"amount": "10", "method": "gold", "on": "", "time": "25:00"}, "付款", tz=HALL, now=NOW)
    assert set(caught.value.errors) == {"method", "on", "time"}


def test_sums_of_many_small_amounts_stay_exact():
    paid = [read_payment({"amount": "0.10", "method": "cash", "on": "2026-11-28", "time": "09:00"}, "付款",
                         tz=HALL, now=NOW)["amount"] for _ in range(1000)]
    assert sum(paid) == Decimal("100.00")
