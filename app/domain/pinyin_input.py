"""The candidate bar of the kiosk's pinyin keyboard: which characters (and words) a typed
pinyin offers, in which order, page by page. Pure: the tables come in as arguments
(``app/services/pinyin_data.py`` builds them from pypinyin and jieba's dictionary).

Order, for a query such as "zh", "zhang" or "shaxian":

1. words (two to four characters) whose pinyin is the whole query, then words it starts
   (only when the query is longer than one syllable: "shax" offers 沙县);
2. characters of the query's first syllable: in the first character of a NAME field the
   common surnames first, in the ranking's order; then every other character, common
   before rare. Characters whose reading IS the syllable come before those whose reading
   only starts with it ("zhan": 站 展 before 张 中).

Each candidate says how many letters of the query it uses up: a character of the first
syllable leaves the rest of the query typed ("shaxian", tap 沙: "xian" remains).

ü is typed as v ("lv" 绿, "nv" 女); a typed "ü" or "u:" is read as v too.
"""

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import Invalid

MAX_QUERY = 30  # letters: longer than any name or word a person types in one go
PAGE_SIZE = 8
# Candidate lists kept per table: a short query has hundreds of candidates (about 40 KB), so
# 256 of them bound the memory (about 10 MB) that a stream of made-up queries could take.
CACHED_QUERIES = 256
SURNAME_READING_SHARE = 0.01
_NOT_LETTERS = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class Candidate:
    text: str
    consumes: int  # letters of the query it replaces


@dataclass(frozen=True)
class Page:
    items: tuple[Candidate, ...]
    number: int  # 0-based
    pages: int


def normalise(raw: str | None) -> str:
    """Lower-case letters only; ü (or u:) is v. Too long: Invalid."""
    text = (raw or "").lower().replace("u:", "v").replace("ü", "v")
    text = _NOT_LETTERS.sub("", text)
    if len(text) > MAX_QUERY:
        raise Invalid(f"拼音太长，最多{MAX_QUERY}个字母")
    return text


