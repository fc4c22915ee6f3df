"""Deals through the service: every step in order and recorded, cancellation from each
state giving the place back, the agreement's seal against rows altered in the database,
the age rules, the last place taken by two people at once, and exact money."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from app.domain import Conflict, InvalidFields
from app.domain.deals import ConfirmedVia, DealSource, DealStatus, Side
from app.domain.disputes import PaymentMethod
from app.extensions import db
from app.models import AuditEntry, Deal, DealSignature, EmployerType, PayUnit, TaskOrder, Worker
from app.services import deal_seal, deals
from app.services.disputes import Signed
from tests import factories as f
from tests.conftest import at_once
from tests.deal_steps import deal_at

STEPS = [DealStatus.ACCEPTED, DealStatus.PRICED, DealStatus.SIGNED, DealStatus.INSURED, DealStatus.PAID,
         DealStatus.SETTLED, DealStatus.COMPLETED]


@pytest.fixture
def staff(ctx):
    return f.staff_user()


def _trail(deal: Deal) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.record_type == "deal", AuditEntry.record_id == deal.id).order_by(AuditEntry.id)))


def test_a_deal_walks_every_step_in_order_each_recorded_with_who_and_when(staff):
    deal = deal_at(DealStatus.COMPLETED, staff)
    assert deal.status == DealStatus.COMPLETED
    assert _trail(deal) == ["accept", "accept_price", "confirm_price", "sign", "insure", "pay", "settle",
                            "complete"]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "deal")).all()
    assert {e.actor_label for e in entries} == {staff.username}
    assert all(e.at is not None for e in entries)
    for column in ("priced_at", "signed_at", "insured_at", "paid_at", "settled_at", "completed_at"):
        assert getattr(deal, column) is not None, column


@pytest.mark.parametrize("state", STEPS[:-1])
def test_from_each_state_only_the_next_step_and_cancellation_are_allowed(staff, state):
    deal = deal_at(state, staff)
    steps = {
        "confirm_price": lambda: deals.confirm_price(deal, Side.WORKER, Decimal("1"), PayUnit.DAY,
                                                     ConfirmedVia.STAFF, staff),
        "sign": lambda: deals.sign(deal, {Side.WORKER: Signed("张三", f.signature()),
                                          Side.EMPLOYER: Signed("王老板", f.signature())}, staff),
        "insure": lambda: deals.insure(deal, uninsured_reason="用工方拒绝投保", user=staff),
        "pay": lambda: deals.pay(deal, amount=Decimal("1"), method=PaymentMethod.CASH, reference="", paid_at=deal.accepted_at,
                                 user=staff),
        "settle": lambda: deals.settle(deal, amount=Decimal("1"), method=PaymentMethod.CASH, reference="",
                                       settled_at=deal.accepted_at, user=staff),
        "complete": lambda: deals.complete(deal, staff),
    }
    allowed = {DealStatus.ACCEPTED: "confirm_price", DealStatus.PRICED: "sign", DealStatus.SIGNED: "insure",
               DealStatus.INSURED: "pay", DealStatus.PAID: "settle", DealStatus.SETTLED: "complete"}[state]
    for action, step in steps.items():
        if action == allowed:
            continue
        with pytest.raises(Conflict) as refused:
            step()
        assert "不能" in refused.value.message, action
        db.session.rollback()
        assert db.session.get(Deal, deal.id).status == state


@pytest.mark.parametrize("state", STEPS[:-1])
def test_cancellation_from_each_state_keeps_the_reason_and_gives_the_place_back(staff, state):
    deal = deal_at(state, staff)
    task = deal.task_order
    assert task.taken == 1
    deals.cancel(deal, "零工生病无法到岗", staff)
    assert deal.status == DealStatus.CANCELLED and deal.cancelled_from == state
    assert deal.cancel_reason == "零工生病无法到岗"
    db.session.refresh(task)
    assert task.taken == 0
    with pytest.raises(Conflict):
        deals.cancel(deal, "再取消一次", staff)


def test_completed_and_cancelled_deals_cannot_be_cancelled(staff):
    deal = deal_at(DealStatus.COMPLETED, staff)
    with pytest.raises(Conflict, match="已完成"):
        deals.cancel(deal, "想取消", staff)


def test_a_cancellation_needs_a_reason(staff):
    deal = deal_at(DealStatus.ACCEPTED, staff)
    with pytest.raises(InvalidFields) as refused:
        deals.cancel(deal, " ", staff)
    assert "reason" in refused.value.errors
    assert db.session.get(Deal, deal.id).status == DealStatus.ACCEPTED


# -- price ---------------------------------------------------------------------------------------

def test_the_price_needs_both_sides_and_a_changed_price_asks_the_other_side_again(staff):
    deal = deal_at(DealStatus.ACCEPTED, staff)
    deals.confirm_price(deal, Side.WORKER, Decimal("200.00"), PayUnit.DAY, ConfirmedVia.KIOSK)
    assert deal.status == DealStatus.ACCEPTED and deal.worker_price_via == ConfirmedVia.KIOSK
    deals.confirm_price(deal, Side.EMPLOYER, Decimal("220.00"), PayUnit.DAY, ConfirmedVia.STAFF, staff)
    assert deal.status == DealStatus.ACCEPTED  # the worker accepted 200, not 220
    assert deal.worker_price_at is None and deal.employer_price_at is not None
    deals.confirm_price(deal, Side.WORKER, Decimal("220.00"), PayUnit.DAY, ConfirmedVia.STAFF, staff)
    assert deal.status == DealStatus.PRICED and deal.pay == Decimal("220.00")


# -- the agreement's seal ----------------------------------------------------------------------------

def test_a_signed_agreement_verifies_and_holds_both_signatures(staff):
    deal = deal_at(DealStatus.SIGNED, staff)
    assert deal_seal.verify(deal).genuine
    content = deal_seal.signed_content(deal)
    assert content["pay"]["amount"] == "200.00"
    assert "*" in content["worker"]["id_number"]  # masked, never the whole number
    assert set(content["signatures"]) == {"worker", "employer"}


@pytest.mark.parametrize("change", [
    "UPDATE deal SET pay = 199.00",
    "UPDATE deal SET pay_unit = 'hour'",
    "UPDATE deal SET agreement_content = replace(agreement_content, '200.00', '2000.00')",
    "UPDATE deal SET agreement_seal = '0000000000000000000000000000000000000000000000000000000000000000'",
    "UPDATE task_order SET location = '别的地方'",
    "UPDATE task_order SET work_date = work_date + 1",
    "UPDATE worker SET name = '李四'",
    "UPDATE employer SET contact_name = '赵老板'",
    "UPDATE deal_signature SET signer = '别人' WHERE side = 'worker'",
])
def test_an_agreement_altered_in_the_database_no_longer_verifies(staff, change):
    deal = deal_at(DealStatus.SIGNED, staff)
    assert deal_seal.verify(deal).genuine
    if "work_date + 1" in change and db.engine.dialect.name == "sqlite":
        change = "UPDATE task_order SET work_date = date(work_date, '+1 day')"
    db.session.execute(text(change))
    db.session.commit()
    db.session.expire_all()
    verdict = deal_seal.verify(db.session.get(Deal, deal.id))
    assert not verdict.genuine and verdict.problem


def test_a_redrawn_signature_no_longer_verifies(staff):
    deal = deal_at(DealStatus.SIGNED, staff)
    from app.domain.disputes import read_signature

    db.session.execute(update(DealSignature).where(DealSignature.side == Side.EMPLOYER)
                       .values(png=read_signature(f.signature(5), who="甲方")))
    db.session.commit()
    db.session.expire_all()
    assert not deal_seal.verify(db.session.get(Deal, deal.id)).genuine


def test_signing_needs_both_signatures_and_writes_nothing_without_them(staff):
    deal = deal_at(DealStatus.PRICED, staff)
    with pytest.raises(InvalidFields) as refused:
        deals.sign(deal, {Side.WORKER: Signed("张三", f.signature())}, staff)
    assert "signature_employer" in refused.value.errors
    with pytest.raises(InvalidFields):
        deals.sign(deal, {Side.WORKER: Signed("张三", f.signature()),
                          Side.EMPLOYER: Signed("王老板", f.signature(0))}, staff)
    assert db.session.scalar(select(DealSignature.id)) is None
    assert db.session.get(Deal, deal.id).status == DealStatus.PRICED


# -- who may be engaged ---------------------------------------------------------------------------

def _aged(years: int, days: int = 0) -> Worker:
    today = f.hall_today()
    born = today.replace(year=today.year - years) - timedelta(days=days)
    return f.worker(id_number=f.make_id(born.strftime("%Y%m%d"), seq="555"))


def test_a_minor_is_refused_for_a_trade_forbidden_to_minors_but_not_for_others(staff):
    minor = _aged(17)
    with pytest.raises(Conflict, match="未成年工禁止"):
        deals.accept(f.posting(trade_code="porter"), minor, source=DealSource.KIOSK)
    deal = deals.accept(f.posting(trade_code="cleaner"), minor, source=DealSource.KIOSK)
    assert deal.status == DealStatus.ACCEPTED


def test_an_eighteen_year_old_may_take_a_forbidden_trade(staff):
    adult = _aged(18)
    assert deals.accept(f.posting(trade_code="porter"), adult, source=DealSource.KIOSK).id


def test_the_age_counts_on_the_work_day(staff):
    """Registered at 17 and turning 18 before the work day: old enough for that work."""
    turning = _aged(18, days=-3)  # 18 in three days
    later = f.posting(trade_code="porter", work_date=f.hall_today() + timedelta(days=5))
    assert deals.accept(later, turning, source=DealSource.KIOSK).id
    with pytest.raises(Conflict):
        deals.accept(f.posting(trade_code="porter", work_date=f.hall_today()), turning, source=DealSource.KIOSK)


def test_under_sixteen_is_never_engaged(staff):
    """A record under 16 cannot exist through registration; one made older by mistake is
    still refused at acceptance."""
    minor = _aged(20)
    today = f.hall_today()
    from app.crypto import vault

    pii = vault()
    young = f.make_id(today.replace(year=today.year - 15).strftime("%Y%m%d"), seq="556")
    minor.id_cipher = pii.encrypt(young)
    db.session.commit()
    with pytest.raises(Conflict, match="未满16周岁"):
        deals.accept(f.posting(trade_code="cleaner"), minor, source=DealSource.KIOSK)
    assert db.session.scalar(select(Deal.id)) is None


def test_one_worker_applies_once_per_posting(staff):
    task, person = f.posting(), f.worker()
    deals.accept(task, person, source=DealSource.KIOSK)
    with pytest.raises(Conflict, match="已经报名"):
        deals.accept(task, person, source=DealSource.KIOSK)
    db.session.refresh(task)
    assert task.taken == 1


def test_a_posting_off_the_board_takes_nobody(staff):
    expired = f.posting(valid_until=f.hall_today() - timedelta(days=1))
    with pytest.raises(Conflict, match="不在招工"):
        deals.accept(expired, f.worker(), source=DealSource.KIOSK)


# -- the last place ----------------------------------------------------------------------------------

def test_two_people_taking_the_last_place_at_once_one_gets_it(app, staff):
    task = f.posting(headcount=1)
    people = [f.worker().id, f.worker().id]
    task_id = task.id

    def take(n):
        return deals.accept(db.session.get(TaskOrder, task_id), db.session.get(Worker, people[n]),
                            source=DealSource.KIOSK).id

    results = at_once(app, 2, take)
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "被别人报满" in lost[0].message
    db.session.expire_all()
    assert db.session.get(TaskOrder, task_id).taken == 1
    assert len(db.session.scalars(select(Deal)).all()) == 1


def test_eight_people_for_three_places(app, staff):
    task = f.posting(headcount=3)
    people = [f.worker().id for _ in range(8)]
    task_id = task.id

    def take(n):
        return deals.accept(db.session.get(TaskOrder, task_id), db.session.get(Worker, people[n]),
                            source=DealSource.KIOSK).id

    results = at_once(app, 8, take)
    assert sum(isinstance(r, int) for r in results) == 3, results
    assert all(isinstance(r, (int, Conflict)) for r in results), results
    db.session.expire_all()
    assert db.session.get(TaskOrder, task_id).taken == 3


# -- money -----------------------------------------------------------------------------------------

def test_many_small_payments_add_up_exactly(staff):
    from sqlalchemy import func

    from app.models import Deal as D

    for _ in range(30):
        deal = deal_at(DealStatus.ACCEPTED, staff)
        db.session.execute(update(D).where(D.id == deal.id).values(paid_amount=Decimal("0.10")))
    db.session.commit()
    total = db.session.scalar(select(func.sum(D.paid_amount)))
    assert Decimal(total) == Decimal("3.00")
    assert sum(d.paid_amount for d in db.session.scalars(select(D))) == Decimal("3.00")


@pytest.mark.parametrize("raw,message", [("0", "应大于0"), ("-5", "应大于0"), ("1000000000", "不能超过"),
                                         ("12.345", "两位小数"), ("abc", "数字")])
def test_a_bad_pay_is_refused_with_a_clear_message(raw, message):
    from app.domain import Invalid
    from app.domain.deals import clean_pay

    with pytest.raises(Invalid, match=message):
        clean_pay(raw, "day")


# -- derived records ----------------------------------------------------------------------------------

def test_an_enterprise_short_term_posting_is_a_need_solved_at_its_first_completed_deal(staff):
    company = f.employer(employer_type=EmployerType.ENTERPRISE, employer_name="三明某某食品有限公司",
                         uscc="91350427MA2XXXXX0A")
    task = f.posting(employer=company, duration_days=10)
    first = deal_at(DealStatus.COMPLETED, staff, task=task)
    db.session.refresh(task)
    assert task.need_solved_at == first.completed_at
    deal_at(DealStatus.COMPLETED, staff, task=task)
    db.session.refresh(task)
    assert task.need_solved_at == first.completed_at  # once


def test_a_household_or_long_posting_is_no_short_term_need(staff):
    household = f.posting(duration_days=1)
    deal_at(DealStatus.COMPLETED, staff, task=household)
    company = f.employer(employer_type=EmployerType.ENTERPRISE, employer_name="某某有限公司", uscc="91350427MA2XXXXX0B")
    long = f.posting(employer=company, duration_days=120)
    deal_at(DealStatus.COMPLETED, staff, task=long)
    db.session.refresh(household)
    db.session.refresh(long)
    assert household.need_solved_at is None and long.need_solved_at is None


def test_a_worker_from_another_province_or_work_outside_fujian_is_suggested(staff):
    outsider = f.worker(id_number="360426199101010071")  # 36: Jiangxi
    local = f.worker()
    assert deals.accept(f.posting(), outsider, source=DealSource.KIOSK).interprovincial_suggested
    assert not deals.accept(f.posting(), local, source=DealSource.KIOSK).interprovincial_suggested
    away = f.posting(outside_fujian=True, location="江西省南昌市红谷滩")
    deal = deals.accept(away, f.worker(), source=DealSource.KIOSK)
    assert deal.interprovincial_suggested and deal.interprovincial_at is None
    deals.decide_inter_provincial(deal, True, staff)
    assert deal.interprovincial_at is not None
    with pytest.raises(Conflict):
        deals.decide_inter_provincial(deal, False, staff)
