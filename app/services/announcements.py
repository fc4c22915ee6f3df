"""Speech rendered on the server by espeak-ng: the hall display's spoken calls, and the exit
terminal's few fixed words.

A display PC or kiosk with a fresh Debian has no Chinese voice in its browser, so the server
speaks. Only texts the server itself composes are ever rendered, never text from a request:

- ``announcement_wav("A007", 3)`` renders 请 A 零零七 号，到 三 号窗口办理 (the fixed template in
  ``app/domain/announcements.py``: number and window only) to a WAV file and returns its path;
- ``speech_wav(text)`` renders one phrase of a fixed, server-known set (the exit terminal's
  level words, roles, reasons and thanks: ``app/kiosk/rating_routes.py``).

- The voice is espeak-ng's ``cmn-latn-pinyin``. Its plain ``cmn`` voice (espeak-ng 1.51, as in
  Debian 12) reads the tone digits of its own pinyin in English ("ling two"); the pinyin
  voice says the same characters correctly, and Latin letters as Chinese say them (A, B …).
- espeak-ng runs without a shell, with a timeout, the text on its standard input.
- Files are kept in ``instance/announcements/`` under a hash of what was rendered, so each
  text is rendered once (by one thread of a process at a time; another worker process may
  render it again, harmlessly: files are moved into place whole). The folder is capped
  (``DISPLAY_SPEECH_CACHE_MB``): the least recently played files go first.
"""

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from flask import current_app

from app import file_modes
from app.domain.announcements import announcement_text

log = logging.getLogger(__name__)

VOICE = "cmn-latn-pinyin"
# Words per minute and pitch (0-99): a little slower than espeak-ng's 175, for a hall.
SPEED = 150
PITCH = 50
# espeak-ng renders a call in well under a second; one that takes longer is stuck. A failure
# is remembered for a while, so that a broken espeak-ng costs one wait, not one per call.
TIMEOUT_SECONDS = 5
RETRY_AFTER_SECONDS = 60
FOLDER = "announcements"
DEFAULT_CACHE_MB = 20
RIFF_HEADER = 44  # a WAV with nothing but its header holds no sound

_render_lock = threading.Lock()
FAILED_AT = "speech_failed_at"  # app.extensions key: time.monotonic() of the last failed render


class SpeechUnavailable(Exception):
    """espeak-ng is missing, failed or took too long: the display falls back (display.js)."""


def program() -> str | None:
    """The espeak-ng program to run, or None where spoken calls are off or it is missing."""
    name = current_app.config.get("DISPLAY_SPEECH_PROGRAM") or ""
    if not isinstance(name, str) or not name:
        return None
    return shutil.which(name)


def available() -> bool:
    return program() is not None


def cache_dir() -> Path:
    return Path(current_app.instance_path) / FOLDER


def _settings() -> tuple[str, ...]:
    return ("-v", VOICE, "-s", str(SPEED), "-p", str(PITCH))


def cached_path(text: str) -> Path:
    key = hashlib.sha256("\n".join((*_settings(), text)).encode()).hexdigest()[:32]
    return cache_dir() / f"{key}.wav"


def announcement_wav(number: str, window: int) -> Path:
    """The WAV of this call (rendered now, or from the cache). ``Invalid`` for a number or
    window that cannot be one; ``SpeechUnavailable`` when espeak-ng cannot speak."""
    return speech_wav(announcement_text(number, window))


def speech_wav(text: str) -> Path:
    """The WAV of ``text`` (rendered now, or from the cache); ``SpeechUnavailable`` when
    espeak-ng cannot speak. The caller vouches for ``text``: a fixed phrase or template of
    its own, never what a request sent."""
    path = cached_path(text)
    if _touch(path):
        return path
    with _render_lock:
        if _touch(path):  # another thread rendered it meanwhile
            return path
        exe = program()
        if exe is None:
            raise SpeechUnavailable("espeak-ng is not installed or spoken calls are off")
        failed_at = current_app.extensions.get(FAILED_AT)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_AFTER_SECONDS:
            raise SpeechUnavailable("espeak-ng failed a moment ago; not tried again yet")
        file_modes.private_dir(path.parent)
        try:
            _render(exe, text, path)
        except SpeechUnavailable:
            current_app.extensions[FAILED_AT] = time.monotonic()
            raise
        current_app.extensions.pop(FAILED_AT, None)
    _trim(cache_dir(), keep=path)
    return path


def _touch(path: Path) -> bool:
    """True if the file is cached; it is marked as just played (kept longest)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


def _render(exe: str, text: str, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".render-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        try:
            result = subprocess.run(
                [exe, *_settings(), "-b", "1", "--stdin", "-w", tmp],
                input=text.encode(), capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechUnavailable(f"espeak-ng did not run: {exc}") from exc
        if result.returncode != 0 or os.path.getsize(tmp) <= RIFF_HEADER:
            raise SpeechUnavailable(
                f"espeak-ng failed ({result.returncode}): "
                f"{result.stderr.decode(errors='replace').strip()[:200]}")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _trim(folder: Path, keep: Path) -> None:
    """Delete the least recently played files until the folder is within its cap."""
    cap_mb = current_app.config.get("DISPLAY_SPEECH_CACHE_MB", DEFAULT_CACHE_MB)
    if isinstance(cap_mb, bool) or not isinstance(cap_mb, (int, float)) or cap_mb <= 0:
        log.warning("DISPLAY_SPEECH_CACHE_MB must be a positive number of megabytes, not %r; "
                    "using %s", cap_mb, DEFAULT_CACHE_MB)
        cap_mb = DEFAULT_CACHE_MB
    cap = int(cap_mb * 1024 * 1024)
    files = []
    for entry in folder.glob("*.wav"):
        try:
            stat = entry.stat()
        except FileNotFoundError:  # another worker trimmed it
            continue
        files.append((stat.st_mtime, stat.st_size, entry))
    total = sum(size for _, size, _ in files)
    for _, size, entry in sorted(files, key=lambda f: f[0]):
        if total <= cap:
            break
        if entry == keep:
            continue
        entry.unlink(missing_ok=True)
        total -= size
