"""Handwriting recognition on the server, offline: Zinnia (Debian's libzinnia0) with the
Tegaki Simplified Chinese model (Debian's tegaki-zinnia-simplified-chinese), through a thin
ctypes wrapper of libzinnia's C API (there is no Python binding on PyPI).

The recogniser is opened once per process, on first use; Zinnia's recogniser is not
documented as thread-safe, so one lock serialises classification (a character takes about
a millisecond). Without the library or the model, ``available()`` is False and the kiosk's
handwriting tab says so; everything else works.

The model path is the ``HANDWRITING_MODEL`` setting (default: Debian's path).
"""

import ctypes
import ctypes.util
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_MODEL = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"
SONAME = "libzinnia.so.0"

Stroke = Sequence[tuple[int, int]]


class Unavailable(RuntimeError):
    """No libzinnia, or no model where the setting says."""


def _load_library() -> ctypes.CDLL:
    name = ctypes.util.find_library("zinnia") or SONAME
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise Unavailable(f"libzinnia not found ({exc}); apt-get install libzinnia0") from None
    p, size, c_int, c_float, c_str = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_float,
                                      ctypes.c_char_p)
    signatures = {
        "zinnia_recognizer_new": (p, []),
        "zinnia_recognizer_open": (c_int, [p, c_str]),
        "zinnia_recognizer_strerror": (c_str, [p]),
        "zinnia_recognizer_classify": (p, [p, p, size]),
        "zinnia_recognizer_destroy": (None, [p]),
        "zinnia_character_new": (p, []),
        "zinnia_character_set_width": (None, [p, size]),
        "zinnia_character_set_height": (None, [p, size]),
        "zinnia_character_add": (c_int, [p, size, c_int, c_int]),
        "zinnia_character_destroy": (None, [p]),
        "zinnia_result_value": (c_str, [p, size]),
        "zinnia_result_score": (c_float, [p, size]),
        "zinnia_result_size": (size, [p]),
        "zinnia_result_destroy": (None, [p]),
    }
    for function, (restype, argtypes) in signatures.items():
        f = getattr(lib, function)
        f.restype, f.argtypes = restype, argtypes
    return lib


class Recogniser:
    """One opened Zinnia recogniser with its model."""

    def __init__(self, model_path: str):
        if not Path(model_path).is_file():
            raise Unavailable(f"no handwriting model at {model_path}; "
                              "apt-get install tegaki-zinnia-simplified-chinese")
        self._lib = _load_library()
        self._lock = threading.Lock()
        self._recognizer = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._recognizer, model_path.encode()):
            error = self._lib.zinnia_recognizer_strerror(self._recognizer) or b""
            self._lib.zinnia_recognizer_destroy(self._recognizer)
            raise Unavailable(f"cannot open the handwriting model {model_path}: "
                              f"{error.decode(errors='replace')}")

    def recognise(self, strokes: Sequence[Stroke], width: int, height: int, n: int = 10) -> list[str]:
        """The ``n`` likeliest characters, likeliest first, for strokes drawn on a
        ``width`` x ``height`` pad (points in pixels, origin top left)."""
        lib = self._lib
        with self._lock:
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, width)
                lib.zinnia_character_set_height(character, height)
                for i, stroke in enumerate(strokes):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, i, int(x), int(y))
                result = lib.zinnia_recognizer_classify(self._recognizer, character, n)
                if not result:
                    return []
                try:
                    return [lib.zinnia_result_value(result, i).decode("utf-8", errors="replace")
                            for i in range(lib.zinnia_result_size(result))]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(character)


_recognisers: dict[str, Recogniser | Unavailable] = {}
_open_lock = threading.Lock()


def recogniser(model_path: str = DEFAULT_MODEL) -> Recogniser:
    """The process's recogniser for that model, opened on first use; Unavailable if it
    cannot be (remembered: the kiosk does not retry on every stroke)."""
    with _open_lock:
        if model_path not in _recognisers:
            try:
                _recognisers[model_path] = Recogniser(model_path)
            except Unavailable as exc:
                log.warning("handwriting recognition unavailable: %s", exc)
                _recognisers[model_path] = exc
        found = _recognisers[model_path]
    if isinstance(found, Unavailable):
        raise found
    return found


def available(model_path: str = DEFAULT_MODEL) -> bool:
    try:
        recogniser(model_path)
    except Unavailable:
        return False
    return True


def recognise(strokes: Sequence[Stroke], width: int, height: int, n: int = 10,
              model_path: str = DEFAULT_MODEL) -> list[str]:
    return recogniser(model_path).recognise(strokes, width, height, n)
