"""The rating rules: what a person may answer, the stuffing limits, the follow-up workflow."""

from datetime import datetime, timedelta

import pytest

from app.domain import Conflict, InvalidFields
from app.domain.ratings import (
    FOLLOW_UP,
    LEVELS,
    FollowUpStatus,
    FollowUpStep,
    RaterRole,
    Reason,
    StuffingLimits,
    follow_up_action,
    read_answer,
    satisfied_values,
)
from app.domain.rubric import RubricError, parse_rubric
from app.scoring import RUBRIC_DIR

NOW = datetime(2026, 11, 30, 2, 0, 0)


def test_five_levels_from_very_satisfied_to_very_dissatisfied():
    assert [(level.value, level.label) for level in LEVELS] == [
        (1, "非常满意"), (2, "满意"), (3, "基本满意"), (4, "不满意"), (5, "非常不满意")]
    assert [level.bad for level in LEVELS] == [False, False, False, True, True]
    assert len({level.colour for level in LEVELS}) == 5  # colours carry the meaning


def test_a_good_answer_needs_only_level_and_role():
    answer = read_answer("2", "employer")
    assert (answer.level.label, answer.role, answer.reasons, answer.phone) == ("满意", RaterRole.EMPLOYER, (), None)


def test_a_bad_answer_keeps_its_reasons_once_each_and_a_normalised_phone():
    answer = read_answer("5", "worker", ["waited", "attitude", "waited"], "  等了  两个小时 ", "138 0013 8000")
    assert answer.reasons == (Reason.WAITED, Reason.ATTITUDE)
    assert answer.comment == "等了 两个小时"
    assert answer.phone == "13800138000"


@pytest.mark.parametrize(("fields", "wrong"), [
    (("0", "worker"), "level"),
    (("6", "worker"), "level"),
    (("x", "worker"), "level"),
    (("", "worker"), "level"),
    (("9" * 5000, "worker"), "level"),  # more digits than int() takes
    (("1", "boss"), "role"),
    (("1", ""), "role"),
    (("4", "worker", ["bribe"]), "reasons"),
    (("4", "worker", [], "x" * 201), "comment"),
    (("4", "worker", [], "坏\x00"), "comment"),
    (("4", "worker", [], "", "12345"), "phone"),
    # a number in the remark would be shown in clear: it goes in the call-back field
    (("4", "worker", [], "请回电13812345678谢谢"), "comment"),
    (("5", "worker", [], "打 138 1234 5678"), "comment"),
    (("4", "worker", [], "态度\u202e差"), "comment"),  # turns the text around on staff screens
    (("4", "worker", [], "等\u200b了"), "comment"),
    # reasons, a comment or a phone belong to a bad rating only
    (("1", "worker", ["waited"]), "level"),
    (("2", "worker", [], "很好"), "level"),
    (("3", "worker", [], "", "13800138000"), "level"),
])
def test_wrong_answers_name_the_field_in_chinese(fields, wrong):
    with pytest.raises(InvalidFields) as err:
        read_answer(*fields)
    assert wrong in err.value.errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.errors[wrong])


def test_satisfied_levels_by_label():
    assert satisfied_values(["非常满意", "满意", "基本满意"]) == (1, 2, 3)
    assert satisfied_values(["非常满意"]) == (1,)
    with pytest.raises(ValueError, match="一般"):
        satisfied_values(["一般"])


def test_a_rubric_naming_an_unknown_satisfied_level_is_refused():
    text = (RUBRIC_DIR / "shaxian-2026.toml").read_text(encoding="utf-8")
    assert 'satisfied_levels = ["非常满意", "满意", "基本满意"]' in text
    broken = text.replace('satisfied_levels = ["非常满意", "满意", "基本满意"]',
                          'satisfied_levels = ["非常满意", "较满意"]')
    with pytest.raises(RubricError, match="B7.*较满意"):
        parse_rubric(broken, "shaxian-2026.toml")


LIMITS = StuffingLimits(interval=timedelta(seconds=8), per_hour=3)


@pytest.mark.parametrize(("recent", "refused"), [
    ([], False),
    ([NOW - timedelta(seconds=7, microseconds=999999)], True),
    ([NOW - timedelta(seconds=8)], False),
    ([NOW], True),  # the same instant
    # three in the last hour: the cap; one of them just over an hour ago does not count
    ([NOW - timedelta(minutes=m) for m in (1, 20, 40)], True),
    ([NOW - timedelta(minutes=m) for m in (1, 20)] + [NOW - timedelta(hours=1)], False),
])
def test_stuffing_limits(recent, refused):
    assert LIMITS.refuses(recent, NOW) is refused


def test_follow_up_workflow():
    assert [follow_up_action(step) for step in FollowUpStep] == ["note", "note", "close", "close", "close"]
    assert FOLLOW_UP.apply(FollowUpStatus.OPEN, "note") == FollowUpStatus.IN_PROGRESS
    assert FOLLOW_UP.apply(FollowUpStatus.IN_PROGRESS, "note") == FollowUpStatus.IN_PROGRESS
    assert FOLLOW_UP.apply(FollowUpStatus.OPEN, "close") == FollowUpStatus.DONE
    assert FOLLOW_UP.apply(FollowUpStatus.IN_PROGRESS, "close") == FollowUpStatus.DONE
    for action in ("note", "close"):
        with pytest.raises(Conflict, match="已办结"):
            FOLLOW_UP.apply(FollowUpStatus.DONE, action)
