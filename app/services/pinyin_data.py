"""The pinyin keyboard's tables, built once per process from two installed packages (no
network, no file of ours to keep up to date):

- pypinyin's dictionary (``pypinyin.pinyin_dict``: code point -> readings with tones) gives
  every character's readings; the tones are dropped and ü is written v;
- jieba's dictionary (``jieba/dict.txt``: about 350,000 words with their counts in a large
  corpus) gives how common each character is (the counts of the words it is in, summed)
  and the words offered for a multi-syllable pinyin (their pinyin by pypinyin, which knows
  the readings of words such as 银行).

Kept: the ``CHARACTERS`` most common characters that have a reading, plus every common
surname; words of two to four of those characters counted at least ``MIN_WORD_COUNT`` times.
Building takes a few seconds, in a child process (see ``_build``); ``warm_up()`` starts it in
the background when a kiosk page first shows the input panel.
"""

import logging
import multiprocessing
import threading
import unicodedata
from functools import cache
from pathlib import Path

from app.domain.pinyin_input import PinyinTable
from app.domain.surnames import COMMON_SURNAMES

log = logging.getLogger(__name__)

CHARACTERS = 8000
MIN_WORD_COUNT = 20
_lock = threading.Lock()


def plain(reading: str) -> str:
    """'zhōng' -> 'zhong', 'lǜ' -> 'lv'."""
    text = unicodedata.normalize("NFD", reading.strip().lower()).replace("u\u0308", "v")
    return "".join(ch for ch in text if "a" <= ch <= "z")


def _jieba_dictionary() -> Path:
    import jieba

    return Path(jieba.__file__).with_name("dict.txt")


def _build() -> PinyinTable:
    """Built in a child process: reading jieba's dictionary and pypinyin's takes about 150 MB
    at its peak, which a web worker would keep (Python seldom gives memory back); the table
    itself is a few MB. Where no child process can be started, built here."""
    try:
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            readings, words = pool.apply(_raw_tables)
    except (OSError, RuntimeError) as exc:
        log.warning("pinyin tables built in the web process (%s)", exc)
        readings, words = _raw_tables()
    return PinyinTable(readings, COMMON_SURNAMES, words)


def _raw_tables() -> tuple[dict[str, dict[str, float]], dict[str, list[str]]]:
    from pypinyin import lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    counts: dict[str, int] = {}
    words: list[tuple[int, str]] = []
    with _jieba_dictionary().open(encoding="utf-8") as lines:
        for line in lines:
            word, count, *_ = line.split(" ")
            n = int(count)
            for ch in word:
                counts[ch] = counts.get(ch, 0) + n
            if 2 <= len(word) <= 4 and n >= MIN_WORD_COUNT:
                words.append((n, word))
    ranked = [ch for ch in sorted(counts, key=counts.__getitem__, reverse=True)
              if ord(ch) in pinyin_dict][:CHARACTERS]
    kept = set(ranked)
    ranked += [ch for ch in COMMON_SURNAMES if ch not in kept and ord(ch) in pinyin_dict]
    kept = set(ranked)
    main = {ch: [plain(r) for r in pinyin_dict[ord(ch)].split(",")] for ch in ranked}

    # How often each character is read each way: the counts of the words that read it so
    # (pypinyin knows 银行 is "yin hang"); each reading starts at 1, its main one higher.
    read: dict[str, dict[str, float]] = {
        ch: {s: 1.0 for s in syllables} | {syllables[0]: 3.0} for ch, syllables in main.items()}
    by_pinyin: dict[str, list[str]] = {}
    words.sort(key=lambda nw: -nw[0])
    for n, word in words:
        if all(ch in kept for ch in word):
            syllables = [plain(p) for p in lazy_pinyin(word)]
            by_pinyin.setdefault("".join(syllables), []).append(word)
            for ch, syllable in zip(word, syllables, strict=False):
                if syllable in read[ch]:
                    read[ch][syllable] += n
    # a reading's weight: the character's count times that reading's share of its readings
    readings = {ch: {s: counts[ch] * r / sum(rs.values()) for s, r in rs.items()}
                for ch, rs in read.items()}
    return readings, by_pinyin


@cache
def _table() -> PinyinTable:
    return _build()


def table() -> PinyinTable:
    """The process's table (built on first use; threads wait for the one build)."""
    with _lock:
        return _table()


_warming = threading.Event()


def warm_up() -> None:
    """Build the table in a background thread (once per process), so that the first tap on
    a letter is answered at once."""
    if not _warming.is_set():
        _warming.set()
        threading.Thread(target=table, name="pinyin-table", daemon=True).start()
