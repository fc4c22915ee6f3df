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
    font = load_font(font_path, GLYPH_DOTS)
    tofu = _mask_bytes(font, _MISSING_PROBE)
    return sorted({ch for ch in text if not ch.isascii() and _mask_bytes(font, ch) == tofu})


def text_image(lines: list[str], *, size: int, align: str, bold: bool, font_path: str,
               dots: int) -> Image.Image:
    """Draw already wrapped lines, aligned across the full paper width, black on white."""
    pixels = GLYPH_DOTS * size
    font = load_font(font_path, pixels)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    widest = max((probe.textlength(line, font=font) for line in lines), default=0)
    if widest + bold > dots:
        pixels = max(int(pixels * (dots - 1) / widest), 8)
        font = load_font(font_path, pixels)
    line_height = LINE_DOTS * size
    image = Image.new("L", (dots, line_height * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # no anti-aliasing: thermal printers print dots, not grey
    ascent, _ = font.getmetrics()
    top = max((line_height - pixels) // 2, 0)
    for row, line in enumerate(lines):
        width = int(draw.textlength(line, font=font)) + int(bold)
        x = {"left": 0, "center": (dots - width) // 2, "right": dots - width}[align]
        y = row * line_height + top + (pixels - ascent) // 2
        for dx in (0, 1) if bold else (0,):
            draw.text((max(x, 0) + dx, y), line, font=font, fill=0)
    missing = missing_glyphs("".join(lines), font_path)
    if missing:
        log.warning("font %s has no glyph for %s; printing a box instead", font_path,
                    ", ".join(f"U+{ord(ch):04X}" for ch in missing))
    return image


def qr_modules(payload: str) -> int:
    """Width of the QR symbol in modules (without quiet zone), error correction L."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.modules_count


def qr_image(payload: str, module_dots: int, border: int = 2) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L,
                         box_size=module_dots, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")
