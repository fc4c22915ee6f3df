import json

import pytest

from printers.cjk import display_width, wrap_line
from printers.errors import JobBroken
from printers.receipt import QR, Feed, Receipt, ReceiptFormatError, Rule, Text, plain_text


def sample() -> Receipt:
    return (Receipt().text("沙县零工市场", size=2, align="center", bold=True)
            .text("号码 A017").rule().qr("https://hall.example/t/x7Kq").feed(2))


def test_builder_collects_items_in_order():
    receipt = sample()
    assert [type(item) for item in receipt.items] == [Text, Text, Rule, QR, Feed]
    assert receipt.cut is True


def test_to_dict_round_trips_exactly_through_json():
    receipt = sample()
    data = json.loads(json.dumps(receipt.to_dict(), ensure_ascii=False))
    assert Receipt.from_dict(data) == receipt
    assert Receipt.from_dict(data).to_dict() == receipt.to_dict()
    uncut = Receipt(cut=False).text("x")
    assert Receipt.from_dict(uncut.to_dict()) == uncut


@pytest.mark.parametrize("bad", [
    {"version": 1, "items": [{"type": "poem", "text": "x"}]},
    {"version": 1, "items": [{"type": "text", "text": "x", "size": 9}]},
    {"version": 1, "items": [{"type": "text", "text": "x", "colour": "red"}]},
    {"version": 1, "items": [{"type": "text", "text": "x", "align": "middle"}]},
    {"version": 1, "items": "nope"},
    {"version": 1, "items": [], "cut": "yes"},
    {"items": [{"type": "text", "text": "x"}]},  # stored before formats had versions
    {"version": 2, "items": [{"type": "text", "text": "x"}]},  # from a newer release
    "not a receipt",
])
def test_from_dict_rejects_bad_data_as_a_broken_job(bad):
    with pytest.raises(ReceiptFormatError) as caught:
        Receipt.from_dict(bad)
    assert isinstance(caught.value, JobBroken)


def test_stored_receipts_carry_their_format_version():
    assert sample().to_dict()["version"] == 1


def test_with_banner_returns_a_copy_with_a_large_centred_bold_first_line():
    receipt = sample()
    reprint = receipt.with_banner("补打")
    assert reprint.items[0] == Text("补打", size=2, align="center", bold=True)
    assert reprint.items[1:] == receipt.items
    assert receipt.items[0].text == "沙县零工市场"


def test_wrap_counts_chinese_as_two_columns_and_keeps_punctuation_off_line_starts():
    line = "这是一段很长的中文说明，用来测试自动换行是否按照显示宽度处理。"
    lines = wrap_line(line, 32)
    assert "".join(lines) == line
    assert all(display_width(part) <= 32 for part in lines)
    assert not any(part[0] in "，。" for part in lines)


def test_wrap_keeps_latin_words_whole():
    assert wrap_line("hello wonderful world", 12) == ["hello", "wonderful", "world"]


def test_plain_text_wraps_by_display_width_and_marks_qr_and_cut():
    text = plain_text(sample().text("工" * 20), 58)
    lines = text.splitlines()
    assert lines[0] == "    沙县零工市场"  # 24 printed columns centred in 32
    assert "[QR] https://hall.example/t/x7Kq" in lines
    assert lines[-1] == "--- cut ---"
    assert "工" * 16 in lines and "工" * 4 in lines
    assert "-" * 32 in lines
