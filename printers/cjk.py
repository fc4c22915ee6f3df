"""Display width, cleaning and wrapping of mixed Chinese/Latin text for receipt printers.

On a printer with a GB18030 firmware font every double-byte character prints full width
(two Latin columns), so East Asian "ambiguous" characters such as "·" or "—" count 2 here.
"""

from __future__ import annotations

import unicodedata

# Characters that must not start a line (Chinese line-breaking rule, simplified).
NO_LINE_START = frozenset("，。、：；！？）》」』】〉”’…,.:;!?)]}%")

_EXT_A = range(0x3400, 0x4DC0)


def clean_text(text: str) -> str:
    """Replace tabs by spaces and drop control characters (never let text inject commands).

    Line breaks ("\\n") are kept; "\\r" is dropped.
    """
    out = []
    for ch in text.replace("\t", " "):
        if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"):
            out.append(ch)
    return "".join(out)


def char_width(ch: str) -> int:
    """Printed width of one character in Latin columns (0, 1 or 2)."""
    if " " <= ch <= "~":
        return 1
    if unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 2
    encoded = gb18030_bytes(ch)
    return 2 if encoded is not None and len(encoded) == 2 else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def gb18030_bytes(ch: str) -> bytes | None:
    try:
        return ch.encode("gb18030")
    except UnicodeEncodeError:
        return None


def is_native_printable(ch: str) -> bool:
    """True when a GB18030 printer font can be expected to have this glyph.

    ASCII, every double-byte GB18030 (GBK) character, and CJK Extension A (four-byte but
    part of the mandatory GB18030-2000 set). Not: emoji, CJK Extension B and beyond,
    Hangul and other four-byte characters.
    """
    if " " <= ch <= "~":
        return True
    encoded = gb18030_bytes(ch)
    if encoded is None:
        return False
    return len(encoded) == 2 or (len(encoded) == 4 and ord(ch) in _EXT_A)


def unprintable_chars(text: str) -> list[str]:
    return [ch for ch in text if not is_native_printable(ch)]


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


LIST_SEPARATOR = "、"


def _break_index(line: list[str], next_ch: str) -> int:
    """Where to break ``line`` when ``next_ch`` does not fit any more."""
    # A list (搬运装卸、泥瓦工、…): the item being written moves down whole.
    last = max((i for i, ch in enumerate(line) if ch == LIST_SEPARATOR), default=-1)
    if 0 < last < len(line) - 1:
        return last + 1
    if next_ch in NO_LINE_START and len(line) >= 2 and line[-1] not in NO_LINE_START:
        return len(line) - 1
    if _is_word_char(next_ch) and _is_word_char(line[-1]):
        for i in range(len(line) - 1, 0, -1):
            if line[i] == " ":
                return i + 1
    return len(line)


def wrap_line(line: str, width: int) -> list[str]:
    """Wrap one line (no "\\n") to at most ``width`` display columns.

    Chinese breaks between any two characters (not before closing punctuation);
    Latin words are kept whole when a space allows it. Always returns at least one line.
    """
    width = max(width, 2)
    lines: list[str] = []
    current: list[str] = []
    current_width = 0
    for ch in line:
        w = char_width(ch)
        if current and current_width + w > width:
            cut = _break_index(current, ch)
            lines.append("".join(current[:cut]).rstrip(" "))
            current = current[cut:]
            while current and current[0] == " ":
                current.pop(0)
            current_width = display_width("".join(current))
            if not current and ch == " ":
                continue
        current.append(ch)
        current_width += w
    lines.append("".join(current))
    return lines


def wrap_text(text: str, width: int) -> list[str]:
    """Clean and wrap a text that may contain line breaks."""
    lines: list[str] = []
    for line in clean_text(text).split("\n"):
        lines.extend(wrap_line(line, width))
    return lines


def align_line(line: str, width: int, align: str) -> str:
    """Pad a line with spaces to show its position in a ``width``-column preview."""
    gap = max(width - display_width(line), 0)
    if align == "center":
        return " " * (gap // 2) + line
    if align == "right":
        return " " * gap + line
    return line
