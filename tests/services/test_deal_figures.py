"""招工与交易统计's figures: postings and deals placed on both sides of a month's boundaries,
by trade and by hall-local day; the fill rate and the median by hand; exact wage sums."""

import secrets
from datetime import timedelta
from decimal import Decimal

import pytest

from app.clock import hall_tz
from app.domain import Invalid
from app.domain.deals import DealSource, DealStatus
from app.domain.periods import LocalPeriod
from app.domain.task_orders import PayUnit
from app.extensions import db
from app.models import Deal, Role
from app.services import deal_figures
from tests.deal_steps import deal_at
from tests.factories import posting, staff_user, worker


def _month(month: int, year: int = 2026) -> LocalPeriod:
    return LocalPeriod.month(year, month, hall_tz())


def _trade(found, code):
    return next(t.row for t in found.trades if t.code == code)


@pytest.fixture
def month_of_deals(ctx, frozen_clock):
    """Porter: one posting just before November, one on its first moment with a completed deal,
    one on December's first moment with a completed deal. Cleaner: one on 27 November with a
    deal priced 2.5 hours later and another cancelled 5 hours later."""
    user = staff_user(username="xiaoli", role=Role.STAFF)
    frozen_clock.move_to("2026-10-31 23:59")
    posting(trade_code="porter", headcount=3)
    frozen_clock.move_to("2026-11-01 00:00")
    deal_at(DealStatus.COMPLETED, user, task=posting(trade_code="porter", headcount=4))
    frozen_clock.move_to("2026-11-27 09:00")
    cleaning = posting(trade_code="cleaner", headcount=2, pay=Decimal("180.50"))
    frozen_clock.move_to("2026-11-27 11:30")
    deal_at(DealStatus.PRICED, user, task=cleaning)
    frozen_clock.move_to("2026-11-27 14:00")
    deal_at(DealStatus.CANCELLED, user, task=cleaning)
    frozen_clock.move_to("2026-12-01 00:00")
    deal_at(DealStatus.COMPLETED, user, task=posting(trade_code="porter", headcount=1))
    return user


def test_figures_by_trade_count_only_the_month(month_of_deals):
    found = deal_figures.figures(_month(11))
    porter = _trade(found, "porter")
    assert (porter.postings, porter.places, porter.taken) == (1, 4, 1)
    assert (porter.accepted, porter.completed, porter.cancelled, porter.settled) == (1, 1, 0, 1)
    assert porter.wages == Decimal("200.00") and porter.day_rate == Decimal("200.00")
    assert porter.fill_rate == "25.0%"
    cleaner = _trade(found, "cleaner")
    assert (cleaner.postings, cleaner.places, cleaner.taken) == (1, 2, 1)  # the cancelled one gave its place back
    assert (cleaner.accepted, cleaner.completed, cleaner.cancelled, cleaner.settled) == (2, 0, 1, 0)
    assert cleaner.wages == Decimal("0.00") and cleaner.day_rate == Decimal("180.50")
    assert cleaner.fill_rate == "50.0%"
    total = found.total
    assert (total.postings, total.places, total.taken, total.accepted, total.completed) == (2, 6, 2, 3, 1)
    assert found.fill_rate == "33.3%"  # 2 of 6 places, by hand
    # hours to the first deal: porter 0, cleaner 2.5 (not the cancelled one at 5): median 1.25
    assert found.postings_with_deal == 2 and found.median_hours_to_deal == pytest.approx(1.25)
    assert deal_figures.hours_text(found.median_hours_to_deal) == "1.3 小时"


def test_a_trade_with_nothing_shows_zeros(month_of_deals):
    found = deal_figures.figures(_month(11))
    welder = _trade(found, "welder")
    assert (welder.postings, welder.places, welder.accepted, welder.wages) == (0, 0, 0, Decimal("0.00"))
    assert welder.fill_rate == "—" and welder.day_rate is None and welder.empty
    assert len(found.trades) == len({t.code for t in found.trades})


