"""Pillow drawings sent as raster images: text lines in a CJK font, and QR codes."""

from __future__ import annotations

import logging
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

# A native Chinese glyph is 24 dots high at size 1; a Latin column is 12 dots wide.
GLYPH_DOTS = 24
LINE_DOTS = 30
_MISSING_PROBE = "\U0010fffd"  # a private-use character no font draws


@lru_cache(maxsize=16)
def load_font(path: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixels)


def _mask_bytes(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    mask = font.getmask(ch, mode="1")
    return bytes(mask.size) + bytes(mask)


def missing_glyphs(text: str, font_path: str) -> list[str]:
    """Characters of ``text`` the font draws as its "missing glyph" box."""
    return sorted({ch for ch in text if not ch.isascii() and not _has_glyph(font_path, ch)})


@lru_cache(maxsize=4096)
def _has_glyph(font_path: str, ch: str) -> bool:
    font = load_font(font_path, GLYPH_DOTS)
    return _mask_bytes(font, ch) != _mask_bytes(font, _MISSING_PROBE)


def font_for(ch: str, fonts: tuple[str, ...]) -> str:
    """The first font of the chain that has ``ch`` (the first one when none has it)."""
    if ch.isascii():
        return fonts[0]
    return next((path for path in fonts if _has_glyph(path, ch)), fonts[0])


def glyphs_missing_everywhere(text: str, fonts: tuple[str, ...]) -> list[str]:
    """Characters none of the fonts can draw: they print as a box."""
    return sorted({ch for ch in text if not ch.isascii()
                   and not any(_has_glyph(path, ch) for path in fonts)})


def _runs(line: str, fonts: tuple[str, ...]) -> list[tuple[str, str]]:
    """``line`` cut into runs of characters drawn with the same font."""
    runs: list[tuple[str, str]] = []
    for ch in line:
        path = font_for(ch, fonts)
        if runs and runs[-1][1] == path:
            runs[-1] = (runs[-1][0] + ch, path)
        else:
            runs.append((ch, path))
    return runs


def text_image(lines: list[str], *, size: int, align: str, bold: bool, font_path: str,
               dots: int, fallbacks: tuple[str, ...] = ()) -> Image.Image:
    """Draw already wrapped lines, aligned across the full paper width, black on white.

    Characters the main font lacks (rare ones in names, from the CJK extension planes)
    are drawn with the first fallback font that has them.
    """
    fonts = (font_path, *fallbacks)
    pixels = GLYPH_DOTS * size
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))

    def width(line: str, px: int) -> float:
        return sum(probe.textlength(text, font=load_font(path, px)) for text, path in _runs(line, fonts))

    widest = max((width(line, pixels) for line in lines), default=0)
    if widest + bold > dots:
        pixels = max(int(pixels * (dots - 1) / widest), 8)
    line_height = LINE_DOTS * size
    image = Image.new("L", (dots, line_height * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # no anti-aliasing: thermal printers print dots, not grey
    ascent, _ = load_font(font_path, pixels).getmetrics()
    top = max((line_height - pixels) // 2, 0)
    for row, line in enumerate(lines):
        line_width = int(width(line, pixels)) + int(bold)
        x = max({"left": 0, "center": (dots - line_width) // 2, "right": dots - line_width}[align], 0)
        y = row * line_height + top + (pixels - ascent) // 2
        for text, path in _runs(line, fonts):
            font = load_font(path, pixels)
            for dx in (0, 1) if bold else (0,):
                draw.text((x + dx, y), text, font=font, fill=0)
            x += draw.textlength(text, font=font)
    missing = glyphs_missing_everywhere("".join(lines), fonts)
    if missing:
        log.warning("no font has a glyph for %s; printing a box instead",
                    ", ".join(f"U+{ord(ch):04X}" for ch in missing))
    return image


def qr_modules(payload: str) -> int:
    """Width of the QR symbol in modules (without quiet zone), error correction M (a
    creased or smudged slip still scans; for our short URLs M is as small as L)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.modules_count


def qr_image(payload: str, module_dots: int, border: int = 2) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                         box_size=module_dots, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")
