"""The real tables (pypinyin's readings, jieba's word counts): what a person at the kiosk
finds on the first page of the candidate bar."""

import os
import time

import pytest

from app.domain.surnames import COMMON_SURNAMES
from app.services import pinyin_data
from app.services.pinyin_data import BUILD_TIMEOUT, CHARACTERS, plain, table


@pytest.fixture(scope="module")
def real():
    return table(wait=BUILD_TIMEOUT)


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


# ---- a build that goes wrong never hangs a request, and is not retried at once -------------

def _die(send):  # run in the child process: it ends without an answer
    os._exit(3)


def _hang(send):  # run in the child process: it never answers
    time.sleep(60)


def test_a_child_that_dies_or_hangs_is_given_up():
    with pytest.raises(EOFError):
        pinyin_data._in_child(target=_die, timeout=60)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        pinyin_data._in_child(target=_hang, timeout=1)
    assert time.monotonic() - started < 30  # killed, not waited for


def test_a_failed_build_is_tried_again_only_later(monkeypatch):
    calls = []

    def failing():
        calls.append(1)
        raise MemoryError

    tables = pinyin_data._Tables()
    monkeypatch.setattr(pinyin_data, "_tables", tables)
    monkeypatch.setattr(pinyin_data, "_build", failing)
    with pytest.raises(pinyin_data.NotReady):
        table(wait=0.5)
    for _ in range(50):
        if tables.failed_at is not None:
            break
        time.sleep(0.05)
    assert tables.failed_at is not None and not tables.building
    with pytest.raises(pinyin_data.NotReady):
        table(wait=0.1)
    assert calls == [1]  # asked again at once: no second build
    tables.failed_at -= pinyin_data.RETRY_AFTER
    with pytest.raises(pinyin_data.NotReady):
        table(wait=0.5)
    assert len(calls) == 2
