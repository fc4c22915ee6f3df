"""Issuing numbers under concurrency, day roll-over, and the call console's service.

Every test runs on the frozen clock (2026-11-28 10:00 in the hall unless moved): the
console acts only on today's tickets, so a test must not see the hall's midnight pass.
"""

import threading
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain import Conflict
from app.domain.queue import TicketStatus
from app.extensions import db
from app.models import Ticket
from app.services import audit, queue
from tests.conftest import at_once
from tests.factories import staff_user
from tests.factories import ticket as issue

pytestmark = pytest.mark.usefixtures("frozen_clock")

DAY = date(2026, 11, 28)  # the frozen clock's day in the hall


@pytest.fixture
def staff(ctx):
    return staff_user().id


def test_eight_clients_issue_800_distinct_consecutive_numbers(app):
    """8 threads, each with its own connection, issue 100 tickets at the same moment."""
    start = threading.Barrier(8)
    errors = []

    def client(n):
        services = ["hire", "consult"] if n % 2 else ["hire", "other"]
        with app.app_context():
            start.wait()
            try:
                for i in range(100):
                    queue.new_ticket(services[i % 2], DAY)
                    db.session.commit()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    with app.app_context():
        tickets = db.session.scalars(select(Ticket)).all()
    assert len(tickets) == 800
    by_service = defaultdict(list)
    for t in tickets:
        by_service[t.issued_service].append(t.seq)
    assert {k: len(v) for k, v in by_service.items()} == {"hire": 400, "consult": 200, "other": 200}
    for seqs in by_service.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    assert len({t.number for t in tickets}) == 800


def test_numbers_restart_after_local_midnight_and_history_stays(ctx, frozen_clock):
    from app.clock import local_today

    frozen_clock.move_to("2026-11-28 23:59:30 +08:00")
    today = local_today()
    late = [issue() for _ in range(3)]
    frozen_clock.tick(seconds=35)
    tomorrow = local_today()
    first = issue()
    assert today == date(2026, 11, 28) and tomorrow == date(2026, 11, 29)
    assert [t.number for t in late] == ["A001", "A002", "A003"]
    assert first.number == "A001"
    db.session.expire_all()
    assert [t.number for t in db.session.scalars(select(Ticket).where(Ticket.day == today))] == \
        ["A001", "A002", "A003"]


def test_call_next_is_first_come_first_served_within_the_windows_services(ctx, staff):
    consult = issue("consult")
    hire1, hire2 = issue("hire"), issue("hire")
    called = queue.call_next(DAY, 1, staff)  # window 1 serves only 招工
    assert called.id == hire1.id and called.status == TicketStatus.CALLED and called.window == 1
    with pytest.raises(Conflict, match="还未办结"):
        queue.call_next(DAY, 1, staff)
    assert queue.call_next(DAY, 3, staff).id == consult.id  # window 3 serves all; consult is oldest
    queue.act(called, "serve", staff, 1)
    queue.act(called, "done", staff, 1)
    assert queue.call_next(DAY, 1, staff).id == hire2.id
    assert queue.call_next(DAY, 2, staff) is None


def test_two_windows_calling_at_once_never_get_the_same_ticket(app):
    with app.app_context():
        staff_id = staff_user().id
        for _ in range(20):
            issue("hire")
    results, start = defaultdict(list), threading.Barrier(3)

    def window(number):
        with app.app_context():
            start.wait()
            for _ in range(10):
                ticket = queue.call_next(DAY, number, staff_id)
                if ticket is None:
                    break
                results[number].append(ticket.id)
                queue.act(ticket, "no_show", staff_id, number)
            db.session.remove()

    threads = [threading.Thread(target=window, args=(n,)) for n in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    called = [i for ids in results.values() for i in ids]
    assert len(called) == len(set(called)) == 20


def test_every_state_change_is_logged_with_staff_and_time(ctx, staff):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "recall", staff, 1)
    queue.act(ticket, "serve", staff, 1)
    queue.act(ticket, "done", staff, 1)
    events = audit.trail_of(ticket)
    assert [e.action for e in events] == ["issue", "call", "recall", "serve", "done"]
    assert all(e.actor_kind == "staff" and e.actor_id == staff for e in events[1:])
    assert events[0].actor_kind == "system" and events[0].actor_id is None
    assert all(e.after["window"] == 1 and e.after["number"] == "A001" for e in events[1:])
    assert [e.after["status"] for e in events] == ["waiting", "called", "called", "serving", "done"]
    assert audit.verify().ok
    assert ticket.called_at and ticket.serving_at and ticket.finished_at


