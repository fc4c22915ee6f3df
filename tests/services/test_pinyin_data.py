"""The real tables (pypinyin's readings, jieba's word counts): what a person at the kiosk
finds on the first page of the candidate bar."""

import pytest

from app.domain.surnames import COMMON_SURNAMES
from app.services.pinyin_data import CHARACTERS, plain, table


@pytest.fixture(scope="module")
def real():
    return table()


def first_page(real, query, name_start=False):
    return [c.text for c in real.page(query, 0, name_start=name_start).items]


def test_readings_lose_their_tones_and_u_umlaut_is_v():
    assert plain("zhōng") == "zhong" and plain("lǜ") == "lv" and plain("nǚ") == "nv" and plain("lüè") == "lve"


def test_common_characters_come_first(real):
    assert "中" in first_page(real, "zhong")[:2]
    assert "是" in first_page(real, "shi")[:3]
    assert "绿" in first_page(real, "lv") and "女" in first_page(real, "nv")[:1]
    assert "县" in first_page(real, "xian")


def test_a_name_starts_with_the_common_surnames(real):
    assert first_page(real, "zhang", name_start=True)[0] == "张"
    assert first_page(real, "wang", name_start=True)[0] == "王"
    assert first_page(real, "chen", name_start=True)[0] == "陈"
    assert first_page(real, "z", name_start=True)[:4] == ["张", "赵", "周", "朱"]


def test_words_of_several_syllables(real):
    assert "沙县" in first_page(real, "shaxian")
    assert "银行" == first_page(real, "yinhang")[0]


def test_the_set_is_common_characters_and_every_surname(real):
    chars = set(real.weight["zhang"]) | {ch for s in real.weight.values() for ch in s}
    assert CHARACTERS <= len(chars) <= CHARACTERS + len(COMMON_SURNAMES)
    assert set(COMMON_SURNAMES) <= chars
