"""The Zinnia wrapper (app/services/handwriting.py) on strokes written by hand as point
lists (tests/fixtures/handwriting_strokes.json). Without libzinnia or the model these skip,
except on CI (CI=true), where they fail: CI installs both (`make kiosk-deps`)."""

import json
import os
import threading
from pathlib import Path

import pytest

from app.services import handwriting

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "handwriting_strokes.json"
STROKES = json.loads(FIXTURE.read_text(encoding="utf-8"))
MISSING = ("libzinnia0 or its Simplified Chinese model is not installed: handwriting tests "
           "skipped; apt-get install libzinnia0 tegaki-zinnia-simplified-chinese (make kiosk-deps)")


@pytest.fixture(scope="module")
def recogniser():
    if not handwriting.available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but " + MISSING, pytrace=False)
        pytest.skip(MISSING)
    return handwriting.recogniser()


@pytest.mark.parametrize("char", list(STROKES["characters"]))
def test_a_written_character_is_among_the_top_candidates(recogniser, char):
    found = handwriting.recognise(STROKES["characters"][char], STROKES["width"], STROKES["height"], n=10)
    assert len(found) == 10
    assert char in found[:3], f"{char} not in the top three: {found}"


def test_the_same_strokes_on_a_larger_pad_read_the_same(recogniser):
    strokes = [[(x * 2, y * 2) for x, y in s] for s in STROKES["characters"]["王"]]
    assert "王" in handwriting.recognise(strokes, 600, 600)[:3]


def test_threads_share_the_one_recogniser(recogniser):
    results, chars = {}, list(STROKES["characters"])

    def read(char):
        for _ in range(20):
            found = handwriting.recognise(STROKES["characters"][char], 300, 300, n=3)
            results.setdefault(char, set()).add(tuple(found))

    threads = [threading.Thread(target=read, args=(c,)) for c in chars]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {c: len(r) for c, r in results.items()} == dict.fromkeys(chars, 1)  # always the same answer
    assert all(c in next(iter(results[c])) for c in chars)


def test_a_missing_model_is_unavailable_not_an_error(tmp_path):
    missing = str(tmp_path / "no.model")
    assert handwriting.available(missing) is False
    with pytest.raises(handwriting.Unavailable):
        handwriting.recognise([[(1, 1)]], 300, 300, model_path=missing)
