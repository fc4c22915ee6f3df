"""A period's score from the hall's records: drill-downs equal the values, the assessor's
points, livestream months, projections, settings, and locking that nothing later changes."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain import Conflict, Invalid, InvalidFields
from app.extensions import db
from app.models import AuditEntry, Role, ScoreSnapshot, TaskStatus
from app.services import assessment, disputes, metrics, score_locks, scoring, workers
from tests import factories
from tests.conftest import at_once

START = date(2026, 1, 1)


@pytest.fixture
def people(ctx):
    manager = factories.staff_user("boss", Role.MANAGER)
    assessor = factories.staff_user("kao", Role.ASSESSOR)
    assessment.save_settings(service_start=START, contract_amount=Decimal("500000.00"),
                          bid_price=Decimal("500000.00"), network_fee=Decimal("100000.00"), user=manager)
    return manager, assessor


def published(**fields):
    return factories.task_order(status=TaskStatus.PUBLISHED, **fields)


def item(card, key) -> dict:
    return next(i for i in card.content["items"] if i["key"] == key)


def row(card, key) -> dict:
    return next(r for r in card.content["rows"] if r["key"] == key)


def test_every_counted_item_has_as_many_records_as_its_value(people, frozen_clock):
    frozen_clock.move_to("2026-03-10 10:00")
    for _ in range(3):
        factories.worker()
    for _ in range(2):
        published()
    factories.task_order(status=TaskStatus.REJECTED)  # never counted
    factories.task_order()  # a draft: not published
    factories.livestream()
    factories.livestream(voided=True)
    original, duplicate = factories.dispute(), factories.dispute()
    disputes.merge(duplicate, original.number, "重复申请", people[0])  # not counted
    factories.incident(kind="fight")
    factories.incident(kind="fight", voided=True)  # not counted
    factories.incident(kind="fee")  # B9's, not B8's
    frozen_clock.move_to("2026-11-28 10:00")
    card = scoring.card(1)
    checked = []
    for entry in card.content["items"]:
        measure = card.live.measures.get(entry["key"])
        if measure is None:
            continue
        listed = db.session.scalar(select(func.count()).select_from(measure.records.subquery()))
        rows = list(db.session.scalars(measure.records))
        assert len(rows) == listed
        if entry["key"] != "F1":  # F1's value is the newest entry's figure, not a count
            assert Decimal(entry["value"]) == len(rows), entry
        checked.append(entry["key"])
    assert checked == ["B8", "C1", "C2", "C3", "C4", "D1", "E1", "F1", "G1", "G2", "G3"]
    assert (item(card, "C1")["value"], item(card, "C2")["value"], item(card, "D1")["value"]) == ("3", "2", "1")
    assert (item(card, "B8")["value"], item(card, "E1")["value"]) == ("1", "1")


def test_items_whose_records_are_not_kept_yet_say_so(people, monkeypatch):
    """A counter the rubric names that no release registers yet counts 0 and says so (every
    one is registered today: one is taken away to see it)."""
    monkeypatch.delitem(metrics.REGISTRY, "deals_completed")
    monkeypatch.delitem(metrics.REGISTRY, "deals_accepted")
    card = scoring.card(1)
    assert item(card, "C3")["value"] == "0" and row(card, "C3")["warning"] == scoring.NOT_RECORDED
    assert dict(card.live.checklist["A1"])["接包方接任务订单"] is None  # 未上线
    assert dict(card.live.checklist["A1"])["发包方岗位任务订单"] == 0


def test_items_recorded_but_empty_score_by_their_rules(people):
    card = scoring.card(1)
    # B7's ratings are recorded now: no rating in the year is 0 points with the rubric's note
    assert (item(card, "B7")["value"], item(card, "B7")["points"]) == ("0", "0")
    assert row(card, "B7")["warning"] == "本期没有满意度评价，记0分。"
    assert row(card, "C1")["warning"] == ""
    # Fewer is better: no dispute, incident or false record in the year is full marks
    for key in ("B8", "E1", "C4"):
        assert (item(card, key)["value"], item(card, key)["points"], row(card, key)["warning"]) == ("0", "5", "")
    for key in ("C3", "G1", "G2", "G3"):
        assert (item(card, key)["value"], item(card, key)["points"], row(card, key)["warning"]) == ("0", "0", "")
    assert dict(card.live.checklist["A1"])["接包方接任务订单"] == 0


def test_the_json_contract(people):
    factories.worker()
    data = scoring.card(1).json()
    assert set(data) == {"period", "rubric", "locked", "items", "base_total", "bonus_total", "total", "grade",
                         "payment_percent"}
    assert data["period"] == {"index": 1, "start": "2026-01-01", "end": "2026-12-31"}
    assert data["rubric"] == "shaxian-2026" and data["locked"] is False
    assert [i["key"] for i in data["items"]][:3] == ["A1", "A2", "B1"]
    assert all(set(i) == {"key", "value", "points", "max", "source"} for i in data["items"])
    assert all(isinstance(i[k], str) for i in data["items"] for k in ("value", "points", "max"))
    assert item(scoring.card(1), "B5")["source"] == "assessor"
    # B8 and E1 count nothing, C4 is not recorded yet: full marks, "fewer is better"
    assert (data["base_total"], data["bonus_total"], data["total"]) == ("15", "0", "15")
    assert (data["grade"], data["payment_percent"]) == ("较差", 70)


def test_manual_points_by_the_assessor(people):
    _, assessor = people
    assessment.enter_manual(1, "A1", "6.5", "八项功能已上线两项", assessor)
    assessment.enter_manual(1, "A1", "7", "复核后", assessor)
    card = scoring.card(1)
    assert item(card, "A1")["points"] == "7" and row(card, "A1")["note"] == "复核后"
    trail = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "manual_score")
                               .order_by(AuditEntry.id)).all()
    assert [(e.before, e.after["points"]) for e in trail] == [
        (None, "6.5"), ({"points": "6.5", "note": "八项功能已上线两项"}, "7")]
    assert trail[-1].actor_label == "kao"


@pytest.mark.parametrize(("key", "points", "message"), [
    ("A1", "8.5", "分数应在 0 到 8 之间"), ("A1", "-1", "分数应在 0 到 8 之间"), ("B1", "1.25", "最多保留一位小数"),
    ("B1", "两分", "请填写分数"), ("B1", "NaN", "分数应在"), ("C1", "3", "由系统按记录计分"), ("Z9", "1", "没有这一项")])
def test_manual_points_out_of_range_are_refused_and_nothing_is_written(people, key, points, message):
    _, assessor = people
    with pytest.raises(Invalid, match=message):
        assessment.enter_manual(1, key, points, "", assessor)
    db.session.rollback()
    assert assessment.manual_entries(1) == {}


def test_suggestions_for_full_time_staff(people):
    factories.staff_user("a")
    assert scoring.card(1).live.suggestions["B5"] == 0  # the manager and one staff member
    factories.staff_user("b")
    assert scoring.card(1).live.suggestions["B5"] == 5
    assert scoring.card(1).live.suggestions["B9"] == 3  # no 违规收费 incident logged
    factories.incident(kind="fee", voided=True)
    assert scoring.card(1).live.suggestions["B9"] == 3  # a voided one does not count
    factories.incident(kind="fee")
    assert scoring.card(1).live.suggestions["B9"] == 0


def test_a_month_without_a_livestream_costs_a_point(people, frozen_clock):
    for month in range(1, 13):
        if month != 4:  # April has none, December two
            factories.livestream(held_on=date(2026, month, 15))
    factories.livestream(held_on=date(2026, 12, 20))
    frozen_clock.move_to("2027-01-05 10:00")  # the year is over
    card = scoring.card(1)
    assert (item(card, "D1")["value"], item(card, "D1")["points"]) == ("12", "11")


def test_only_months_already_over_count_as_without(people, frozen_clock):
    factories.livestream(held_on=date(2026, 1, 20))
    frozen_clock.move_to("2026-03-15 10:00")  # February had none; March is not over
    assert scoring.live_figures(1).months_without == 1
    assert item(scoring.card(1), "D1")["points"] == "1"  # 11 sessions short of 12


def test_projection_to_the_periods_end(people, frozen_clock):
    frozen_clock.move_to("2026-02-10 10:00")
    for _ in range(10):
        published()
    frozen_clock.move_to("2026-04-10 10:00")  # day 100 of 365
    card = scoring.card(1)
    assert card.live.projections["C2"] == (37, 0)  # 10 × 365 / 100 = 36.5 → 37
    assert "F1" not in card.live.projections  # a follower count is not carried on in a line


def test_the_money_follows_the_grade(people):
    card = scoring.card(1)
    assert card.schedule.entitlement == Decimal("380000.00")  # 较差: 100,000 + 400,000 × 70 %
    assert card.schedule.balance.amount == Decimal("30000.00")


def test_settings_are_audited_and_checked(people):
    manager, _ = people
    with pytest.raises(InvalidFields, match="网络建设费不能高于中标价"):
        assessment.save_settings(service_start=START, contract_amount=Decimal(1), bid_price=Decimal(1),
                              network_fee=Decimal(2), user=manager)
    db.session.rollback()
    assessment.save_settings(service_start=date(2026, 2, 1), contract_amount=Decimal("480000"),
                          bid_price=Decimal("480000"), network_fee=Decimal("80000"), user=manager)
    trail = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "assessment_settings")
                               .order_by(AuditEntry.id)).all()
    assert trail[0].before is None and trail[0].after["service_start"] == "2026-01-01"
    assert trail[1].before["bid_price"] == "500000" and trail[1].after["bid_price"] == "480000"
    assert assessment.period(1).first_day == date(2026, 2, 1)


def test_no_service_start_no_period(ctx):
    with pytest.raises(Invalid, match="服务起始日期"):
        scoring.card(1)


def test_a_locked_period_never_changes(people, frozen_clock):
    _, assessor = people
    frozen_clock.move_to("2026-06-01 10:00")
    person = factories.worker()
    for _ in range(3):
        published()
    gone = factories.livestream()
    assessment.enter_manual(1, "B1", "2", "制度上墙", assessor)
    before = scoring.card(1).json()
    snapshot = score_locks.lock(1, assessor)
    assert scoring.card(1).json() == dict(before, locked=True)

    frozen_clock.move_to("2026-07-01 10:00")
    factories.worker()
    published()
    factories.livestream()
    gone.voided_at, gone.void_reason = factories.utcnow(), "重复"
    db.session.commit()
    workers.anonymise(person)
    with pytest.raises(Conflict):
        assessment.enter_manual(1, "B1", "0", "", assessor)
    db.session.rollback()
    after = scoring.card(1)
    assert after.json() == dict(before, locked=True)
    assert after.snapshot.sha256 == snapshot.sha256 == score_locks.content_hash(after.snapshot.content)
    assert score_locks.verify_snapshot(after.snapshot)


def test_unlocking_needs_a_reason_and_keeps_the_old_snapshot(people):
    _, assessor = people
    first = score_locks.lock(1, assessor)
    with pytest.raises(Conflict, match="已经锁定"):
        score_locks.lock(1, assessor)
    db.session.rollback()
    with pytest.raises(InvalidFields, match="原因"):
        score_locks.unlock(1, "  ", assessor)
    score_locks.unlock(1, "补录遗漏的直播记录", assessor)
    assert not scoring.card(1).locked
    published()
    second = score_locks.lock(1, assessor)
    assert [s.id for s in score_locks.snapshots(1)] == [second.id, first.id]
    assert first.unlock_reason == "补录遗漏的直播记录" and first.unlocked_by_id == assessor.id
    assert first.sha256 != second.sha256 and score_locks.verify_snapshot(first)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.record_type == "score_snapshot")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["lock", "unlock", "lock"]


def test_a_locked_period_keeps_its_rubric(people):
    manager, assessor = people
    score_locks.lock(1, assessor)
    with pytest.raises(Conflict, match="已锁定"):
        assessment.set_rubric(1, "shaxian-2026", manager)
    db.session.rollback()
    with pytest.raises(Conflict, match="服务起始日期"):
        assessment.save_settings(service_start=date(2026, 3, 1), contract_amount=Decimal(1), bid_price=Decimal(1),
                              network_fee=Decimal(0), user=manager)


def test_two_assessors_locking_at_once_make_one_snapshot(app, people):
    _, assessor = people
    assessor_id = assessor.id

    def lock(_):
        from app.models import StaffUser

        return score_locks.lock(1, db.session.get(StaffUser, assessor_id)).id

    results = at_once(app, 2, lock)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"]
    assert db.session.scalar(select(func.count()).select_from(ScoreSnapshot)) == 1


def test_metrics_counter_names_in_the_rubric_exist_or_are_pending(people):
    """Every counter the rubric names is registered, or listed as pending a later capability:
    a typo in the rubric would otherwise silently read as 尚未记录."""
    pending = set()  # every capability the rubric names is recorded now
    rubric = assessment.rubric_for(1)
    named = {n for i in rubric.items for n in i.counters} | {c["counter"] for i in rubric.items for c in i.checklist}
    assert named - set(metrics.REGISTRY) == pending


def test_a_locked_period_keeps_the_money_it_was_locked_with(people):
    manager, assessor = people
    score_locks.lock(1, assessor)
    assessment.save_settings(service_start=START, contract_amount=Decimal("600000.00"), bid_price=Decimal("600000.00"),
                          network_fee=Decimal("100000.00"), user=manager)
    card = scoring.card(1)
    assert card.schedule.entitlement == Decimal("380000.00")  # 较差 on the money of the lock
    assert scoring.worth_of_total(card, Decimal(95)).change == Decimal("120000.00")
    score_locks.unlock(1, "合同变更", assessor)
    assert scoring.card(1).schedule.entitlement == Decimal("450000.00")


def test_a_year_starting_mid_month_has_twelve_service_months(people, frozen_clock):
    """Service from 15 March: one livestream in each service month (on the 20th) is twelve
    months with a session, not thirteen calendar pieces with one empty."""
    manager, _ = people
    assessment.save_settings(service_start=date(2025, 3, 15), contract_amount=None, bid_price=None,
                          network_fee=None, user=manager)
    for k in range(12):
        month = date(2025 + (2 + k) // 12, (2 + k) % 12 + 1, 20)
        factories.livestream(held_on=month)
    frozen_clock.move_to("2026-03-20 10:00")  # the year ended on 14 March
    found = assessment.period(1)
    assert [(m.first_day, m.last_day) for m in scoring.months(found)][:2] == [
        (date(2025, 3, 15), date(2025, 4, 14)), (date(2025, 4, 15), date(2025, 5, 14))]
    assert len(scoring.months(found)) == 12 and scoring.months(found)[-1].last_day == date(2026, 3, 14)
    card = scoring.card(1)
    assert (item(card, "D1")["value"], item(card, "D1")["points"]) == ("12", "12")
    assert {len(months) for months in scoring.trend(1).values()} == {12}


def test_a_year_that_is_over_offers_no_next_tier(app, people, frozen_clock):
    from app.services import score_page

    frozen_clock.move_to("2027-01-03 10:00")
    with app.test_request_context():
        view = score_page.overview(1)
    assert view.steps == []
    assert all(not row.remark.next for row in view.rows)
    assert "再发布" not in str([row.remark for row in view.rows])


def test_a_locked_year_keeps_saying_what_was_not_recorded_when_it_was_locked(people, monkeypatch):
    from app.services import score_page

    _, assessor = people
    recorded = metrics.REGISTRY["deals_completed"]
    monkeypatch.delitem(metrics.REGISTRY, "deals_completed")  # locked before deals were recorded
    score_locks.lock(1, assessor)
    # a later release records deals: the locked year's C3 still stands on what it had
    monkeypatch.setitem(metrics.REGISTRY, "deals_completed", recorded)
    c3 = next(row for row in score_page.sheet_rows(scoring.card(1)) if row.data["key"] == "C3")
    assert c3.remark.warning.startswith(scoring.NOT_RECORDED) and not c3.remark.counted
    assert not c3.remark.measured  # no figure read from today's counter


def test_each_year_keeps_the_rubric_it_was_first_scored_with(people, monkeypatch):
    """A later SCORE_RUBRIC (a new standard installed) does not re-score years 1 to 3."""
    from dataclasses import replace
    from types import SimpleNamespace

    from app import scoring as rubrics

    original = rubrics.load
    newer = replace(original("shaxian-2026"), version="shaxian-2030")
    monkeypatch.setattr(rubrics, "load", lambda version: newer if version == newer.version else original(version))
    monkeypatch.setattr(assessment, "hall", lambda: SimpleNamespace(rubric=newer))
    assert [assessment.rubric_for(n).version for n in (1, 2, 3)] == ["shaxian-2026"] * 3
    assert assessment.rubric_for(4).version == "shaxian-2030"
