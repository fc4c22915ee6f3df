"""Item B7 (satisfaction) from the hall's ratings: the rate's denominator and numerator are
exactly the ratings its drill-down lists, only the year's, refused presses are no ratings,
and the points follow the sheet's tiers.

The service started on 2026-01-01, so year 1 runs to 2026-12-31 (hall time).
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Role
from app.services import assessment, score_evidence, score_page, scoring
from app.services.ratings import StuffingRefused
from tests import factories

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def started(ctx):
    manager = factories.staff_user("boss", Role.MANAGER)
    assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000.00"),
                             bid_price=Decimal("500000.00"), network_fee=Decimal("100000.00"), user=manager)
    return manager


def b7_row(card) -> score_page.Row:
    return next(r for r in score_page.sheet_rows(card) if r.data["key"] == "B7")


def listed(counter: str | None = None) -> score_evidence.Evidence:
    return score_evidence.evidence(1, "B7", counter)


def test_the_drill_down_lists_exactly_the_ratings_of_the_rate(started, frozen_clock):
    frozen_clock.move_to("2025-12-31 23:59")  # the day before the service started: no year
    factories.rating(level=1)
    frozen_clock.move_to("2026-01-01 00:00")  # the first moment of year 1
    factories.rating(level=5, reasons=["waited"], phone="13800001234")
    frozen_clock.move_to("2026-06-15 09:30")
    for level in (1, 1, 2, 3, 4):
        factories.rating(level=level, reasons=["attitude"] if level == 4 else ())
    factories.rating(level=2, slip=factories.worker())
    factories.rating(level=1, address="10.0.0.7")
    with pytest.raises(StuffingRefused):  # pressed again at once: refused, never a rating
        factories.rating(level=5, address="10.0.0.7")
    frozen_clock.move_to("2026-12-31 23:59")  # the last minute of year 1
    factories.rating(level=3)
    frozen_clock.move_to("2027-01-01 00:00")  # year 2
    factories.rating(level=5)
    frozen_clock.move_to("2026-11-28 10:00")

    card = scoring.card(1)
    figures = card.live.figures
    assert (figures.satisfied, figures.rated) == (7, 9)  # 1,1,2,3, the slip's 2, 1, 3; of 9
    everything, satisfied = listed(), listed("ratings_satisfied")
    assert everything.source.name == "ratings_total"  # the denominator's list opens first
    assert everything.total == everything.value == figures.rated == 9
    assert satisfied.total == satisfied.value == figures.satisfied == 7
    assert [s.name for s in everything.sources] == ["ratings_total", "ratings_satisfied", "ratings_verified",
                                                     "ratings_refused"]
    levels = [row[1] for row in everything.rows]
    assert "非常不满意" in levels and levels.count("非常满意") == 3
    assert all(row[1] in ("非常满意", "满意", "基本满意") for row in satisfied.rows)
    refused = listed("ratings_refused")
    assert refused.summed and refused.value == 1 and refused.total == 1
    assert refused.rows[0][0] == "2026-06-15" and refused.rows[0][2] == "1"
    verified = listed("ratings_verified")
    # what was rated, never who: no worker number to join with C1's list
    assert verified.value == 1 and verified.rows[0][4] == "零工登记"

    row = b7_row(card)
    assert row.data["value"] == "77.8" and row.data["points"] == "3"
    assert row.remark.measured == "满意度 77.8%（满意 7 / 全部 9）"
    assert row.remark.related == [("凭条扫码评价 1 条，占 11.1%", "ratings_verified"),
                                  ("被拒绝的重复评价 1 次", "ratings_refused")]


def test_nine_satisfied_of_ten_is_ninety_percent_and_five_points(started):
    for level in (1, 1, 1, 2, 2, 2, 3, 3, 3, 4):
        factories.rating(level=level)
    row = b7_row(scoring.card(1))
    assert (row.data["value"], row.data["points"], row.data["warning"]) == ("90", "5", "")
    assert listed().total == 10 and listed("ratings_satisfied").total == 9


def test_no_ratings_is_zero_points_with_the_rubrics_warning(started):
    row = b7_row(scoring.card(1))
    assert (row.data["points"], row.data["warning"]) == ("0", "本期没有满意度评价，记0分。")
    assert row.remark.counted  # the list (empty) can still be opened
    assert row.remark.measured == "满意度 —（满意 0 / 全部 0）"
    assert row.remark.related == [("凭条扫码评价 0 条", "ratings_verified"), ("被拒绝的重复评价 0 次", "ratings_refused")]
    assert listed().total == 0


def test_a_ratings_row_shows_no_phone_address_or_comment(started):
    factories.rating(level=5, reasons=["waited", "attitude"], phone="13800005678", comment="门口排队太久了",
                     address="10.1.2.3")
    found = listed()
    assert [c.title for c in found.columns] == ["时间", "评价", "身份", "渠道", "终端/服务", "窗口", "原因"]
    (row,) = found.rows
    assert row[1:4] == ["非常不满意", "零工", "评价终端"] and row[6] == "等待太久、态度不好"
    text = " ".join(row)
    assert "5678" not in text and "10.1.2.3" not in text and "排队太久" not in text


def test_the_reasons_are_loaded_with_the_page_not_one_query_per_rating(started, app):
    def queries_for_a_page() -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            db.session.expire_all()
            listed()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    factories.rating(level=4, reasons=["waited"])
    few = queries_for_a_page()
    for _ in range(12):
        factories.rating(level=4, reasons=["waited", "other"])
    assert queries_for_a_page() == few


def test_a_locked_year_keeps_the_rates_terms(started, frozen_clock):
    from app.services import score_locks

    for level in (1, 2, 5):
        factories.rating(level=level, reasons=["other"] if level == 5 else ())
    score_locks.lock(1, factories.staff_user("kaohe", Role.ASSESSOR))
    factories.rating(level=1)  # after the lock: the locked sheet does not move
    card = scoring.card(1)
    assert card.live is None  # read from the snapshot
    assert b7_row(card).remark.measured == "满意度 66.7%（满意 2 / 全部 3）"
