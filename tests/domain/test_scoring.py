"""The rubric engine against the district's sheet: every tier at and around its boundaries,
exact bonus arithmetic, the grades, the payment example, and broken rubric files refused."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.rubric import RubricError, parse_rubric
from app.domain.scoring import Contract, Figures, entitlement, evaluate, schedule
from app.scoring import RUBRIC_DIR, load

D = Decimal
RUBRIC = load("shaxian-2026")
TEXT = (RUBRIC_DIR / "shaxian-2026.toml").read_text(encoding="utf-8")


def points(key: str, value: int) -> Decimal:
    return evaluate(RUBRIC, Figures(counts={key: value})).item(key).points


# The sheet's words, turned into (value, points): a boundary belongs to the better tier.
SHEET = {
    "C1": [(0, 0), (999, 0), (1000, 3), (1999, 3), (2000, 4), (2499, 4), (2500, 5), (250_000, 5)],
    "C2": [(0, 0), (999, 0), (1000, 5), (1499, 5), (1500, 8), (1999, 8), (2000, 10)],
    "C3": [(499, 0), (500, 5), (999, 5), (1000, 8), (1499, 8), (1500, 10)],
    "C4": [(0, 5), (1, 4), (5, 4), (6, 3), (10, 3), (11, 0)],
    "B8": [(0, 5), (1, 4), (5, 4), (6, 0), (60, 0)],
    "E1": [(0, 5), (15, 5), (16, 4), (20, 4), (21, 3), (25, 3), (26, 0)],
    "F1": [(0, 0), (1499, 0), (1500, 0), (1999, 0), (2000, 5), (2999, 5), (3000, 8), (3999, 8), (4000, 10)],
    "G3": [(0, 0), (1, 2), (5, 2)],
    "G1": [(0, 0), (1, D("0.1")), (7, D("0.7")), (9, D("0.9")), (10, 1), (11, 1), (300, 1)],
    "G2": [(0, 0), (1, D("0.5")), (3, D("1.5")), (4, 2), (9, 2)],
}


@pytest.mark.parametrize(("key", "value", "expected"),
                         [(key, value, expected) for key, rows in SHEET.items() for value, expected in rows])
def test_count_items_follow_the_sheet(key, value, expected):
    assert points(key, value) == D(expected)


@pytest.mark.parametrize("item", [i for i in RUBRIC.items if i.rule == "tiers"], ids=lambda i: i.key)
def test_every_tier_starts_at_its_threshold(item):
    """Table-driven from the rubric itself: at each tier's first value the tier's points, one
    below it the tier before's."""
    for before, tier in zip(item.tiers, item.tiers[1:], strict=False):
        assert points(item.key, int(tier.min)) == tier.points
        assert points(item.key, int(tier.min) - 1) == before.points


def test_seven_assisted_postings_are_exactly_seven_tenths():
    sheet = evaluate(RUBRIC, Figures(counts={"G1": 7, "G2": 1}))
    assert sheet.item("G1").points == D("0.7")
    assert str(sheet.bonus_total) == "1.2"  # no 1.2000000000000002


def test_bonus_never_exceeds_five_and_the_total_105():
    everything = Figures(counts={"C1": 9999, "C2": 9999, "C3": 9999, "F1": 9999, "G1": 99, "G2": 99, "G3": 9},
                         satisfied=10, rated=10, sessions=12,
                         manual={i.key: i.max for i in RUBRIC.items if i.rule == "manual"})
    sheet = evaluate(RUBRIC, everything)
    assert (sheet.base_total, sheet.bonus_total, sheet.total) == (100, 5, 105)
    assert sheet.grade.name == "优秀"


# B7 at and around every boundary of its tiers (the sheet: 90 % and above 5, 80–89 % 4,
# 70–79 % 3, 60–69 % 2, below 60 % 0): (satisfied, rated, points, the rate shown).
RATES = [
    (599, 1000, 0, "59.9"), (6, 10, 2, "60.0"), (600, 1000, 2, "60.0"), (699, 1000, 2, "69.9"),
    (7, 10, 3, "70.0"), (799, 1000, 3, "79.9"), (8, 10, 4, "80.0"), (899, 1000, 4, "89.9"),
    (900, 1000, 5, "90.0"), (9, 10, 5, "90.0"), (10, 10, 5, "100.0"), (0, 5, 0, "0.0"),
    # just below 90 %: shown rounded to 90.0, still 4 points (compared as an exact fraction)
    (8999, 10000, 4, "90.0"), (89_999_999, 100_000_000, 4, "90.0"),
    # a third: no binary float, no rounding error at the boundary
    (2, 3, 2, "66.7"), (1, 3, 0, "33.3"),
]


@pytest.mark.parametrize(("satisfied", "rated", "expected", "shown"), RATES,
                         ids=[f"{s}of{r}" for s, r, *_ in RATES])
