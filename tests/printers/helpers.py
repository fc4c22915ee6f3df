"""Assertions over decoded ESC/POS streams."""

from __future__ import annotations

from printers.decode import (
    ChineseMode,
    Cut,
    Event,
    Problem,
    QRPayload,
    RasterImage,
    Size,
    StrayByte,
    TextRun,
    decode,
    text_of,
)


def assert_clean_stream(data: bytes) -> list[Event]:
    """Decodes with no problem, no stray non-ASCII byte, Chinese only inside FS & ... FS ."""
    events = decode(data)
    assert not [e for e in events if isinstance(e, Problem | StrayByte)], events
    for event in events:
        if isinstance(event, TextRun) and not event.chinese:
            assert event.text.isascii(), event
    assert "?" not in "".join(e.text for e in events if isinstance(e, TextRun) and e.chinese)
    modes = [e.on for e in events if isinstance(e, ChineseMode)]
    assert modes == [True, False] * (len(modes) // 2), "FS & and FS . must alternate"
    return events


def lines_of(events: list[Event]) -> list[str]:
    return text_of(events).splitlines()


def qr_payloads(events: list[Event]) -> list[str]:
    return [e.payload for e in events if isinstance(e, QRPayload)]


def images(events: list[Event]) -> list[RasterImage]:
    return [e for e in events if isinstance(e, RasterImage)]


def sizes(events: list[Event]) -> list[tuple[int, int]]:
    return [(e.width, e.height) for e in events if isinstance(e, Size)]


def cuts(events: list[Event]) -> list[Cut]:
    return [e for e in events if isinstance(e, Cut)]
