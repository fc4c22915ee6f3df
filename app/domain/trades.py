"""The trades (工种) offered on the kiosk's picture grid, and the times a worker is free.

Codes are stable ASCII identifiers stored in the database; names and icons are what
people see. The hall's list is the ``TRADES`` setting (``app/hall_config.py``, read with
``hall().trades``); ``DEFAULT_TRADES`` is what it holds unless a hall configures its own.
A hall can reorder or extend the list; never reuse a retired code.

``minors_forbidden`` marks work that a 16–17-year-old may not be given (《未成年工特殊保护规定》
and 《劳动法》第六十四条: heavy physical labour, work at height, underground, toxic or harmful
work; jobs that need an operating certificate or a driving licence only adults can hold).
"""

import re
from dataclasses import dataclass

from .queue import check_keys


@dataclass(frozen=True)
class Trade:
    code: str
    name: str
    icon: str
    minors_forbidden: bool = False  # forbidden to 未成年工 (16–17): heavy, height, toxic work


class TradeMap(dict):
    """Configured trades by code; a code no longer configured still has a name to show."""

    def __missing__(self, code: str) -> Trade:
        return Trade(code=code, name=code, icon="")


DEFAULT_TRADES: tuple[Trade, ...] = (
    Trade("general", "普工杂工", "🛠️"),
    Trade("porter", "搬运装卸", "📦", minors_forbidden=True),  # heavy lifting
    Trade("mason", "泥瓦工", "🧱", minors_forbidden=True),  # heavy, at height on sites
    Trade("carpenter", "木工", "🪚", minors_forbidden=True),  # woodworking machines, at height
    Trade("rebar", "钢筋工", "🏗️", minors_forbidden=True),  # heavy, at height
    Trade("electrician", "水电工", "🔌", minors_forbidden=True),  # 特种作业 (certificate, 18+)
    Trade("painter", "油漆工", "🖌️", minors_forbidden=True),  # solvents (toxic)
    Trade("welder", "电焊工", "🔥", minors_forbidden=True),  # 特种作业, fumes
    Trade("cleaner", "保洁", "🧹"),
    Trade("housekeeping", "家政保姆", "🏠"),
    Trade("carer", "护工陪护", "🩺"),
    Trade("cook", "厨师帮厨", "🍳"),
    Trade("snack", "沙县小吃", "🥟"),
    Trade("waiter", "餐厅服务", "🍽️"),
    Trade("farm", "农活采摘", "🌾"),
    Trade("gardening", "园林绿化", "🌳"),
    Trade("driver", "驾驶员", "🚗", minors_forbidden=True),  # a driving licence needs 18
    Trade("courier", "快递配送", "🛵"),
    Trade("security", "保安", "🛡️", minors_forbidden=True),  # 保安员 must be 18 (保安服务管理条例)
    Trade("factory", "工厂流水线", "🏭"),
)

TRADE_KEYS = ("code", "name", "icon", "minors_forbidden")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")  # stored in worker_trade.trade_code (20)


def parse_trades(raw) -> tuple[Trade, ...]:
    """The configured trades, in grid order; ``ValueError`` names the wrong one."""
    if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple)):
        raise ValueError('must be a list of trades like {"code": "porter", "name": "搬运装卸", '
                         '"icon": "📦", "minors_forbidden": True}')
    if not raw:
        raise ValueError("needs at least one trade")
    trades: list[Trade] = []
    codes: set[str] = set()
    names: set[str] = set()
    for position, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ValueError(f"trade {position} must be a mapping like "
                             '{"code": "porter", "name": "搬运装卸", "icon": "📦", '
                             f'"minors_forbidden": True}}, not {item!r}')
        label = f"trade {item['code']!r}" if "code" in item else f"trade {position}"
        check_keys(item, TRADE_KEYS, TRADE_KEYS, label)
        code, name, icon, forbidden = (item[k] for k in TRADE_KEYS)
        if not isinstance(code, str) or not _CODE.match(code):
            raise ValueError(f"{label}: the code must be lower-case letters, digits or _ "
                             f"(at most 20, starting with a letter), not {code!r}")
        if code in codes:
            raise ValueError(f"trade code {code!r} is used twice")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 8:
            raise ValueError(f"{label}: the name must be 1 to 8 characters, not {name!r}")
        if name.strip() in names:
            raise ValueError(f"trade name {name.strip()!r} is used twice")
        if not isinstance(icon, str) or not 1 <= len(icon) <= 8:
            raise ValueError(f"{label}: the icon must be a short text (an emoji), not {icon!r}")
        if not isinstance(forbidden, bool):
            raise ValueError(f"{label}: minors_forbidden must be True or False, not {forbidden!r}")
        codes.add(code)
        names.add(name.strip())
        trades.append(Trade(code=code, name=name.strip(), icon=icon, minors_forbidden=forbidden))
    return tuple(trades)


@dataclass(frozen=True)
class Availability:
    code: str
    name: str


AVAILABILITY: tuple[Availability, ...] = (
    Availability("any", "随时可以"),
    Availability("weekday", "工作日"),
    Availability("weekend", "周末"),
    Availability("morning", "上午"),
    Availability("afternoon", "下午"),
    Availability("evening", "晚上"),
)
AVAILABILITY_BY_CODE = {a.code: a for a in AVAILABILITY}


def trade_names(codes, trades: tuple[Trade, ...]) -> str:
    """Names in the order of the picture grid (``trades``: the hall's, ``hall().trades``),
    wherever they are listed (screens, slips); a retired code shows as itself, last."""
    chosen = list(dict.fromkeys(codes))
    known = {t.code for t in trades}
    return "、".join([t.name for t in trades if t.code in chosen] + [c for c in chosen if c not in known])
