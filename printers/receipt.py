"""The receipt model: a list of printable items, JSON-serialisable.

The app stores ``Receipt.to_dict()`` as JSON in its print-job table and renders bytes at
print time with ``printers.render.render``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from printers.cjk import align_line, char_width, wrap_text
from printers.errors import JobBroken


class ReceiptFormatError(JobBroken, ValueError):
    """A stored receipt that cannot be read back: that job can never print."""

ALIGNS = ("left", "center", "right")
# The stored form's version: ``to_dict`` writes it, ``from_dict`` refuses others (a
# receipt stored by a newer release, or damaged) with ``ReceiptFormatError``.
FORMAT_VERSION = 1
COLUMNS = {58: 32, 80: 48}
CUT_LINE = "--- cut ---"


def columns_for(paper_mm: int) -> int:
    try:
        return COLUMNS[paper_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, not {paper_mm!r}") from None


@dataclass(frozen=True)
class Text:
    text: str
    size: int = 1
    align: str = "left"
    bold: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise ValueError("Text.text must be a string")
        if not isinstance(self.size, int) or not 1 <= self.size <= 3:
            raise ValueError(f"Text.size must be 1, 2 or 3, not {self.size!r}")
        if self.align not in ALIGNS:
            raise ValueError(f"Text.align must be one of {ALIGNS}, not {self.align!r}")
        if not isinstance(self.bold, bool):
            raise ValueError("Text.bold must be a bool")


@dataclass(frozen=True)
class QR:
    payload: str
    size: int = 6

    def __post_init__(self) -> None:
        if not isinstance(self.payload, str) or not self.payload:
            raise ValueError("QR.payload must be a non-empty string")
        if not isinstance(self.size, int) or not 1 <= self.size <= 16:
            raise ValueError(f"QR.size must be 1..16, not {self.size!r}")


@dataclass(frozen=True)
class Rule:
    char: str = "-"

    def __post_init__(self) -> None:
        if not isinstance(self.char, str) or len(self.char) != 1 or not self.char.isprintable():
            raise ValueError(f"Rule.char must be one printable character, not {self.char!r}")


@dataclass(frozen=True)
class Feed:
    lines: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.lines, int) or not 0 <= self.lines <= 20:
            raise ValueError(f"Feed.lines must be 0..20, not {self.lines!r}")


Item = Text | QR | Rule | Feed

_TYPES: dict[str, type[Item]] = {"text": Text, "qr": QR, "rule": Rule, "feed": Feed}
_NAMES: dict[type[Item], str] = {cls: name for name, cls in _TYPES.items()}


def item_to_dict(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"type": _NAMES[type(item)]}
    data.update(vars(item))
    return data


def item_from_dict(data: dict[str, Any]) -> Item:
    fields = dict(data)
    kind = fields.pop("type", None)
    cls = _TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"unknown receipt item type {kind!r}")
    try:
        return cls(**fields)
    except TypeError as exc:
        raise ValueError(f"bad fields for receipt item {kind!r}: {exc}") from None


@dataclass
class Receipt:
    items: list[Item] = field(default_factory=list)
    cut: bool = True

    def text(self, text: str, size: int = 1, align: str = "left", bold: bool = False) -> Receipt:
        self.items.append(Text(text, size=size, align=align, bold=bold))
        return self

    def qr(self, payload: str, size: int = 6) -> Receipt:
        self.items.append(QR(payload, size=size))
        return self

    def rule(self, char: str = "-") -> Receipt:
        self.items.append(Rule(char))
        return self

    def feed(self, lines: int = 1) -> Receipt:
        self.items.append(Feed(lines))
        return self

    def with_banner(self, text: str, note: str | None = None) -> Receipt:
        """A copy with a large, centred, bold banner line first (e.g. "补打" on reprints),
        and under it an optional note in normal size (why it is printed again)."""
        banner = [Text(text, size=2, align="center", bold=True)]
        if note:
            banner.append(Text(note, align="center", bold=True))
        return Receipt(items=[*banner, *self.items], cut=self.cut)

    def to_dict(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, "items": [item_to_dict(item) for item in self.items],
                "cut": self.cut}

    @classmethod
    def from_dict(cls, data: Any) -> Receipt:
        """The receipt stored by ``to_dict``; ``ReceiptFormatError`` for anything else."""
        try:
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                raise ValueError("a receipt dict needs an 'items' list")
            if data.get("version") != FORMAT_VERSION:
                raise ValueError(f"receipt format version {data.get('version')!r} is not "
                                 f"{FORMAT_VERSION}")
            cut = data.get("cut", True)
            if not isinstance(cut, bool):
                raise ValueError("receipt 'cut' must be a bool")
            return cls(items=[item_from_dict(item) for item in data["items"]], cut=cut)
        except ValueError as exc:
            raise ReceiptFormatError(f"stored receipt cannot be read: {exc}") from None


def rule_line(char: str, columns: int) -> str:
    return char * (columns // max(char_width(char), 1))


def plain_text(receipt: Receipt, paper_mm: int) -> str:
    """A readable rendering: wrapped by display width like the printer, QR as a marker.

    Large text is shown at normal width, indented where it would print.
    """
    columns = columns_for(paper_mm)
    lines: list[str] = []
    for item in receipt.items:
        if isinstance(item, Text):
            for line in wrap_text(item.text, columns // item.size):
                padded = align_line(line, columns // item.size, item.align)
                indent = len(padded) - len(line)
                lines.append(" " * (indent * item.size) + line)
        elif isinstance(item, QR):
            lines.append(f"[QR] {item.payload}")
        elif isinstance(item, Rule):
            lines.append(rule_line(item.char, columns))
        elif isinstance(item, Feed):
            lines.extend([""] * item.lines)
    if receipt.cut:
        lines.append(CUT_LINE)
    return "\n".join(lines) + "\n"
