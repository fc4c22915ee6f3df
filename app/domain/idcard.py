"""Resident ID numbers (GB 11643-1999) and the age rules that follow from them.

python-stdnum supplies the check character and the birth date. Its ``validate()`` also
looks the address code up in a list that lacks Shaxian's 350405, the HK/Macau/Taiwan
residence permits (81/82/83) and foreigners' permanent-residence cards (9x), so we apply
our own rule instead: a plausible province prefix. Retired county codes stay valid.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric

from . import Invalid

# Province-level prefixes of the address code, plus 81/82/83 (residence permits for
# Hong Kong, Macau and Taiwan residents) and 9x (foreigner's permanent-residence card).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
FUJIAN = "35"
MIN_AGE = 16  # 劳动法 第十五条
ADULT_AGE = 18


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date

    @property
    def province_code(self) -> str:
        return self.number[:2]

    @property
    def sex(self) -> str:
        """'M' or 'F' from the parity of the 17th digit."""
        return "M" if int(self.number[16]) % 2 else "F"

    @property
    def is_from_outside_fujian(self) -> bool:
        return self.province_code != FUJIAN


def birth_date_of(number: str) -> date:
    """The birth date of an already validated 18-character number."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def normalize(raw: str | None) -> str:
    """Full-width digits and letters to ASCII, spaces removed, lower-case x upper-cased."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def parse_id_number(raw: str | None, today: date | None = None) -> IdNumber:
    number = normalize(raw)
    if not number:
        raise Invalid("请输入身份证号码")
    if len(number) == 15 and number.isdigit():
        raise Invalid("这是15位旧号码，请输入身份证上的18位号码")
    if len(number) != 18:
        raise Invalid(f"身份证号码应为18位，现在是{len(number)}位")
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise Invalid("身份证号码只能是数字，最后一位可以是X")
    if not (number[:2] in PROVINCE_PREFIXES or number[0] == "9"):
        raise Invalid("身份证号码前两位不是有效的地区代码，请核对")
    try:
        birth = ric.get_birth_date(number)
    except ric.ValidationError:
        raise Invalid("身份证号码中的出生日期不存在，请核对") from None
    if birth > (today or date.today()) or birth.year < 1900:
        raise Invalid("身份证号码中的出生日期不正确，请核对")
    if ric.calc_check_digit(number) != number[17]:
        raise Invalid("身份证号码校验位不对，请逐位核对")
    return IdNumber(number=number, birth_date=birth)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``; a person born on 29 February ages on 1 March."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_under_minimum_age(birth_date: date, day: date) -> bool:
    return age_on(birth_date, day) < MIN_AGE


def is_minor_worker(birth_date: date, day: date) -> bool:
    """未成年工: 16 or 17 years old on ``day``."""
    return MIN_AGE <= age_on(birth_date, day) < ADULT_AGE
