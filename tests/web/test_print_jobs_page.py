"""Reprints, the queue ticket's content, the test-printer button and the print service's
state, as staff and employers meet them."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import PrinterState, PrintJob, Worker
from app.services.print_worker import PrintWorker
from printers import Receipt, memory_printer
from tests.conftest import csrf_from
from tests.factories import login, registration, staff_user
from tests.web.test_checkin import post as check_in


def register(client, **overrides):
    token = csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))
    return client.post("/kiosk/register", data={**registration(**overrides), "csrf_token": token})


def qr_of(job: PrintJob) -> str:
    return next(item.payload for item in Receipt.from_dict(job.receipt).items if hasattr(item, "payload"))


@pytest.fixture
def staff(app, client):
    with app.app_context():
        staff_user()
    return client


def test_a_reprint_of_an_older_slip_carries_the_current_qr_and_a_double_click_prints_once(app, staff):
    register(staff)
    register(staff, phone="13900001111")  # the same person again: a fresh QR, the old one is dead
    login(staff)
    page = staff.get("/staff/print-jobs").get_data(as_text=True)
    for _ in range(2):  # a double click
        assert staff.post("/staff/print-jobs/1/reprint", data={"csrf_token": csrf_from(page)}).status_code == 303
    with app.app_context():
        worker = db.session.scalars(select(Worker)).one()
        copies = db.session.scalars(select(PrintJob).where(PrintJob.reprint_of_id == 1)).all()
        assert len(copies) == 1
        assert qr_of(copies[0]).endswith(f"/w/{worker.qr_token}") and qr_of(copies[0]) != qr_of(
            db.session.get(PrintJob, 1))
    assert staff.get(qr_of(copies[0]).removeprefix("http://hall.test")).status_code == 200
    listing = staff.get("/staff/print-jobs").get_data(as_text=True)
    assert "补打自 #1，申请人：小李" in listing


def test_the_queue_ticket_says_what_the_employer_needs(app, client):
    check_in(client, work_time="07:30", location="凤岗街道水南村", description="包吃，日结")
    with app.app_context():
        PrintWorker().run_once()
    from printers import decode, text_of

    text = text_of(decode(memory_printer().jobs[0])).replace("\n", "")
    for expected in ("A001", "搬运装卸 3人", "200元/天", "07:30", "凤岗街道水南村", "包吃，日结",
                     "服务电话：0598-5820000"):
        assert expected in text, expected


def test_trades_are_listed_in_one_order_and_a_name_is_never_split_across_lines(app, client):
    trades = ["electrician", "mason", "porter", "cleaner", "carpenter", "painter"]
    from app.hall_config import hall
    from printers import decode, text_of

    register(client, trades=trades)
    with app.app_context():
        PrintWorker().run_once()
        token = db.session.scalars(select(Worker)).one().qr_token
        grid = hall().trades  # the picture grid's order

    names = [t.name for t in grid if t.code in trades]
    slip_lines = text_of(decode(memory_printer().jobs[0])).split("\n")
    first = next(i for i, line in enumerate(slip_lines) if line.startswith("工种"))
    after = next(i for i, line in enumerate(slip_lines) if line.startswith("期望日薪"))
    slip_trades = "".join(slip_lines[first:after])  # the trades line, wrapped
    assert slip_trades.removeprefix("工种：") == "、".join(names)
    for line in slip_lines:
        for name in names:
            for cut in range(1, len(name)):
                assert not line.endswith(name[:cut]) or line.endswith(name), (line, name)
    page = client.get(f"/w/{token}").get_data(as_text=True)
    assert "、".join(names) in page


def test_the_test_printer_button_answers_in_chinese(app, staff):
    with app.app_context():
        PrintWorker().beat()
        db.session.add(PrinterState(name="default", problem="offline"))
        db.session.commit()
    login(staff)
    page = staff.get("/staff/print-jobs").get_data(as_text=True)
    memory_printer().fail_open = True
    down = staff.post("/staff/printers/default/test", data={"csrf_token": csrf_from(page)},
                      follow_redirects=True).get_data(as_text=True)
    assert "连接不上打印机" in down
    memory_printer().fail_open = False
    up = staff.post("/staff/printers/default/test", data={"csrf_token": csrf_from(page)},
                    follow_redirects=True).get_data(as_text=True)
    assert "默认打印机正常" in up
    with app.app_context():
        assert db.session.get(PrinterState, "default").problem is None
        assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 0  # no paper used


def test_staff_pages_say_when_the_print_service_is_not_running(app, staff):
    login(staff)
    for url in ("/staff/workers", "/staff/queue/1", "/staff/print-jobs"):
        assert "打印服务未运行（尚未启动过）" in staff.get(url).get_data(as_text=True), url
    with app.app_context():
        PrintWorker().beat()
    bar = staff.get("/staff/alerts", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="staff-alerts"' in bar and "打印服务未运行" not in bar


def test_a_glyph_no_font_has_is_printed_and_staff_are_warned(make_app):
    app = make_app(PRINTER_URL="memory:default?text=image")
    with app.app_context():
        from app.services.printing import enqueue

        enqueue(Receipt().text("姓名：李\U0010fffd"), kind="t", subject="t:1", title="t")
        db.session.commit()
        assert PrintWorker().run_once() == 1
        job = db.session.scalars(select(PrintJob)).one()
    assert job.last_error.startswith("已打印，但以下字印成了方框")


def test_printer_errors_read_in_chinese_with_the_technical_detail_folded(app, staff):
    from dataclasses import replace

    from app.services.printing import staff_error
    from printers import PrinterUnavailable
    from printers.status import PrinterStatus

    paper_out = replace(PrinterStatus.ready(), paper_out=True)
    with app.app_context():
        PrintWorker().beat()
        db.session.add(PrinterState(name="default", problem="paper_out", last_error=staff_error(
            PrinterUnavailable("tcp://10.0.0.9:9100: printer reports paper_out", paper_out))))
        db.session.add(PrinterState(name="front", problem="jammed_by_gremlins",
                                    last_error="ConnectionResetError: [Errno 104] Connection reset by peer"))
        db.session.commit()
    login(staff)
    html = staff.get("/staff/print-jobs").get_data(as_text=True)
    assert "打印机缺纸，处理后自动打印" in html and "<td>默认打印机</td>" in html
    assert ("打印出错，请技术人员查看<details class=\"error-detail\"><summary>技术详情</summary>"
            "<code>ConnectionResetError") in html
    assert "jammed_by_gremlins" not in html and '<span class="tag tag-warn">故障</span>' in html
    assert "<th></th>" not in html and '<span class="visually-hidden">操作</span>' in html
