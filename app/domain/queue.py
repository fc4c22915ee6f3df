"""Queue rules: services and their prefixes, ticket numbers, the call state machine."""

from dataclasses import dataclass

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


_OPEN = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)
TICKETS = Workflow("该号", {
    "call": ([TicketStatus.WAITING], TicketStatus.CALLED, "叫号"),
    "recall": ([TicketStatus.CALLED], TicketStatus.CALLED, "重呼"),
    "serve": ([TicketStatus.CALLED], TicketStatus.SERVING, "开始办理"),
    "done": ([TicketStatus.SERVING], TicketStatus.DONE, "办结"),
    "no_show": ([TicketStatus.CALLED], TicketStatus.NO_SHOW, "过号"),
    "transfer": (_OPEN, TicketStatus.WAITING, "转其他业务"),
})
ACTION_LABELS = {action: move.label for action, move in TICKETS.moves.items()} | {"issue": "取号"}


def transition(status: TicketStatus, action: str, recalls: int) -> tuple[str, TicketStatus]:
    """The action actually taken and the new state; a 4th recall becomes a no-show."""
    target = TICKETS.apply(status, action)
    if action == "recall" and recalls >= MAX_RECALLS:
        return "no_show", TicketStatus.NO_SHOW
    return action, target
