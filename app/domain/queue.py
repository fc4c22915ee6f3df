"""Queue rules: services and their prefixes, ticket numbers, the call state machine."""

import enum
from dataclasses import dataclass

from . import Conflict

MAX_RECALLS = 3


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return {"waiting": "等候中", "called": "已叫号", "serving": "办理中", "done": "已办结",
                "no_show": "过号"}[self.value]

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


def parse_services(raw: list[dict]) -> dict[str, Service]:
    services = {s["code"]: Service(**s) for s in raw}
    prefixes = [s.prefix for s in services.values()]
    if len(set(prefixes)) != len(prefixes):
        raise ValueError("each queue service needs its own letter prefix")
    return services


def parse_windows(raw: dict, services: dict[str, Service]) -> dict[int, list[str]]:
    windows = {int(k): list(v) for k, v in raw.items()}
    for number, codes in windows.items():
        unknown = [c for c in codes if c not in services]
        if unknown:
            raise ValueError(f"window {number} serves unknown services {unknown}")
    return dict(sorted(windows.items()))


def format_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[TicketStatus], TicketStatus]] = {
    "call": (frozenset({TicketStatus.WAITING}), TicketStatus.CALLED),
    "recall": (frozenset({TicketStatus.CALLED}), TicketStatus.CALLED),
    "serve": (frozenset({TicketStatus.CALLED}), TicketStatus.SERVING),
    "done": (frozenset({TicketStatus.SERVING}), TicketStatus.DONE),
    "no_show": (frozenset({TicketStatus.CALLED}), TicketStatus.NO_SHOW),
    "transfer": (frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING}),
                 TicketStatus.WAITING),
}
ACTION_LABELS = {"call": "叫号", "recall": "重呼", "serve": "开始办理", "done": "办结",
                 "no_show": "过号", "transfer": "转其他业务", "issue": "取号"}


def transition(status: TicketStatus, action: str, recalls: int) -> tuple[str, TicketStatus]:
    """The action actually taken and the new state; a 4th recall becomes a no-show."""
    if action not in TRANSITIONS:
        raise Conflict("未知操作")
    allowed, target = TRANSITIONS[action]
    if status not in allowed:
        raise Conflict(f"该号当前为“{status.label}”，不能{ACTION_LABELS[action]}")
    if action == "recall" and recalls >= MAX_RECALLS:
        return "no_show", TicketStatus.NO_SHOW
    return action, target
