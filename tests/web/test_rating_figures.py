"""满意度统计 (/admin/ratings, /admin/ratings.csv): who may read it, what the page shows, a
wrong period named beside its field, the CSV's lines without personal data.

The clock stands at 2026-11-28 10:00 in the hall (a Saturday)."""

import csv
import io

import pytest

from app.models import Role
from tests import factories
from tests.factories import as_user, staff_user, text_of


@pytest.fixture
def people(app, frozen_clock):
    with app.app_context():
        staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)
        staff_user("xiaoli", Role.STAFF)




@pytest.fixture
def rated(app, people, frozen_clock):
    with app.app_context():
        frozen_clock.move_to("2026-11-27 23:59")
        factories.rating(1, "worker")
        frozen_clock.move_to("2026-11-28 00:00")
        factories.rating(5, "employer", reasons=["attitude"], phone="13912345678", comment="李经理不耐烦")
        frozen_clock.move_to("2026-11-28 10:00")
        factories.rating(2, "other")


def test_the_manager_and_the_assessor_read_it_staff_do_not(app, people):
    for name in ("boss", "kaohe"):
        client = as_user(app, name)
        assert client.get("/admin/ratings").status_code == 200
        assert client.get("/admin/ratings.csv").status_code == 200
        assert 'href="/admin/ratings">满意度</a>' in client.get("/admin/ratings").get_data(as_text=True)
    staff = as_user(app, "xiaoli")
    assert staff.get("/admin/ratings").status_code == 403
    assert staff.get("/admin/ratings.csv").status_code == 403
    assert "满意度</a>" not in staff.get("/staff/workers").get_data(as_text=True)


def test_an_empty_month_says_so(app, people):
    text = text_of(as_user(app, "boss").get("/admin/ratings"))
    assert "满意度统计 2026年11月" in text and "本期没有满意度评价" in text
    assert "本期没有被拒绝的点按" in text


def test_the_page_shows_the_rate_breakdowns_and_refusals(app, rated, frozen_clock):
    with app.app_context():
        frozen_clock.tick(seconds=1)
        factories.rating(1, address="10.1.1.1")
        with pytest.raises(Exception, match="评价过了"):
            factories.rating(1, address="10.1.1.1")
    resp = as_user(app, "kaohe").get("/admin/ratings?month=2026-11")
    html, text = resp.get_data(as_text=True), text_of(resp)
    assert resp.status_code == 200
    assert "满意率 75.0% 满意 3 条 ／ 全部 4 条评价" in text
    assert "计为满意：非常满意、满意、基本满意" in text
    assert "零工 2 2 100.0%" in text and "用工方 1 0 0.0%" in text and "其他 1 1 100.0%" in text
    assert "评价终端被连续点按时拒绝的次数" in text and "2026-11-28 未命名终端（标识 " in text
    assert "合计 1 1" in text
    assert 'role="img"' in html and "<title id=\"ratings-heat-title\">" in html
    assert "周五" in html and "23时" in html
    assert "13912345678" not in html and "5678" not in text and "李经理" not in html and "10.1.1.1" not in html
    assert 'href="/admin/ratings.csv?month=2026-11"' in html


def test_a_wrong_month_is_named_beside_the_field(app, people):
    client = as_user(app, "boss")
    for query, message in (("month=2026-13", "月份应写成 2026-11 这样的年-月"), ("month=2027-01", "不能选择以后的月份"),
                           ("year=1", "还没有设置服务起始日期")):
        resp = client.get(f"/admin/ratings?{query}")
        assert resp.status_code == 422 and message in text_of(resp), query
        assert client.get(f"/admin/ratings.csv?{query}").status_code == 422


def test_the_csv_is_one_line_per_rating_without_personal_data(app, rated):
    resp = as_user(app, "boss").get("/admin/ratings.csv?month=2026-11")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert 'filename="ratings-2026-11.csv"' in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    body = resp.get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(lines) == 1 + 3
    assert [line[0] for line in lines[1:]] == ["2026-11-27 23:59:00", "2026-11-28 00:00:00", "2026-11-28 10:00:00"]
    assert lines[2][8:] == ["态度不好", "是"] and lines[1][9] == "否"
    for secret in ("13912345678", "5678", "李经理", "10.9."):
        assert secret not in body
