"""/admin/score/<n>.xlsx: the official 评分表 filled in with the period's figures, for the
manager and the assessor."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import FollowerCount, Livestream, LivestreamKind, Role, TaskStatus
from app.services import assessment, score_locks, scoring
from app.services.score_exports import FIRST_ITEM_ROW, HEADERS
from tests.factories import login, staff_user, task_order, worker

PASSWORD = "correct-horse-1"


@pytest.fixture
def year(ctx, frozen_clock):
    """Year 1 from 2026-01-01: a few records of each kind, and two manual points entered."""
    manager = staff_user("laowang", Role.MANAGER)
    assessor = staff_user("kaohe", Role.ASSESSOR)
    staff_user("xiaoli", Role.STAFF)
    assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000"),
                          bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=manager)
    for _ in range(3):
        worker()
    task_order(status=TaskStatus.PUBLISHED)
    db.session.add_all([Livestream(held_on=date(2026, 3, 5), platform="抖音", kind=LivestreamKind.RECRUITING,
                                   minutes=60, viewers=800, created_by_id=manager.id),
                        FollowerCount(counted_on=date(2026, 10, 31), followers=2100, created_by_id=manager.id)])
    db.session.commit()
    assessment.enter_manual(1, "A1", "6.5", "订单、统计功能在用", assessor)
    assessment.enter_manual(1, "B1", "2", "", assessor)
    return manager, assessor


def download(client, username, period=1):
    assert login(client, username=username, password=PASSWORD).status_code == 303
    return client.get(f"/admin/score/{period}.xlsx")


def opened(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    return load_workbook(BytesIO(resp.data)).active


def item_rows(sheet, count):
    return list(sheet.iter_rows(min_row=FIRST_ITEM_ROW, max_row=FIRST_ITEM_ROW + count - 1, values_only=True))


def test_the_file_holds_the_figures_of_the_score_page(client, year):
    expected = scoring.card(1).json()
    sheet = opened(download(client, "laowang"))
    assert sheet["A1"].value == "沙县区零工市场运营绩效考核评分表"
    assert [c.value for c in sheet[3]] == list(HEADERS)
    rows = item_rows(sheet, len(expected["items"]))
    for item, row in zip(expected["items"], rows, strict=True):
        assert Decimal(str(row[4])) == Decimal(item["points"]), item["key"]
        assert Decimal(str(row[3])) == Decimal(item["max"]), item["key"]
    by_project = {row[2][:6]: row for row in rows}
    assert by_project["个人信息收集"][5] == "3 人"  # C1's measured value and unit in 备注
    a1 = by_project["信息系统主要"][5]  # A1: the assessor's note, then each function's evidence
    assert a1.startswith("订单、统计功能在用；发包方岗位任务订单：登记招工信息 1 条；")
    assert "双方签订电子合同（含保险）：电子协议已签 0 份" in a1
    assert by_project["系统功能维护"][5] == "待考核人员评分"  # A2: not scored yet
    assert by_project["交易笔数的完"][5].startswith("0 笔")  # C3: no deal completed yet
    text = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    total_row = FIRST_ITEM_ROW + len(expected["items"])
    assert sheet.cell(total_row, 1).value == "合计" and sheet.cell(total_row, 4).value == "100+5"
    assert Decimal(str(sheet.cell(total_row, 5).value)) == Decimal(expected["total"])
    assert any(t.startswith(expected["grade"]) for t in text)
    assert f"{expected['payment_percent']}%（中标价扣除网络建设费部分）" in text
    assert any("shaxian-2026" in t for t in text) and "第1年（2026-01-01 至 2026-12-31）" in text
    assert any(t.startswith("运营方") for t in text) and any(t.startswith("考核人员") for t in text)


def test_the_sheet_prints_on_a4_with_its_groups_merged(client, year):
    sheet = opened(download(client, "laowang"))
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1  # 9: A4
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A4:A14" in merged  # 运营服务: A1–B9, eleven items
    assert "B4:B5" in merged and "B6:B14" in merged  # 信息网络建设, 场地运营管理
    assert sheet["C4"].alignment.wrap_text and sheet["C4"].border.left.style == "thin"


def test_a_locked_period_carries_its_snapshot_hash(client, year):
    manager, assessor = year
    snapshot = score_locks.lock(1, assessor)
    sheet = opened(download(client, "kaohe"))
    text = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert snapshot.sha256 in text and any(t.startswith("已锁定") for t in sheet["A2"].value.split("状态：")[1:])


def test_staff_may_not_download_it(client, year):
    assert download(client, "xiaoli").status_code == 403


def test_without_a_service_start_the_page_says_what_to_do(client, ctx):
    staff_user("laowang", Role.MANAGER)
    resp = download(client, "laowang")
    assert resp.status_code == 422
    assert "请经理先在考核设置中填写服务起始日期" in resp.get_data(as_text=True)


def test_a_note_that_looks_like_a_formula_stays_text(client, year):
    _, assessor = year
    note = '=HYPERLINK("http://evil.example","点我")'
    assessment.enter_manual(1, "B1", "2", note, assessor)
    sheet = opened(download(client, "laowang"))
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and "evil" in cell.value]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_year_the_page_does_not_offer_is_not_found(client, year):
    assert download(client, "laowang", period=50).status_code == 404
