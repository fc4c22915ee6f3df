"""Items E1 (dispute cases), B8 (incidents in the hall) and B9 (违规收费) on the score page:
each drill-down lists exactly the records counted; merged duplicates, incidents of other
kinds and voided entries are separate lists labelled 不计入; E1's progress, outcomes and
both parties' satisfaction stand beside it; no personal data in any list.

Year 1 runs from 2026-01-01 (hall time); cases and incidents are placed on both sides of it.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.clock import from_local
from app.domain.disputes import CaseStatus, Party
from app.domain.ratings import read_answer
from app.extensions import db
from app.models import Role
from app.services import assessment, dispute_figures, disputes, metrics, ratings, score_evidence, scoring
from app.services.score_exports import remark
from app.services.score_page import sheet_rows
from tests import factories

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def started(ctx):
    manager = factories.staff_user("boss", Role.MANAGER)
    assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000.00"),
                             bid_price=Decimal("500000.00"), network_fee=Decimal("100000.00"), user=manager)
    return manager


def rate(case, party: Party, level: int):
    answer = read_answer(str(level), "worker", ["attitude"] if level >= 4 else [], "", "")
    return ratings.rate_service(disputes.case_service((case, party)), answer)


@pytest.fixture
def cases(started, frozen_clock):
    """Year 1: four cases counted (one performed after 18 days, one declined after a day, two
    waiting), a duplicate merged; one case either side of the year; both parties' ratings."""
    staff = factories.staff_user()
    frozen_clock.move_to("2025-12-31 23:59")
    factories.dispute(applicant_name="周一", applicant_phone="13800000011")  # before the year
    frozen_clock.move_to("2026-01-01 00:00")
    first = factories.dispute(applicant_name="吴二", applicant_phone="13800000022")
    frozen_clock.move_to("2026-03-02 09:00")
    paid = factories.dispute(applicant_name="郑三", applicant_phone="13800000033", amount="2400")
    frozen_clock.move_to("2026-03-02 10:00")
    again = factories.dispute(channel="counter", applicant_name="郑三", applicant_phone="13800000033")
    disputes.merge(again, paid.number, "同一件事又来窗口申请了一次", staff)
    frozen_clock.move_to("2026-03-03 09:00")
    disputes.accept(paid, staff)
    frozen_clock.move_to("2026-03-05 15:00")
    disputes.record_session(paid, held_at=from_local(datetime(2026, 3, 5, 14, 0)), attendees="郑三、王老板",
                            text="双方同意分两次付清", user=staff)
    frozen_clock.move_to("2026-03-06 10:00")
    disputes.agree(paid, amount="2000", pay_by=date(2026, 3, 20), method="wechat", terms="王老板分两次付清工钱",
                   signatures={party: disputes.Signed(name, factories.signature()) for party, name in
                               ((Party.APPLICANT, "郑三"), (Party.RESPONDENT, "王老板"),
                                (Party.MEDIATOR, "林小燕"))}, user=staff)
    frozen_clock.move_to("2026-03-08 09:00")  # within the slips' days after the agreement
    rate(paid, Party.APPLICANT, 1)
    rate(paid, Party.RESPONDENT, 5)
    frozen_clock.move_to("2026-03-20 09:00")
    disputes.perform(paid, "已全部付清", staff)
    frozen_clock.move_to("2026-04-01 09:00")
    declined = factories.dispute(applicant_name="冯四", applicant_phone="13800000044", kind="other",
                                 facts="想咨询社保怎么交")
    frozen_clock.move_to("2026-04-02 09:00")
    disputes.decline(declined, "不属于劳动纠纷，已告知去社保窗口", staff)
    frozen_clock.move_to("2026-12-31 23:59")
    last = factories.dispute(applicant_name="陈五", applicant_phone="13800000055")
    frozen_clock.move_to("2027-01-01 00:00")
    factories.dispute(applicant_name="褚六", applicant_phone="13800000066")  # year 2
    frozen_clock.move_to("2026-11-28 10:00")
    return {"counted": [first, paid, declined, last], "merged": again}


def row_of(key: str):
    return next(r for r in sheet_rows(scoring.card(1)) if r.data["key"] == key)


def test_e1_lists_exactly_the_cases_it_counts_and_the_merged_one_apart(cases):
    counted = score_evidence.evidence(1, "E1")
    assert counted.source.name == "disputes_received" and counted.value == counted.total == 4
    assert [row[0] for row in counted.rows] == [c.number for c in cases["counted"]]
    period = assessment.period(1)
    assert [c.id for c in db.session.scalars(metrics.measure("disputes_received", period).records)] \
        == [c.id for c in cases["counted"]]
    merged = score_evidence.evidence(1, "E1", "disputes_merged")
    assert merged.source.label == "合并的重复申请（不计入）"
    assert merged.total == 1 and merged.rows[0][0] == cases["merged"].number
    assert merged.rows[0][-1] == cases["counted"][1].number  # 合并到 the original
    assert [s.name for s in counted.sources] == ["disputes_received", "disputes_merged"]
    # no personal data: names masked, no phone digits, nothing the applicant wrote
    text = " ".join(" ".join(row) for row in counted.rows + merged.rows)
    assert "郑三" not in text and "郑*" in text and "0033" not in text and "社保" not in text
    assert [row[5] for row in counted.rows] == ["待受理", "协议已履行", "不予受理", "待受理"]
    assert counted.rows[1][6] == "¥2,400.00"