def test_fourth_recall_becomes_no_show(ctx, staff):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    for _ in range(3):
        queue.act(ticket, "recall", staff, 1)
    queue.act(ticket, "recall", staff, 1)
    assert ticket.status == TicketStatus.NO_SHOW and ticket.recalls == 3


def test_transfer_moves_the_ticket_to_another_service_keeping_its_place(ctx, staff):
    early = issue("hire")
    later = issue("consult")
    queue.call_next(DAY, 1, staff)
    queue.act(early, "transfer", staff, 1, to_service="consult")
    assert early.status == TicketStatus.WAITING and early.service_code == "consult"
    assert early.number == "A001" and early.window is None
    assert queue.call_next(DAY, 3, staff).id == early.id  # issued before B001
    with pytest.raises(Conflict):
        queue.act(later, "transfer", staff, 2, to_service="nowhere")


def test_two_calls_at_one_window_at_once_call_one_ticket(app):
    with app.app_context():
        staff_id = staff_user().id
        for _ in range(4):
            issue("hire")
    start, outcomes = threading.Barrier(4), []

    def press():
        with app.app_context():
            start.wait()
            try:
                outcomes.append(queue.call_next(DAY, 1, staff_id).number)
            except Conflict as err:
                outcomes.append(err.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len([o for o in outcomes if o.startswith("A")]) == 1, outcomes
    with app.app_context():
        open_at_1 = db.session.scalars(select(Ticket).where(
            Ticket.window == 1, Ticket.status == TicketStatus.CALLED)).all()
        assert len(open_at_1) == 1


def test_a_window_cannot_act_on_another_windows_ticket(ctx, staff):
    ticket = issue("hire")
    queue.call_next(DAY, 3, staff)
    with pytest.raises(Conflict, match="不在本窗口"):
        queue.act(ticket, "done", staff, 1)
    assert ticket.status == TicketStatus.CALLED and ticket.window == 3


def test_yesterdays_ticket_cannot_be_handled_today(ctx, staff):
    old = issue("hire", day=DAY - timedelta(days=1))
    with pytest.raises(Conflict, match="今天"):
        queue.act(old, "transfer", staff, 1, to_service="consult")


def test_transfer_starts_fresh_in_the_other_queue(ctx, staff):
    ticket = issue("hire")
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "recall", staff, 1)
    queue.act(ticket, "transfer", staff, 1, to_service="consult")
    assert ticket.recalls == 0 and ticket.last_called_at is None
    assert ticket.called_at is not None  # the first call still counts for the wait time
    assert ticket.number not in [t.number for t in queue.board(DAY, 5).recent]


def test_tickets_of_a_service_removed_from_the_configuration_still_show(make_app):
    app = make_app()
    with app.app_context():
        ticket = issue("other")
        token = ticket.status_token
    from app.hall_config import HallConfig

    # The hall drops the service and restarts (the configuration is read at start).
    app.config["QUEUE_SERVICES"] = [s for s in app.config["QUEUE_SERVICES"] if s["code"] != "other"]
    app.config["HALL_WINDOWS"] = {1: ["hire"], 2: ["hire", "consult"]}
    app.extensions["hall"] = HallConfig.from_mapping(app.config)
    with app.app_context():
        assert "other" not in queue.services()
    resp = app.test_client().get(f"/q/{token}")
    assert resp.status_code == 200 and "C001" in resp.get_data(as_text=True)


# -- 办结 in one press, and 撤销 -----------------------------------------------------------

def test_done_straight_from_called_is_recorded_as_serve_then_done(ctx, staff):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "done", staff, 1)
    events = audit.trail_of(ticket)
    assert [e.action for e in events] == ["issue", "call", "serve", "done"]
    assert events[2].detail == "随“办结”一并开始办理"
    assert [e.after["status"] for e in events[2:]] == ["serving", "done"]
    assert ticket.status == TicketStatus.DONE and ticket.serving_at == ticket.finished_at
    assert audit.verify().ok


