"""Spoken calls rendered by espeak-ng on the server, and kept in a capped cache.

Tests that run espeak-ng skip where it is missing, except on CI (tests/speech.py)."""

import io
import subprocess
import time
import wave

import pytest

from app.services import announcements
from app.services.announcements import SpeechUnavailable, announcement_wav
from tests.speech import require_espeak_ng


def duration(path) -> float:
    with wave.open(io.BytesIO(path.read_bytes())) as wav:
        return wav.getnframes() / wav.getframerate()


def test_a_call_is_rendered_to_a_wav_once(ctx, monkeypatch):
    require_espeak_ng()
    path = announcement_wav("A007", 3)
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert path.parent == announcements.cache_dir()
    # about five seconds at a clear pace; an empty or runaway rendering fails here
    assert 3.0 <= duration(path) <= 9.0, duration(path)

    def no_second_rendering(*args, **kwargs):
        raise AssertionError("the same text was rendered twice")

    monkeypatch.setattr(subprocess, "run", no_second_rendering)
    assert announcement_wav("A007", 3) == path
    assert path.read_bytes() == data


def test_different_calls_are_different_files(ctx):
    require_espeak_ng()
    first, other = announcement_wav("A007", 3), announcement_wav("B012", 12)
    assert first != other and first.read_bytes() != other.read_bytes()
    assert duration(other) > 3.0


def test_the_cache_is_capped_least_recently_played_first(ctx, app):
    require_espeak_ng()
    first = announcement_wav("A001", 1)
    app.config["DISPLAY_SPEECH_CACHE_MB"] = 1.5 * first.stat().st_size / (1024 * 1024)
    second = announcement_wav("A002", 1)
    assert second.exists() and not first.exists()
    assert len(list(announcements.cache_dir().glob("*.wav"))) == 1


def test_without_espeak_ng_there_is_no_speech(ctx, app):
    app.config["DISPLAY_SPEECH_PROGRAM"] = "no-such-espeak-ng"
    assert not announcements.available()
    with pytest.raises(SpeechUnavailable):
        announcement_wav("A001", 1)
    app.config["DISPLAY_SPEECH_PROGRAM"] = ""
    assert not announcements.available()


def fake_program(tmp_path, script: str) -> str:
    program = tmp_path / "fake-espeak-ng"
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(0o755)
    return str(program)


def test_a_hanging_espeak_ng_is_stopped(ctx, app, tmp_path, monkeypatch):
    app.config["DISPLAY_SPEECH_PROGRAM"] = fake_program(tmp_path, "exec sleep 30")
    monkeypatch.setattr(announcements, "TIMEOUT_SECONDS", 0.5)
    with pytest.raises(SpeechUnavailable, match="did not run"):
        announcement_wav("A001", 1)
    assert list(announcements.cache_dir().iterdir()) == []  # nothing half-written is kept


def test_a_failing_or_silent_espeak_ng_leaves_nothing(ctx, app, tmp_path):
    app.config["DISPLAY_SPEECH_PROGRAM"] = fake_program(tmp_path, "echo 'no voice' >&2; exit 1")
    with pytest.raises(SpeechUnavailable, match="no voice"):
        announcement_wav("A001", 1)
    app.extensions.pop(announcements.FAILED_AT)  # as if a minute had passed
    app.config["DISPLAY_SPEECH_PROGRAM"] = fake_program(tmp_path, "exit 0")  # writes no sound
    with pytest.raises(SpeechUnavailable, match="failed"):
        announcement_wav("A001", 1)
    assert list(announcements.cache_dir().iterdir()) == []


def test_a_failure_is_not_retried_on_every_call_for_a_minute(ctx, app, tmp_path, monkeypatch):
    runs = tmp_path / "runs"
    app.config["DISPLAY_SPEECH_PROGRAM"] = fake_program(tmp_path, f"echo run >> {runs}; exit 1")
    for number in ("A001", "A002", "A003"):
        with pytest.raises(SpeechUnavailable):
            announcement_wav(number, 1)
    assert runs.read_text().count("run") == 1  # one wait for a broken espeak-ng, not one per call
    later = time.monotonic() + announcements.RETRY_AFTER_SECONDS + 1
    monkeypatch.setattr(announcements.time, "monotonic", lambda: later)
    with pytest.raises(SpeechUnavailable):
        announcement_wav("A004", 1)
    assert runs.read_text().count("run") == 2


def test_espeak_ng_gets_the_text_on_its_input_never_through_a_shell(ctx, app, tmp_path):
    """The fake records its arguments and input, and writes a WAV-sized file."""
    log = tmp_path / "called"
    app.config["DISPLAY_SPEECH_PROGRAM"] = fake_program(tmp_path, (
        f'printf "%s\\n" "$@" > {log}; cat >> {log}; '
        'while [ "$1" != "-w" ]; do shift; done; head -c 2000 /dev/zero > "$2"'))
    announcement_wav("A007", 3)
    called = log.read_text()
    assert "-v\ncmn-latn-pinyin\n" in called and "--stdin\n" in called
    assert called.endswith("请 A 零零七 号，到 三 号窗口办理。")
