"""The ratings service: stuffing refused and counted, a slip rates its service once, bad
ratings open a follow-up due in working days, nothing personal in the trail.

The frozen clock starts on Saturday 2026-11-28 at 10:00 in the hall.
"""

from datetime import date

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from app.clock import hall_period
from app.crypto import vault
from app.domain import Conflict
from app.domain.queue import TicketStatus
from app.domain.ratings import Channel, RaterRole, read_answer
from app.extensions import db
from app.models import AuditEntry, Rating, RatingFollowUp, RatingRefusal
from app.services import follow_ups, metrics, queue, ratings
from tests import factories
from tests.factories import staff_user

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _press(app, level="1", role="worker", *, address="10.0.0.5", cookie=None, **answer):
    headers = {"Cookie": f"kiosk_terminal={cookie}"} if cookie else {}
    with app.test_request_context("/kiosk/rate", method="POST", headers=headers,
                                  environ_base={"REMOTE_ADDR": address}):
        return ratings.rate_at_terminal(read_answer(level, role, **answer))


def _ratings() -> int:
    return db.session.scalar(select(func.count()).select_from(Rating))


def _refusals() -> dict:
    return {(r.day, r.terminal): r.count for r in db.session.scalars(select(RatingRefusal))}


def test_a_terminal_takes_one_rating_per_interval_and_counts_the_refused_presses(app, ctx, frozen_clock):
    first = _press(app)
    assert (first.channel, first.terminal, first.address) == (Channel.TERMINAL, "10.0.0.5", "10.0.0.5")
    frozen_clock.tick(seconds=7.9)
    for _ in range(3):  # a burst: none of it is a rating
        with pytest.raises(ratings.StuffingRefused):
            _press(app, "1")
    assert _ratings() == 1
    assert _refusals() == {(date(2026, 11, 28), "10.0.0.5"): 3}
    frozen_clock.tick(seconds=0.1)  # 8 s after the first rating
    _press(app, "2")
    assert _ratings() == 2
    _press(app, "1", address="10.0.0.6")  # another terminal is not held back
    assert _ratings() == 3
    frozen_clock.move_to("2026-11-29 08:00")
    _press(app)
    with pytest.raises(ratings.StuffingRefused):
        _press(app)
    assert _refusals() == {(date(2026, 11, 28), "10.0.0.5"): 3, (date(2026, 11, 29), "10.0.0.5"): 1}
    day = hall_period()
    assert (metrics.measure("ratings_total", day).value, metrics.measure("ratings_refused", day).value) == (1, 1)


def test_a_terminal_takes_at_most_its_hourly_cap(make_app, frozen_clock):
    app = make_app(RATING_MAX_PER_HOUR=3)
    with app.app_context():
        for _ in range(3):
            _press(app)
            frozen_clock.tick(minutes=10)
        with pytest.raises(ratings.StuffingRefused):  # 30 minutes after the first: 3 this hour
            _press(app)
        frozen_clock.tick(minutes=30, seconds=1)  # the first is over an hour old now
        _press(app)
        assert _ratings() == 4
        assert sum(_refusals().values()) == 1


def test_clearing_the_cookies_of_a_named_terminal_does_not_escape_its_limit(app, ctx, frozen_clock):
    named = URLSafeSerializer(app.secret_key, salt="kiosk-terminal").dumps("exit-1")
    rating = _press(app, cookie=named)
    assert rating.terminal == "exit-1"
    frozen_clock.tick(seconds=3)
    with pytest.raises(ratings.StuffingRefused):  # the same screen, now known by its address
        _press(app)
    assert _ratings() == 1
    assert _refusals() == {(date(2026, 11, 28), "exit-1"): 1}  # counted against that screen


def test_a_bad_rating_opens_a_follow_up_due_in_fifteen_working_days(app, ctx):
    rating = _press(app, "4", "employer", reasons=["waited", "attitude"], comment="等了两个小时",
                    phone="13800138000")
    follow_up = db.session.scalar(select(RatingFollowUp).where(RatingFollowUp.rating_id == rating.id))
    # rated on a Saturday: Monday 30 November is the first working day, Friday 18 December the 15th
    assert follow_up.due_on == date(2026, 12, 18)
    assert [r.value for r in rating.reason_codes] == ["attitude", "waited"]
    assert rating.phone_last4 == "8000" and "13800138000" not in (rating.phone_cipher or "")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "rating"))
    assert entry.action == "rate" and entry.after["level"] == 4
    assert "13800138000" not in str(entry.after) and "8000" not in str(entry.after)


