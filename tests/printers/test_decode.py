from escpos.printer import Dummy

from printers.decode import (
    Align,
    Bold,
    ChineseMode,
    Cut,
    Problem,
    QRPayload,
    RasterImage,
    Size,
    StatusQuery,
    StrayByte,
    TextRun,
    decode,
    describe,
    text_of,
)


def test_decodes_the_commands_we_send():
    data = (b"\x1ba\x01\x1bE\x01\x1d!\x11\x1c&" + "补打".encode("gb18030") + b"\x1c.\n"
            b"\x1d!\x00\x1d(k\x08\x001P0HELLO\x1dv0\x00\x01\x00\x02\x00\xff\x00"
            b"\x10\x04\x02\x1dV\x00")
    events = decode(data)
    assert events == [
        Align("center"), Bold(True), Size(2, 2), ChineseMode(True),
        TextRun("补打", chinese=True), ChineseMode(False), TextRun("\n", chinese=False),
        Size(1, 1), QRPayload("HELLO"), RasterImage(8, 2, b"\xff\x00"), StatusQuery(2),
        Cut(0),
    ]
    assert text_of(events) == "补打\n"
    assert describe(events) == "补打\n[QR] HELLO\n[image 8x2 dots]\n--- cut ---\n"


def test_flags_what_python_escpos_sends_for_hanzi_on_its_own():
    # escpos' text() writes GB18030 without FS &: a printer would print junk.
    printer = Dummy()
    printer.text("沙县\n")
    events = decode(printer.output)
    assert [e for e in events if isinstance(e, StrayByte)]
    assert not [e for e in events if isinstance(e, TextRun) and e.chinese]


def test_reports_unterminated_chinese_mode_and_truncated_commands():
    assert isinstance(decode(b"\x1c&\xc9\xb3")[-1], Problem)
    assert isinstance(decode(b"\x1dv0\x00\x10\x00\x10\x00\xff")[-1], Problem)
    assert isinstance(decode(b"\x1b")[-1], Problem)


def test_raster_image_round_trips_to_pillow():
    image = RasterImage(16, 1, b"\x80\x01").to_image()
    assert image.size == (16, 1)
    assert image.getpixel((0, 0)) == 0 and image.getpixel((1, 0)) == 255
    assert image.getpixel((15, 0)) == 0