def test_beside_e1_progress_outcomes_and_both_parties_satisfaction(cases):
    found = dispute_figures.summary(assessment.period(1))
    assert (found.received, found.merged) == (4, 1)
    assert {s: n for s, n in found.outcomes.items() if n} == {
        CaseStatus.RECEIVED: 2, CaseStatus.PERFORMED: 1, CaseStatus.DECLINED: 1}
    assert (found.accepted_count, found.median_days_to_accept) == (1, pytest.approx(1.0))
    assert (found.closed_count, found.median_days_to_close) == (2, pytest.approx((18 + 1) / 2))
    assert (found.rated, found.satisfied) == (2, 1)

    row = row_of("E1")
    assert row.data["points"] == "5" and row.remark.measured == "4 件"
    assert row.remark.figures == ["处理进度：受理用时中位数 1.0 天（已受理 1 件）；办结用时中位数 9.5 天（已办结 2 件）",
                                  "处理结果：待受理 2、不予受理 1、协议已履行 1",
                                  "双方满意度：50.0%（满意 1 / 评价 2）"]
    assert row.remark.related == [("合并的重复申请（不计入） 1 件", "disputes_merged")]
    printed = remark(row)  # the print page's and the XLSX's 备注
    assert printed.startswith("4 件；处理进度：") and "双方满意度：50.0%" in printed and "合并的重复申请" in printed


def test_a_year_without_cases_says_so(started):
    row = row_of("E1")
    assert row.remark.figures == ["处理进度：尚无已受理的案件", "处理结果：本期尚无案件", "双方满意度：尚无评价"]
    assert row.data["points"] == "5"


@pytest.fixture
def incidents(started, frozen_clock):
    """Year 1: two incidents B8 counts, a voided one, a 违规收费 and an 其他; one B8 kind either
    side of the year."""
    def at(moment: str, kind: str, **fields):
        frozen_clock.move_to(moment)
        return factories.incident(kind, occurred_at=from_local(datetime.fromisoformat(moment)), **fields)

    placed = {"before": at("2025-12-31 23:59", "fight"),
              "counted": [at("2026-01-01 00:00", "fight"), at("2026-05-01 10:00", "false_hiring", police_called=True)],
              "voided": at("2026-05-02 10:00", "extortion", voided=True),
              "fee": at("2026-06-01 10:00", "fee", outcome="已责令退还 50 元介绍费"),
              "other": at("2026-06-02 10:00", "other"),
              "after": at("2027-01-01 00:00", "fight")}
    frozen_clock.move_to("2026-11-28 10:00")
    return placed


def test_b8_counts_the_five_kinds_not_voided_and_lists_the_rest_apart(incidents):
    counted = score_evidence.evidence(1, "B8")
    assert counted.value == counted.total == 2
    assert [row[1] for row in counted.rows] == ["打架斗殴", "虚假招聘"]
    assert [row[3] for row in counted.rows] == ["否", "是"]
    others = score_evidence.evidence(1, "B8", "incidents_other")
    assert sorted(row[1] for row in others.rows) == ["其他", "违规收费"]
    voided = score_evidence.evidence(1, "B8", "incidents_voided")
    assert [row[1] for row in voided.rows] == ["敲诈勒索"] and voided.rows[0][-1] == "已作废：重复登记"
    # who was involved is never on the assessor's list, not even masked
    text = " ".join(" ".join(r) for found in (counted, others, voided) for r in found.rows)
    assert "张" not in text and "李" not in text

    row = row_of("B8")
    assert (row.data["points"], row.remark.measured) == ("4", "2 件")
    assert row.remark.related == [("其他类型的事件（不计入B8） 2 件", "incidents_other"),
                                  ("已作废的事件登记（不计入） 1 件", "incidents_voided")]


def test_b9_suggests_from_the_fee_incidents_with_their_list(incidents):
    row = row_of("B9")
    assert row.remark.suggestion == "建议分：0 分（违规收费事件 1）"
    assert row.remark.suggestion_counter == "fee_incidents"
    fees = score_evidence.evidence(1, "B9")
    assert fees.value == fees.total == 1 and fees.rows[0][4] == "已责令退还 50 元介绍费"
    assert [s.name for s in fees.sources] == ["fee_incidents", "incidents_voided"]
    assert "建议分：0 分" in remark(row)


def test_b9_suggests_full_points_when_the_only_fee_incident_is_voided(started, frozen_clock):
    frozen_clock.move_to("2026-06-01 10:00")
    fee = factories.incident("fee", voided=True)
    frozen_clock.move_to("2026-11-28 10:00")
    assert row_of("B9").remark.suggestion == "建议分：3 分（违规收费事件 0）"
    voided = score_evidence.evidence(1, "B9", "incidents_voided")
    assert voided.total == 1 and voided.rows[0][1] == fee.kind.label == "违规收费"
