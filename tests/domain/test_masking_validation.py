from decimal import Decimal

import pytest

from app.domain import Invalid
from app.domain.masking import mask_id_number, mask_name, mask_phone, mask_words
from app.domain.validation import clean_money, clean_name, clean_phone, format_yuan


def test_id_keeps_only_the_last_four():
    assert mask_id_number("350405198001011234") == "**************1234"
    assert mask_id_number("34052419800101001X") == "**************001X"


def test_phone_keeps_three_and_four():
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(("text", "masked"), [
    ("张三、李四（13800001234）", "张*、李*（***********）"),  # the names cut, every digit hidden
    ("零工张三 用工方李四", "零*** 用****"),  # a description run into a name hides the name too
    ("穿红衣服的男子，约40岁", "穿******，约***"),
    ("", ""),
])
def test_free_text_masking_keeps_how_many_but_not_who(text, masked):
    assert mask_words(text) == masked


def test_name_masking_for_public_screens():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"


@pytest.mark.parametrize("raw,clean", [
    ("13812345678", "13812345678"), (" 138 1234 5678 ", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"), ("138-1234-5678", "13812345678"),
])
def test_phone_accepted(raw, clean):
    assert clean_phone(raw) == clean


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "abc", "+8613812345678"])
def test_phone_rejected(raw):
    with pytest.raises(Invalid, match="11位"):
        clean_phone(raw)


def test_empty_phone_asks_for_it():
    with pytest.raises(Invalid, match="请输入手机号码"):
        clean_phone("")


@pytest.mark.parametrize("raw,clean", [
    ("张三", "张三"), (" 李 四 ", "李四"), ("阿依古丽·买买提", "阿依古丽·买买提"),
    ("阿依古丽•买买提", "阿依古丽·买买提"), ("㐀㐁", "㐀㐁"),
])
def test_names_accepted(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize("raw", ["张", "Zhang San", "张三3", "·张三", "张三·", "张··三", "张" * 21, "<b>张三</b>"])
def test_names_rejected(raw):
    with pytest.raises(Invalid, match="2到20个汉字"):
        clean_name(raw)


@pytest.mark.parametrize("raw,value", [("200", Decimal("200.00")), ("１８０.５", Decimal("180.50")), ("250元", Decimal("250.00"))])
def test_money_accepted(raw, value):
    assert clean_money(raw, label="期望日薪", maximum=Decimal("3000")) == value


@pytest.mark.parametrize("value,shown", [
    (Decimal("200.00"), "200"), (Decimal("150.50"), "150.5"), (Decimal("0.05"), "0.05"),
    (Decimal("1200.00"), "1,200"), (Decimal("10"), "10"), (None, ""),
])
def test_money_shown_without_trailing_zeros(value, shown):
    assert format_yuan(value) == shown


@pytest.mark.parametrize("raw,message", [
    ("0", "应大于0"), ("-5", "应大于0"), ("abc", "应为数字"), ("NaN", "应大于0"),
    ("Infinity", "应大于0"), ("99999", "不能超过"), ("1.234", "两位小数"), ("", "请输入期望日薪"),
])
def test_money_rejected(raw, message):
    with pytest.raises(Invalid, match=message):
        clean_money(raw, label="期望日薪", maximum=Decimal("3000"))
