"""The staff call console and the hall display, through the web layer.

On the frozen clock: the console and the display show today's tickets only, so a test
must not cross the hall's midnight.
"""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Role, TaskOrder, Ticket, TicketStatus
from tests.conftest import csrf_from
from tests.factories import login, staff_user
from tests.web.test_checkin import post as check_in

pytestmark = pytest.mark.usefixtures("frozen_clock")

HX = {"HX-Request": "true"}


@pytest.fixture
def console(app, client):
    """Two employers checked in; a staff member signed in at window 1."""
    check_in(client)
    check_in(client, phone="13905980002", contact_name="李大姐", trade="cleaner")
    with app.app_context():
        staff_user()
    assert login(client).status_code == 303
    return client


def token(client, url="/staff/queue/1") -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def ticket(app, number) -> Ticket:
    with app.app_context():
        return db.session.scalar(select(Ticket).where(Ticket.number == number))


@pytest.mark.parametrize("url", ["/staff/queue", "/staff/queue/1", "/staff/queue/1/live"])
def test_console_needs_staff_login(client, url):
    assert "/staff/login" in client.get(url).headers["Location"]


def test_assessor_cannot_use_the_console(app, client):
    with app.app_context():
        staff_user(username="inspector", role=Role.ASSESSOR)
    login(client, username="inspector")
    assert client.get("/staff/queue/1").status_code == 403


@pytest.mark.parametrize("headers", [{}, HX])
def test_console_shows_waiting_list_and_figures(console, headers):
    html = console.get("/staff/queue/1", headers=headers).get_data(as_text=True)
    assert "A001" in html and "A002" in html and "今日统计" in html and "叫下一位" in html
    assert ("<html" in html) is (headers == {})
    live = console.get("/staff/queue/1/live", headers=HX).get_data(as_text=True)
    assert live.startswith('<section id="staff-queue-live"') and "A002" in live
    assert console.get("/staff/queue/1/live").headers["Location"].endswith("/staff/queue/1")
    assert console.get("/staff/queue/9").status_code == 404


def test_call_serve_done_by_htmx_and_plain_posts(app, console):
    t = token(console)
    resp = console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'class="console-number">A001' in html
    assert "招工信息" in html and "审核通过并发布" in html
    first = ticket(app, "A001")
    plain = console.post(f"/staff/queue/1/tickets/{first.id}/serve", data={"csrf_token": t})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/staff/queue/1")
    console.post(f"/staff/queue/1/tickets/{first.id}/done", data={"csrf_token": t}, headers=HX)
    assert ticket(app, "A001").status == TicketStatus.DONE


def test_refused_transition_is_409_with_a_chinese_message(app, console):
    t = token(console)
    waiting = ticket(app, "A001")
    resp = console.post(f"/staff/queue/1/tickets/{waiting.id}/done", data={"csrf_token": t}, headers=HX)
    assert resp.status_code == 409 and "不能办结" in resp.get_data(as_text=True)
    assert ticket(app, "A001").status == TicketStatus.WAITING
    assert console.post(f"/staff/queue/1/tickets/{waiting.id}/explode", data={"csrf_token": t}).status_code == 404


def test_done_is_offered_and_works_straight_after_the_call_then_undo(app, console):
    t = token(console)
    html = console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX).get_data(as_text=True)
    first = ticket(app, "A001")
    for action in ("recall", "serve", "done", "no_show"):
        assert f"/tickets/{first.id}/{action}" in html
    resp = console.post(f"/staff/queue/1/tickets/{first.id}/done", data={"csrf_token": t}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and ticket(app, "A001").status == TicketStatus.DONE
    assert "A001 号已办结" in html and f"/tickets/{first.id}/undo" in html and "撤销办结" in html
    resp = console.post(f"/staff/queue/1/tickets/{first.id}/undo", data={"csrf_token": t}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and ticket(app, "A001").status == TicketStatus.CALLED
    assert 'class="console-number">A001' in html and "/undo" not in html
    console.post(f"/staff/queue/1/tickets/{first.id}/serve", data={"csrf_token": t}, headers=HX)
    html = console.get("/staff/queue/1").get_data(as_text=True)
    assert f"/tickets/{first.id}/done" in html and f"/tickets/{first.id}/recall" not in html  # 办理中


def test_a_refused_undo_says_why_and_what_to_do(app, console):
    t = token(console)
    console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX)
    first = ticket(app, "A001")
    console.post(f"/staff/queue/1/tickets/{first.id}/no_show", data={"csrf_token": t}, headers=HX)
    assert console.post(f"/staff/queue/1/tickets/{first.id}/undo").status_code == 400  # CSRF
    console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX)
    resp = console.post(f"/staff/queue/1/tickets/{first.id}/undo", data={"csrf_token": t}, headers=HX)
    assert resp.status_code == 409 and ticket(app, "A001").status == TicketStatus.NO_SHOW
    assert "本窗口已叫了 A002 号，不能再撤销 A001 号；A001 号如需继续办理，请本人重新取号" in resp.get_data(as_text=True)
    again = console.post(f"/staff/queue/1/tickets/{first.id}/done", data={"csrf_token": t}, headers=HX)
    assert again.status_code == 409
    assert "这张号已过号，无需再操作；请叫下一位" in again.get_data(as_text=True)


def test_console_actions_need_csrf(app, console):
    assert console.post("/staff/queue/1/call-next").status_code == 400
    assert ticket(app, "A001").status == TicketStatus.WAITING


