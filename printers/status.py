"""Printer status from the replies to DLE EOT n (real-time status transmission).

Bits (from the ESC/POS command manuals; python-escpos's own is_online()/paper_status() misread
an empty reply and a cover open, so the replies are read here):

* n=1 (printer):       0x08 offline
* n=2 (offline cause): 0x04 cover open, 0x20 stopped by paper end, 0x40 error
* n=4 (paper sensor):  0x0C paper near end, 0x60 paper out

A valid reply byte always satisfies ``byte & 0x93 == 0x12`` (fixed bits).
Some clones set only one bit of a two-bit pair, so either bit counts.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS_QUERIES: dict[int, bytes] = {1: b"\x10\x04\x01", 2: b"\x10\x04\x02", 4: b"\x10\x04\x04"}

_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    cover_open: bool
    paper_out: bool
    paper_near_end: bool
    error: bool

    @property
    def ok(self) -> bool:
        """True when the printer can print now (paper near end is only a warning)."""
        return self.problem is None

    @property
    def problem(self) -> str | None:
        """A short code for why the printer cannot print, or None."""
        if self.cover_open:
            return "cover_open"
        if self.paper_out:
            return "paper_out"
        if self.error:
            return "error"
        if not self.online:
            return "offline"
        return None

    @classmethod
    def ready(cls) -> PrinterStatus:
        return cls(online=True, cover_open=False, paper_out=False, paper_near_end=False,
                   error=False)

    @classmethod
    def unknown(cls) -> PrinterStatus:
        """What an invalid or missing reply means: treat the printer as offline."""
        return cls(online=False, cover_open=False, paper_out=False, paper_near_end=False,
                   error=False)


def is_valid_reply(byte: int) -> bool:
    return 0 <= byte <= 0xFF and byte & _FIXED_MASK == _FIXED_VALUE


def parse_status(replies: dict[int, int]) -> PrinterStatus:
    """Build a status from the reply bytes to DLE EOT 1, 2 and 4.

    All three replies must be present and valid; otherwise the status is unknown,
    reported as offline.
    """
    try:
        printer, cause, paper = replies[1], replies[2], replies[4]
    except KeyError:
        return PrinterStatus.unknown()
    if not all(is_valid_reply(b) for b in (printer, cause, paper)):
        return PrinterStatus.unknown()
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(cause & 0x04),
        paper_out=bool(cause & 0x20) or bool(paper & 0x60),
        paper_near_end=bool(paper & 0x0C),
        error=bool(cause & 0x40),
    )


def status_bytes(status: PrinterStatus) -> dict[int, int]:
    """The reply bytes a printer in ``status`` would send (for fakes and tests)."""
    return {
        1: _FIXED_VALUE | (0x08 if not status.online else 0),
        2: _FIXED_VALUE
        | (0x04 if status.cover_open else 0)
        | (0x20 if status.paper_out else 0)
        | (0x40 if status.error else 0),
        4: _FIXED_VALUE
        | (0x0C if status.paper_near_end else 0)
        | (0x60 if status.paper_out else 0),
    }