class PinyinTable:
    """Characters by reading, weighted; surnames in ranking order; words by pinyin.

    - ``readings``: character -> {toneless reading ("lv", "zhong"): weight}: how often the
      character is read so (a count, or any number where more is more common). A character
      with several readings is found under each, at that reading's weight, so that 长 is
      offered high for "chang" and for "zhang", and 接 (rarely read "sha") last for "sha";
    - ``surnames``: the common surnames, most common first;
    - ``words``: joined toneless pinyin ("shaxian") -> words, most common first.

    Equal weights are ordered by code point, so that the order never changes between calls.
    """

    def __init__(self, readings: Mapping[str, Mapping[str, float]], surnames: Sequence[str],
                 words: Mapping[str, Sequence[str]] | None = None):
        by_syllable: dict[str, list[tuple[float, str]]] = {}
        for ch, weights in readings.items():
            for syllable, weight in weights.items():
                by_syllable.setdefault(syllable, []).append((weight, ch))
        self.weight = {s: {ch: w for w, ch in pairs} for s, pairs in by_syllable.items()}
        self.by_syllable = {s: [ch for _w, ch in sorted(pairs, key=lambda wc: (-wc[0], wc[1]))]
                            for s, pairs in by_syllable.items()}
        self.syllables = sorted(self.by_syllable)
        self.surname_rank = {ch: i for i, ch in enumerate(dict.fromkeys(surnames)) if ch in readings}
        # a surname is put first for a reading it really has (丁 is "ding"; its rare "zheng"
        # does not put it first for "z")
        self.surname_readings = {}
        for ch in self.surname_rank:
            floor = SURNAME_READING_SHARE * max(readings[ch].values())
            self.surname_readings[ch] = {s for s, w in readings[ch].items() if w >= floor}
        self.words = {key: list(dict.fromkeys(ws)) for key, ws in (words or {}).items() if ws}
        self.word_keys = sorted(self.words)
        self._cache: dict[tuple[str, bool], tuple[Candidate, ...]] = {}

    # ---- syllables -----------------------------------------------------------------------

    def split(self, query: str) -> list[str]:
        """The query cut into syllables, longest first; the last part may be an unfinished
        one ("zh"). Letters that start no syllable stand alone."""
        parts, i = [], 0
        while i < len(query):
            for end in range(min(len(query), i + 6), i, -1):
                if query[i:end] in self.by_syllable:
                    break
            else:
                end = len(query) if self._starts_a_syllable(query[i:]) else i + 1
            parts.append(query[i:end])
            i = end
        return parts

    def _starts_a_syllable(self, prefix: str) -> bool:
        i = bisect.bisect_left(self.syllables, prefix)
        return i < len(self.syllables) and self.syllables[i].startswith(prefix)

    def _syllables_from(self, prefix: str) -> list[str]:
        i = bisect.bisect_left(self.syllables, prefix)
        found = []
        while i < len(self.syllables) and self.syllables[i].startswith(prefix):
            found.append(self.syllables[i])
            i += 1
        return found

    # ---- candidates ----------------------------------------------------------------------

    def candidates(self, query: str, name_start: bool = False) -> tuple[Candidate, ...]:
        """Every candidate for ``query`` (already normalised), in the bar's order."""
        key = (query, name_start)
        if key not in self._cache:
            if len(self._cache) >= CACHED_QUERIES:
                self._cache.clear()
            self._cache[key] = tuple(self._candidates(query, name_start))
        return self._cache[key]

    def _candidates(self, query: str, name_start: bool) -> list[Candidate]:
        if not query:
            return []
        parts = self.split(query)
        words = self._words_for(query) if len(parts) > 1 else []
        if name_start:  # a name is not a dictionary word: only those starting with a surname
            words = [w for w in words if w[0] in self.surname_rank]
        first = parts[0]
        exact = self.by_syllable.get(first, [])
        best: dict[str, float] = {}  # characters of longer syllables, at their best weight
        for syllable in self._syllables_from(first):
            if syllable != first:
                for ch, weight in self.weight[syllable].items():
                    best[ch] = max(weight, best.get(ch, weight))
        seen = set(exact)
        longer = sorted((ch for ch in best if ch not in seen), key=lambda ch: (-best[ch], ch))
        chars = exact + longer
        if name_start:
            syllables = self._syllables_from(first)

            def surname(ch, exact_only):
                read = self.surname_readings.get(ch, ())
                return first in read if exact_only else any(s in read for s in syllables)

            front = sorted((ch for ch in exact if surname(ch, True)), key=self.surname_rank.__getitem__)
            front += sorted((ch for ch in chars if ch not in front and surname(ch, False)),
                            key=self.surname_rank.__getitem__)
            chars = front + [ch for ch in chars if ch not in front]
        found = [Candidate(w, len(query)) for w in words]
        taken = set(words)
        return found + [Candidate(ch, len(first)) for ch in chars if ch not in taken]

    def _words_for(self, query: str) -> list[str]:
        """Words whose pinyin is the query, then words whose pinyin starts with it."""
        exact = self.words.get(query, [])
        i = bisect.bisect_left(self.word_keys, query)
        longer = []
        while i < len(self.word_keys) and self.word_keys[i].startswith(query) and len(longer) < 40:
            if self.word_keys[i] != query:
                longer += self.words[self.word_keys[i]]
            i += 1
        return list(dict.fromkeys(exact + longer))

    def page(self, query: str, number: int = 0, name_start: bool = False,
             size: int = PAGE_SIZE) -> Page:
        """Page ``number`` (0-based) of the candidates; past the end: the last page."""
        everything = self.candidates(query, name_start)
        pages = max(1, -(-len(everything) // size))
        number = min(max(number, 0), pages - 1)
        return Page(items=everything[number * size:(number + 1) * size], number=number, pages=pages)
