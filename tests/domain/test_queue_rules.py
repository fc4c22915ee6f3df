import pytest

from app.domain import Conflict
from app.domain.queue import (
    MAX_RECALLS,
    TicketStatus,
    format_number,
    parse_services,
    parse_windows,
    transition,
)

W, C, S, D, N = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING,
                 TicketStatus.DONE, TicketStatus.NO_SHOW)
ALLOWED = {
    ("call", W): C, ("recall", C): C, ("serve", C): S, ("done", S): D, ("no_show", C): N,
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
