"""Made-up people and places for the demo year (``app/demo.py``): names, mobile numbers, valid
ID numbers (mostly Fujian, some from other provinces), enterprises with valid unified social
credit codes, and places in Shaxian. Every value is drawn from the caller's ``random.Random``.
"""

import random
from datetime import date, timedelta

from stdnum.cn import ric
from stdnum.cn import uscc as uscc_code

SURNAMES = "陈林黄张李王吴刘蔡杨郑罗邓叶肖徐江詹邱魏余游严赖范廖朱高周谢曾翁"
MALE = "伟强建明华国平志文军勇杰辉斌鑫林龙海春福金荣水生发德清祥宏永兴良"
FEMALE = "丽芳英秀娟玉梅霞燕萍红兰珍凤琴艳婷雪静慧敏春香月莲美"
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183",
                   "185", "186", "187", "188", "189", "191", "199")
# Address codes: Shaxian (350405; 350427 before 2021), the rest of Sanming and of Fujian, and
# the provinces most gig workers in Fujian come from.
SHAXIAN = ("350405", "350427")
FUJIAN = ("350402", "350403", "350421", "350423", "350424", "350425", "350426", "350428", "350429",
          "350430", "350481", "350102", "350203", "350502", "350583", "350702", "350802", "350902")
OTHER_PROVINCES = ("360426", "360781", "362430", "430521", "510322", "522425", "450881", "421127",
                   "412726", "341221", "441581", "532128")
PLACES = ("凤岗街道水南村", "凤岗街道西霞村", "虬江街道虬城社区", "虬江街道东门社区", "夏茂镇俞邦村",
          "高砂镇上坪村", "高桥镇新桥村", "富口镇盖竹村", "大洛镇昌荣村", "南霞乡南坑村", "南阳乡大基口村",
          "郑湖乡郑湖村", "湖源乡湖源村", "青州镇青州村", "金古工业园区", "城南物流园", "沙县小吃文化城",
          "金沙园区")
BRANDS = ("金古", "鑫源", "华闽", "恒达", "青州", "夏茂", "绿源", "闽中", "宏达", "沙溪", "虬江", "凤岗",
          "瑞丰", "永盛", "佳美", "福泰", "同心", "兴旺", "富康", "新纪元")
TRADES = ("食品", "建筑工程", "物流", "家政服务", "木业", "竹业", "农业开发", "餐饮管理", "纺织", "机械",
          "小吃连锁", "茶业", "林业", "物业管理", "电子科技")


def name(rng: random.Random, male: bool | None = None) -> str:
    given = MALE if (rng.random() < 0.6 if male is None else male) else FEMALE
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choices((1, 2), (30, 70))[0]))


def phone(rng: random.Random, taken: set[str]) -> str:
    while (number := rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}") in taken:
        pass
    taken.add(number)
    return number


def id_number(rng: random.Random, registered: date, today: date, *, minor: bool, male: bool,
              taken: set[str]) -> str:
    """A valid ID number (its check character computed) of someone aged 16 or more on the day
    they registered: a 16–17-year-old today when ``minor``, else an adult of 18 to 62; the
    17th digit odd for a man."""
    areas = (rng.choice(SHAXIAN), rng.choice(FUJIAN), rng.choice(OTHER_PROVINCES))
    area = rng.choices(areas, (60, 28, 12))[0]
    if minor:
        youngest = _years_before(registered, 16)  # 16 on the day of registration
        oldest = _years_before(today, 18) + timedelta(days=1)  # not yet 18 today
    else:
        youngest = _years_before(today, 18) - timedelta(days=1)
        oldest = _years_before(today, rng.choices((25, 45, 63), (25, 55, 20))[0])
    birth = oldest + timedelta(days=rng.randint(0, max((youngest - oldest).days, 0)))
    while True:
        seq = f"{rng.randrange(100):02d}{rng.randrange(1 if male else 0, 10, 2)}"
        body = f"{area}{birth:%Y%m%d}{seq}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in taken:
            taken.add(number)
            return number


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def company(rng: random.Random, taken: set[str]) -> str:
    while (text := f"沙县{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司") in taken:
        pass
    taken.add(text)
    return text


def uscc(rng: random.Random) -> str:
    """A unified social credit code: 91 (an enterprise registered with market regulation),
    Shaxian's area code, an organisation code with its own check character, then the code's."""
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    organisation = body + {10: "X", 11: "0"}.get(check, str(check))
    code = "91" + rng.choice(SHAXIAN) + organisation
    return code + uscc_code.calc_check_digit(code)


def place(rng: random.Random) -> str:
    return rng.choice(PLACES)
