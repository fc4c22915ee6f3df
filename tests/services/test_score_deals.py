"""Items C2–C4 and G1–G3 on the score page, counted as RUBRIC.md says, and their drill-downs:
each list holds exactly the records behind the figure, on the page and in the CSV.

Year 1 runs from 2026-01-01 (hall time); records are placed on both sides of its start.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from app.domain.deals import DealStatus, FalseKind, PostingSource
from app.models import EmployerType, Role, TaskStatus, utcnow
from app.services import assessment, deals, score_evidence, scoring, task_orders
from app.services.score_exports import remark
from app.services.score_page import overview, sheet_rows
from tests import factories
from tests.deal_steps import deal_at

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def staff(ctx):
    manager = factories.staff_user("boss", Role.MANAGER)
    assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000.00"),
                             bid_price=Decimal("500000.00"), network_fee=Decimal("100000.00"), user=manager)
    return factories.staff_user()


def item(key: str):
    return scoring.card(1).live.sheet.item(key)


def row_of(key: str):
    return next(r for r in sheet_rows(scoring.card(1)) if r.data["key"] == key)


def listed(key: str, counter: str | None = None) -> list[str]:
    """The first column of the item's drill-down, every page."""
    found = score_evidence.evidence(1, key, counter)
    assert found.pages == 1
    return [row[0] for row in found.rows]


def csv_first_column(key: str, counter: str | None = None) -> list[str]:
    found = score_evidence.evidence(1, key, counter, everything=True)
    rows = list(csv.reader(io.StringIO("".join(score_evidence.csv_lines(found)).lstrip("\ufeff"))))
    return [row[0] for row in rows[1:]]


def enterprise(**fields):
    return factories.employer(employer_type=EmployerType.ENTERPRISE, employer_name="沙县小吃集团有限公司",
                              **fields)


# -- C2 ------------------------------------------------------------------------------------------

def test_c2_counts_each_published_posting_once_closed_ones_too(staff, frozen_clock):
    frozen_clock.move_to("2025-12-31 23:59")
    factories.posting()  # the year before
    frozen_clock.move_to("2026-01-01 00:00")
    big = factories.posting(headcount=20)  # twenty places: one posting
    frozen_clock.move_to("2026-05-01 09:00")
    closed = factories.posting()
    task_orders.close(closed, "用工方已招满", staff)
    voided = factories.posting()
    task_orders.void(voided, "重复登记", staff)
    false = factories.posting()
    task_orders.mark_false(FalseKind.POSTING, false, "冒用公司名义", "电话核实记录", staff)
    factories.task_order(status=TaskStatus.REJECTED, reviewed_at=utcnow())
    factories.task_order()  # a draft
    frozen_clock.move_to("2026-11-28 10:00")
    plain = factories.posting()
    counted = [big.number, closed.number, plain.number]

    c2 = item("C2")
    assert (c2.value, c2.points) == (3, 0)
    assert listed("C2") == counted == csv_first_column("C2")
    # 1,000 postings for 5 points: the advice names the records still missing
    assert row_of("C2").remark.next.startswith("再发布 997 条岗位可达 5 分")


# -- C3 ------------------------------------------------------------------------------------------

def test_c3_counts_deals_by_their_completion_never_a_cancelled_one(staff, frozen_clock):
    frozen_clock.move_to("2025-12-31 23:00")
    straddling = deal_at(DealStatus.SETTLED, staff)  # accepted last year, completed in this one
    before = deal_at(DealStatus.COMPLETED, staff)
    frozen_clock.move_to("2026-01-01 00:00")
    straddling = deals.complete(straddling, staff)
    frozen_clock.move_to("2026-06-01 10:00")
    done = deal_at(DealStatus.COMPLETED, staff)
    for state in (DealStatus.ACCEPTED, DealStatus.SETTLED):  # cancelled from each: never counted
        deals.cancel(deal_at(state, staff), "用工方临时取消", staff)
    deal_at(DealStatus.SETTLED, staff)  # not completed yet
    frozen_clock.move_to("2026-11-28 10:00")

    c3 = item("C3")
    assert (c3.value, c3.points) == (2, 0)
    assert listed("C3") == [straddling.number, done.number] == csv_first_column("C3")
    assert before.number not in listed("C3")
    found = score_evidence.evidence(1, "C3")
    assert found.columns[-1].title == "完成时间" and found.rows[0][-1] == "2026-01-01 00:00"
    assert row_of("C3").remark.next.startswith("再完成 498 笔交易可达 5 分")


def test_a_deals_list_masks_the_worker(staff):
    deal = deal_at(DealStatus.COMPLETED, staff, person=factories.worker(name="欧阳娜娜"))
    text = " ".join(" ".join(row) for row in score_evidence.evidence(1, "C3").rows)
    assert "欧阳**" in text and "欧阳娜娜" not in text and deal.task_order.number in text
    assert "200 元/天" in text


