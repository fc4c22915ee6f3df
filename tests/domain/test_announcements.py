"""The spoken call's text: the number and the window as the hall says them, nothing else."""

import pytest

from app.domain import Invalid
from app.domain.announcements import announcement_text, spoken_ticket, spoken_window


def test_a_call_is_said_as_the_hall_says_it():
    assert announcement_text("A007", 3) == "请 A 零零七 号，到 三 号窗口办理。"


@pytest.mark.parametrize(("number", "spoken"), [
    ("A001", "A 零零一"), ("B120", "B 一二零"), ("C999", "C 九九九"),
    ("AB012", "A B 零一二"),  # two letters apart, never read as an English word
    ("A1000", "A 一零零零"),  # past 999 the digits simply go on
])
def test_letters_apart_and_digits_one_by_one(number, spoken):
    assert spoken_ticket(number) == spoken


@pytest.mark.parametrize(("window", "spoken"), [
    (1, "一"), (2, "二"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
    (99, "九十九"),
])
def test_windows_are_numbers(window, spoken):
    assert spoken_window(window) == spoken


@pytest.mark.parametrize("number", ["", "A07", "a007", "A007 ", "王老板", "A007，请到", "ABC001",
                                    "A0000001", "-v", "A00７"])
def test_anything_but_a_ticket_number_is_refused(number):
    with pytest.raises(Invalid):
        announcement_text(number, 1)


@pytest.mark.parametrize("window", [0, 100, -1, True, "3", None])
def test_anything_but_a_window_number_is_refused(window):
    with pytest.raises(Invalid):
        announcement_text("A001", window)


def test_the_text_holds_only_the_template_letters_and_digits():
    allowed = set("请号，到窗口办理。 零一二三四五六七八九十AB")
    assert set(announcement_text("AB099", 19)) <= allowed
