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
Building takes a few seconds, in a child process (see ``_build``), started in a background
thread by ``warm_up()`` when a kiosk page first shows the input panel. No request ever waits
for it longer than it asks to (``table(wait=…)`` raises ``NotReady``), no lock is held while
the child works, a child that dies or hangs is given up after ``BUILD_TIMEOUT`` seconds and
killed, and a failed build is tried again only after ``RETRY_AFTER`` seconds.
"""

import atexit
import logging
import multiprocessing
import threading
import time
import unicodedata
from pathlib import Path

from app.domain.pinyin_input import PinyinTable
from app.domain.surnames import COMMON_SURNAMES

log = logging.getLogger(__name__)

CHARACTERS = 8000
MIN_WORD_COUNT = 20
BUILD_TIMEOUT = 120  # seconds; it takes about 3
RETRY_AFTER = 60  # seconds after a failed build


class NotReady(Exception):
    """The tables are still being built (or the last build failed a moment ago)."""


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
        readings, words = _in_child()
    except OSError as exc:
        log.warning("pinyin tables built in the web process (%s)", exc)
        readings, words = _raw_tables()
    return PinyinTable(readings, COMMON_SURNAMES, words)


def _in_child(target=None, timeout: float = BUILD_TIMEOUT):
    """``_raw_tables()`` in a fresh process, its answer sent back through a pipe. A child that
    dies closes the pipe (EOFError); one that hangs is killed after ``timeout`` seconds."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=target or _send_tables, args=(send,), name="pinyin-tables",
                            daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise TimeoutError(f"no pinyin tables after {timeout} s")
        return receive.recv()
    finally:
        receive.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()


def _send_tables(send) -> None:
    send.send(_raw_tables())
    send.close()


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


class _Tables:
    """The process's one table, and the state of its build."""

    def __init__(self):
        self.lock = threading.Lock()  # held only to look at or change the fields below
        self.ready = threading.Event()
        self.table: PinyinTable | None = None
        self.building = False
        self.failed_at: float | None = None

    def start(self) -> None:
        with self.lock:
            if self.table is not None or self.building:
                return
            if self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_AFTER:
                return
            self.building = True
        threading.Thread(target=self._build, name="pinyin-tables", daemon=True).start()

    def _build(self) -> None:
        try:
            built = _build()
        except Exception:  # whatever it was, the kiosk goes on with handwriting; tried again later
            if _stopping.is_set():  # the process is exiting and its child was ended with it
                return
            log.exception("the pinyin tables could not be built; trying again in %s s", RETRY_AFTER)
            with self.lock:
                self.building, self.failed_at = False, time.monotonic()
            return
        with self.lock:
            self.table, self.building, self.failed_at = built, False, None
        self.ready.set()


_tables = _Tables()
# Set when the process exits (atexit runs this before multiprocessing ends its children).
_stopping = threading.Event()
atexit.register(_stopping.set)


def warm_up() -> None:
    """Start building the table in the background (once per process, unless it failed), so
    that the first tap on a letter is answered at once."""
    _tables.start()


def table(wait: float = 0) -> PinyinTable:
    """The process's table, waiting at most ``wait`` seconds for its build; ``NotReady``
    while it is still being built (a build is started if none is running)."""
    if _tables.table is None:
        _tables.start()
        if not _tables.ready.wait(wait):
            raise NotReady
    return _tables.table