# -- C4 and the warnings beside it ---------------------------------------------------------------

def test_c4_tiers_by_records_confirmed_false(staff, frozen_clock):
    assert (item("C4").value, item("C4").points) == (0, 5)
    people = [factories.worker() for _ in range(11)]
    frozen_clock.move_to("2026-03-01 09:00")
    expected = {1: 4, 5: 4, 6: 3, 10: 3, 11: 0}
    for n, person in enumerate(people, start=1):
        task_orders.mark_false(FalseKind.WORKER, person, "冒用他人身份证登记", "本人到场核实", staff)
        if n in expected:
            assert (item("C4").value, item("C4").points) == (n, expected[n])
        if n == 3:
            assert row_of("C4").remark.headroom == "再有 2 条仍得 4 分"
    assert listed("C4") == ["零工信息"] * 11 and len(csv_first_column("C4")) == 11


def test_a_false_records_list_masks_the_names_in_its_reason(staff):
    person = factories.worker(name="欧阳娜娜")
    task_orders.mark_false(FalseKind.WORKER, person, "欧阳娜娜冒用他人身份证登记",
                           "身份证号 350405198001011234 与本人不符", staff)
    row = score_evidence.evidence(1, "C4").rows[0]
    assert row[1] == f"{person.number} 欧阳**"
    assert row[2] == "欧阳**冒用他人身份证登记" and "350405198001011234" not in row[3]
    assert row[4] == "xiaoli"  # who confirmed it, by user name


def test_late_and_expired_postings_are_warnings_beside_c4_not_counted(staff, frozen_clock):
    frozen_clock.move_to("2026-06-01 08:00")
    late, in_time = factories.task_order(), factories.task_order()
    frozen_clock.move_to("2026-06-02 08:01")  # 24 hours and a minute after receipt
    task_orders.publish_posting(late, staff)
    frozen_clock.move_to("2026-06-02 07:59")
    task_orders.publish_posting(in_time, staff)
    for task in (late, in_time):  # taken off the board when the work was done
        task_orders.close(task, "用工方已招满", staff)
    frozen_clock.move_to("2026-11-20 09:00")
    expired = factories.posting(work_date=date(2026, 11, 22))  # valid to the 22nd, places left
    filled = factories.posting(work_date=date(2026, 11, 22), headcount=1)
    deal_at(DealStatus.ACCEPTED, staff, task=filled)
    closed = factories.posting(work_date=date(2026, 11, 22))
    task_orders.close(closed, "用工方已招满", staff)
    factories.posting(work_date=date(2026, 11, 30))  # still valid
    frozen_clock.move_to("2026-11-28 10:00")

    assert (item("C4").value, item("C4").points) == (0, 5)  # warnings never cost points
    assert listed("C4", "postings_late") == [late.number] == csv_first_column("C4", "postings_late")
    assert listed("C4", "postings_expired") == [expired.number]
    remarked = row_of("C4").remark
    assert remarked.warnings == [("拖延发布 1 条（超过 24 小时才发布）", "postings_late"),
                                 ("到期仍未招满、未下架 1 条", "postings_expired")]
    assert "提示：拖延发布 1 条（超过 24 小时才发布）；提示：到期仍未招满、未下架 1 条" in remark(row_of("C4"))
    hours = score_evidence.evidence(1, "C4", "postings_late").rows[0][7]
    assert hours == "24.0"


# -- G1, G2, G3 ----------------------------------------------------------------------------------

def test_g1_is_a_tenth_of_a_point_per_posting_for_an_enterprise_up_to_one(staff):
    company = enterprise()
    for _ in range(3):
        factories.posting(employer=company, source=PostingSource.ENTERPRISE.value)
    factories.posting(employer=company)  # the enterprise came to the hall itself
    factories.posting(source=PostingSource.ENTERPRISE.value)  # a household: not an enterprise
    assert (item("G1").value, item("G1").points) == (3, Decimal("0.3"))
    for _ in range(8):
        factories.posting(employer=company, source=PostingSource.ENTERPRISE.value)
    assert (item("G1").value, item("G1").points) == (11, 1)
    assert len(listed("G1")) == 11 == len(csv_first_column("G1"))
    assert {row[3] for row in score_evidence.evidence(1, "G1").rows} == {"代企业发布"}