def test_a_good_rating_opens_no_follow_up(app, ctx):
    _press(app, "3")
    assert db.session.scalar(select(func.count()).select_from(RatingFollowUp)) == 0


def test_a_slip_rates_its_service_once_with_the_window_that_served_it(app, ctx):
    staff = staff_user().id
    ticket = factories.ticket()
    waiting = ratings.ticket_service(ticket)
    with pytest.raises(Conflict, match="办理结束后"):
        ratings.rate_service(waiting, read_answer("1", "employer"))
    queue.call_next(ticket.day, 2, staff)
    with pytest.raises(Conflict, match="办理结束后"):  # called: at the window, not done yet
        ratings.rate_service(ratings.ticket_service(ticket), read_answer("1", "employer"))
    queue.act(ticket, "done", staff, 2)
    service = ratings.service_for("q", ticket.status_token)
    rating = ratings.rate_service(service, read_answer("2", "other"))
    assert (rating.channel, rating.service, rating.service_kind, rating.window, rating.role) == \
        (Channel.SLIP, f"ticket:{ticket.id}", "ticket", 2, RaterRole.EMPLOYER)
    with pytest.raises(ratings.AlreadyRated):
        ratings.rate_service(service, read_answer("5", "employer"))
    assert _ratings() == 1
    assert ratings.rating_of(service).level == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "rating"))
    assert (entry.actor_kind, entry.actor_label) == ("public", "手机扫码")  # no phone's address
    assert ticket.status == TicketStatus.DONE


def test_a_new_registration_is_a_new_service_to_rate(app, ctx):
    worker = factories.worker()
    ratings.rate_service(ratings.service_for("w", worker.qr_token), read_answer("1", "worker"))
    factories.worker(id_number=vault().decrypt(worker.id_cipher))  # registers again: a new slip
    again = ratings.service_for("w", worker.qr_token)
    assert again.key == f"registration:{worker.id}:2"
    ratings.rate_service(again, read_answer("4", "worker"))
    assert _ratings() == 2


def test_a_slips_link_expires(app, ctx, frozen_clock):
    worker = factories.worker()
    frozen_clock.tick(days=7)
    service = ratings.service_for("w", worker.qr_token)
    assert not service.expired
    frozen_clock.tick(days=1)
    service = ratings.service_for("w", worker.qr_token)
    with pytest.raises(Conflict, match="已过期"):
        ratings.rate_service(service, read_answer("1", "worker"))
    assert _ratings() == 0


def test_an_unknown_slip_is_no_service(app, ctx):
    assert ratings.service_for("q", "nope") is None
    assert ratings.service_for("x", "anything") is None
    assert ratings.service_for("w", "a" * 65) is None


def test_satisfied_follows_the_levels_the_rubric_names(app, ctx, frozen_clock):
    for level in (1, 2, 3, 4, 5):
        factories.rating(level, reasons=["other"] if level > 3 else ())
        frozen_clock.tick(seconds=1)
    day = hall_period()
    assert metrics.measure("ratings_satisfied", day).value == 3
    assert metrics.measure("ratings_satisfied", day, levels=(1,)).value == 1
    assert metrics.measure("ratings_satisfied", day, levels=(1, 2)).value == 2
    assert metrics.measure("ratings_total", day).value == 5


def test_a_follow_up_note_keeps_phone_numbers_out_and_stays_out_of_the_trail(app, ctx):
    from app.domain import Invalid
    from app.domain.ratings import FollowUpStep

    rating = _press(app, "5", reasons=["attitude"], phone="13800138000")
    follow_up = rating.follow_up
    staff = staff_user()
    with pytest.raises(Invalid, match="电话号码"):
        follow_ups.record_step(follow_up, FollowUpStep.CALLED_BACK, "已拨打 138 0013 8000 回访", user=staff)
    assert follow_up.steps == []
    assert follow_ups.reveal_phone(follow_up, user=staff) == "13800138000"
    follow_ups.record_step(follow_up, FollowUpStep.CALLED_BACK, "已向王师傅道歉，窗口已整改", user=staff)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "rating_follow_up")
                               .order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before, entry.after) == ("called_back", {"status": "open"}, {"status": "done"})
    assert "王师傅" not in str(entry.detail)  # the note stays on the follow-up, never in the trail
    with pytest.raises(Conflict, match="已办结"):  # nobody calls about a closed follow-up
        follow_ups.reveal_phone(follow_up, user=staff)
