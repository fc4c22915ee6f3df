"""Printer configuration from one URL, e.g. ``tcp://192.168.1.50:9100?paper=80``.

Schemes: ``file:`` / ``file:///dir``, ``tcp://HOST[:PORT]``, ``usb://VID:PID`` (hex),
``serial:///dev/ttyUSB0``, ``memory:`` / ``memory:NAME``.
Options: paper=58|80, text=native|image, font=PATH, qr=native|image, timeout=SECONDS,
status=1|0, speed=MM_PER_SECOND (how fast the paper comes out: the worker waits that long
for a slip to finish before it calls it printed), and per scheme: baud (serial),
in_ep/out_ep (usb).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from printers.errors import PrinterConfigError

DEFAULT_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
# Fonts with the rarer CJK characters (extension planes, found in some names), tried in
# order for characters the main font lacks when text is drawn as an image (Debian:
# fonts-hanazono).
FALLBACK_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
)
DOTS = {58: 384, 80: 576}
COLUMNS = {58: 32, 80: 48}
SCHEMES = ("file", "tcp", "usb", "serial", "memory")
_COMMON = {"paper", "text", "font", "qr", "timeout", "status", "speed"}
_EXTRA = {"serial": {"baud"}, "usb": {"in_ep", "out_ep"}}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class PrinterConfig:
    scheme: str
    url: str = ""
    host: str | None = None
    port: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    in_ep: int | None = None
    out_ep: int | None = None
    device: str | None = None
    baud: int = 9600
    directory: str | None = None
    name: str | None = None
    paper_mm: int = 58
    text_mode: str = "native"
    qr_mode: str = "native"
    font_path: str | None = None
    fallback_fonts: tuple[str, ...] = ()
    timeout: float = 3.0
    status: bool = True
    speed: float = 50.0  # mm of paper per second; a cheap 58 mm thermal printer does 50-90

    @property
    def physical(self) -> bool:
        """Paper comes out of this printer (not a file or memory stand-in)."""
        return self.scheme in ("tcp", "usb", "serial")

    @property
    def dots(self) -> int:
        """Printable width in dots (384 for 58 mm paper, 576 for 80 mm)."""
        return DOTS[self.paper_mm]

    @property
    def columns(self) -> int:
        """Latin columns per line at size 1 (Chinese characters take two)."""
        return COLUMNS[self.paper_mm]


def find_default_font() -> str | None:
    return next((path for path in DEFAULT_FONTS if os.path.isfile(path)), None)


def find_fallback_fonts() -> tuple[str, ...]:
    return tuple(path for path in FALLBACK_FONTS if os.path.isfile(path))


def _fail(url: str, message: str) -> PrinterConfigError:
    return PrinterConfigError(f"printer URL {url!r}: {message}")


def _choice(url: str, key: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _fail(url, f"option {key} must be one of {'|'.join(choices)}, not {value!r}")
    return value


def _hex_id(url: str, text: str, what: str) -> int:
    try:
        value = int(text, 16)
    except ValueError:
        raise _fail(url, f"{what} must be hexadecimal like 0x0416, not {text!r}") from None
    if not 0 <= value <= 0xFFFF:
        raise _fail(url, f"{what} {text!r} is out of range")
    return value


def _location(url: str, scheme: str, netloc: str, path: str, default_dir: str | None) -> dict:
    if scheme == "file":
        if netloc:
            raise _fail(url, "file URLs take no host; use file:///absolute/dir or file:")
        directory = path or default_dir
        if not directory:
            raise _fail(url, "no directory given and no default directory configured")
        return {"directory": directory}
    if scheme == "memory":
        return {"name": (netloc or path.lstrip("/")) or "default"}
    if scheme == "serial":
        device = path if not netloc else f"/{netloc}{path}"
        if not device or device == "/":
            raise _fail(url, "serial URLs need a device, e.g. serial:///dev/ttyUSB0")
        return {"device": device}
    if scheme == "usb":
        ids = netloc or path.strip("/")
        vid, sep, pid = ids.partition(":")
        if not sep or not vid or not pid:
            raise _fail(url, "USB URLs need VID:PID in hex, e.g. usb://0x0416:0x5011")
        return {"vendor_id": _hex_id(url, vid, "vendor id"),
                "product_id": _hex_id(url, pid, "product id")}
    # tcp
    parts = urlsplit(f"//{netloc}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _fail(url, "the port must be a number from 1 to 65535") from None
    if port == 0:
        raise _fail(url, "the port must be a number from 1 to 65535")
    if not host or path not in ("", "/"):
        raise _fail(url, "TCP URLs look like tcp://192.168.1.50:9100")
    return {"host": host, "port": port or 9100}


def _number(url: str, key: str, value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _fail(url, f"option {key} must be a number, not {value!r}") from None
    if not low <= number <= high:
        raise _fail(url, f"option {key} must be between {low:g} and {high:g}, not {value!r}")
    return number


def _options(url: str, scheme: str, query: str) -> dict:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _fail(url, f"cannot read the options {query!r}") from None
    allowed = _COMMON | _EXTRA.get(scheme, set())
    raw: dict[str, str] = {}
    for key, value in pairs:
        if key not in allowed:
            raise _fail(url, f"unknown option {key!r} for {scheme} (known: "
                             f"{', '.join(sorted(allowed))})")
        if key in raw:
            raise _fail(url, f"option {key} given twice")
        raw[key] = value.strip()
    out: dict = {}
    if "paper" in raw:
        out["paper_mm"] = int(_choice(url, "paper", raw["paper"], ("58", "80")))
    if "text" in raw:
        out["text_mode"] = _choice(url, "text", raw["text"], ("native", "image"))
    if "qr" in raw:
        out["qr_mode"] = _choice(url, "qr", raw["qr"], ("native", "image"))
    if "timeout" in raw:
        out["timeout"] = _number(url, "timeout", raw["timeout"], 0.05, 120)
    if "speed" in raw:
        out["speed"] = _number(url, "speed", raw["speed"], 5, 100000)
    if "baud" in raw:
        out["baud"] = int(_number(url, "baud", raw["baud"], 300, 921600))
    for ep in ("in_ep", "out_ep"):
        if ep in raw:
            out[ep] = _hex_id(url, raw[ep], ep)
    if "status" in raw:
        flag = raw["status"].lower()
        if flag not in _TRUE + _FALSE:
            raise _fail(url, f"option status must be 1 or 0, not {raw['status']!r}")
        out["status"] = flag in _TRUE
    if "font" in raw:
        out["font_path"] = raw["font"]
    return out


def parse_printer_url(url: str, default_dir: str | None = None, *,
                      check_files: bool = True) -> PrinterConfig:
    """Parse a printer URL; raise PrinterConfigError with a clear message when invalid.

    ``check_files=False`` checks the URL only, not the fonts on this machine (the web
    server checks the configuration at start; the print worker's machine has the fonts)."""
    if not isinstance(url, str) or not url.strip():
        raise PrinterConfigError("printer URL is empty")
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise _fail(url, f"unknown scheme {parts.scheme!r}; use one of "
                         f"{', '.join(s + ':' for s in SCHEMES)}")
    if parts.fragment:
        raise _fail(url, "URLs must not contain '#'")
    values = _location(url, scheme, unquote(parts.netloc), unquote(parts.path), default_dir)
    values.update(_options(url, scheme, parts.query))
    if scheme == "file" and values.get("status"):
        raise _fail(url, "file printers cannot report status; remove status=1")
    values.setdefault("status", scheme != "file")
    font = values.get("font_path")
    if not check_files:
        return PrinterConfig(scheme=scheme, url=url, **values)
    if font is not None and not os.path.isfile(font):
        raise _fail(url, f"font file {font!r} does not exist")
    if font is None:
        values["font_path"] = find_default_font()
    values["fallback_fonts"] = find_fallback_fonts()
    if values.get("text_mode") == "image" and values["font_path"] is None:
        raise _fail(url, "text=image needs a CJK font, but none was found (install "
                         "fonts-wqy-microhei or pass font=/path/to/font.ttc)")
    return PrinterConfig(scheme=scheme, url=url, **values)
