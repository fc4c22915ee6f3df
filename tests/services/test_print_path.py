"""The print path as a hall lives it, against the fake network printer on 127.0.0.1: a slip
is printed only when the printer had time to print it, a cut-off job cannot swallow its
reprint, a long outage ends in slips within seconds, doubtful jobs say why they come again,
and staff read Chinese."""

import re
from datetime import timedelta

import pytest
import time_machine

from app.extensions import db
from app.models import JobStatus, PrinterState, PrintJob, utcnow
from app.services.print_worker import TORN_BANNER, PrintWorker
from app.services.printing import enqueue, printer_alerts
from printers import Receipt, decode, parse_printer_url, print_seconds, render, text_of
from printers.decode import QRPayload
from tests.printers.fake_printer import FakePrinter, strip_status_queries

SLIP = Receipt(items=[]).text("零工编号 G000001", size=2).qr("http://hall.test/w/abcdefghijklmnop")


@pytest.fixture
def fake():
    with FakePrinter() as printer:
        yield printer


def slip_job() -> PrintJob:
    job = enqueue(Receipt.from_dict(SLIP.to_dict()), kind="test", subject="test:1", title="凭条")
    db.session.commit()
    return job


def reload(job: PrintJob | int) -> PrintJob:
    db.session.expire_all()
    return db.session.get(PrintJob, job if isinstance(job, int) else job.id)


def test_a_job_is_called_printed_only_after_the_printer_had_time_to_print_it(make_app, fake):
    app = make_app(PRINTER_URL=f"{fake.url}?timeout=1&speed=100")
    with app.app_context():
        job = slip_job()
        assert PrintWorker().run_once() == 1
        assert reload(job).status == JobStatus.PRINTED
    needed = print_seconds(SLIP, parse_printer_url(f"{fake.url}?speed=100"))
    assert needed > 0.3
    [(job_done, status_asked), *_] = fake.after_job_queries
    assert status_asked - job_done >= needed * 0.9  # the status is read once the paper is out


def test_paper_running_out_during_the_slip_means_a_marked_reprint(make_app, fake):
    app = make_app(PRINTER_URL=f"{fake.url}?timeout=0.5&speed=2000")
    with app.app_context():
        job = slip_job()
        fake.set_status(paper_out=True, after_job=True)
        assert PrintWorker().run_once() == 0
        job = reload(job)
        assert job.status == JobStatus.PENDING and job.mark_reprint and job.reprint_note == TORN_BANNER
        assert db.session.get(PrinterState, "default").problem == "paper_out"
        assert printer_alerts()[0]["text"].startswith("打印机缺纸")
        fake.set_status(after_job=True)  # paper refilled
        with time_machine.travel(utcnow() + timedelta(seconds=6), tick=False):
            assert PrintWorker().run_once() == 1
    texts = [text_of(decode(strip_status_queries(j))) for j in fake.completed_jobs]
    assert len(texts) == 2 and TORN_BANNER in texts[1].replace("\n", "")


def test_a_printer_that_stops_answering_after_taking_the_job_means_a_marked_reprint(make_app, fake):
    app = make_app(PRINTER_URL=f"{fake.url}?timeout=0.3&speed=2000")
    with app.app_context():
        job = slip_job()
        fake.mode = "silent_after_job"
        assert PrintWorker().run_once() == 0
        job = reload(job)
        assert job.status == JobStatus.PENDING and job.reprint_note == TORN_BANNER
        assert job.last_error.startswith("打印中连接中断")


def test_a_job_cut_off_inside_its_qr_code_cannot_swallow_the_reprint(make_app, fake):
    url = f"{fake.url}?timeout=0.5&speed=2000"
    data = render(SLIP, parse_printer_url(url))
    fake.mid_job_bytes = data.index(b"\x1d(k") + 12  # inside the QR's data
    fake.mode = "close_mid_job"
    app = make_app(PRINTER_URL=url)
    with app.app_context():
        job = slip_job()
        assert PrintWorker().run_once() == 0
        fake.mode = "ok"
        with time_machine.travel(utcnow() + timedelta(seconds=6), tick=False):
            assert PrintWorker().run_once() == 1
        assert reload(job).status == JobStatus.PRINTED
    torn, retry = [p for p in map(strip_status_queries, fake.jobs) if p]  # probes send no job
    assert retry.startswith(b"\x00"), "the reprint starts by clearing the printer"
    printed = decode(torn + retry)  # one printer's input: what a cut-off command does to it
    assert "零工编号 G000001" in text_of(printed) and TORN_BANNER in text_of(printed).replace("\n", "")
    assert QRPayload("http://hall.test/w/abcdefghijklmnop") in printed
    without_clear = retry[retry.index(b"\x1b@"):]
    assert TORN_BANNER not in text_of(decode(torn + without_clear)).replace("\n", ""), \
        "the test would not notice a missing clear"


