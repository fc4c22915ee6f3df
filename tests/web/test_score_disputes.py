"""E1, B8 and B9 on the score page as the manager and the assessor see them: the lines beside
E1, the lists 不计入 beside B8, B9's suggestion with its list; the drill-downs without personal
data; the print page and the XLSX with the same lines.

The clock stands at 2026-11-28 10:00 (hall time); year 1 runs from 2026-01-01.
"""

import re
from datetime import date
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.models import Role
from app.services import assessment, disputes, scoring
from app.services.score_exports import FIRST_ITEM_ROW
from tests import factories
from tests.factories import as_user, staff_user, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def year(app, frozen_clock):
    """Two cases and a duplicate merged into the first (accepted a day later); a fight, a
    voided fight and a 违规收费 incident with who was involved."""
    with app.app_context():
        boss = staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)
        staff = staff_user()
        assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000"),
                                 bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=boss)
        frozen_clock.move_to("2026-05-06 09:00")
        first = factories.dispute(applicant_name="郑三", applicant_phone="13800007788")
        again = factories.dispute(channel="counter", applicant_name="郑三", applicant_phone="13800007788")
        disputes.merge(again, first.number, "同一件事重复申请", staff)
        frozen_clock.move_to("2026-05-07 09:00")
        disputes.accept(first, staff)
        factories.dispute(applicant_name="冯四", applicant_phone="13800008899", kind="injury")
        factories.incident("fight", involved_cipher=_cipher("马六 赵七"))
        factories.incident("fight", voided=True)
        factories.incident("fee", outcome="已责令退还介绍费")
        frozen_clock.move_to("2026-11-28 10:00")
        return {"merged": again.number, "original": first.number}


def _cipher(text: str) -> str:
    from app.crypto import vault

    return vault().encrypt(text)


def row_text(html: str, key: str) -> str:
    row = re.search(rf'<tr id="item-{key}".*?</tr>', html, flags=re.S).group(0)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row)))


@pytest.mark.parametrize("username", ["boss", "kaohe"])
def test_the_rows_show_the_lines_beside_e1_b8_and_b9(app, year, username):
    html = as_user(app, username).get("/admin/score").get_data(as_text=True)
    e1 = row_text(html, "E1")
    assert "本期： 2 件" in e1 or "本期：2 件" in e1
    assert "处理进度：受理用时中位数 1.0 天（已受理 1 件）" in e1
    assert "处理结果：待受理 1、已受理 1" in e1 and "双方满意度：尚无评价" in e1
    assert "合并的重复申请（不计入） 1 件" in e1
    assert "/admin/score/1/items/E1?counter=disputes_merged" in html
    b8 = row_text(html, "B8")
    assert "1 件" in b8 and "其他类型的事件（不计入B8） 1 件" in b8 and "已作废的事件登记（不计入） 1 件" in b8
    assert "/admin/score/1/items/B8?counter=incidents_voided" in html
    assert "建议分：0 分（违规收费事件 1）" in row_text(html, "B9")
    assert "/admin/score/1/items/B9?counter=fee_incidents" in html
    assert "7788" not in html and "马六" not in html


def test_the_drill_downs_list_the_counted_then_the_rest_without_personal_data(app, year):
    assessor = as_user(app, "kaohe")
    cases = text_of(assessor.get("/admin/score/1/items/E1"))
    assert "纠纷案件：共 2 件" in cases and year["original"] in cases and year["merged"] not in cases
    assert "郑*" in cases and "郑三" not in cases and "7788" not in cases
    merged = text_of(assessor.get("/admin/score/1/items/E1?counter=disputes_merged"))
    assert "合并的重复申请（不计入）：共 1 件" in merged and year["merged"] in merged
    incidents = text_of(assessor.get("/admin/score/1/items/B8"))
    assert "场内治安事件：共 1 件" in incidents and "打架斗殴" in incidents
    assert "马" not in incidents and "赵" not in incidents  # who was involved: not even masked
    voided = text_of(assessor.get("/admin/score/1/items/B8?counter=incidents_voided"))
    assert "已作废：重复登记" in voided
    fees = text_of(assessor.get("/admin/score/1/items/B9?counter=fee_incidents"))
    assert "违规收费事件：共 1 件" in fees and "已责令退还介绍费" in fees
    csv_body = assessor.get("/admin/score/1/items/E1.csv").get_data(as_text=True)
    assert year["original"] in csv_body and "13800" not in csv_body and "郑三" not in csv_body


def test_the_print_page_and_the_xlsx_carry_the_lines(app, year):
    manager = as_user(app, "boss")
    printed = text_of(manager.get("/admin/score/1/print"))
    assert "2 件；处理进度：受理用时中位数 1.0 天" in printed and "合并的重复申请（不计入） 1 件" in printed
    assert "建议分：0 分（违规收费事件 1）" in printed
    sheet = load_workbook(BytesIO(manager.get("/admin/score/1.xlsx").data)).active
    with app.app_context():
        keys = [i.key for i in scoring.card(1).rubric.items]
    cells = {key: sheet.cell(row=FIRST_ITEM_ROW + n, column=6).value for n, key in enumerate(keys)}
    assert cells["E1"].startswith("2 件；处理进度：") and "处理结果：待受理 1、已受理 1" in cells["E1"]
    assert cells["B8"] == "1 件；其他类型的事件（不计入B8） 1 件；已作废的事件登记（不计入） 1 件"
    assert "建议分：0 分（违规收费事件 1）" in cells["B9"]
