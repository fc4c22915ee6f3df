from dataclasses import replace

import pytest

from printers.cjk import display_width
from printers.config import parse_printer_url
from printers.decode import Size, TextRun
from printers.errors import JobBroken
from printers.receipt import Receipt
from printers.render import render
from tests.printers.helpers import assert_clean_stream, cuts, images, lines_of, qr_payloads

LONG = "沙县零工市场欢迎您，请在叫号后到三号窗口办理登记手续，谢谢合作。"
PUNCT = "姓名：张三（临时工），日薪￥80。"  # exactly 32 columns


def ticket() -> Receipt:
    return (Receipt()
            .text("沙县零工市场", size=2, align="center", bold=True)
            .text("号码 A017", size=2)
            .text(PUNCT)
            .text(LONG)
            .rule()
            .qr("https://hall.example/t/x7Kq9")
            .feed(1))


@pytest.fixture
def config58():
    return parse_printer_url("memory:render")


def test_every_chinese_run_is_gb18030_inside_chinese_mode(config58):
    data = render(ticket(), config58)
    events = assert_clean_stream(data)
    chinese = [e for e in events if isinstance(e, TextRun) and e.chinese]
    assert chinese and all(not e.text.isascii() for e in chinese)
    lines = lines_of(events)
    assert lines[0] == "沙县零工市场"
    assert lines[1] == "号码 A017"
    assert lines[2] == PUNCT
    assert "（".encode("gb18030") in data and "￥".encode("gb18030") in data


def test_full_width_punctuation_is_encoded_not_replaced(config58):
    data = render(Receipt().text("，。：（）￥"), config58)
    assert b"?" not in data
    assert b"\x1c&" + "，。：（）￥".encode("gb18030") + b"\x1c." in data


@pytest.mark.parametrize(("url", "columns"), [("memory:a", 32), ("memory:a?paper=80", 48)])
def test_long_chinese_line_wraps_at_paper_columns(url, columns):
    events = assert_clean_stream(render(Receipt().text(LONG), parse_printer_url(url)))
    lines = lines_of(events)
    assert "".join(lines) == LONG
    assert len(lines) > 1
    assert all(display_width(line) <= columns for line in lines)
    assert display_width(lines[0]) >= columns - 2


def test_large_text_wraps_at_fewer_columns_and_resets_to_1x1(config58):
    events = assert_clean_stream(render(Receipt().text("一二三四五六七八九十", size=2)
                                        .text("after"), config58))
    assert lines_of(events) == ["一二三四五六七八", "九十", "after"]
    size_events = [e for e in events if isinstance(e, Size)]
    assert size_events == [Size(2, 2), Size(1, 1)]
    after = events.index(size_events[-1])
    assert any(isinstance(e, TextRun) and "after" in e.text for e in events[after:])


def test_native_qr_payload_and_cut(config58):
    events = assert_clean_stream(render(ticket(), config58))
    assert qr_payloads(events) == ["https://hall.example/t/x7Kq9"]
    assert not images(events)
    assert len(cuts(events)) == 1
    assert not cuts(assert_clean_stream(render(Receipt(cut=False).text("x"), config58)))


def test_rendering_the_stored_json_gives_the_same_bytes(config58):
    receipt = ticket()
    assert render(Receipt.from_dict(receipt.to_dict()), config58) == render(receipt, config58)


def test_control_characters_in_user_text_are_dropped(config58):
    events = assert_clean_stream(render(Receipt().text("A\x1b@\x1dV\x00B\tC"), config58))
    assert lines_of(events) == ["A@VB C"]


def test_native_qr_wider_than_paper_is_a_broken_job(config58):
    with pytest.raises(JobBroken, match="QR"):
        render(Receipt().qr("https://hall.example/t/" + "x" * 200, size=16), config58)


@pytest.mark.parametrize("name", ["张三😀", "王\U0002000b明"])
def test_unencodable_character_without_font_is_a_broken_job(config58, name):
    with pytest.raises(JobBroken, match="U\\+"):
        render(Receipt().text(f"姓名：{name}"), replace(config58, font_path=None))


@pytest.mark.parametrize("name", ["张三😀", "王\U0002000b明"])
def test_unencodable_character_with_font_prints_that_line_as_image(wqy_font, name):
    config = parse_printer_url(f"memory:x?font={wqy_font}")
    receipt = Receipt().text("号码 A017").text(f"姓名：{name}").text("谢谢")
    events = assert_clean_stream(render(receipt, config))
    assert lines_of(events) == ["号码 A017", "谢谢"]
    (image,) = images(events)
    assert image.width == config.dots
