"""Rules for staff passwords: long enough, some variety, and not easy to guess.

"Easy to guess" is zxcvbn's estimate (offline: its dictionaries of common passwords,
names, keyboard patterns and sequences ship with the package), with the hall's own words
and the user name added to its dictionary.
"""

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 0 (too guessable) … 4 (very unguessable)
HALL_WORDS = ["shaxian", "linggong", "sanming", "fujian", "lgsc", "admin", "manager", "staff"]


def _classes(password: str) -> int:
    kinds = (str.islower, str.isupper, str.isdigit)
    found = {i for ch in password for i, test in enumerate(kinds) if test(ch)}
    found |= {3 for ch in password if not ch.isalnum()}
    return len(found)


def password_problem(password: str, username: str = "") -> str | None:
    """A Chinese message saying what is wrong with a new password, or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少{MIN_LENGTH}个字符"
    if len(password) > 128:
        return "密码最多128个字符"
    if _classes(password) < 2:
        return "密码需包含字母、数字、符号中的至少两类"
    if username and username.lower() in password.lower():
        return "密码不能包含用户名"
    if zxcvbn(password[:100], user_inputs=[username, *HALL_WORDS])["score"] < MIN_SCORE:
        return "密码太容易被猜到（常见密码、重复或连续的字符、键盘顺序），请换一个"
    return None
