"""纠纷与事件统计 as staff, the manager and the assessor read it: the year's figures, merged
duplicates apart, nothing personal on the page or in its CSV."""

import re

import pytest

from app.models import Role
from app.services import disputes
from tests.factories import as_user, dispute, incident, staff_user, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")  # the hall: 2026-11-28 10:00


@pytest.fixture
def year_of_cases(app):
    with app.app_context():
        user = staff_user(username="xiaoli", role=Role.STAFF)
        first = dispute(amount="1200.50", applicant_name="李四")
        disputes.accept(first, user)
        again = dispute(amount="800", applicant_name="李四", applicant_phone="13800000009")
        disputes.merge(again, first.number, "重复申请", user)
        dispute(kind="injury", amount="", applicant_name="赵六", applicant_phone="13800000010")
        incident(kind="fight")
        incident(kind="fee", voided=True)
        staff_user(username="boss", role=Role.MANAGER)
        staff_user(username="bureau", role=Role.ASSESSOR)


@pytest.mark.parametrize("who", ["xiaoli", "boss", "bureau"])
def test_every_role_reads_the_figures_and_nothing_personal(app, year_of_cases, who):
    client = as_user(app, who)
    page = client.get("/staff/dispute-figures")
    assert page.status_code == 200
    words = text_of(page)
    assert "纠纷与事件统计 2026年" in words
    assert "收到纠纷案件（E1） 2 件 另有 1 件重复申请已合并，不计入；尚未办结 2 件" in words
    assert "收到至受理（中位数） 0.0 天 按已受理的 1 件计" in words
    assert "涉及金额合计 1,200.5 元 1 件填写了申请金额" in words  # the merged 800 is not in it
    assert re.search(r"合计（E1） 2 已合并 （重复申请，不计入 E1） 1", words)
    assert "2026年11月 1 1 2" in words  # wages 1, injury 1, total 2
    assert "本年度已作废 1 条" in words
    html = page.get_data(as_text=True)
    for personal in ("李四", "赵六", "王老板", "13800000001", "活干完了"):
        assert personal not in html

    csv = client.get("/staff/dispute-figures.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert 'filename="disputes-2026.csv"' in csv.headers["Content-Disposition"]
    body = csv.get_data(as_text=True)
    assert body.count("\n") == 4 and "已合并" in body and "李四" not in body


def test_a_year_asked_for_that_is_no_number_shows_this_year(app, year_of_cases):
    client = as_user(app, "boss")
    assert "纠纷与事件统计 2026年" in text_of(client.get("/staff/dispute-figures?year=abc"))
    earlier = text_of(client.get("/staff/dispute-figures?year=2025"))
    assert "纠纷与事件统计 2025年" in earlier and "收到纠纷案件（E1） 0 件" in earlier
    assert "收到至受理（中位数） — 按已受理的 0 件计" in earlier