def test_figures_by_day_fold_the_quiet_days(month_of_deals):
    days = deal_figures.figures(_month(11)).days
    assert [(d.label, d.row.empty) for d in days] == [
        ("11月1日", False), ("11月2日至11月26日", True), ("11月27日", False), ("11月28日至11月30日", True)]
    first, busy = days[0].row, days[2].row
    assert (first.postings, first.accepted, first.completed, first.wages) == (1, 1, 1, Decimal("200.00"))
    assert (busy.postings, busy.places, busy.accepted, busy.cancelled) == (1, 2, 2, 1)


def test_the_next_month_has_the_december_deal(month_of_deals):
    found = deal_figures.figures(_month(12))
    assert (found.total.postings, found.total.completed, found.total.wages) == (1, 1, Decimal("200.00"))
    assert found.median_hours_to_deal == 0


def test_postings_about_to_expire_are_listed(ctx, frozen_clock):
    today = frozen_clock.today()
    ending = posting(trade_code="mason", valid_until=today + timedelta(days=1), work_date=today + timedelta(days=1))
    posting(trade_code="mason", work_date=today + timedelta(days=5))  # valid five more days
    found = deal_figures.figures(_month(11))
    assert [t.number for t in found.expiring] == [ending.number]


def test_many_small_wages_add_up_exactly(ctx, frozen_clock):
    user = staff_user(username="xiaoli", role=Role.STAFF)
    first = deal_at(DealStatus.SETTLED, user, trade_code="cleaner")
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("0.70"), Decimal("33.33")] * 150
    amounts.append(Decimal("1234567.89"))
    for amount in amounts:  # settled deals as the service leaves them, many at once
        db.session.add(Deal(task_order_id=first.task_order_id, worker_id=worker().id,
                            employer_id=first.employer_id, status=DealStatus.SETTLED, source=DealSource.STAFF,
                            pay=Decimal("0.10"), pay_unit=PayUnit.DAY, accepted_at=first.accepted_at,
                            priced_at=first.priced_at, wage_amount=amount, settled_at=first.settled_at,
                            verify_token=secrets.token_urlsafe(32), worker_token=secrets.token_urlsafe(32),
                            employer_token=secrets.token_urlsafe(32)))
    db.session.commit()
    found = deal_figures.figures(_month(11))
    expected = sum(amounts, Decimal("200.00"))
    assert expected == Decimal("1239917.39")  # 150 × 34.33 + 1,234,567.89 + 200
    assert found.total.wages == expected and _trade(found, "cleaner").wages == expected
    assert found.total.settled == len(amounts) + 1
    # the day rate: (200 + 601 × 0.10) / 602, to the fen
    assert _trade(found, "cleaner").day_rate == Decimal("0.43")


@pytest.mark.parametrize(("asked", "field", "message"), [
    ({"since": "2026-11-20", "until": "2026-11-10"}, "to", "结束日期不能早于起始日期"),
    ({"since": "2026-11-01", "until": "2026-12-31"}, "to", "结束日期不能晚于今天"),
    ({"since": "11/01/2026"}, "from", "日期应写成 2026-11-01 这样的年-月-日"),
    ({"until": "2026-11-10"}, "from", "请填写起始日期"),
    ({"since": "2024-11-01", "until": "2026-11-10"}, "to", "一次最多统计 366 天"),
    ({"month": "2026-13"}, "month", "月份应写成 2026-11 这样的年-月"),
])
def test_a_wrong_period_is_refused_naming_the_field(ctx, frozen_clock, asked, field, message):
    with pytest.raises(Invalid) as refused:
        deal_figures.choose(**asked)
    assert message in refused.value.errors[field]


def test_a_run_of_days_is_its_own_period(ctx, frozen_clock):
    choice = deal_figures.choose(since="2026-11-20", until="2026-11-28")
    assert (choice.period.first_day.day, choice.period.last_day.day) == (20, 28)
    assert choice.label == "2026年11月20日至2026年11月28日"
    assert choice.args == {"from": "2026-11-20", "to": "2026-11-28"}
    assert deal_figures.choose().month == "2026-11"
