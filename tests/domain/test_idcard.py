from datetime import date

import pytest

from app.domain import Invalid
from app.domain.idcard import (
    age_on,
    is_minor_worker,
    is_under_minimum_age,
    normalize,
    parse_id_number,
)
from tests.factories import make_id

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("number", ["360426199101010071", "120103198806018241", "34052419800101001X"])
def test_valid_examples_from_domain_doc_are_accepted(number):
    assert parse_id_number(number, TODAY).number == number


@pytest.mark.parametrize("number,birth", [
    (make_id("19800101", prefix="350405"), date(1980, 1, 1)),  # Shaxian today (stdnum lacks it)
    (make_id("19900615", prefix="810000"), date(1990, 6, 15)),  # Hong Kong residence permit
    (make_id("19900615", prefix="830000"), date(1990, 6, 15)),  # Taiwan residence permit
    (make_id("19850310", prefix="933201"), date(1985, 3, 10)),  # foreigner's permanent residence
    (make_id("19700101", prefix="350427"), date(1970, 1, 1)),   # a retired county code
])
def test_codes_missing_from_stdnum_list_are_still_accepted(number, birth):
    assert parse_id_number(number, TODAY).birth_date == birth


@pytest.mark.parametrize("raw,message", [
    ("360426199101010072", "校验位"),
    ("", "请输入身份证号码"),
    ("   ", "请输入身份证号码"),
    (None, "请输入身份证号码"),
    ("360426910101007", "15位"),
    ("3604261991010100", "18位"),
    ("3604261991010100711", "18位"),
    ("36042619910101007A", "最后一位可以是X"),
    ("X60426199101010071", "最后一位可以是X"),
    (make_id("19910230"), "出生日期不存在"),  # 30 February
    (make_id("20230229"), "出生日期不存在"),  # 2023 is no leap year
    (make_id("20271201"), "出生日期不正确"),  # in the future
    ("00" + make_id("19800101")[2:], "地区代码"),
])
def test_invalid_numbers_get_a_chinese_message(raw, message):
    with pytest.raises(Invalid) as err:
        parse_id_number(raw, TODAY)
    assert message in err.value.message


def test_full_width_digits_lower_x_and_spaces_are_normalised():
    assert parse_id_number(" ３４０５２４１９８００１０１００１ｘ ", TODAY).number == "34052419800101001X"
    assert parse_id_number("34052419800101001x", TODAY).number == "34052419800101001X"
    assert normalize("3405 2419 8001 0100 1x") == "34052419800101001X"


def test_leap_day_birth_date_is_valid():
    assert parse_id_number(make_id("20000229"), TODAY).birth_date == date(2000, 2, 29)


def test_sex_and_province_come_from_the_number():
    parsed = parse_id_number("360426199101010071", TODAY)
    assert parsed.sex == "M" and parsed.province_code == "36" and parsed.is_from_outside_fujian
    assert parse_id_number("120103198806018241", TODAY).sex == "F"
    assert not parse_id_number(make_id("19800101"), TODAY).is_from_outside_fujian


def test_sixteenth_birthday_today_is_allowed_tomorrow_is_not():
    birth_today = date(2010, 11, 28)
    birth_tomorrow = date(2010, 11, 29)
    assert not is_under_minimum_age(birth_today, TODAY)
    assert is_under_minimum_age(birth_tomorrow, TODAY)
    assert is_minor_worker(birth_today, TODAY)


def test_minor_worker_until_eighteenth_birthday():
    assert is_minor_worker(date(2008, 11, 29), TODAY)
    assert not is_minor_worker(date(2008, 11, 28), TODAY)


def test_leap_day_child_turns_sixteen_on_first_of_march():
    born = date(2008, 2, 29)
    assert age_on(born, date(2024, 2, 28)) == 15
    assert age_on(born, date(2024, 2, 29)) == 16
    assert age_on(born, date(2025, 2, 28)) == 16
    assert age_on(date(2009, 2, 28), date(2025, 2, 28)) == 16
