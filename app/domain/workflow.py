"""The workflow core: labelled states and the state machines that move records through them.

Every record that moves through states (queue tickets and task orders now; rating
follow-ups, dispute cases and deals next) declares its states as a ``LabelledEnum`` and its
moves as a ``Workflow`` table. ``Workflow.apply(state, action)`` returns the new state or
refuses with a ``Conflict`` whose Chinese reason names the state and the action, and what to
do instead (``next_steps``: one sentence per state), so every screen says the same thing the
same way and no refusal is a dead end. Pure: no Flask, no database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from . import Conflict


class LabelledEnum(enum.StrEnum):
    """A stored value with its Chinese label, written once: ``DONE = "done", "已办结"``.

    The value is what the database and URLs hold; ``.label`` is what forms, templates and
    messages show.
    """

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


@dataclass(frozen=True)
class Move:
    """One action: from which states, to which state, and its name in Chinese (a verb)."""

    sources: frozenset
    target: enum.Enum
    label: str


class Workflow:
    """A state machine: ``{action: Move}``; anything not in the table is refused."""

    def __init__(self, noun: str, moves: dict[str, tuple[Iterable, enum.Enum, str]],
                 next_steps: dict | None = None):
        self.noun = noun  # what the record is called in messages: 该号, 该招工信息 …
        self.moves = {action: Move(frozenset(sources), target, label)
                      for action, (sources, target, label) in moves.items()}
        # state -> what to do instead, added to every refusal from that state
        self.next_steps = dict(next_steps or {})

    def apply(self, state, action: str):
        """The state after ``action``; ``Conflict`` with the reason when it is not allowed."""
        move = self.moves.get(action)
        if move is None:
            raise Conflict("未知操作")
        if state not in move.sources:
            advice = self.next_steps.get(state)
            raise Conflict(f"{self.noun}当前为“{state.label}”，不能{move.label}"
                           + (f"。{advice}" if advice else ""))
        return move.target

    def allowed(self, state) -> list[str]:
        """The actions ``state`` allows, in table order (what a screen offers)."""
        return [action for action, move in self.moves.items() if state in move.sources]

    def label(self, action: str) -> str:
        return self.moves[action].label
