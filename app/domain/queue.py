"""Queue rules: services and their prefixes, ticket numbers, the call state machine."""

import re
from dataclasses import dataclass

from . import Conflict
from .workflow import LabelledEnum, Workflow

MAX_RECALLS = 3


class TicketStatus(LabelledEnum):
    WAITING = "waiting", "等候中"
    CALLED = "called", "已叫号"
    SERVING = "serving", "办理中"
    DONE = "done", "已办结"
    NO_SHOW = "no_show", "过号"

    @property
    def is_open(self) -> bool:
        return self in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    prefix: str
    icon: str = ""
    creates_task: bool = False  # a check-in for it creates a draft task order (招工)


SERVICE_KEYS = ("code", "name", "prefix", "icon", "creates_task")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")  # stored in ticket.service_code (20)
_PREFIX = re.compile(r"^[A-Z]{1,2}$")  # A007; the number column holds 8 characters
MAX_WINDOW = 99


def parse_services(raw) -> dict[str, Service]:
    """The configured services, checked; ``ValueError`` says which one is wrong and how."""
    if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple)):
        raise ValueError('must be a list of services like {"code": "hire", "name": "招工", '
                         '"prefix": "A"}')
    if not raw:
        raise ValueError("needs at least one service")
    services: dict[str, Service] = {}
    by_prefix: dict[str, str] = {}
    for position, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ValueError(f"service {position} must be a mapping like "
                             '{"code": "hire", "name": "招工", "prefix": "A"}, '
                             f"not {item!r}")
        label = f"service {item.get('code', position)!r}" if "code" in item else f"service {position}"
        check_keys(item, SERVICE_KEYS, ("code", "name", "prefix"), label)
        code, name, prefix = item["code"], item["name"], item["prefix"]
        if not isinstance(code, str) or not _CODE.match(code):
            raise ValueError(f"{label}: the code must be lower-case letters, digits or _ "
                             f"(at most 20, starting with a letter), not {code!r}")
        if code in services:
            raise ValueError(f"service code {code!r} is used twice")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 10:
            raise ValueError(f"{label}: the name must be 1 to 10 characters, not {name!r}")
        if not isinstance(prefix, str) or not _PREFIX.match(prefix):
            raise ValueError(f"{label}: the prefix must be one or two capital letters "
                             f"(A–Z), not {prefix!r}")
        if prefix in by_prefix:
            raise ValueError(f"services {by_prefix[prefix]!r} and {code!r} both use prefix "
                             f"{prefix!r}; each service needs its own letter prefix")
        icon = item.get("icon", "")
        if not isinstance(icon, str) or len(icon) > 8:
            raise ValueError(f"{label}: the icon must be a short text (an emoji), not {icon!r}")
        creates_task = item.get("creates_task", False)
        if not isinstance(creates_task, bool):
            raise ValueError(f"{label}: creates_task must be True or False, not {creates_task!r}")
        by_prefix[prefix] = code
        services[code] = Service(code=code, name=name.strip(), prefix=prefix, icon=icon,
                                 creates_task=creates_task)
    return services


