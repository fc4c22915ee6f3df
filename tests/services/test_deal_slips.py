"""A deal's slips: the work, when and where, the pay, the employer's contact only as the
hall's policy allows, a QR to the deal's page (and on the agreement's, to the check page);
names masked, never an ID number."""

from decimal import Decimal

import pytest

from app.crypto import vault
from app.domain.deals import DealStatus, Side
from app.hall_config import hall
from app.services import deal_slips
from printers.receipt import plain_text
from tests import factories as f
from tests.deal_steps import deal_at

BASE = "http://hall.test"


@pytest.fixture
def staff(ctx):
    return f.staff_user()


def _text(slip: dict) -> str:
    return plain_text(slip["receipt"], 80)


def _qrs(slip: dict) -> list[str]:
    from printers.receipt import QR

    return [item.payload for item in slip["receipt"].items if isinstance(item, QR)]


def test_the_application_slip_says_when_where_and_for_how_much(staff):
    deal = deal_at(DealStatus.ACCEPTED, staff, location="凤岗街道水南村", pay=Decimal("230.50"),
                   requirements="能吃苦")
    slip = deal_slips.application_slip(deal, BASE)
    text = _text(slip)
    assert deal.number in text and deal.task_order.number in text
    assert "凤岗街道水南村" in text and "230.5 元/天" in text and "要求：能吃苦" in text
    assert deal.worker.name not in text and "张*" in text
    assert vault().decrypt(deal.worker.id_cipher) not in text
    assert _qrs(slip) == [f"{BASE}/d/{deal.worker_token}"]
    assert slip["subject"] == f"deal:{deal.id}"


@pytest.mark.parametrize("policy", ["hall", "masked", "full"])
def test_the_employer_contact_follows_the_halls_policy(staff, monkeypatch, policy):
    from dataclasses import replace

    import app.hall_config as config

    monkeypatch.setattr(config, "hall", lambda: replace(hall(), slip_employer_contact=policy))
    monkeypatch.setattr(deal_slips, "hall", config.hall)
    deal = deal_at(DealStatus.ACCEPTED, staff)
    phone = vault().decrypt(deal.employer.phone_cipher)
    text = _text(deal_slips.application_slip(deal, BASE))
    assert (phone in text) == (policy == "full")
    assert (f"尾号 {phone[-4:]}" in text) == (policy == "masked")
    assert ("请到服务台" in text) == (policy == "hall")


def test_the_agreement_slips_carry_the_check_qr_and_each_sides_own_page(staff):
    deal = deal_at(DealStatus.SIGNED, staff)
    for side in Side:
        slip = deal_slips.agreement_slip(deal, side, BASE)
        assert _qrs(slip) == [f"{BASE}/v/{deal.verify_token}", f"{BASE}/d/{deal_slips.token_of(deal, side)}"]
        assert side.label in _text(slip)


def test_the_settlement_slip_states_the_wage(staff):
    deal = deal_at(DealStatus.SETTLED, staff)
    text = _text(deal_slips.settlement_slip(deal, BASE))
    assert "结算金额：200 元" in text and "现金" in text
