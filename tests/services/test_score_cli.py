"""`flask score show` and `flask score evaluate`: the command-line contract (README, operator
guide): one JSON object on standard output, Chinese messages on standard error, exit status
0 or 2."""

import json
from datetime import date
from decimal import Decimal

import pytest

from app.models import Role, TaskStatus
from app.services import assessment, scoring
from tests.factories import staff_user, task_order, worker

MANAGER = "laowang"
JSON_KEYS = {"period", "rubric", "locked", "items", "base_total", "bonus_total", "total", "grade",
             "payment_percent"}


@pytest.fixture
def hall_year(ctx, frozen_clock):
    """Year 1 from 2026-01-01 with two workers and a published posting."""
    manager = staff_user(MANAGER, Role.MANAGER)
    assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000"),
                          bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=manager)
    worker()
    worker()
    task_order(status=TaskStatus.PUBLISHED)
    return manager


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["score", *args], input=input)


def test_show_json_prints_the_cards_object_and_nothing_else(app, hall_year):
    result = run(app, "show", "--period", "1", "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)  # exactly one JSON object: nothing before or after it
    assert printed == scoring.card(1).json()
    assert set(printed) == JSON_KEYS
    assert printed["period"] == {"index": 1, "start": "2026-01-01", "end": "2026-12-31"}
    c1 = next(item for item in printed["items"] if item["key"] == "C1")
    assert c1 == {"key": "C1", "value": "2", "points": "0", "max": "5", "source": "automatic"}
    assert printed["locked"] is False and isinstance(printed["payment_percent"], int)


def test_show_prints_a_readable_table(app, hall_year):
    result = run(app, "show", "--period", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "沙县区零工市场运营绩效考核评分表"
    assert "第1年（2026-01-01 至 2026-12-31）" in lines[1]
    c2 = next(line for line in lines if line.startswith("C2"))
    assert "岗位信息发布" in c2 and "1 条" in c2
    card = scoring.card(1).content
    assert f"合计：{card['total']}" in result.stdout and f"等次：{card['grade']}" in result.stdout


def test_show_refuses_a_year_the_page_does_not_offer(app, hall_year):
    result = run(app, "show", "--period", "50", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "没有第50年的考核" in result.stderr


def test_show_without_a_service_start_says_so_with_status_2(app, ctx):
    result = run(app, "show", "--period", "1", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "请经理先在考核设置中填写服务起始日期" in result.stderr


def test_evaluate_scores_the_files_figures_by_the_rubric(app, ctx, tmp_path):
    figures = {"counts": {"C1": 2400, "C2": 2000, "B8": 1, "G1": 7},
               "satisfaction": {"satisfied": 90, "total": 100},
               "livestreams": {"sessions": 11, "months_without": 1},
               "manual": {"A1": 8, "B5": 2.5}}
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(figures), encoding="utf-8")
    result = run(app, "evaluate", str(path))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert set(printed) == JSON_KEYS - {"period"} and printed["locked"] is False
    points = {item["key"]: item["points"] for item in printed["items"]}
    assert points["C1"] == "4" and points["C2"] == "10" and points["B8"] == "4" and points["B7"] == "5"
    assert points["D1"] == "11" and points["A1"] == "8" and points["B5"] == "2.5"
    assert points["G1"] == "0.7"  # seven postings, exactly
    assert points["C4"] == "5" and points["E1"] == "5"  # none is the best for fewer-is-better
    # 8 + 2.5 + 5 (B7) + 4 (B8) + 4 + 10 + 5 (C4) + 11 + 5 (E1) = 54.5 base, 0.7 bonus
    assert (printed["base_total"], printed["bonus_total"], printed["total"]) == ("54.5", "0.7", "55.2")
    assert printed["grade"] == "较差" and printed["payment_percent"] == 70


def test_evaluate_reads_standard_input_and_counts_what_is_missing_as_zero(app, ctx):
    result = run(app, "evaluate", "-", input="{}")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["total"] == "15"  # B8, C4, E1: no incidents, no false records, no disputes


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "不是有效的 JSON"),
    ("[1, 2]", "应为一个 JSON 对象"),
    ('{"counts": {"C1": -3}}', "counts.C1：应为不小于 0 的整数"),
    ('{"counts": {"C1": 2.5}}', "counts.C1：应为不小于 0 的整数"),
    ('{"counts": {"C1": "2400"}}', "counts.C1：应为不小于 0 的整数"),
    ('{"counts": {"D1": 3}}', "counts：不认识的键 D1"),
    ('{"satisfaction": {"satisfied": 11, "total": 10}}', "不能大于评价总数"),
    ('{"livestreams": {"sessions": 1, "hours": 3}}', "livestreams：不认识的键 hours"),
    ('{"manual": {"A1": 9}}', "manual.A1：分数应在 0 到 8 之间"),
    ('{"manual": {"A1": 2.55}}', "manual.A1：分数最多保留一位小数"),
    ('{"manual": {"C1": 5}}', "manual.C1：这一项由系统按记录计分"),
    ('{"manual": {"Z9": 1}}', "manual：不认识的键 Z9"),
    ('{"figures": {}}', "文件：不认识的键 figures"),
])
def test_evaluate_refuses_an_invalid_file_with_status_2(app, ctx, tmp_path, text, message):
    path = tmp_path / "figures.json"
    path.write_text(text, encoding="utf-8")
    result = run(app, "evaluate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_evaluate_refuses_an_unknown_rubric(app, ctx):
    result = run(app, "evaluate", "--rubric", "nowhere-2099", "-", input="{}")
    assert result.exit_code == 2 and "没有评分细则 nowhere-2099" in result.stderr