def test_after_a_long_outage_the_slip_comes_out_within_seconds_of_the_printer(make_app, fake):
    app = make_app(PRINTER_URL=f"{fake.url}?timeout=0.3&speed=2000")
    with app.app_context():
        job = slip_job()
        fake.mode = "refuse"
        start = utcnow()
        for second in range(0, 320, 2):
            with time_machine.travel(start + timedelta(seconds=second), tick=False):
                PrintWorker().run_once()
        assert reload(job).status == JobStatus.PENDING and fake.jobs == []
        fake.mode = "ok"
        with time_machine.travel(start + timedelta(seconds=322), tick=False):
            assert PrintWorker().run_once() == 1
        assert db.session.get(PrinterState, "default").problem is None


def test_staff_read_printer_trouble_in_chinese_with_the_detail_folded(app, client):
    from tests.factories import login, staff_user

    with app.app_context():
        job = slip_job()
        job.last_error = "连接不上打印机，恢复后自动打印\nPrinterUnavailable: tcp://x: ConnectionRefusedError"
        db.session.commit()
        staff_user()
        PrintWorker().beat()
    login(client)
    html = client.get("/staff/print-jobs").get_data(as_text=True)
    assert "连接不上打印机，恢复后自动打印<details" in html
    assert re.search(r"<summary>技术详情</summary><code>PrinterUnavailable", html)


def test_the_qr_code_uses_error_correction_m(make_app):
    from printers.decode import QRCommand

    native = decode(render(Receipt().qr("http://hall.test/w/x"), parse_printer_url("memory:x")))
    levels = [e.data[2] for e in native if isinstance(e, QRCommand) and e.function == 69]
    assert levels == [49]  # GS ( k … 69 n: n = 49 is level M


def test_the_qr_image_uses_error_correction_m():
    import zxingcpp
    from PIL import ImageOps

    from printers.decode import RasterImage

    events = decode(render(Receipt().qr("http://hall.test/w/x", size=6),
                           parse_printer_url("memory:x?qr=image")))
    image = next(e for e in events if isinstance(e, RasterImage)).to_image()
    [code] = zxingcpp.read_barcodes(ImageOps.expand(image, border=20, fill=255))
    assert code.text == "http://hall.test/w/x" and code.ec_level == "M"


def test_a_killed_print_worker_shows_at_once_and_its_printer_is_taken_over_in_seconds(
        make_app, fake, database_url, tmp_path):
    """A real print-worker process, killed with SIGKILL while it holds the printer."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import KEYS

    url = f"{fake.url}?timeout=20&speed=2000"
    app = make_app(PRINTER_URL=url, PRINT_SERVICE_STALE_SECONDS=3)
    fake.mode = "hang"  # takes the connection, never answers: the worker waits mid-job
    with app.app_context():
        job = slip_job().id
    env = {**os.environ, "DATABASE_URL": database_url, "PRINTER_URL": url,
           "LINGGONG_INSTANCE_PATH": str(tmp_path / "worker-instance"),
           "LINGGONG_PRINT_BEAT_SECONDS": "1", "LINGGONG_PUBLIC_BASE_URL": "http://hall.test",
           **{f"LINGGONG_{k}": json.dumps(v) if isinstance(v, list) else v for k, v in KEYS.items()}}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "print-worker"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with app.app_context():
            deadline = time.monotonic() + 30
            while reload(job).status != JobStatus.SENDING:
                assert time.monotonic() < deadline, "the worker never started the job"
                time.sleep(0.1)
            assert not any("打印服务未运行" in a["text"] for a in printer_alerts())
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    fake.mode = "ok"
    with app.app_context():
        time.sleep(3.5)  # no heartbeat for longer than PRINT_SERVICE_STALE_SECONDS
        assert "打印服务未运行" in printer_alerts()[0]["text"]
        started = time.monotonic()
        assert PrintWorker().run_once() == 1  # no waiting for the dead worker's lease
        assert time.monotonic() - started < 5
        assert reload(job).status == JobStatus.PRINTED
        assert printer_alerts() == []
    texts = [text_of(decode(strip_status_queries(j))) for j in fake.completed_jobs]
    assert len(texts) == 1 and TORN_BANNER in texts[0].replace("\n", "")
