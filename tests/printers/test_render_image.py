import pytest
import zxingcpp
from PIL import ImageOps

from printers.config import parse_printer_url
from printers.decode import TextRun
from printers.errors import JobBroken
from printers.receipt import Receipt
from printers.render import render
from tests.printers.helpers import assert_clean_stream, images, lines_of, qr_payloads

PAYLOAD = "https://hall.example/t/x7Kq9-Zp3"


def scan(image) -> list[str]:
    padded = ImageOps.expand(image, border=40, fill=255)
    return [code.text for code in zxingcpp.read_barcodes(padded)]


@pytest.mark.parametrize("paper", [58, 80])
def test_qr_image_scans_back_to_the_exact_payload(paper):
    config = parse_printer_url(f"memory:q?qr=image&paper={paper}")
    events = assert_clean_stream(render(Receipt().text("扫码查看").qr(PAYLOAD, size=4), config))
    assert not qr_payloads(events)
    (image,) = images(events)
    assert image.width == config.dots
    assert scan(image.to_image()) == [PAYLOAD]


def test_qr_image_wider_than_the_paper_is_a_broken_job():
    config = parse_printer_url("memory:q?qr=image")
    with pytest.raises(JobBroken, match="wider than the paper"):
        render(Receipt().qr(PAYLOAD, size=16), config)


def test_qr_payload_beyond_qr_capacity_is_a_broken_job():
    with pytest.raises(JobBroken, match="too long"):
        render(Receipt().qr("x" * 5000), parse_printer_url("memory:q"))


def test_text_image_mode_draws_chinese_lines_and_keeps_ascii_native(wqy_font):
    config = parse_printer_url(f"memory:t?text=image&font={wqy_font}")
    receipt = Receipt().text("沙县零工市场", size=2, align="center").text("No. A017")
    events = assert_clean_stream(render(receipt, config))
    assert not [e for e in events if isinstance(e, TextRun) and e.chinese]
    assert lines_of(events) == ["No. A017"]
    (image,) = images(events)
    assert image.width == config.dots
    drawn = image.to_image()
    box = ImageOps.invert(drawn).getbbox()
    assert box is not None, "the image must contain black dots"
    left, right = box[0], config.dots - box[2]
    assert abs(left - right) <= 12, "centred text must be drawn in the middle"


def test_a_rare_character_in_a_name_is_drawn_with_the_fallback_font():
    from printers import unprintable_glyphs
    from printers.raster import text_image

    config = parse_printer_url("memory:x?text=image")
    if not config.fallback_fonts:
        pytest.skip("no fallback font with the CJK extension planes: apt-get install fonts-hanazono")
    rare = "\U0002003e"  # 𠀾, CJK Extension B
    assert unprintable_glyphs(Receipt().text(f"李{rare}"), config) == []
    assert unprintable_glyphs(Receipt().text(f"李{rare}"), parse_printer_url("memory:x")) == []

    def drawn(text, fallbacks):
        return text_image([text], size=1, align="left", bold=False, font_path=config.font_path,
                          dots=384, fallbacks=fallbacks).tobytes()

    box = drawn("\U0010fffd", ())  # what the main font draws for a glyph it lacks
    assert drawn(rare, ()) == box
    assert drawn(rare, config.fallback_fonts) != box
