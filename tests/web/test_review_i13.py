"""Review of issue 13 (postings and deals): each test names a finding of the outside review
and fails until it is fixed. Written against main at 585ac5f."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.deals import DealStatus, FalseKind
from app.extensions import db
from app.models import Deal, Role, StaffUser
from app.services import task_orders
from tests.conftest import csrf_from
from tests.deal_steps import deal_at
from tests.factories import as_user, make_id, posting, staff_user, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall

PHONE = "13800001234"


@pytest.fixture
def users(app):
    with app.app_context():
        for role in Role:
            staff_user(username=role.value, role=role)


@pytest.fixture
def staff(app, users):
    return as_user(app, "staff")


def _user(username="staff"):
    return db.session.scalar(select(StaffUser).where(StaffUser.username == username))


def _deal(app, state) -> int:
    with app.app_context():
        return deal_at(state, _user()).id


def _status(app, deal_id):
    with app.app_context():
        return db.session.get(Deal, deal_id).status


def _step(client, deal_id, action, **data):
    page = client.get(f"/staff/deals/{deal_id}")
    return client.post(f"/staff/deals/{deal_id}/{action}", data={**data, "csrf_token": csrf_from(page.text)})


# Finding: an employer's payment can be recorded as made years before the deal existed
# (any date from 2000 on is taken); it then counts in a past period's 雇主付款 on the A1 checklist.
def test_a_payment_dated_before_the_deal_was_accepted_is_refused(app, staff):
    deal_id = _deal(app, DealStatus.INSURED)  # accepted today, 2026-11-28
    resp = _step(staff, deal_id, "pay", amount="200.00", method="cash", reference="", on="2001-03-01",
                 time="09:30")
    assert resp.status_code == 422, resp.status_code
    assert _status(app, deal_id) == DealStatus.INSURED


# Finding: the wage can be recorded as settled before the employer paid (and before the deal
# was accepted); the settlement slip then prints a date before the job.
def test_a_settlement_dated_before_the_payment_is_refused(app, staff):
    deal_id = _deal(app, DealStatus.PAID)  # paid now (2026-11-28 10:00 hall time)
    resp = _step(staff, deal_id, "settle", amount="200.00", method="cash", reference="", on="2026-11-01",
                 time="09:30")
    assert resp.status_code == 422, resp.status_code
    assert _status(app, deal_id) == DealStatus.PAID


# Finding: the kiosk's ID number + phone last-4 check has no limit on guesses: anyone at a
# terminal (or anything that can reach /kiosk) who knows an ID number tries 0000-9999, learns
# that the person is registered (their masked name) and applies for jobs in their name.
def test_guessing_the_phone_last_4_at_the_kiosk_is_stopped(app, client):
    import re

    with app.app_context():
        id_number = make_id("19850315", seq="421")
        worker(id_number=id_number, phone=PHONE, name="李春花")
        task_id = posting().id
    key_re = re.compile(r'name="form_key" value="([^"]+)"')

    def review(last4):
        page = client.get(f"/kiosk/jobs/{task_id}/apply").get_data(as_text=True)
        return client.post(f"/kiosk/jobs/{task_id}/apply/review", data={
            "csrf_token": csrf_from(page), "form_key": key_re.search(page).group(1),
            "id_number": id_number, "phone_last4": last4})

    for guess in range(20):
        assert review(f"{guess:04d}").status_code == 422
    found = review(PHONE[-4:])
    assert "李*" not in text_of(found), "after 20 wrong guesses the 21st still reveals the person"


# Finding: the assessor (masked data only) reads a posting's 虚假 reason and its close reason
# unredacted on the posting page: a phone number or a name staff wrote there is shown in full
# (the score page's drill-down of the same record masks it; the deal page masks its reasons).
def test_the_assessor_reads_a_postings_reasons_masked(app, users):
    with app.app_context():
        task = posting()
        task_orders.mark_false(FalseKind.POSTING, task, "王老板13912345678说根本没有这个活",
                               "电话核实：王老板承认是虚构的", _user())
        closed = posting()
        task_orders.close(closed, "用工方王老板来电13987654321说已招满", _user())
        ids = task.id, closed.id
    assessor = as_user(app, "assessor")
    for task_id in ids:
        page = text_of(assessor.get(f"/staff/postings/{task_id}"))
        assert "13912345678" not in page and "13987654321" not in page
        assert "王老板" not in page


# Finding: a posting confirmed false (虚假) leaves the board, but the deals already taken on it
# stay open and can still be completed: a fake job then counts as a real completed deal in C3.
def test_a_deal_on_a_posting_confirmed_false_cannot_be_completed(app, staff):
    deal_id = _deal(app, DealStatus.SETTLED)
    with app.app_context():
        task = db.session.get(Deal, deal_id).task_order
        task_orders.mark_false(FalseKind.POSTING, task, "用工方虚构岗位", "电话核实，用工方承认虚构", _user())
    _step(staff, deal_id, "complete")
    assert _status(app, deal_id) != DealStatus.COMPLETED




# Finding: a deal's rating window counts RATING_SLIP_DAYS (7) from the day it was accepted,
# but rating opens only once the deal is over: any deal completed more than 7 days after the
# application (a job a week ahead, or lasting a week) shows "这张凭条的评价已过期" the moment
# its rating link appears on /d/<token>. Cause: deals.deal_service's ``on`` is accepted_at.
def test_a_deal_completed_ten_days_after_acceptance_can_still_be_rated(app, client, frozen_clock):
    from datetime import timedelta

    from app.models import utcnow
    from app.services import deals

    with app.app_context():
        staff_user()
        deal = deal_at(DealStatus.INSURED, _user())
        deal_id, token = deal.id, deal.worker_token
    frozen_clock.tick(timedelta(days=10))
    with app.app_context():
        user, d = _user(), db.session.get(Deal, deal_id)
        d = deals.pay(d, amount=Decimal("2000.00"), method=deals.PaymentMethod.CASH, reference="",
                      paid_at=utcnow(), user=user)
        d = deals.settle(d, amount=Decimal("2000.00"), method=deals.PaymentMethod.CASH, reference="",
                         settled_at=utcnow(), user=user)
        deals.complete(d, user)
    form = client.get(f"/d/{token}/rate")
    assert "已过期" not in text_of(form)
    assert form.status_code == 200


# Finding: the deal list's search matches the worker's real name by prefix for the assessor
# too, so the assessor (masked data only) can unmask anyone shown as 李**: typing 李春 / 李秋 /
# … tells which second character is right, and so on (deal_console._search on Worker.name).
def test_the_assessors_search_cannot_tell_the_hidden_characters_of_a_name(app, users):
    with app.app_context():
        spring = deal_at(DealStatus.ACCEPTED, _user(), person=worker(name="李春花")).number
        autumn = deal_at(DealStatus.ACCEPTED, _user(), person=worker(name="李秋月")).number
    assessor = as_user(app, "assessor")
    first = text_of(assessor.get("/staff/deals", query_string={"q": "李春"}))
    second = text_of(assessor.get("/staff/deals", query_string={"q": "李秋"}))
    assert (spring in first) == (spring in second) and (autumn in first) == (autumn in second)


# Finding: staff can confirm any deal as inter-provincial service (G3, +2 points), even one
# never suggested (a Fujian worker working in Fujian): neither the route nor
# deals.decide_inter_provincial checks interprovincial_suggested, so one POST counts it.
def test_a_deal_never_suggested_cannot_be_confirmed_as_inter_provincial(app, staff):
    deal_id = _deal(app, DealStatus.ACCEPTED)  # a worker born in Fujian, work in Fujian
    with app.app_context():
        assert not db.session.get(Deal, deal_id).interprovincial_suggested
    _step(staff, deal_id, "inter-provincial", decision="confirm")
    with app.app_context():
        assert db.session.get(Deal, deal_id).interprovincial_at is None


# Finding: 下架 (close) takes a live posting off the board for good (no way back to
# published) in one POST, without the confirmation page the house rules ask for every
# irreversible action (void and 虚假 have one; posting_routes.posting_close does not).
def test_closing_a_posting_asks_on_a_page_of_its_own_first(app, staff):
    from app.domain.task_orders import TaskStatus
    from app.models import TaskOrder

    with app.app_context():
        task_id = posting().id
    page = staff.get(f"/staff/postings/{task_id}")
    resp = staff.post(f"/staff/postings/{task_id}/close",
                      data={"reason": "用工方说人已招满", "csrf_token": csrf_from(page.text)})
    with app.app_context():
        assert db.session.get(TaskOrder, task_id).status == TaskStatus.PUBLISHED
    assert resp.status_code == 200 and "此操作不能撤销" in text_of(resp)