def test_publishing_the_task_order_puts_it_on_the_display(app, console, client):
    t = token(console)
    console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX)
    task_id = ticket(app, "A001").task_order_id
    console.post(f"/staff/queue/1/task-orders/{task_id}/publish", data={"csrf_token": t}, headers=HX)
    with app.app_context():
        assert db.session.get(TaskOrder, task_id).status.value == "published"
    board = client.get("/display/board", headers=HX).get_data(as_text=True)
    assert "搬运装卸" in board and "凤岗街道水南村" in board
    again = console.post(f"/staff/queue/1/task-orders/{task_id}/reject", data={"csrf_token": t}, headers=HX)
    assert again.status_code == 409


def published(app, task_id) -> bool:
    with app.app_context():
        return db.session.get(TaskOrder, task_id).status.value == "published"


def test_a_task_order_is_reviewed_only_by_the_window_serving_its_ticket_today(app, console, client,
                                                                             frozen_clock):
    t = token(console)
    waiting_task = ticket(app, "A002").task_order_id
    resp = console.post(f"/staff/queue/1/task-orders/{waiting_task}/publish", data={"csrf_token": t})
    assert resp.status_code == 409 and "不在本窗口办理" in resp.get_data(as_text=True)
    console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX)  # A001 at window 1
    called_task = ticket(app, "A001").task_order_id
    other = console.post(f"/staff/queue/2/task-orders/{called_task}/publish",
                         data={"csrf_token": t}, headers=HX)
    assert other.status_code == 409
    app.config["STAFF_IDLE_MINUTES"] = 3 * 24 * 60  # still signed in tomorrow
    frozen_clock.tick(days=1)
    late = console.post(f"/staff/queue/1/task-orders/{called_task}/publish", data={"csrf_token": t})
    assert late.status_code == 409 and "今天" in late.get_data(as_text=True)
    frozen_clock.tick(days=-1)
    assert not published(app, waiting_task) and not published(app, called_task)
    assert "凤岗街道水南村" not in client.get("/display/board", headers=HX).get_data(as_text=True)


def test_a_window_cannot_transfer_a_waiting_ticket_of_a_service_it_does_not_serve(app, client):
    check_in(client, service="consult")
    with app.app_context():
        staff_user()
    login(client)
    b001 = ticket(app, "B001")
    resp = client.post(f"/staff/queue/1/tickets/{b001.id}/transfer",
                       data={"csrf_token": token(client), "to_service": "hire"})
    assert resp.status_code == 409 and "本窗口不办理政策咨询业务" in resp.get_data(as_text=True)
    assert ticket(app, "B001").service_code == "consult"


@pytest.mark.parametrize("headers", [{}, HX, {**HX, "HX-History-Restore-Request": "true"}])
def test_display_shows_called_numbers_recent_calls_and_waiting_counts(app, console, headers):
    console.post("/staff/queue/1/call-next", data={"csrf_token": token(console)}, headers=HX)
    resp = console.get("/display/board", headers=headers)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'data-announce="请 A 零零一 号，到 一 号窗口办理。' in html and "最近叫号" in html
    assert "招工 <b>1</b> 人" in html
    assert ("<html" in html) is (headers.get("HX-History-Restore-Request") == "true" or not headers)
    page = console.get("/display/").get_data(as_text=True)
    assert "display.js" in page and 'hx-trigger="every 3s"' in page
    # no personal data on the public screen
    assert "王老板" not in html and "13905980001" not in html


def test_display_needs_no_login_and_has_no_personal_data(client):
    check_in(client)
    html = client.get("/display/").get_data(as_text=True)
    assert "叫号" in html and "王老板" not in html


def figures(client) -> str:
    html = client.get("/staff/queue/1/live", headers=HX).get_data(as_text=True)
    return html[html.index("今日统计"):]


def test_todays_figures_count_the_halls_day_by_its_hours(app, console, frozen_clock):
    """Two check-ins at 10:00 (the fixture); one at 23:59:59 counts today, not tomorrow."""
    app.config["STAFF_IDLE_MINUTES"] = 24 * 60  # still signed in at midnight
    t = token(console)
    frozen_clock.tick(minutes=6)
    console.post("/staff/queue/1/call-next", data={"csrf_token": t}, headers=HX)
    first = ticket(app, "A001")
    console.post(f"/staff/queue/1/tickets/{first.id}/serve", data={"csrf_token": t}, headers=HX)
    frozen_clock.tick(minutes=4)
    console.post(f"/staff/queue/1/tickets/{first.id}/done", data={"csrf_token": t}, headers=HX)
    frozen_clock.move_to("2026-11-28 23:59:59")
    check_in(console, phone="13905980003", contact_name="赵先生")
    shown = figures(console)
    for label, value in [("取号", "3"), ("等候", "2"), ("办结", "1"), ("过号", "0（0%）"),
                         ("平均等候", "6.0 分钟"), ("平均办理", "4.0 分钟")]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in shown, label
    assert "<th>10时</th><th>23时</th>" in shown
    assert "<tr><td>取号</td><td>2</td><td>1</td></tr>" in shown
    frozen_clock.tick(seconds=1)  # midnight in the hall: a new day
    shown = figures(console)
    assert "<dt>取号</dt><dd>0</dd>" in shown and "<dt>平均等候</dt><dd>—</dd>" in shown
    assert "时段" not in shown