@pytest.mark.parametrize("press", [["done"], ["serve", "done"], ["no_show"], ["recall"] * 4])
def test_undo_restores_the_state_before_the_press_and_is_audited(ctx, staff, press):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    for action in press[:-1]:
        queue.act(ticket, action, staff, 1)
    before = ticket.status
    serving_at = ticket.serving_at
    queue.act(ticket, press[-1], staff, 1)
    assert queue.undoable(DAY, 1)[0].id == ticket.id
    queue.undo(ticket, staff, 1)
    assert ticket.status == before and ticket.serving_at == serving_at
    assert ticket.finished_at is None and ticket.finished_from is None
    assert queue.at_window(DAY, 1).id == ticket.id  # back at the window, on the display
    last = audit.trail_of(ticket)[-1]
    assert (last.action, last.before["status"], last.after["status"]) == (
        "undo", "no_show" if press[-1] in ("no_show", "recall") else "done", before.value)
    assert queue.undoable(DAY, 1) is None
    with pytest.raises(Conflict, match="没有可撤销的办结或过号"):
        queue.undo(ticket, staff, 1)


def test_undo_only_within_the_time_limit(ctx, staff, frozen_clock):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "done", staff, 1)
    frozen_clock.tick(seconds=100)
    assert queue.undoable(DAY, 1) == (ticket, 20)
    frozen_clock.tick(seconds=21)
    assert queue.undoable(DAY, 1) is None
    with pytest.raises(Conflict, match="已超过 2 分钟"):
        queue.undo(ticket, staff, 1)
    assert ticket.status == TicketStatus.DONE


def test_undo_only_by_the_window_that_did_it(ctx, staff):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "no_show", staff, 1)
    assert queue.undoable(DAY, 2) is None
    with pytest.raises(Conflict, match="只有该窗口能撤销"):
        queue.undo(ticket, staff, 2)
    assert ticket.status == TicketStatus.NO_SHOW


def test_no_undo_once_the_window_called_someone_else(ctx, staff):
    first, second = issue(), issue()
    queue.call_next(DAY, 1, staff)
    queue.act(first, "done", staff, 1)
    queue.call_next(DAY, 1, staff)
    with pytest.raises(Conflict, match="本窗口已叫了 A002 号"):
        queue.undo(first, staff, 1)
    # …also when that one was sent on to another service meanwhile (the display announced it)
    queue.act(second, "transfer", staff, 1, to_service="consult")
    assert queue.undoable(DAY, 1) is None
    with pytest.raises(Conflict, match="本窗口已叫了 A002 号"):
        queue.undo(first, staff, 1)
    assert first.status == TicketStatus.DONE


def test_no_undo_on_another_day(ctx, staff, frozen_clock):
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "done", staff, 1)
    frozen_clock.tick(hours=14)  # past the hall's midnight, well within nobody's two minutes
    with pytest.raises(Conflict, match="只能撤销今天的操作"):
        queue.undo(ticket, staff, 1)


def test_two_undos_pressed_at_once_undo_once(app):
    with app.app_context():
        staff_id = staff_user().id
        ticket = issue()
        queue.call_next(DAY, 1, staff_id)
        queue.act(ticket, "done", staff_id, 1)
        ticket_id = ticket.id

    def press(_):
        return queue.undo(db.session.get(Ticket, ticket_id), staff_id, 1).status

    outcomes = at_once(app, 4, press)
    assert outcomes.count(TicketStatus.CALLED) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if o != TicketStatus.CALLED), outcomes
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert ticket.status == TicketStatus.CALLED
        assert [e.action for e in audit.trail_of(ticket)].count("undo") == 1
        assert audit.verify().ok


def test_an_undo_racing_a_call_at_the_same_window_leaves_one_ticket_open(app):
    with app.app_context():
        staff_id = staff_user().id
        first, _ = issue(), issue()
        queue.call_next(DAY, 1, staff_id)
        queue.act(first, "no_show", staff_id, 1)
        first_id = first.id

    def press(n):
        if n == 0:
            return queue.undo(db.session.get(Ticket, first_id), staff_id, 1).number
        return queue.call_next(DAY, 1, staff_id).number

    outcomes = at_once(app, 2, press)
    with app.app_context():
        open_now = db.session.scalars(select(Ticket).where(
            Ticket.window == 1, Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]))).all()
        assert len(open_now) == 1, outcomes  # never two people called to one window
        assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
