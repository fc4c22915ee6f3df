"""纠纷与事件统计 (app/services/dispute_figures.py): the cases of a period counted by month of
receipt and kind, exact sums, the medians and how many cases each is over, the outcomes with
merged duplicates apart (never in E1), the mediation's satisfaction, and the incidents per
month and kind without the voided ones. Cases and incidents are placed on both sides of the
hall's month boundaries."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.domain.disputes import CaseKind, CaseStatus, IncidentKind, Party
from app.domain.periods import LocalPeriod
from app.domain.ratings import read_answer
from app.services import dispute_figures, disputes, metrics, ratings
from app.services.disputes import Signed
from tests.factories import dispute, incident, rating, signature, staff_user

TZ = ZoneInfo("Asia/Shanghai")
YEAR = LocalPeriod.assessment_year(date(2026, 1, 1), 1, TZ)
OCTOBER, NOVEMBER = LocalPeriod.month(2026, 10, TZ), LocalPeriod.month(2026, 11, TZ)


@pytest.fixture
def mediator(ctx):
    return staff_user()


def at(clock, moment: str):
    clock.move_to(moment)


def signed(who: str) -> Signed:
    return Signed(who, signature())


def agree(case, user, amount="1000.50"):
    disputes.record_session(case, held_at=disputes.utcnow(), attendees="双方", text="双方同意调解", user=user)
    return disputes.agree(case, amount=amount, pay_by=date(2026, 12, 31), method="wechat",
                          terms="一次付清工钱", user=user,
                          signatures={party: signed(name) for party, name in
                                      ((Party.APPLICANT, "李四"), (Party.RESPONDENT, "王老板"),
                                       (Party.MEDIATOR, "小李"))})


@pytest.fixture
def november_cases(ctx, frozen_clock, mediator):
    """Six filings in November 2026 (one merged into another), moved to every kind of end."""
    clock, user, cases = frozen_clock, mediator, {}
    at(clock, "2026-11-02 09:00")
    cases["performed"] = dispute(amount="1200")
    at(clock, "2026-11-02 10:00")
    cases["failed"] = dispute(kind="mismatch", amount="300.10", applicant_phone="13800000011")
    at(clock, "2026-11-03 09:00")
    disputes.accept(cases["performed"], user)  # 1 day
    at(clock, "2026-11-04 09:00")
    cases["declined"] = dispute(kind="injury", amount="0.20", applicant_phone="13800000012")
    cases["withdrawn"] = dispute(kind="no_show", amount="", applicant_role="employer",
                                 applicant_phone="13900000013", other_party_phone="")
    at(clock, "2026-11-05 09:00")
    disputes.accept(cases["failed"], user)  # 3 days
    agree(cases["performed"], user)
    cases["merged"] = dispute(amount="5000", applicant_phone="13800000014")
    disputes.merge(cases["merged"], cases["performed"].number, "同一件事重复申请", user)
    at(clock, "2026-11-06 09:00")
    disputes.decline(cases["declined"], "不属于调解范围", user)  # closed after 2 days
    disputes.accept(cases["withdrawn"], user)  # 2 days
    cases["open"] = dispute(kind="other", amount="99.99", applicant_phone="13800000015",
                            facts="其他情况", wants="其他诉求")
    at(clock, "2026-11-07 09:00")
    disputes.withdraw(cases["withdrawn"], "双方私下和解", user)  # closed after 3 days
    at(clock, "2026-11-10 09:00")
    disputes.fail(cases["failed"], "对方拒绝调解", user)  # closed after 8 days
    at(clock, "2026-11-20 09:00")
    disputes.perform(cases["performed"], "已全部付清", user)  # closed after 18 days
    return cases


def test_the_summary_counts_what_e1_counts_and_shows_merged_apart(november_cases):
    found = dispute_figures.summary(NOVEMBER)
    assert found.received == 5 == metrics.measure("disputes_received", NOVEMBER).value
    assert found.merged == 1 and CaseStatus.MERGED not in found.outcomes
    assert {status: n for status, n in found.outcomes.items() if n} == {
        CaseStatus.PERFORMED: 1, CaseStatus.FAILED: 1, CaseStatus.DECLINED: 1, CaseStatus.WITHDRAWN: 1,
        CaseStatus.RECEIVED: 1}
    assert sum(found.outcomes.values()) == found.received
    assert found.still_open == 1


def test_the_medians_say_how_many_cases_they_are_over(november_cases):
    found = dispute_figures.summary(NOVEMBER)
    # accepted after 24 h, 71 h and 48 h (the declined and the open case were never accepted)
    assert (found.median_days_to_accept, found.accepted_count) == (pytest.approx(2.0), 3)
    assert dispute_figures.days_text(found.median_days_to_accept) == "2.0 天"
    # closed after 18 days, 7 days 23 h, 2 and 3 days: the middle two are 3 and 7 23/24;
    # the merged one (closed when merged) is left out
    assert found.closed_count == 4
    assert found.median_days_to_close == pytest.approx((3 + 7 + 23 / 24) / 2)
    assert dispute_figures.days_text(found.median_days_to_close) == "5.5 天"


def test_a_period_without_cases_has_no_median(ctx):
    found = dispute_figures.summary(OCTOBER)
    assert (found.received, found.accepted_count, found.median_days_to_accept) == (0, 0, None)
    assert dispute_figures.days_text(found.median_days_to_close) == "—"
    assert found.satisfaction.text == "—"


def test_the_sums_are_exact_and_leave_merged_cases_out(november_cases):
    found = dispute_figures.figures(NOVEMBER)
    assert found.claimed == dispute_figures.Money(Decimal("1600.29"), 4)  # 1200 + 300.10 + 0.20 + 99.99
    assert found.agreed == dispute_figures.Money(Decimal("1000.50"), 1)


def test_cases_are_counted_in_the_month_they_were_received(ctx, frozen_clock):
    at(frozen_clock, "2026-10-31 23:59")
    dispute(kind="wages")
    at(frozen_clock, "2026-11-01 00:00")
    dispute(kind="injury", applicant_phone="13800000021")
    at(frozen_clock, "2026-11-30 23:59")
    dispute(kind="injury", applicant_phone="13800000022")
    at(frozen_clock, "2026-12-01 00:01")
    dispute(kind="wages", applicant_phone="13800000023")
    found = dispute_figures.figures(YEAR)
    rows = {row.month.first_day.month: row for row in found.case_months}
    assert len(found.case_months) == 12
    assert rows[10].by_kind == {**dict.fromkeys(CaseKind, 0), CaseKind.WAGES: 1}
    assert rows[11].by_kind == {**dict.fromkeys(CaseKind, 0), CaseKind.INJURY: 2}
    assert rows[12].total == 1 and rows[9].total == 0
    assert found.case_kinds[CaseKind.WAGES] == 2 and found.case_kinds[CaseKind.INJURY] == 2
    assert dispute_figures.summary(OCTOBER).received == 1
    assert sum(row.total for row in found.case_months) == metrics.measure("disputes_received", YEAR).value == 4


def test_merged_cases_are_out_of_the_months_and_kinds(november_cases):
    found = dispute_figures.figures(YEAR)
    november = next(row for row in found.case_months if row.month.first_day == date(2026, 11, 1))
    assert november.total == 5 and november.by_kind[CaseKind.WAGES] == 1  # not 2: one was merged
    assert found.summary.merged == 1 and sum(found.summary.outcomes.values()) == 5


def test_satisfaction_counts_the_parties_ratings_of_the_mediation(november_cases, frozen_clock):
    performed = november_cases["performed"]
    at(frozen_clock, "2026-11-08 12:00")  # within a week of the agreement and of the refusal
    ratings.rate_service(disputes.case_service((performed, Party.APPLICANT)), read_answer("1", "worker"))
    ratings.rate_service(disputes.case_service((performed, Party.RESPONDENT)), read_answer("4", "employer"))
    ratings.rate_service(disputes.case_service((november_cases["declined"], Party.APPLICANT)),
                         read_answer("3", "worker"))
    rating(level=1)  # the exit terminal: not a rating of a mediation
    found = dispute_figures.summary(NOVEMBER)
    assert (found.satisfied, found.rated) == (2, 3)
    assert found.satisfaction.text == "66.7%"
    assert dispute_figures.summary(OCTOBER).rated == 0


def test_incidents_per_month_and_kind_leave_voided_ones_out(ctx, frozen_clock):
    def happened(moment: str, **fields):
        return incident(occurred_at=frozen_clock.stored(moment), **fields)

    happened("2026-10-31 23:50", kind="fight")
    happened("2026-11-01 00:10", kind="fight")
    happened("2026-11-15 14:00", kind="fee")
    happened("2026-11-16 14:00", kind="extortion", voided=True)
    happened("2025-12-31 23:59", kind="fight")  # the year before
    found = dispute_figures.figures(YEAR)
    rows = {row.month.first_day.month: row for row in found.incident_months}
    assert rows[10].by_kind[IncidentKind.FIGHT] == 1 and rows[10].total == 1
    assert rows[11].by_kind[IncidentKind.FIGHT] == 1 and rows[11].by_kind[IncidentKind.FEE] == 1
    assert rows[11].by_kind[IncidentKind.EXTORTION] == 0 and rows[11].total == 2
    assert found.incidents == 3 and found.incidents_voided == 1
    assert found.incident_kinds[IncidentKind.FIGHT] == 2
    # the five B8 kinds per month agree with the B8 counter
    hall_kinds = (IncidentKind.FIGHT, IncidentKind.EXTORTION, IncidentKind.FORCED_TRADE,
                  IncidentKind.FALSE_HIRING, IncidentKind.CHILD_LABOUR)
    for month in (OCTOBER, NOVEMBER):
        row = rows[month.first_day.month]
        assert sum(row.by_kind[k] for k in hall_kinds) == metrics.measure("hall_incidents", month).value
    assert rows[11].by_kind[IncidentKind.FEE] == metrics.measure("fee_incidents", NOVEMBER).value
    assert dispute_figures.incident_months(YEAR) == found.incident_months


def test_the_csv_lists_every_case_of_the_period_without_personal_data(november_cases):
    text = "".join(dispute_figures.csv_lines(NOVEMBER))
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("案件编号,收到日期,申请渠道,纠纷类型")
    assert len(lines) == 7  # six cases, the merged one too
    performed, merged = november_cases["performed"], november_cases["merged"]
    assert (f"{performed.number},2026-11-02,电话申请,欠薪,零工,协议已履行,1200.00,1000.50,2026-11-03,1.0,"
            "2026-11-20,18.0,") in lines
    assert any(line.startswith(f"{merged.number},") and line.endswith(f",{performed.number}") for line in lines)
    for personal in ("李四", "王老板", "13800000001", "13900000002", "活干完了"):
        assert personal not in text


def test_a_year_with_service_months_from_mid_month_counts_by_those_months(ctx, frozen_clock):
    year = LocalPeriod.assessment_year(date(2026, 3, 15), 1, TZ)
    at(frozen_clock, "2026-04-14 23:00")
    dispute()
    at(frozen_clock, "2026-04-15 08:00")
    dispute(applicant_phone="13800000031")
    rows = dispute_figures.figures(year).case_months
    assert rows[0].label == "2026年3月15日至4月14日" and rows[0].total == 1
    assert rows[1].total == 1 and rows[0].month.last_day + timedelta(days=1) == rows[1].month.first_day
