"""Deals brought to a state through the deal services, one step after the other, for the
tests of every layer (services, web, browser)."""

from datetime import timedelta
from decimal import Decimal

from app.domain.deals import ConfirmedVia, DealSource, DealStatus, Side
from app.domain.disputes import PaymentMethod
from app.models import Deal, StaffUser, utcnow
from app.services import deals
from app.services.disputes import Signed
from tests.factories import hall_today, posting, signature, worker


def _engaged(user: StaffUser, task=None, person=None, **posting_fields) -> Deal:
    task = task or posting(**posting_fields)
    return deals.accept(task, person or worker(), source=DealSource.STAFF, user=user)


def insurance(**overrides) -> dict:
    today = hall_today()
    return {"insurer": "中国人寿沙县支公司", "policy_number": "PICC2026-0001", "premium": Decimal("3.50"),
            "cover_from": today, "cover_to": today + timedelta(days=1)} | overrides


def deal_at(state: DealStatus, user: StaffUser, **fields) -> Deal:
    """A deal of a new worker on a new posting (or ``task=``, ``person=``), walked through
    the services to ``state`` (cancelled: from accepted)."""
    deal = _engaged(user, **fields)
    if state == DealStatus.CANCELLED:
        return deals.cancel(deal, "用工方临时取消", user)
    steps = [
        (DealStatus.PRICED, lambda d: deals.confirm_price(
            deals.confirm_price(d, Side.WORKER, d.pay, d.pay_unit, ConfirmedVia.STAFF, user),
            Side.EMPLOYER, d.pay, d.pay_unit, ConfirmedVia.STAFF, user)),
        (DealStatus.SIGNED, lambda d: deals.sign(d, {Side.WORKER: Signed("张三", signature(30)),
                                                     Side.EMPLOYER: Signed("王老板", signature(35))}, user)),
        (DealStatus.INSURED, lambda d: deals.insure(d, **insurance(), user=user)),
        (DealStatus.PAID, lambda d: deals.pay(d, amount=Decimal("200.00"), method=PaymentMethod.WECHAT,
                                              reference="4200001234", paid_at=utcnow(), user=user)),
        (DealStatus.SETTLED, lambda d: deals.settle(d, amount=Decimal("200.00"), method=PaymentMethod.CASH,
                                                    reference="", settled_at=utcnow(), user=user)),
        (DealStatus.COMPLETED, lambda d: deals.complete(d, user)),
    ]
    for target, step in steps:
        if deal.status == state:
            break
        deal = step(deal)
        assert deal.status == target
    return deal