def test_satisfaction_rate_tiers(satisfied, rated, expected, shown):
    score = evaluate(RUBRIC, Figures(satisfied=satisfied, rated=rated)).item("B7")
    assert score.points == expected
    assert str(score.value) == shown
    assert not score.warning


@pytest.mark.parametrize("tier", RUBRIC.item("B7").tiers[1:], ids=lambda t: str(t.min))
def test_every_rate_tier_starts_at_its_threshold(tier):
    """Table-driven from the rubric: exactly at a tier's minimum percent its points, one
    satisfied rating in a million below it the tier before's."""
    before = RUBRIC.item("B7").tiers[RUBRIC.item("B7").tiers.index(tier) - 1]
    at = int(tier.min * 10_000)  # of a million
    assert evaluate(RUBRIC, Figures(satisfied=at, rated=1_000_000)).item("B7").points == tier.points
    assert evaluate(RUBRIC, Figures(satisfied=at - 1, rated=1_000_000)).item("B7").points == before.points


def test_no_ratings_is_zero_with_a_warning():
    score = evaluate(RUBRIC, Figures()).item("B7")
    assert score.points == 0
    assert score.warning == RUBRIC.item("B7").empty_note == "本期没有满意度评价，记0分。"


@pytest.mark.parametrize(("sessions", "months_without", "expected"), [
    (12, 1, 11),  # twelve sessions in eleven months: one month missed costs a point
    (12, 0, 12), (13, 1, 11), (5, 0, 5), (5, 7, 5), (0, 12, 0), (3, 9, 3), (20, 4, 8)])
def test_livestreams_count_missing_sessions_and_months(sessions, months_without, expected):
    score = evaluate(RUBRIC, Figures(sessions=sessions, months_without=months_without)).item("D1")
    assert score.points == expected


@pytest.mark.parametrize(("sessions", "months_without", "gains"), [
    (10, 1, True), (11, 1, False), (11, 0, True), (9, 3, False), (8, 3, True)])
def test_one_more_livestream_is_offered_only_where_it_gains_a_point(sessions, months_without, gains):
    score = evaluate(RUBRIC, Figures(sessions=sessions, months_without=months_without)).item("D1")
    more = evaluate(RUBRIC, Figures(sessions=sessions + 1, months_without=months_without)).item("D1")
    assert (score.next is not None) == gains == (more.points > score.points)


def test_livestreams_total_only_counting_is_a_rubric_option():
    text = TEXT.replace('counting = "monthly"', 'counting = "total"')
    rubric = parse_rubric(text.replace('version = "shaxian-2026"', 'version = "total-only"'), "total-only.toml")
    assert evaluate(rubric, Figures(sessions=12, months_without=1)).item("D1").points == 12


def test_the_f1_gap_is_scored_zero_with_its_note():
    score = evaluate(RUBRIC, Figures(counts={"F1": 1800})).item("F1")
    assert score.points == 0
    assert "评分表未规定" in score.warning and score.tier.gap
    assert score.next.records == 200 and score.next.points == 5


def test_next_tier_says_how_many_more_records_and_points():
    score = evaluate(RUBRIC, Figures(counts={"C2": 1963})).item("C2")
    assert (score.points, score.next.records, score.next.points, score.next.gain) == (8, 37, 10, 2)
    assert evaluate(RUBRIC, Figures(counts={"C2": 2500})).item("C2").next is None


def test_fewer_is_better_items_say_how_many_more_keep_the_points():
    assert evaluate(RUBRIC, Figures(counts={"B8": 3})).item("B8").headroom == 2
    assert evaluate(RUBRIC, Figures(counts={"E1": 15})).item("E1").headroom == 0


def manual_summing_to(total_manual: Decimal) -> dict:
    """Manual points adding up to ``total_manual`` (filled item by item)."""
    result, left = {}, total_manual
    for item in (i for i in RUBRIC.items if i.rule == "manual"):
        result[item.key] = min(item.max, left)
        left -= result[item.key]
    return result


FULL_AUTOMATIC = {"counts": {"C1": 2500, "C2": 2000, "C3": 1500, "F1": 4000}, "satisfied": 1, "rated": 1,
                  "sessions": 12}  # 67 points with B8, C4 and E1 at zero


@pytest.mark.parametrize(("total", "grade", "percent"), [
    ("100", "优秀", 100), ("90", "优秀", 100), ("89.9", "良好", 90), ("80", "良好", 90), ("79.9", "合格", 80),
    ("70", "合格", 80), ("69.9", "较差", 70), ("67", "较差", 70)])
def test_grade_boundaries(total, grade, percent):
    manual = manual_summing_to(D(total) - 67)
    sheet = evaluate(RUBRIC, Figures(**FULL_AUTOMATIC, manual=manual))
    assert sheet.total == D(total)
    assert (sheet.grade.name, sheet.grade.percent) == (grade, percent)


