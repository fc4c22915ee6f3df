"""The trades (工种) offered on the kiosk's picture grid.

Codes are stable ASCII identifiers stored in the database; names and icons are what
people see. A hall can reorder or extend the list here; never reuse a retired code.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Trade:
    code: str
    name: str
    icon: str


TRADES: tuple[Trade, ...] = (
    Trade("general", "普工杂工", "🛠️"),
    Trade("porter", "搬运装卸", "📦"),
    Trade("mason", "泥瓦工", "🧱"),
    Trade("carpenter", "木工", "🪚"),
    Trade("rebar", "钢筋工", "🏗️"),
    Trade("electrician", "水电工", "🔌"),
    Trade("painter", "油漆工", "🖌️"),
    Trade("welder", "电焊工", "🔥"),
    Trade("cleaner", "保洁", "🧹"),
    Trade("housekeeping", "家政保姆", "🏠"),
    Trade("carer", "护工陪护", "🩺"),
    Trade("cook", "厨师帮厨", "🍳"),
    Trade("snack", "沙县小吃", "🥟"),
    Trade("waiter", "餐厅服务", "🍽️"),
    Trade("farm", "农活采摘", "🌾"),
    Trade("gardening", "园林绿化", "🌳"),
    Trade("driver", "驾驶员", "🚗"),
    Trade("courier", "快递配送", "🛵"),
    Trade("security", "保安", "🛡️"),
    Trade("factory", "工厂流水线", "🏭"),
)
TRADES_BY_CODE = {t.code: t for t in TRADES}


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


def trade_names(codes) -> str:
    """Names in the order of the picture grid, wherever they are listed (screens, slips)."""
    chosen = set(codes)
    return "、".join(t.name for t in TRADES if t.code in chosen)
