"""What the hall display says when a ticket is called: the number and the window, nothing else.

"A007 to window 3" is spoken as the hall's staff would say it: each letter of the prefix on
its own (A, B … as Chinese say them), the digits one by one (零零七, never "seven"), the window
as a number (三, 十二): 请 A 零零七 号，到 三 号窗口办理。 The sentence comes from this fixed
template only, so no personal data can ever reach the speech engine.
"""

import re

from . import Invalid

DIGITS = "零一二三四五六七八九"
# What a ticket number looks like (app/domain/queue.py: one or two capital letters, then the
# day's sequence, at least three digits); the column holds at most 8 characters.
TICKET_NUMBER = re.compile(r"^([A-Z]{1,2})([0-9]{3,6})$", re.ASCII)
MAX_WINDOW = 99


def spoken_ticket(number: str) -> str:
    """"A007" -> "A 零零七": letters apart (so "AB" is two letters, not a word), digits in
    Chinese one by one."""
    match = TICKET_NUMBER.match(number or "")
    if not match:
        raise Invalid("不是有效的号码", "number")
    letters, digits = match.groups()
    return " ".join(letters) + " " + "".join(DIGITS[int(d)] for d in digits)


def spoken_window(window: int) -> str:
    """A window number as a Chinese number: 3 -> 三, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        raise Invalid("不是有效的窗口号", "window")
    tens, ones = divmod(window, 10)
    if not tens:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def announcement_text(number: str, window: int) -> str:
    """The call, said once (about five seconds): a recall says it again."""
    return f"请 {spoken_ticket(number)} 号，到 {spoken_window(window)} 号窗口办理。"