def test_distance_to_the_next_grade_up_and_down():
    sheet = evaluate(RUBRIC, Figures(**FULL_AUTOMATIC, manual=manual_summing_to(D("18.5"))))  # 85.5
    assert sheet.grade.name == "良好"
    assert (sheet.up[0].name, sheet.up[1]) == ("优秀", D("4.5"))
    assert (sheet.down[0].name, sheet.down[1]) == ("合格", D("5.5"))


def test_the_payment_example():
    """Bid 500,000.00, network fee 100,000.00, 良好: entitlement 460,000.00, tranches
    350,000.00, balance 110,000.00."""
    terms = Contract(D("500000.00"), D("500000.00"), D("100000.00"))
    good = next(g for g in RUBRIC.grades if g.name == "良好")
    plan = schedule(RUBRIC, terms, good, date(2026, 1, 31))
    assert entitlement(terms, good) == D("460000.00")
    assert sum(p.amount for p in plan.tranches) == D("350000.00")
    assert plan.balance.amount == D("110000.00")
    assert [p.due for p in plan.tranches] == [date(2026, 2, 28), date(2026, 4, 30), date(2026, 7, 31),
                                              date(2026, 10, 31)]
    assert plan.balance.due == date(2027, 1, 31)


def test_the_rubric_adds_up_to_the_sheet():
    assert sum(i.max for i in RUBRIC.items if not i.bonus) == 100
    assert sum(i.max for i in RUBRIC.items if i.bonus) == 5
    assert sum(i.max for i in RUBRIC.items if i.rule == "manual") == 33
    assert [i.key for i in RUBRIC.items] == ["A1", "A2", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9",
                                            "C1", "C2", "C3", "C4", "D1", "E1", "F1", "G1", "G2", "G3"]


BROKEN = [
    ("max = 8\nrule = \"manual\"", "max = 9\nrule = \"manual\"", "base items add up to 101, not base_total 100"),
    ("{ min = 1000, below = 1500, points = 5 }", "{ min = 1100, below = 1500, points = 5 }",
     "item C2: tiers leave a hole from 1000 to 1100"),
    ("{ min = 1500, below = 2000, points = 8 }", "{ min = 1400, below = 2000, points = 8 }",
     "item C2: tiers overlap"),
    ("  { min = 1500, below = 2000, points = 0, gap = true, note = \"评分表未规定1500-1999人的得分，暂按0分计（评分表空档）。\" },\n",
     "", "item F1: tiers leave a hole from 1500 to 2000"),
    ("gap = true, note = \"评分表未规定1500-1999人的得分，暂按0分计（评分表空档）。\"", "gap = true",
     "item F1: tier 1500–2000（不含） is a gap"),
    ("{ min = 2000, below = 3000, points = 5 }", "{ min = 2000, below = 3000, points = 9 }",
     "item F1: points must rise"),
    ("rule = \"per_record\"\ncounter = \"postings_for_enterprises\"", "rule = \"per_posting\"\n"
     "counter = \"postings_for_enterprises\"", "item G1: rule must be one of"),
    ("counter = \"livestreams\"", "", "item D1: a monthly_sessions item names its counter"),
    ("{ min = 0, below = 1000, points = 0 },\n  { min = 1000, below = 2000, points = 3 }",
     "{ min = 1000, below = 2000, points = 3 }", "item C1: tiers must start at 0"),
    ("{ min = 2500, points = 5 }", "{ min = 2500, below = 9000, points = 5 }", "item C1: the last tier"),
    ("advice = \"再发布 {n} 条岗位\"", "advice = \"再发布一些岗位\"", "item C2: advice must hold {n}"),
    ("version = \"shaxian-2026\"", "version = \"shaxian-2027\"", "must match the file's name"),
    ("base_total = 100", "base_total = 110", "the sheet is 100 points plus 5 bonus points"),
    ("{ min = 2500, points = 5 }", "\"2500 or more: 5\"", "item C1: malformed"),
    ("{ label = \"价格确认\", counter = \"prices_confirmed\" }", "{ label = \"价格确认\" }", "item A1: each checklist entry"),
    ("[[grades]]\nname = \"良好\"\nmin = 80", "[[grades]]\nname = \"良好\"\nmin = 95", "grades must go from best"),
    ("max = 8\nrule = \"manual\"", "max = 8\nrule = \"manual\"\nrule = \"tiers\"", "not valid TOML"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN, ids=[b[2] for b in BROKEN])
def test_a_broken_rubric_is_refused_naming_the_file_and_item(old, new, message):
    assert old in TEXT
    with pytest.raises(RubricError) as refused:
        parse_rubric(TEXT.replace(old, new, 1), "shaxian-2026.toml")
    assert str(refused.value).startswith("shaxian-2026.toml: ")
    assert message in str(refused.value)


def test_an_unknown_version_is_refused():
    with pytest.raises(RubricError, match="no such rubric"):
        load("shaxian-1999")
