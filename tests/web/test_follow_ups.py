"""差评回访 and 工作日历 on the staff screens: who may read and act, CSRF on every POST, bad
input answered beside the field with nothing stored, the comment escaped, the phone masked
(and shown in full once, audited, never cached), and the alert bar's line."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.ratings import FollowUpStatus
from app.domain.workdays import DayKind
from app.extensions import db
from app.models import AuditEntry, CalendarDay, FollowUpEntry, RatingFollowUp, Role
from app.services import workdays
from tests.conftest import csrf_from
from tests.factories import login, rating, staff_user
from tests.web.test_staff_guards import Page

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall

PHONE = "13812345678"
HX = {"HX-Request": "true"}


@pytest.fixture
def follow_up_id(app):
    with app.app_context():
        return rating(level=5, reasons=("attitude", "waited"), phone=PHONE, comment="窗口人员不理人").follow_up.id


def signed_in(app, role=Role.STAFF):
    client = app.test_client()
    with app.app_context():
        staff_user(username=role.value, role=role)
    assert login(client, username=role.value).status_code == 303
    return client


def post(client, url, data, page_url=None):
    token = csrf_from(client.get(page_url or url.rsplit("/", 1)[0]).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def steps_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FollowUpEntry))


def text_of(resp) -> str:
    return resp.get_data(as_text=True)


# -- who may do what ----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/staff/follow-ups", "/staff/follow-ups/1", "/staff/calendar"])
def test_signed_out_is_sent_to_sign_in(client, url):
    resp = client.get(url)
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


def test_the_assessor_reads_but_cannot_act(app, follow_up_id):
    assessor = signed_in(app, Role.ASSESSOR)
    listing = text_of(assessor.get("/staff/follow-ups"))
    assert "窗口人员不理人" in listing and "尾号5678" in listing and PHONE not in listing
    detail = assessor.get(f"/staff/follow-ups/{follow_up_id}")
    html = text_of(detail)
    assert detail.status_code == 200 and "尾号5678" in html
    assert "显示完整号码" not in html and 'id="follow-up-form"' not in html and "不能记录处理情况" in html
    assert PHONE[:7] not in html
    calendar = text_of(assessor.get("/staff/calendar"))
    assert "工作日历 2026年" in calendar and 'id="calendar-form"' not in calendar
    token = csrf_from(text_of(assessor.get("/staff/login")))
    for url, data in [(f"/staff/follow-ups/{follow_up_id}/steps", {"step": "progress", "note": "看看"}),
                      (f"/staff/follow-ups/{follow_up_id}/phone", {}),
                      ("/staff/calendar/days", {"day": "2026-12-31", "kind": "holiday", "name": "x"})]:
        assert assessor.post(url, data={**data, "csrf_token": token}).status_code == 403
    assert steps_stored(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "reveal_phone")) == 0


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_staff_and_the_manager_record_a_closing_step(app, follow_up_id, role):
    client = signed_in(app, role)
    url = f"/staff/follow-ups/{follow_up_id}"
    resp = post(client, f"{url}/steps", {"step": "called_back", "note": "已回电致歉，对方表示理解"}, url)
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)
    html = text_of(client.get(url))
    assert "已记录：已电话回访。本条回访已办结" in html and "已电话回访" in html
    assert "已回电致歉，对方表示理解" in html and "本条回访已办结，不能再记录" in html
    assert 'id="follow-up-form"' not in html
    with app.app_context():
        assert db.session.get(RatingFollowUp, follow_up_id).status == FollowUpStatus.DONE


def test_every_post_needs_the_csrf_token(app, follow_up_id):
    client = signed_in(app)
    for url, data in [(f"/staff/follow-ups/{follow_up_id}/steps", {"step": "called_back", "note": "已回电致歉"}),
                      (f"/staff/follow-ups/{follow_up_id}/phone", {}),
                      ("/staff/calendar/days", {"day": "2026-12-31", "kind": "holiday", "name": "元旦"})]:
        resp = client.post(url, data=data)
        assert resp.status_code == 400, url
        assert PHONE not in text_of(resp)
    assert steps_stored(app) == 0
    with app.app_context():
        assert workdays.days_of_year(2026) == []


def test_every_form_on_the_pages_is_guarded_and_carries_its_token(app, follow_up_id):
    client = signed_in(app)
    with app.app_context():
        workdays.set_day(date(2026, 10, 1), DayKind.HOLIDAY, "国庆节", user=staff_user(username="other"))
    adapter = app.url_map.bind("localhost")
    for url in ["/staff/follow-ups", f"/staff/follow-ups/{follow_up_id}", "/staff/calendar?year=2026"]:
        page = Page(text_of(client.get(url)))
        assert "/static/staff.js" in page.scripts
        for form in page.forms:
            assert form["buttons"] and form["fields"].count("csrf_token") == 1, (url, form)
            adapter.match(form["action"].split("?")[0], method="POST")
    detail = Page(text_of(client.get(f"/staff/follow-ups/{follow_up_id}")))
    assert len(detail.forms) >= 2  # the phone's button and the step form (plus 退出)


# -- recording steps ----------------------------------------------------------------------

@pytest.mark.parametrize("data, field, message", [
    ({"step": "called_back", "note": ""}, "note", "请输入处理说明"),
    ({"step": "corrected", "note": "好"}, "note", "处理说明至少2个字"),
    ({"step": "", "note": "已处理"}, "step", "请选择这次的处理结果"),
    ({"step": "closed_by_magic", "note": "已处理"}, "step", "请选择这次的处理结果"),
    ({"step": "no_contact", "note": "已整改完毕"}, "step", "这条评价留了电话，请先电话回访"),
])
def test_a_bad_step_or_note_is_refused_beside_the_field_and_nothing_is_stored(app, follow_up_id, data, field,
                                                                              message):
    client = signed_in(app)
    url = f"/staff/follow-ups/{follow_up_id}"
    resp = post(client, f"{url}/steps", data, url)
    html = text_of(resp)
    assert resp.status_code == 422
    assert re.search(rf'id="{field}-error">.*{message}', html), html[-3000:]
    assert 'id="follow-up-form"' in html  # the form again, with what was typed
    assert steps_stored(app) == 0
    with app.app_context():
        assert db.session.get(RatingFollowUp, follow_up_id).status == FollowUpStatus.OPEN


def test_a_step_on_a_done_follow_up_is_a_conflict_shown_on_the_page(app, follow_up_id):
    client = signed_in(app)
    url = f"/staff/follow-ups/{follow_up_id}"
    token = csrf_from(text_of(client.get(url)))  # the form as it was before someone else closed it
    assert post(client, f"{url}/steps", {"step": "corrected", "note": "已调整排班"}, url).status_code == 303
    resp = client.post(f"{url}/steps", data={"step": "progress", "note": "再补一句", "csrf_token": token})
    assert resp.status_code == 409
    assert "已办结的回访不能再修改" in text_of(resp)
    assert steps_stored(app) == 1


def test_the_steps_offered_fit_the_phone(app, follow_up_id):
    with app.app_context():
        without = rating(level=4, reasons=("other",)).follow_up.id
    client = signed_in(app)
    with_phone = text_of(client.get(f"/staff/follow-ups/{follow_up_id}"))
    assert 'value="called_back"' in with_phone and 'value="no_contact"' not in with_phone
    no_phone = text_of(client.get(f"/staff/follow-ups/{without}"))
    assert 'value="no_contact"' in no_phone and 'value="called_back"' not in no_phone
    assert 'value="no_answer"' not in no_phone and "显示完整号码" not in no_phone and "未留电话" in no_phone


# -- the phone ----------------------------------------------------------------------------

def test_the_full_number_is_shown_once_audited_and_never_cached(app, follow_up_id):
    client = signed_in(app)
    url = f"/staff/follow-ups/{follow_up_id}"
    page = client.get(url)
    assert PHONE not in text_of(page) and "尾号5678" in text_of(page)
    resp = post(client, f"{url}/phone", {}, url)
    assert resp.status_code == 200 and PHONE in text_of(resp)
    assert resp.headers["Cache-Control"] == "no-store"
    assert PHONE not in text_of(client.get(url))  # shown on that response only
    assert PHONE not in text_of(client.get("/staff/follow-ups"))
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal_phone")).one()
        assert entry.record_id == follow_up_id and entry.actor_label == "staff"
        assert PHONE not in str([entry.before, entry.after, entry.detail])


# -- the list -----------------------------------------------------------------------------

def test_the_comment_is_shown_as_text(app):
    with app.app_context():
        follow_up_id = rating(level=5, reasons=("other",), comment='<script>alert("x")</script>').follow_up.id
    client = signed_in(app)
    for url in ["/staff/follow-ups", f"/staff/follow-ups/{follow_up_id}"]:
        html = text_of(client.get(url))
        assert '<script>alert("x")' not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_the_list_shows_what_staff_need_and_filters_done(app, follow_up_id, frozen_clock):
    client = signed_in(app)
    html = text_of(client.get("/staff/follow-ups"))
    assert "2026-11-28 10:00" in html and "😠" in html and "非常不满意" in html and "零工" in html
    assert "评价终端" in html and "态度不好" in html and "等待太久" in html
    assert "2026年12月18日" in html and "还剩 15 个工作日" in html and "待处理" in html
    url = f"/staff/follow-ups/{follow_up_id}"
    post(client, f"{url}/steps", {"step": "called_back", "note": "已回电致歉"}, url)
    assert "没有待处理的差评回访" in text_of(client.get("/staff/follow-ups"))
    done = text_of(client.get("/staff/follow-ups?show=done"))
    assert "窗口人员不理人" in done and "已办结" in done
    frozen_clock.move_to("2026-12-22 09:00")  # long after its due day: done, so not overdue
    html = text_of(signed_in(app, Role.MANAGER).get("/staff/follow-ups?show=all"))
    assert "窗口人员不理人" in html and "已超期" not in html


def test_an_overdue_one_is_flagged_in_red_with_working_days(app, follow_up_id, frozen_clock):
    frozen_clock.move_to("2026-12-22 09:00")  # due Friday 18 Dec: 21 and 22 Dec past it
    html = text_of(signed_in(app).get("/staff/follow-ups"))
    assert re.search(r'<strong class="overdue">已超期 2 个工作日</strong>', html)


def test_the_list_asks_for_next_year_s_holidays_in_november(app):
    client = signed_in(app)
    assert "还没有登记 2027 年的放假安排" in text_of(client.get("/staff/follow-ups"))
    with app.app_context():
        workdays.set_day(date(2027, 1, 1), DayKind.HOLIDAY, "元旦", user=staff_user(username="other"))
    assert "还没有登记 2027 年" not in text_of(client.get("/staff/follow-ups"))


# -- the alert bar ------------------------------------------------------------------------

def test_the_manager_is_told_when_one_is_overdue_and_staff_of_open_ones(app, follow_up_id, frozen_clock):
    frozen_clock.move_to("2026-12-18 17:00")  # its due day
    manager, staff = signed_in(app, Role.MANAGER), signed_in(app, Role.STAFF)
    assert "差评回访已超期" not in text_of(manager.get("/staff/alerts", headers=HX))
    assert "1 条差评待回访" in text_of(staff.get("/staff/alerts", headers=HX))
    frozen_clock.move_to("2026-12-19 08:00")
    manager = app.test_client()  # signed out while the clock jumped: sign in again
    assert login(manager, username="manager").status_code == 303
    bar = text_of(manager.get("/staff/alerts", headers=HX))
    assert "1 条差评回访已超期" in bar and 'href="/staff/follow-ups"' in bar
    assert "1 条差评回访已超期" in text_of(manager.get("/staff/print-jobs"))  # on every staff page
    assessor = signed_in(app, Role.ASSESSOR)
    assert "差评" not in text_of(assessor.get("/staff/alerts", headers=HX))


# -- the calendar -------------------------------------------------------------------------

def test_setting_a_day_says_how_many_due_dates_moved(app, follow_up_id):
    client = signed_in(app)
    resp = post(client, "/staff/calendar/days", {"day": "2026-12-14", "kind": "holiday", "name": "测试假日"},
                "/staff/calendar")
    assert resp.status_code == 303
    html = text_of(client.get(resp.headers["Location"]))
    assert "已将 2026年12月14日 设为放假（测试假日）；1 条未办结回访的到期日随之调整" in html
    assert 'class="cal-day cal-holiday" title="2026年12月14日 放假（测试假日）"' in html
    with app.app_context():
        assert db.session.get(RatingFollowUp, follow_up_id).due_on == date(2026, 12, 21)
    resp = post(client, "/staff/calendar/days", {"day": "2026-12-14", "kind": "clear"}, "/staff/calendar")
    assert "设为平常日；1 条未办结回访的到期日随之调整" in text_of(client.get(resp.headers["Location"]))
    with app.app_context():
        assert db.session.get(RatingFollowUp, follow_up_id).due_on == date(2026, 12, 18)


@pytest.mark.parametrize("data, field, message", [
    ({"day": "2026-10-03", "kind": "holiday", "name": "国庆节"}, "day", "周六、周日本来就不上班"),
    ({"day": "2026-10-09", "kind": "workday", "name": "调休"}, "day", "周一至周五本来就上班"),
    ({"day": "", "kind": "holiday", "name": "元旦"}, "day", "请选择日期"),
    ({"day": "2026-13-01", "kind": "holiday", "name": "元旦"}, "day", "日期格式应为"),
    ({"day": "2026-12-31", "kind": "", "name": "元旦"}, "kind", "请选择"),
    ({"day": "2026-12-31", "kind": "holiday", "name": "名" * 21}, "name", "名称最多20个字"),
])
def test_a_wrong_day_is_refused_beside_the_field(app, data, field, message):
    client = signed_in(app)
    resp = post(client, "/staff/calendar/days", data, "/staff/calendar")
    assert resp.status_code == 422
    assert re.search(rf'id="{field}-error">.*{message}', text_of(resp))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def test_the_calendar_says_nothing_is_built_in_and_shows_the_year(app):
    client = signed_in(app)
    html = text_of(client.get("/staff/calendar?year=2027"))
    assert "国务院办公厅" in html and "系统不内置任何节假日" in html
    assert html.count('class="cal-month"') == 12 and "工作日历 2027年" in html
    assert text_of(client.get("/staff/calendar?year=abc")).count("工作日历 2026年") == 1
    assert "还没有登记 2027 年的放假安排" in html
