"""Parse an ESC/POS byte stream back into events, for tests and readable previews.

Text inside FS & ... FS . is decoded as GB18030; outside it only ASCII is expected, and
any other byte there is reported as a StrayByte (a printer would show it as junk).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageOps


@dataclass(frozen=True)
class TextRun:
    text: str
    chinese: bool


@dataclass(frozen=True)
class StrayByte:
    offset: int
    value: int


@dataclass(frozen=True)
class ChineseMode:
    on: bool


@dataclass(frozen=True)
class Init:
    pass


@dataclass(frozen=True)
class Align:
    align: str


@dataclass(frozen=True)
class Size:
    width: int
    height: int


@dataclass(frozen=True)
class Bold:
    on: bool


@dataclass(frozen=True)
class QRPayload:
    payload: str


@dataclass(frozen=True)
class QRCommand:
    function: int
    data: bytes


@dataclass(frozen=True)
class RasterImage:
    width: int
    height: int
    data: bytes

    def to_image(self) -> Image.Image:
        """The image as printed: black dots on white, mode L."""
        bits = Image.frombytes("1", (self.width, self.height), self.data)
        return ImageOps.invert(bits.convert("L"))


@dataclass(frozen=True)
class Cut:
    mode: int


@dataclass(frozen=True)
class StatusQuery:
    n: int


@dataclass(frozen=True)
class Command:
    data: bytes


@dataclass(frozen=True)
class Problem:
    offset: int
    message: str


Event = (TextRun | StrayByte | ChineseMode | Init | Align | Size | Bold | QRPayload | QRCommand
         | RasterImage | Cut | StatusQuery | Command | Problem)

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
# Commands with a fixed number of parameter bytes: (prefix, command) -> parameter count.
_FIXED: dict[tuple[int, int], int] = {
    **{(ESC, ord(c)): 1 for c in "!-3=EGJMRSTVadtU{"},
    **{(ESC, ord(c)): 0 for c in "2<"},
    (ESC, ord("p")): 3, (ESC, ord("B")): 2, (ESC, ord("c")): 2, (ESC, ord("$")): 2,
    **{(GS, ord(c)): 1 for c in "!BHbfhwra|I"},
    **{(GS, ord(c)): 2 for c in "LWP$"},
    **{(FS, ord(c)): 1 for c in "!-WC"},
    (FS, ord("S")): 2,
    (DLE, 0x05): 1,
}
_ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
_TEXT_CONTROLS = {0x0A, 0x0D, 0x09}


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.events: list[Event] = []
        self.chinese = False
        self.text = bytearray()

    def flush(self) -> None:
        if not self.text:
            return
        raw, self.text = bytes(self.text), bytearray()
        if not self.chinese:
            self.events.append(TextRun(raw.decode("ascii"), chinese=False))
            return
        try:
            self.events.append(TextRun(raw.decode("gb18030"), chinese=True))
        except UnicodeDecodeError as exc:
            self.events.append(Problem(0, f"invalid GB18030 in Chinese mode: {exc}"))
            self.events.append(TextRun(raw.decode("gb18030", "replace"), chinese=True))

    def emit(self, event: Event) -> None:
        self.flush()
        self.events.append(event)

    def run(self) -> list[Event]:
        pos = 0
        while pos < len(self.data):
            byte = self.data[pos]
            if byte in (ESC, GS, FS, DLE):
                pos = self.command(pos)
            elif byte >= 0x20 and (byte < 0x80 or self.chinese) or byte in _TEXT_CONTROLS:
                self.text.append(byte)
                pos += 1
            elif byte >= 0x80:
                self.emit(StrayByte(pos, byte))
                pos += 1
            else:
                self.emit(Command(bytes([byte])))
                pos += 1
        self.flush()
        if self.chinese:
            self.events.append(Problem(len(self.data), "stream ends in Chinese mode (no FS .)"))
        return self.events

    def need(self, pos: int, count: int) -> bytes | None:
        """``count`` bytes from ``pos``, or None (and a Problem) when the stream ends first."""
        if pos + count > len(self.data):
            self.emit(Problem(pos, f"truncated command {self.data[pos - 2:pos + 4]!r}"))
            return None
        return self.data[pos:pos + count]

    def command(self, pos: int) -> int:
        head = self.need(pos, 2)
        if head is None:
            return len(self.data)
        prefix, cmd = head
        end = self.special(prefix, cmd, pos)
        if end is not None:
            return end
        count = _FIXED.get((prefix, cmd))
        if count is None:
            self.emit(Problem(pos, f"unknown command {head!r}"))
            return pos + 2
        args = self.need(pos + 2, count)
        if args is None:
            return len(self.data)
        self.emit(self.simple(prefix, cmd, args, head + args))
        return pos + 2 + count

    def simple(self, prefix: int, cmd: int, args: bytes, whole: bytes) -> Event:
        if (prefix, cmd) == (ESC, ord("a")) and args[0] in _ALIGNS:
            return Align(_ALIGNS[args[0]])
        if (prefix, cmd) == (ESC, ord("E")):
            return Bold(bool(args[0] & 1))
        if (prefix, cmd) == (GS, ord("!")):
            return Size(((args[0] >> 4) & 7) + 1, (args[0] & 7) + 1)
        return Command(whole)

    def special(self, prefix: int, cmd: int, pos: int) -> int | None:
        """Commands of variable length or with their own event; None if not one of them."""
        if prefix == FS and cmd in (0x26, 0x2E):
            self.emit(ChineseMode(cmd == 0x26))
            self.chinese = cmd == 0x26
            return pos + 2
        if (prefix, cmd) == (ESC, ord("@")):
            self.emit(Init())
            return pos + 2
        if (prefix, cmd) == (DLE, 0x04):
            args = self.need(pos + 2, 1)
            if args is not None:
                self.emit(StatusQuery(args[0]))
            return pos + 3
        if (prefix, cmd) == (GS, ord("V")):
            args = self.need(pos + 2, 1)
            if args is None:
                return len(self.data)
            extra = 1 if args[0] in (65, 66, 97, 98, 103, 104) else 0
            self.emit(Cut(args[0]))
            return pos + 3 + extra
        if (prefix, cmd) == (GS, ord("v")):
            return self.raster(pos)
        if (prefix, cmd) == (GS, ord("(")):
            return self.function(pos)
        return None

    def raster(self, pos: int) -> int:
        header = self.need(pos + 2, 6)
        if header is None:
            return len(self.data)
        width_bytes = header[2] | header[3] << 8
        height = header[4] | header[5] << 8
        body = self.need(pos + 8, width_bytes * height)
        if body is None:
            return len(self.data)
        self.emit(RasterImage(width_bytes * 8, height, body))
        return pos + 8 + width_bytes * height

    def function(self, pos: int) -> int:
        """GS ( x pL pH data: QR codes (x = 'k') and other functions."""
        header = self.need(pos + 2, 3)
        if header is None:
            return len(self.data)
        length = header[1] | header[2] << 8
        body = self.need(pos + 5, length)
        if body is None:
            return len(self.data)
        if header[0] == ord("k") and len(body) >= 2 and body[0] == 49 and body[1] == 0x50:
            self.emit(QRPayload(body[3:].decode("utf-8", "replace")))
        elif header[0] == ord("k") and len(body) >= 2:
            self.emit(QRCommand(body[1], body))
        else:
            self.emit(Command(self.data[pos:pos + 5 + length]))
        return pos + 5 + length


def decode(data: bytes) -> list[Event]:
    """Parse ESC/POS bytes into a list of events."""
    return _Parser(bytes(data)).run()


def text_of(events: list[Event]) -> str:
    """Only the text, as the printer would put it on paper (stray bytes as U+FFFD)."""
    return "".join(
        e.text if isinstance(e, TextRun) else "\ufffd" for e in events
        if isinstance(e, TextRun | StrayByte)
    )


def describe(events: list[Event]) -> str:
    """A readable transcript: the text, plus markers for QR codes, images and cuts."""
    out: list[str] = []

    def block(line: str) -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(line + "\n")

    for event in events:
        if isinstance(event, TextRun):
            out.append(event.text)
        elif isinstance(event, StrayByte):
            out.append("\ufffd")
        elif isinstance(event, QRPayload):
            block(f"[QR] {event.payload}")
        elif isinstance(event, RasterImage):
            block(f"[image {event.width}x{event.height} dots]")
        elif isinstance(event, Cut):
            block("--- cut ---")
        elif isinstance(event, Problem):
            block(f"[problem at byte {event.offset}: {event.message}]")
    return "".join(out)
