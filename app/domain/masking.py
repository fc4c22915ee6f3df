"""Masking of personal numbers for screens and paper. Always applied on the server."""


def mask_id_number(number: str) -> str:
    """Keep the last 4 characters only: **************1234.

    Stricter than the common 6 + 4: the address code and a birth date found elsewhere
    (another slip, a record in clear) together with the last 4 rebuild the whole number.
    """
    if len(number) <= 4:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


def mask_phone(phone: str) -> str:
    """Keep 3 + 4: 138****5678."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """For public screens (the hall display): 张** / 欧阳**."""
    if len(name) <= 1:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_business_name(name: str) -> str:
    """An enterprise's name as a returning employer confirms it: 沙县****公司."""
    if len(name) <= 4:
        return name[:1] + "*" * (len(name) - 1)
    return name[:2] + "*" * (len(name) - 4) + name[-2:]


def mask_words(text: str) -> str:
    """Free text that may hold names and numbers (who was involved in an incident), for a
    role that checks the record, not the people: every word keeps its first character, every
    digit is hidden; spaces and punctuation stay, so the number of people can still be read:
    "张三、李四（13800001234）" → "张*、李*（***********）"."""
    out, word = [], []
    for ch in text + " ":
        if ch.isalnum():
            word.append(ch)
            continue
        if word:
            out.append(("*" if word[0].isdigit() else word[0]) + "*" * (len(word) - 1))
            word = []
        out.append(ch)
    return "".join(out)[:-1]
