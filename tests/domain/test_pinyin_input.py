"""The candidate bar's order (app/domain/pinyin_input.py), on a small hand-made table."""

import pytest

from app.domain import Invalid
from app.domain.pinyin_input import MAX_QUERY, PinyinTable, normalise

# weights: how often each character is read each way (more is more common)
READINGS = {
    "中": {"zhong": 900}, "这": {"zhe": 800}, "张": {"zhang": 300}, "长": {"chang": 500, "zhang": 400},
    "章": {"zhang": 200}, "站": {"zhan": 350}, "詹": {"zhan": 5}, "赵": {"zhao": 100},
    "周": {"zhou": 250}, "照": {"zhao": 260}, "沙": {"sha": 90}, "杀": {"sha": 120}, "接": {"jie": 700, "sha": 0.01},
    "县": {"xian": 150}, "现": {"xian": 600}, "先": {"xian": 400}, "绿": {"lv": 80, "lu": 2}, "律": {"lv": 100},
    "吕": {"lv": 30}, "路": {"lu": 500}, "女": {"nv": 300}, "王": {"wang": 200}, "往": {"wang": 400},
    "丁": {"ding": 100, "zheng": 0.2}, "正": {"zheng": 700},
}
SURNAMES = "王李张刘陈杨黄赵吴周吕丁詹"
WORDS = {"shaxian": ["纱线", "沙县"], "zhongguo": ["中国"], "zhangsan": ["张三"], "changsan": ["长衫"]}


@pytest.fixture(scope="module")
def table():
    return PinyinTable(READINGS, SURNAMES, WORDS)


def texts(candidates):
    return [c.text for c in candidates]


def test_a_complete_syllable_offers_its_characters_common_first(table):
    assert texts(table.candidates("zhang")) == ["长", "张", "章"]
    assert texts(table.candidates("xian")) == ["现", "先", "县"]


def test_a_prefix_offers_characters_of_the_syllables_it_starts(table):
    found = texts(table.candidates("zh"))
    assert found[:3] == ["中", "这", "正"]
    assert set(found) == {"中", "这", "张", "长", "章", "站", "詹", "赵", "周", "照", "正", "丁"}
    # exact readings before longer ones: "zhan" shows 站 詹 before 张 长 章
    assert texts(table.candidates("zhan"))[:2] == ["站", "詹"]


def test_surnames_first_only_for_the_first_character_of_a_name(table):
    assert texts(table.candidates("zhang", name_start=True))[:2] == ["张", "长"]
    assert texts(table.candidates("zhang", name_start=False))[0] == "长"
    # a prefix: every surname it may start, in the ranking's order, then the rest
    assert texts(table.candidates("zh", name_start=True))[:4] == ["张", "赵", "周", "詹"]
    assert texts(table.candidates("wang", name_start=True)) == ["王", "往"]
    assert texts(table.candidates("wang", name_start=False)) == ["往", "王"]


def test_a_rare_reading_does_not_put_a_surname_first(table):
    # 丁 is a surname read "ding"; its rare reading "zheng" leaves it behind 正
    assert texts(table.candidates("zheng", name_start=True)) == ["正", "丁"]
    assert "丁" not in texts(table.candidates("z", name_start=True))[:4]


def test_common_before_rare_within_a_syllable(table):
    assert texts(table.candidates("sha")) == ["杀", "沙", "接"]  # 接 read "sha" almost never


def test_v_is_u_umlaut(table):
    assert texts(table.candidates("lv")) == ["律", "绿", "吕"]
    assert texts(table.candidates("lu")) == ["路", "绿"]
    assert texts(table.candidates("nv")) == ["女"]
    assert normalise("LÜ") == normalise("lu:") == normalise("lv") == "lv"


def test_words_for_a_multi_syllable_query_then_the_first_syllable(table):
    found = table.candidates("shaxian")
    assert texts(found) == ["纱线", "沙县", "杀", "沙", "接"]
    assert [c.consumes for c in found] == [7, 7, 3, 3, 3]  # 沙 leaves "xian" typed
    assert texts(table.candidates("shax"))[:2] == ["纱线", "沙县"]  # an unfinished last syllable
    assert table.split("shaxian") == ["sha", "xian"]
    assert table.split("zh") == ["zh"]


def test_a_name_offers_only_words_that_start_with_a_surname(table):
    assert texts(table.candidates("zhangsan", name_start=True))[:2] == ["张三", "张"]
    assert "长衫" not in texts(table.candidates("changsan", name_start=True))


def test_paging_is_complete_and_stable(table):
    for query in ("zh", "z", "shaxian", "x"):
        everything = table.candidates(query)
        first = table.page(query, 0, size=3)
        pages = [table.page(query, n, size=3) for n in range(first.pages)]
        joined = [c for p in pages for c in p.items]
        assert joined == list(everything), query  # every candidate once, in order
        assert all(len(p.items) == 3 for p in pages[:-1])
        assert [table.page(query, n, size=3) for n in range(first.pages)] == pages  # same again
    assert table.page("zh", 99, size=3).number == table.page("zh", 0, size=3).pages - 1
    assert table.page("zh", -1, size=3).number == 0


def test_nothing_typed_or_nothing_found(table):
    assert table.candidates("") == ()
    assert table.page("").items == () and table.page("").pages == 1
    assert texts(table.candidates("q")) == []


def test_normalise_keeps_letters_and_refuses_a_novel():
    assert normalise(" Zhang San1 ") == "zhangsan"
    assert normalise(None) == ""
    with pytest.raises(Invalid) as exc:
        normalise("a" * (MAX_QUERY + 1))
    assert "拼音太长" in exc.value.message