def parse_windows(raw, services: dict[str, Service]) -> dict[int, list[str]]:
    """Window number -> the service codes it serves, checked against ``services``;
    ``ValueError`` names the window and what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError('must map each window number to its services, e.g. '
                         '{1: ["hire"], 2: ["hire", "consult"]}')
    if not raw:
        raise ValueError("needs at least one window")
    windows: dict[int, list[str]] = {}
    for key, codes in raw.items():
        number = _window_number(key)
        if number in windows:
            raise ValueError(f"window {number} is given twice")
        if isinstance(codes, (str, bytes)) or not isinstance(codes, (list, tuple)):
            raise ValueError(f"window {number} must list its services, e.g. [\"hire\"], "
                             f"not {codes!r}")
        if not codes:
            raise ValueError(f"window {number} serves no service")
        for code in codes:
            if code not in services:
                known = ", ".join(repr(c) for c in services)
                raise ValueError(f"window {number} serves unknown service {code!r} "
                                 f"(configured: {known})")
        if len(set(codes)) != len(codes):
            raise ValueError(f"window {number} lists a service twice: {list(codes)!r}")
        windows[number] = list(codes)
    served = {code for codes in windows.values() for code in codes}
    for code, service in services.items():
        if code not in served:
            raise ValueError(f"no window serves service {code!r} ({service.name}): its "
                             f"tickets would never be called")
    return dict(sorted(windows.items()))


def _window_number(key) -> int:
    if isinstance(key, bool) or not isinstance(key, (int, str)) or \
            (isinstance(key, str) and not re.fullmatch(r"[0-9]{1,3}", key.strip())):
        raise ValueError(f"window {key!r}: a window is a number from 1 to {MAX_WINDOW}")
    number = int(key)
    if not 1 <= number <= MAX_WINDOW:
        raise ValueError(f"window {key!r}: a window is a number from 1 to {MAX_WINDOW}")
    return number


def check_keys(item: dict, known: tuple[str, ...], required: tuple[str, ...], label: str) -> None:
    """A configured mapping has only the keys we know (a typo is an error, not ignored)
    and all the required ones."""
    unknown = [k for k in item if k not in known]
    if unknown:
        raise ValueError(f"{label} has unknown key {unknown[0]!r} (known: {', '.join(known)})")
    missing = [k for k in required if k not in item]
    if missing:
        raise ValueError(f"{label} lacks {missing[0]!r}")


def format_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


_OPEN = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)
TICKETS = Workflow("该号", {
    "call": ([TicketStatus.WAITING], TicketStatus.CALLED, "叫号"),
    "recall": ([TicketStatus.CALLED], TicketStatus.CALLED, "重呼"),
    "serve": ([TicketStatus.CALLED], TicketStatus.SERVING, "开始办理"),
    # 办结 straight from 已叫号 implies 开始办理 (see ``steps``): one press at the counter
    "done": ([TicketStatus.CALLED, TicketStatus.SERVING], TicketStatus.DONE, "办结"),
    "no_show": ([TicketStatus.CALLED], TicketStatus.NO_SHOW, "过号"),
    "transfer": (_OPEN, TicketStatus.WAITING, "转其他业务"),
}, next_steps={
    TicketStatus.WAITING: "它还在等候，请按“叫下一位”叫号",
    TicketStatus.SERVING: "正在办理，办完请按“办结”",
    TicketStatus.DONE: "这张号已办结，无需再操作；请叫下一位",
    TicketStatus.NO_SHOW: "这张号已过号，无需再操作；请叫下一位（本人回来可重新取号）",
})
ACTION_LABELS = {action: move.label for action, move in TICKETS.moves.items()} | {
    "issue": "取号", "undo": "撤销"}

# The two actions a window can take back for a short while (QUEUE_UNDO_SECONDS).
UNDOABLE = ("done", "no_show")


def transition(status: TicketStatus, action: str, recalls: int) -> tuple[str, TicketStatus]:
    """The action actually taken and the new state; a 4th recall becomes a no-show."""
    target = TICKETS.apply(status, action)
    if action == "recall" and recalls >= MAX_RECALLS:
        return "no_show", TicketStatus.NO_SHOW
    return action, target


def steps(status: TicketStatus, action: str, recalls: int) -> list[tuple[str, TicketStatus, TicketStatus]]:
    """The steps one press takes, each (action, before, after), as the audit trail records
    them: 办结 from 已叫号 is 开始办理 then 办结."""
    taken, after = transition(status, action, recalls)
    if taken == "done" and status == TicketStatus.CALLED:
        return [("serve", status, TicketStatus.SERVING), ("done", TicketStatus.SERVING, after)]
    return [(taken, status, after)]


def _duration(seconds: int) -> str:
    return f"{seconds // 60} 分钟" if seconds % 60 == 0 else f"{seconds} 秒"


@dataclass(frozen=True)
class UndoFacts:
    """What decides whether a window may take back a 办结 or 过号 (gathered by the service)."""

    number: str
    status: TicketStatus
    finished_from: TicketStatus | None  # the state before 办结/过号; None: nothing to undo
    ticket_window: int | None
    window: int  # the window asking
    is_today: bool
    seconds_since: float  # since the ticket was finished
    limit_seconds: int
    open_at_window: str | None  # the number the window is dealing with now, if any
    called_since: str | None  # a number the window called after finishing this one


def undo_target(facts: UndoFacts) -> TicketStatus:
    """The state a 撤销 restores, or ``Conflict`` saying why not and what to do instead.

    Only the window that finished the ticket, on the same day, within the time limit, and
    only while that window has not called anyone since (the hall display has announced
    the next number by then, and a window deals with one ticket at a time).
    """
    f = facts
    if f.status not in (TicketStatus.DONE, TicketStatus.NO_SHOW) or f.finished_from is None:
        raise Conflict(f"{f.number} 号当前为“{f.status.label}”，没有可撤销的办结或过号；请刷新页面")
    if not f.is_today:
        raise Conflict(f"只能撤销今天的操作；{f.number} 号如需继续办理，请本人重新取号")
    if f.ticket_window != f.window:
        raise Conflict(f"{f.number} 号是 {f.ticket_window} 号窗口办理的，只有该窗口能撤销")
    if f.called_since is not None or f.open_at_window is not None:
        later = f.called_since or f.open_at_window
        raise Conflict(f"本窗口已叫了 {later} 号，不能再撤销 {f.number} 号；"
                       f"{f.number} 号如需继续办理，请本人重新取号")
    if f.seconds_since > f.limit_seconds:
        raise Conflict(f"已超过 {_duration(f.limit_seconds)}，不能撤销 {f.number} 号；"
                       f"如需继续办理，请本人重新取号")
    return f.finished_from
