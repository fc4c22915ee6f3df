"""The audit screen in Chinese: an entry's before/after values and detail as staff read
them (状态：已办结 · 号码：A001 · 窗口：1) instead of the stored JSON, which stays
available, folded, for whoever checks the chain."""

from app.domain.queue import TicketStatus
from app.domain.task_orders import TaskStatus
from app.hall_config import hall
from app.models import LivestreamKind, Role

KEYS = {"status": "状态", "number": "编号", "window": "窗口", "ticket": "排队号", "trade": "工种",
        "trades": "工种", "copy_of": "补打自", "kind": "凭条", "terminal": "终端", "source": "识别方式",
        "username": "用户名", "role": "角色", "full_time": "专职", "held_on": "直播日期", "platform": "平台",
        "minutes": "时长（分钟）", "viewers": "观看人数", "postings_promoted": "推介岗位数",
        "counted_on": "统计日期", "followers": "关注人数", "voided": "已作废",
        "service_start": "服务起始日期", "contract_amount": "合同金额", "bid_price": "中标价",
        "network_fee": "网络建设费", "version": "评分细则"}
KEYS_BY_RECORD = {"livestream": {"kind": "直播类型"},
                  # the demo year's one entry (``flask demo-data``): its seed and what it wrote
                  "demo_data": {"seed": "种子", "scale": "规模", "today": "截至", "workers": "零工",
                                "skipped": "跳过", "employers": "用工方", "orders": "招工信息",
                                "tickets": "排队号", "livestreams": "直播", "published": "已发布"}}
SLIPS = {"worker_slip": "登记凭条", "queue_ticket": "排队凭条", "dispute_slip": "纠纷申请凭条",
         "test": "测试"}
SOURCES = {"cookie": "本机设置", "address": "设备地址", "server": "服务器"}
STATUS_BY_RECORD = {"ticket": TicketStatus, "task_order": TaskStatus}


def _trade(code: str) -> str:
    trade = hall().trades_by_code.get(code)
    return trade.name if trade else code


def _value(record_type: str, key: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "kind" and record_type == "livestream":
        try:
            return LivestreamKind(value).label
        except ValueError:
            return str(value)
    if key == "status" and record_type in STATUS_BY_RECORD:
        try:
            return STATUS_BY_RECORD[record_type](value).label
        except ValueError:
            return str(value)
    if key == "role":
        try:
            return Role(value).label
        except ValueError:
            return str(value)
    if key == "trade":
        return _trade(value)
    if key == "trades" and isinstance(value, list):
        return "、".join(_trade(code) for code in value)
    if key == "kind":
        return SLIPS.get(value, value)
    if key == "source":
        return SOURCES.get(value, value)
    if key == "copy_of":
        return f"#{value}"
    return str(value)


def values(record_type: str, change: dict | None) -> str:
    """``{"status": "done", "window": 1}`` of a ticket -> ``状态：已办结 · 窗口：1``."""
    if not change:
        return ""
    keys = {**KEYS, **KEYS_BY_RECORD.get(record_type, {})}
    return " · ".join(f"{keys.get(key, key)}：{_value(record_type, key, value)}"
                      for key, value in change.items())


def detail(record_type: str, action: str, text: str | None) -> str:
    """A transfer's detail is the service it went to: its name, not its code."""
    if not text:
        return ""
    if record_type == "ticket" and action == "transfer":
        from app.services.queue import services

        return f"转到 {services()[text].name}"
    return text