def test_g2_counts_an_enterprises_short_term_posting_once_however_many_deals(staff):
    company = enterprise()
    solved = factories.posting(employer=company, duration_days=5)
    deal_at(DealStatus.COMPLETED, staff, task=solved)
    deal_at(DealStatus.COMPLETED, staff, task=solved)
    long_term = factories.posting(employer=company, duration_days=120)
    deal_at(DealStatus.COMPLETED, staff, task=long_term)
    deal_at(DealStatus.COMPLETED, staff)  # a household's
    deal_at(DealStatus.SETTLED, staff, task=factories.posting(employer=company))  # not completed
    assert (item("G2").value, item("G2").points) == (1, Decimal("0.5"))
    assert listed("G2") == [solved.number]
    for _ in range(4):
        deal_at(DealStatus.COMPLETED, staff, task=factories.posting(employer=company))
    assert (item("G2").value, item("G2").points) == (5, 2)  # 0.5 each, at most 2
    assert len(csv_first_column("G2")) == 5


def test_g3_counts_confirmed_services_and_lists_the_suggestions_apart(staff, frozen_clock):
    def from_hubei():
        return factories.worker(id_number=factories.make_id("19850505", prefix="420105",
                                                            seq=f"{next(serial):03d}"))

    serial = iter(range(500, 600))
    confirmed = deal_at(DealStatus.PRICED, staff, person=from_hubei())
    waiting = deal_at(DealStatus.ACCEPTED, staff, person=from_hubei())
    outside = deal_at(DealStatus.ACCEPTED, staff, location="江西省南昌市红谷滩区", outside_fujian=True)
    dismissed = deal_at(DealStatus.ACCEPTED, staff, person=from_hubei())
    deals.cancel(deal_at(DealStatus.ACCEPTED, staff, person=from_hubei()), "零工临时有事", staff)
    local = deal_at(DealStatus.ACCEPTED, staff)
    assert not local.interprovincial_suggested
    assert (item("G3").value, item("G3").points) == (0, 0)
    assert row_of("G3").remark.next.startswith("开展 1 次省际用工服务可达 2 分")
    deals.decide_inter_provincial(dismissed, False, staff)
    frozen_clock.tick(60)
    deals.decide_inter_provincial(confirmed, True, staff)

    assert (item("G3").value, item("G3").points) == (1, 2)
    assert listed("G3") == [confirmed.number] == csv_first_column("G3")
    suggested = score_evidence.evidence(1, "G3", "inter_provincial_suggested")
    assert [row[0] for row in suggested.rows] == [waiting.number, outside.number]
    assert [row[-1] for row in suggested.rows] == ["零工身份证号所属省份非福建", "工作地点在省外"]
    assert row_of("G3").remark.warnings == [("待确认的省际用工建议 2 笔（工作人员在交易页确认后计入）",
                                             "inter_provincial_suggested")]


# -- A1's checklist --------------------------------------------------------------------------------

def test_a1_checklist_tells_each_function_in_its_own_words(staff):
    deal_at(DealStatus.COMPLETED, staff)
    deal_at(DealStatus.SIGNED, staff)
    checklist = {label: text for label, text, _counter in row_of("A1").remark.checklist}
    assert checklist["接包方接任务订单"] == "接单 2 笔"
    assert checklist["价格确认"] == "价格确认 2 笔"
    assert checklist["双方签订电子合同（含保险）"] == "电子协议已签 2 份"
    assert checklist["雇主支付款项"] == "雇主付款 1 笔" and checklist["工资结算"] == "工资结算 1 笔"
    assert checklist["任务未完成协商及投诉"] == "纠纷案件 0 件"
    assert "双方签订电子合同（含保险）：电子协议已签 2 份" in remark(row_of("A1"))


def test_drill_down_totals_match_every_deal_counter(staff):
    deal_at(DealStatus.COMPLETED, staff)
    deal_at(DealStatus.PAID, staff)
    deals.cancel(deal_at(DealStatus.PRICED, staff), "用工方临时取消", staff)
    for counter, expected in (("deals_accepted", 3), ("prices_confirmed", 3), ("agreements_signed", 2),
                              ("employer_payments", 2), ("wages_settled", 1)):
        found = score_evidence.evidence(1, "A1", counter)
        assert found.value == found.total == expected == len(csv_first_column("A1", counter))


def test_the_trend_charts_and_next_steps_include_the_deals_items(app, staff, frozen_clock):
    frozen_clock.move_to("2026-03-10 09:00")
    deal_at(DealStatus.COMPLETED, staff)
    frozen_clock.move_to("2026-11-28 10:00")
    trend = scoring.trend(1)
    assert {"C2", "C3", "C4", "G1", "G2", "G3"} <= set(trend)
    assert dict(trend["C3"])[date(2026, 3, 1)] == 1 and dict(trend["C3"])[date(2026, 4, 1)] == 0
    with app.test_request_context():
        steps = {s.key: s.text for s in overview(1).steps}
    assert steps["C3"].startswith("再完成 499 笔交易可达 5 分")
