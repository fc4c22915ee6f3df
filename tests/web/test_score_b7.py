"""Item B7 (satisfaction) on the score page and everything made from it: the row with the
rate, 满意/全部, the refused presses and the slips' share; the drill-down and its CSV without
any phone digit; the JSON, the XLSX, the print page and `flask score show`.

The clock stands at 2026-11-28 10:00 (hall time); year 1 runs from 2026-01-01.
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.models import Role
from app.services import assessment, scoring
from app.services.ratings import StuffingRefused
from app.services.score_exports import FIRST_ITEM_ROW
from tests import factories
from tests.factories import as_user, staff_user, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")
PHONE = "13800004321"


@pytest.fixture
def started(app):
    with app.app_context():
        boss = staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)
        assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000"),
                                 bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=boss)


@pytest.fixture
def rated(app, started, frozen_clock):
    """Nine satisfied of ten (90 %: 5 points), one from a slip, a bad one with a call-back
    phone, and two presses refused at one terminal."""
    with app.app_context():
        frozen_clock.move_to("2026-11-20 09:00")
        for level in (1, 1, 1, 1, 2, 2, 2, 3):
            factories.rating(level=level)
            frozen_clock.tick(minutes=3)
        factories.rating(level=2, slip=factories.worker())
        factories.rating(level=5, reasons=["waited"], phone=PHONE, comment="等了一个小时", address="10.3.3.3")
        for _ in range(2):
            with pytest.raises(StuffingRefused):
                factories.rating(level=1, address="10.3.3.3")
        frozen_clock.move_to("2026-11-28 10:00")




def b7_row(page_html: str) -> str:
    row = re.search(r'<tr id="item-B7".*?</tr>', page_html, flags=re.S).group(0)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row)))


def test_the_b7_row_shows_the_rate_the_refused_presses_and_the_slips_share(app, rated):
    html = as_user(app, "boss").get("/admin/score").get_data(as_text=True)
    row = b7_row(html)
    assert "满意度 90%（满意 9 / 全部 10）" in row
    assert re.search(r'<td class="num score-points">\s*5\s*</td>', re.search(
        r'<tr id="item-B7".*?</tr>', html, flags=re.S).group(0))
    assert "被拒绝的重复评价 2 次" in row and "凭条扫码评价 1 条，占 10.0%" in row
    assert "查看记录" in row and "本期没有满意度评价" not in row
    assert "/admin/score/1/items/B7?counter=ratings_refused" in html
    assert PHONE not in html and PHONE[-4:] not in row


def test_without_ratings_the_b7_row_warns_and_counts_nothing(app, started):
    row = b7_row(as_user(app, "kaohe").get("/admin/score").get_data(as_text=True))
    assert "本期没有满意度评价，记0分。" in row and "尚未记录" not in row
    assert "满意 0 / 全部 0" in row and "被拒绝的重复评价 0 次" in row


def test_the_drill_down_opens_on_every_rating_and_its_csv_has_no_phone(app, rated):
    manager = as_user(app, "boss")
    page = text_of(manager.get("/admin/score/1/items/B7"))
    assert "满意度评价：共 10 条" in page
    assert "满意评价" in page and "被拒绝的重复评价" in page  # the other lists, as tabs
    body = manager.get("/admin/score/1/items/B7.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["时间", "评价", "身份", "渠道", "终端/服务", "窗口", "原因"]
    assert len(rows) - 1 == 10
    # all but the time, and the unnamed terminals' keyed tags (hex)
    cells = " ".join(re.sub(r"（标识 [0-9a-f]{6}）", "", c) for r in rows[1:] for c in r[1:])
    assert not re.search(r"G\d{6}", cells)  # never which worker rated
    assert not re.search(r"\d{3}", cells)  # no phone digits at all, not even the last 4
    assert PHONE[-4:] not in body and "10.3.3.3" not in body and "一个小时" not in body
    satisfied = list(csv.reader(io.StringIO(
        manager.get("/admin/score/1/items/B7.csv?counter=ratings_satisfied").get_data(as_text=True)[1:])))
    assert len(satisfied) - 1 == 9
    refused = text_of(manager.get("/admin/score/1/items/B7?counter=ratings_refused"))
    assert "被拒绝的重复评价：共 2 次（1 条按终端、按日的记录）" in refused
    assert "2026-11-20 未命名终端（标识 " in refused and "10." not in refused  # never its address


def test_json_xlsx_print_and_cli_carry_b7(app, rated):
    manager = as_user(app, "boss")
    data = manager.get("/admin/score.json").get_json()
    assert next(i for i in data["items"] if i["key"] == "B7") == {
        "key": "B7", "value": "90", "points": "5", "max": "5", "source": "automatic"}
    sheet = load_workbook(BytesIO(manager.get("/admin/score/1.xlsx").data)).active
    with app.app_context():
        keys = [i.key for i in scoring.card(1).rubric.items]
    b7 = next(sheet.iter_rows(min_row=FIRST_ITEM_ROW + keys.index("B7"), max_row=FIRST_ITEM_ROW + keys.index("B7"),
                              values_only=True))
    assert b7[4] == 5 and b7[5] == "满意度 90%（满意 9 / 全部 10）；凭条扫码评价 1 条，占 10.0%；被拒绝的重复评价 2 次"
    printed = text_of(manager.get("/admin/score/1/print"))
    assert "满意度 90%（满意 9 / 全部 10）" in printed
    shown = app.test_cli_runner().invoke(args=["score", "show", "--period", "1"])
    assert shown.exit_code == 0, shown.output
    line = next(line for line in shown.stdout.splitlines() if line.startswith("B7"))
    assert "5" in line.split() and "满意度 90%（满意 9 / 全部 10）" in line


def test_the_b7_row_links_to_the_ratings_figures(app, started):
    html = as_user(app, "boss").get("/admin/score").get_data(as_text=True)
    assert '<a href="/admin/ratings?year=1">满意度统计 ›</a>' in html  # the same year's figures
