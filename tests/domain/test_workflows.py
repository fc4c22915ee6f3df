"""Every state machine's allowed and refused transitions, from one table."""

import pytest

from app.domain import Conflict
from app.domain.deals import DEAL, OPEN_DEAL_STATES, DealStatus
from app.domain.queue import TICKETS, TicketStatus
from app.domain.task_orders import TASK_ORDERS, TaskStatus
from app.domain.workflow import LabelledEnum

T, S, D = TicketStatus, TaskStatus, DealStatus
# (workflow, action): the states it may start from and where it leads
ALLOWED = {
    (TICKETS, "call"): ({T.WAITING}, T.CALLED),
    (TICKETS, "recall"): ({T.CALLED}, T.CALLED),
    (TICKETS, "serve"): ({T.CALLED}, T.SERVING),
    (TICKETS, "done"): ({T.CALLED, T.SERVING}, T.DONE),
    (TICKETS, "no_show"): ({T.CALLED}, T.NO_SHOW),
    (TICKETS, "transfer"): ({T.WAITING, T.CALLED, T.SERVING}, T.WAITING),
    (TASK_ORDERS, "publish"): ({S.DRAFT}, S.PUBLISHED),
    (TASK_ORDERS, "reject"): ({S.DRAFT}, S.REJECTED),
    (TASK_ORDERS, "close"): ({S.PUBLISHED}, S.CLOSED),
    (TASK_ORDERS, "void"): ({S.DRAFT, S.PUBLISHED, S.CLOSED}, S.VOIDED),
    (TASK_ORDERS, "mark_false"): ({S.DRAFT, S.PUBLISHED, S.CLOSED, S.REJECTED}, S.FALSE),
    # A deal: each step only from the one before it; cancelled from any state but the two ends.
    (DEAL, "confirm_price"): ({D.ACCEPTED}, D.PRICED),
    (DEAL, "sign"): ({D.PRICED}, D.SIGNED),
    (DEAL, "insure"): ({D.SIGNED}, D.INSURED),
    (DEAL, "pay"): ({D.INSURED}, D.PAID),
    (DEAL, "settle"): ({D.PAID}, D.SETTLED),
    (DEAL, "complete"): ({D.SETTLED}, D.COMPLETED),
    (DEAL, "cancel"): ({D.ACCEPTED, D.PRICED, D.SIGNED, D.INSURED, D.PAID, D.SETTLED}, D.CANCELLED),
}
STATES = {TICKETS: list(TicketStatus), TASK_ORDERS: list(TaskStatus), DEAL: list(DealStatus)}
CASES = [(flow, action, state, state in sources, target)
         for (flow, action), (sources, target) in ALLOWED.items() for state in STATES[flow]]


@pytest.mark.parametrize("flow,action,state,allowed,target", CASES,
                         ids=[f"{a}-{s.value}" for _, a, s, _, _ in CASES])
def test_transition(flow, action, state, allowed, target):
    if allowed:
        assert flow.apply(state, action) == target
        assert action in flow.allowed(state)
    else:
        with pytest.raises(Conflict) as refused:
            flow.apply(state, action)
        assert f"当前为“{state.label}”" in refused.value.message
        assert flow.label(action) in refused.value.message
        assert action not in flow.allowed(state)


def test_the_table_covers_every_action_of_every_workflow():
    assert {(flow, a) for flow in STATES for a in flow.moves} == set(ALLOWED)


def test_the_open_deal_states_are_those_a_deal_can_still_be_cancelled_from():
    assert OPEN_DEAL_STATES == ALLOWED[(DEAL, "cancel")][0]


def test_an_unknown_action_is_refused():
    with pytest.raises(Conflict, match="未知操作"):
        TICKETS.apply(T.WAITING, "teleport")


def test_a_label_is_written_once_and_the_value_is_what_is_stored():
    class Colour(LabelledEnum):
        RED = "red", "红"

    assert Colour.RED == "red" and Colour("red") is Colour.RED and Colour.RED.label == "红"
    assert f"{Colour.RED}" == "red"
