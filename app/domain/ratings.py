"""Satisfaction ratings: the five levels, who rates, the reasons for a bad rating, the
stuffing limits, and the follow-up workflow of a bad rating. Pure: no Flask, no database.

The levels follow the government-service rating convention (好差评): 1 非常满意 … 5 非常不满意,
the number being what the exit terminal posts. Which levels count as satisfied is the
rubric's decision (``satisfied_levels`` of item B7, by label), not this module's.

A rating comes from a channel: the exit terminal by the door, or the rating page a slip's
QR opens on a phone (one rating per slip, tied to the service the slip is for: a
registration, a queue ticket and the window that served it; later a deal or a case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import Invalid, InvalidFields
from .validation import clean_phone, clean_text, contains_phone_number
from .workflow import LabelledEnum, Workflow


@dataclass(frozen=True)
class Level:
    value: int  # 1 = 非常满意 … 5 = 非常不满意 (what the form posts)
    label: str
    face: str  # the face drawn on the button (an emoji the hall's fonts carry)
    colour: str  # the button's colour name in kiosk.css (green … red): meaning without reading

    @property
    def bad(self) -> bool:
        """A bad rating asks for reasons and joins the follow-up list."""
        return self.value >= 4


LEVELS: tuple[Level, ...] = (
    Level(1, "非常满意", "😄", "green"),
    Level(2, "满意", "🙂", "lime"),
    Level(3, "基本满意", "😐", "yellow"),
    Level(4, "不满意", "🙁", "orange"),
    Level(5, "非常不满意", "😠", "red"),
)
LEVEL_BY_VALUE = {level.value: level for level in LEVELS}
LEVEL_BY_LABEL = {level.label: level for level in LEVELS}
# What counts as satisfied unless a rubric says otherwise (RUBRIC.md's decision for B7).
DEFAULT_SATISFIED = ("非常满意", "满意", "基本满意")


def satisfied_values(labels: tuple[str, ...] | list[str]) -> tuple[int, ...]:
    """The level numbers of the satisfied labels; ValueError names an unknown label."""
    unknown = [label for label in labels if label not in LEVEL_BY_LABEL]
    if unknown:
        known = "、".join(LEVEL_BY_LABEL)
        raise ValueError(f"unknown satisfaction level {unknown[0]!r} (the levels: {known})")
    return tuple(sorted(LEVEL_BY_LABEL[label].value for label in labels))


class RaterRole(LabelledEnum):
    WORKER = "worker", "零工"
    EMPLOYER = "employer", "用工方"
    OTHER = "other", "其他"


ROLE_ICONS = {RaterRole.WORKER: "👷", RaterRole.EMPLOYER: "🏢", RaterRole.OTHER: "🙋"}


class Channel(LabelledEnum):
    TERMINAL = "terminal", "评价终端"
    SLIP = "slip", "凭条扫码"


class Reason(LabelledEnum):
    WAITED = "waited", "等待太久"
    ATTITUDE = "attitude", "态度不好"
    FALSE_INFO = "false_info", "岗位信息不实"
    INCONVENIENT = "inconvenient", "办事不方便"
    OTHER = "other", "其他"


COMMENT_MAX = 200
NO_PHONE_IN_COMMENT = "电话号码请填在下面的“回访电话”一栏，这里不要写电话"
NO_PHONE_IN_NOTE = "请不要在处理说明里写电话号码：号码只在“显示完整号码”里看"


@dataclass(frozen=True)
class Answer:
    """What a person answered, checked: the level, who they are, and for a bad level why and
    how to reach them (the phone is normalised digits, or None)."""

    level: Level
    role: RaterRole
    reasons: tuple[Reason, ...] = ()
    comment: str = ""
    phone: str | None = None


def read_answer(level, role, reasons=(), comment="", phone="") -> Answer:
    """Check the posted values; ``InvalidFields`` names each wrong one in Chinese.

    Reasons, the comment and the phone belong to a bad rating only: sent with a good one
    they are a forged or stale form, and are refused rather than silently dropped.
    """
    errors: dict[str, str] = {}
    found = None
    if isinstance(level, str) and len(level.strip()) <= 2 and level.strip().isascii() \
            and level.strip().isdigit():  # not "²", nor thousands of digits int() refuses
        found = LEVEL_BY_VALUE.get(int(level.strip()))
    if found is None:
        errors["level"] = "请点选一个表情（1 非常满意 … 5 非常不满意）"
    try:
        who = RaterRole(role)
    except ValueError:
        who = None
        errors["role"] = "请选择您的身份：零工、用工方或其他"
    chosen: list[Reason] = []
    for value in reasons:
        try:
            reason = Reason(value)
        except ValueError:
            errors["reasons"] = "原因不在可选范围内，请重新点选"
            break
        if reason not in chosen:
            chosen.append(reason)
    text = ""
    try:  # length, and no control or invisible format characters (U+202E would turn it around)
        text = clean_text(comment, label="补充说明", minimum=0, maximum=COMMENT_MAX)
    except Invalid as err:
        errors["comment"] = err.message
    else:
        # The remark is shown to staff and the assessor as typed: a number in it would be
        # in clear there, where the call-back field keeps it encrypted and masked.
        if contains_phone_number(text):
            errors["comment"] = NO_PHONE_IN_COMMENT
    number = None
    if phone and phone.strip():
        try:
            number = clean_phone(phone)
        except Invalid as err:
            errors["phone"] = err.message
    if found is not None and not found.bad and (chosen or text or number):
        errors["level"] = "只有“不满意”和“非常不满意”需要填写原因和回访电话"
    if errors:
        raise InvalidFields(errors)
    return Answer(found, who, tuple(chosen), text, number)


# -- resisting stuffing ------------------------------------------------------------------

@dataclass(frozen=True)
class StuffingLimits:
    """A terminal takes at most one rating per ``interval`` and ``per_hour`` in any hour."""

    interval: timedelta
    per_hour: int

    def refuses(self, recent: list[datetime], now: datetime) -> bool:
        """Whether a press at ``now`` is refused, given the terminal's ratings of the last
        hour (``recent``, any order)."""
        last_hour = [at for at in recent if now - timedelta(hours=1) < at <= now]
        if len(last_hour) >= self.per_hour:
            return True
        return any(now - at < self.interval for at in last_hour)


# -- following up a bad rating -------------------------------------------------------------

class FollowUpStatus(LabelledEnum):
    OPEN = "open", "待处理"
    IN_PROGRESS = "in_progress", "处理中"
    DONE = "done", "已办结"


class FollowUpStep(LabelledEnum):
    """What a member of staff records on a follow-up."""

    CALL_NO_ANSWER = "no_answer", "回访未接通"
    PROGRESS = "progress", "处理进展"
    CALLED_BACK = "called_back", "已电话回访"
    CORRECTED = "corrected", "已整改"
    NO_CONTACT = "no_contact", "未留电话，已整改"


# Steps that keep the follow-up going, and steps that close it.
PROGRESS_STEPS = (FollowUpStep.CALL_NO_ANSWER, FollowUpStep.PROGRESS)
CLOSING_STEPS = (FollowUpStep.CALLED_BACK, FollowUpStep.CORRECTED, FollowUpStep.NO_CONTACT)

FOLLOW_UP = Workflow(
    "该回访",
    {
        "note": ((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS), FollowUpStatus.IN_PROGRESS, "记录进展"),
        "close": ((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS), FollowUpStatus.DONE, "办结"),
    },
    next_steps={FollowUpStatus.DONE: "已办结的回访不能再修改；如有新情况请在备注中说明"},
)


def follow_up_action(step: FollowUpStep) -> str:
    """The workflow action a recorded step takes."""
    return "close" if step in CLOSING_STEPS else "note"


NOTE_MAX = 500
