"""Render a Receipt to ESC/POS bytes for one printer configuration.

Native text is encoded here, not by python-escpos: every run of non-ASCII characters is
sent as GB18030 between FS & (enter Chinese mode) and FS . (leave it). Lines that the
printer font cannot show are drawn as images with a CJK font instead.
"""

from __future__ import annotations

from itertools import groupby

from escpos.constants import QR_ECLEVEL_M
from escpos.exceptions import ImageWidthError
from escpos.printer import Dummy
from PIL import Image
from qrcode.exceptions import DataOverflowError

from printers import raster
from printers._escpos import make_profile
from printers.cjk import unprintable_chars, wrap_text
from printers.config import PrinterConfig
from printers.errors import JobBroken, PrinterConfigError
from printers.receipt import QR, Feed, Receipt, Rule, Text, rule_line

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"


def encode_native(line: str) -> bytes:
    """ASCII as is; each run of other characters as GB18030 inside FS & ... FS ."""
    out = bytearray()
    for is_ascii, group in groupby(line, key=str.isascii):
        chunk = "".join(group)
        if is_ascii:
            out += chunk.encode("ascii")
        else:
            out += FS_CHINESE_ON + chunk.encode("gb18030") + FS_CHINESE_OFF
    return bytes(out)


class _Builder:
    def __init__(self, config: PrinterConfig) -> None:
        self.config = config
        self.printer = Dummy(profile=make_profile(config.paper_mm))

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def image(self, image: Image.Image, what: str) -> None:
        try:
            self.printer.image(image, center=True)
        except ImageWidthError as exc:
            raise JobBroken(f"{what} is wider than the paper ({exc} dots)") from exc

    def needs_image(self, line: str) -> bool:
        if self.config.text_mode == "image":
            return not line.isascii()
        missing = unprintable_chars(line)
        if missing and self.config.font_path is None:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing)
            raise JobBroken(f"the printer font cannot print {codes} and no CJK font is "
                            f"configured to draw it: {line!r}")
        return bool(missing)

    def lines(self, lines: list[str], size: int = 1, align: str = "left",
              bold: bool = False) -> None:
        pending: list[str] = []
        for line in lines:
            if self.needs_image(line):
                pending.append(line)
                continue
            self.flush_image(pending, size, align, bold)
            self.raw(encode_native(line) + b"\n")
        self.flush_image(pending, size, align, bold)

    def flush_image(self, pending: list[str], size: int, align: str, bold: bool) -> None:
        if not pending:
            return
        font = self.config.font_path
        if font is None:
            raise PrinterConfigError("text=image needs a CJK font, but none is configured")
        image = raster.text_image(pending, size=size, align=align, bold=bold, font_path=font,
                                  dots=self.config.dots, fallbacks=self.config.fallback_fonts)
        self.image(image, "a text line")
        pending.clear()

    def text(self, item: Text) -> None:
        self.printer.set(align=item.align)
        if item.bold:
            self.printer.set(bold=True)
        if item.size != 1:
            self.printer.set(custom_size=True, width=item.size, height=item.size)
        self.lines(wrap_text(item.text, self.config.columns // item.size),
                   item.size, item.align, item.bold)
        if item.size != 1:
            self.printer.set(custom_size=True, width=1, height=1)
        if item.bold:
            self.printer.set(bold=False)

    def qr(self, item: QR) -> None:
        try:
            modules = raster.qr_modules(item.payload)
        except (ValueError, DataOverflowError) as exc:
            raise JobBroken(f"QR payload too long ({len(item.payload)} chars)") from exc
        if self.config.qr_mode == "image":
            self.image(raster.qr_image(item.payload, item.size), "the QR code")
            return
        if modules * item.size > self.config.dots:
            raise JobBroken(f"the QR code is {modules * item.size} dots wide, the paper "
                            f"{self.config.dots}; use a smaller size or payload")
        self.printer.set(align="center")
        self.printer.qr(item.payload, ec=QR_ECLEVEL_M, size=item.size, native=True)
        self.raw(b"\n")
        self.printer.set(align="left")

    def item(self, item: object) -> None:
        if isinstance(item, Text):
            self.text(item)
        elif isinstance(item, QR):
            self.qr(item)
        elif isinstance(item, Rule):
            self.printer.set(align="left")
            self.lines([rule_line(item.char, self.config.columns)])
        elif isinstance(item, Feed):
            self.raw(b"\n" * item.lines)
        else:
            raise TypeError(f"not a receipt item: {item!r}")


def render(receipt: Receipt, config: PrinterConfig) -> bytes:
    """The complete job: initialise, the items in order, then cut when ``receipt.cut``."""
    if config.text_mode == "image" and config.font_path is None:
        raise PrinterConfigError("text=image needs a CJK font, but none is configured")
    builder = _Builder(config)
    builder.printer.hw("INIT")
    for item in receipt.items:
        builder.item(item)
    if receipt.cut:
        builder.printer.cut()
    return builder.printer.output


LINE_MM = 4.0  # one line of 24-dot text with its spacing, at 8 dots per mm
CUT_FEED_MM = 15.0  # paper fed to bring the last line past the cutter


def print_seconds(receipt: Receipt, config: PrinterConfig) -> float:
    """How long the printer needs to print ``receipt`` at ``config.speed`` (mm/s)."""
    mm = 0.0
    for item in receipt.items:
        if isinstance(item, Text):
            mm += len(wrap_text(item.text, config.columns // item.size)) * LINE_MM * item.size
        elif isinstance(item, QR):
            mm += raster.qr_modules(item.payload) * item.size / 8 + LINE_MM
        elif isinstance(item, Rule):
            mm += LINE_MM
        elif isinstance(item, Feed):
            mm += item.lines * LINE_MM
    if receipt.cut:
        mm += CUT_FEED_MM
    return mm / config.speed


def clear_sequence(data: bytes) -> bytes:
    """Bytes that bring a printer back to a clean state after ``data`` was cut off anywhere.

    A length-prefixed command that was cut off (a QR store ``GS ( k``, a raster image
    ``GS v 0``) makes the printer take the next bytes as its data, swallowing the start of
    the next slip. NUL is ignored as a command, so enough NULs to fill the longest such
    block of ``data``, then ``ESC @`` (initialise), leave the printer ready in any case.
    """
    return b"\x00" * longest_block(data) + b"\x1b@"


def longest_block(data: bytes) -> int:
    """The largest number of data bytes any length-prefixed command in ``data`` announces."""
    longest, i = 0, 0
    while (i := data.find(b"\x1d", i)) != -1:
        head = data[i + 1:i + 2]
        if head == b"(" and i + 4 < len(data):  # GS ( fn pL pH
            longest = max(longest, data[i + 3] + 256 * data[i + 4])
        elif head == b"v" and i + 7 < len(data) and data[i + 2] == 0x30:  # GS v 0 m xL xH yL yH
            width = data[i + 4] + 256 * data[i + 5]
            longest = max(longest, width * (data[i + 6] + 256 * data[i + 7]))
        i += 1
    return longest


def unprintable_glyphs(receipt: Receipt, config: PrinterConfig) -> list[str]:
    """Characters of ``receipt`` that print as a box on this printer: not in its own
    font, and (when text is drawn) in none of the fonts at hand. Staff are warned."""
    text = "".join(item.text for item in receipt.items if isinstance(item, Text))
    if config.text_mode == "native":
        text = "".join(unprintable_chars(text))
    if not text or config.font_path is None:
        return sorted({ch for ch in text if not ch.isascii()})
    return raster.glyphs_missing_everywhere(text, (config.font_path, *config.fallback_fonts))
