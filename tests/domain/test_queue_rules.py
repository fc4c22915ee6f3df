from dataclasses import replace

import pytest

from app.domain import Conflict
from app.domain.queue import (
    MAX_RECALLS,
    TicketStatus,
    UndoFacts,
    format_number,
    parse_services,
    parse_windows,
    steps,
    transition,
    undo_target,
)

W, C, S, D, N = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING,
                 TicketStatus.DONE, TicketStatus.NO_SHOW)
ALLOWED = {
    ("call", W): C, ("recall", C): C, ("serve", C): S, ("done", S): D, ("done", C): D, ("no_show", C): N,
    ("transfer", W): W, ("transfer", C): W, ("transfer", S): W,
}


@pytest.mark.parametrize("action", ["call", "recall", "serve", "done", "no_show", "transfer"])
@pytest.mark.parametrize("status", list(TicketStatus))
def test_every_transition_is_allowed_or_refused_with_a_message(action, status):
    if (action, status) in ALLOWED:
        assert transition(status, action, 0) == (action, ALLOWED[(action, status)])
    else:
        with pytest.raises(Conflict) as err:
            transition(status, action, 0)
        assert status.label in err.value.message


def test_every_refusal_says_what_to_do_next():
    refusals = {(status, action) for status in TicketStatus
                for action in ["recall", "serve", "done", "no_show"] if (action, status) not in ALLOWED}
    assert refusals  # e.g. 办结 a ticket already 已办结
    for status, action in refusals:
        with pytest.raises(Conflict) as err:
            transition(status, action, 0)
        reason, _, advice = err.value.message.partition("。")
        assert status.label in reason and "请" in advice, err.value.message
    with pytest.raises(Conflict, match="这张号已办结，无需再操作；请叫下一位"):
        transition(D, "done", 0)


def test_done_from_called_is_serve_then_done_in_one_press():
    assert steps(C, "done", 0) == [("serve", C, S), ("done", S, D)]
    assert steps(S, "done", 0) == [("done", S, D)]
    assert steps(C, "recall", MAX_RECALLS) == [("no_show", C, N)]


FINISHED = UndoFacts(number="A003", status=D, finished_from=C, ticket_window=2, window=2, is_today=True,
                     seconds_since=30, limit_seconds=120, open_at_window=None, called_since=None)


def test_an_undo_restores_the_state_before_the_press():
    assert undo_target(FINISHED) == C
    assert undo_target(replace(FINISHED, status=N)) == C
    assert undo_target(replace(FINISHED, finished_from=S, seconds_since=120)) == S


@pytest.mark.parametrize("change,reason", [
    (dict(seconds_since=121), "已超过 2 分钟，不能撤销 A003 号；如需继续办理，请本人重新取号"),
    (dict(window=1), "A003 号是 2 号窗口办理的，只有该窗口能撤销"),
    (dict(is_today=False), "只能撤销今天的操作"),
    (dict(called_since="A004"), "本窗口已叫了 A004 号，不能再撤销 A003 号"),
    (dict(open_at_window="B001"), "本窗口已叫了 B001 号"),
    (dict(status=C, finished_from=None), "没有可撤销的办结或过号"),
    (dict(finished_from=None), "没有可撤销的办结或过号"),
])
def test_an_undo_is_refused_with_the_reason(change, reason):
    with pytest.raises(Conflict, match=reason):
        undo_target(replace(FINISHED, **change))


def test_recall_up_to_three_times_then_no_show():
    for recalls in range(MAX_RECALLS):
        assert transition(C, "recall", recalls) == ("recall", C)
    assert transition(C, "recall", MAX_RECALLS) == ("no_show", N)


def test_unknown_action_is_refused():
    with pytest.raises(Conflict):
        transition(W, "delete", 0)


def test_numbers_are_prefix_and_three_digits():
    assert format_number("A", 7) == "A007" and format_number("B", 123) == "B123"
    assert format_number("A", 1000) == "A1000"


def test_service_and_window_configuration_is_checked():
    services = parse_services([{"code": "hire", "name": "招工", "prefix": "A"},
                               {"code": "consult", "name": "政策咨询", "prefix": "B"}])
    assert parse_windows({"2": ["consult"], "1": ["hire"]}, services) == {1: ["hire"], 2: ["consult"]}
    with pytest.raises(ValueError):
        parse_windows({1: ["nothing"]}, services)
    with pytest.raises(ValueError):
        parse_services([{"code": "a", "name": "甲", "prefix": "A"}, {"code": "b", "name": "乙", "prefix": "A"}])
