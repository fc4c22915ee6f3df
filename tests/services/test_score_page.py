"""The score page's words for an item's next tier and its headroom, from the rubric's
advice and the engine's figures (app/services/score_page.py)."""

from app import scoring
from app.domain.scoring import Figures, evaluate
from app.services.score_page import headroom_text, next_text

RUBRIC = scoring.load("shaxian-2026")


def item_of(key: str, **counts):
    return evaluate(RUBRIC, Figures(counts=counts)).item(key)


def test_the_next_tier_in_the_rubrics_words():
    c2 = item_of("C2", C2=1963)
    assert next_text(c2.item, c2.next) == "再发布 37 条岗位可达 10 分，+2 分"
    g1 = item_of("G1", G1=3)
    assert next_text(g1.item, g1.next) == "再协助企业发布 1 条招工信息可达 0.4 分，+0.1 分"
    d1 = evaluate(RUBRIC, Figures(sessions=5)).item("D1")
    assert next_text(d1.item, d1.next) == "再开展 1 场可达 6 分，+1 分"


def test_fewer_is_better_items_say_how_many_more_keep_the_points():
    assert headroom_text(RUBRIC.item("B8"), item_of("B8", B8=2)) == "再有 3 件仍得 4 分"
    assert headroom_text(RUBRIC.item("B8"), item_of("B8", B8=5)) == "再多 1 件就将低于 4 分"
    assert headroom_text(RUBRIC.item("E1"), item_of("E1", E1=15)) == "再多 1 件就将低于 5 分"  # 15 still 5
