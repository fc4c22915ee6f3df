"""The outbox against a fake network printer on 127.0.0.1: every failure keeps the job
pending, and it prints exactly once (marked 补打 only when the first try was doubtful)."""

from datetime import timedelta

import pytest
import time_machine

from app.extensions import db
from app.models import JobStatus, PrintJob, utcnow
from app.services.print_worker import PrintWorker
from app.services.printing import enqueue
from printers import Receipt, decode, text_of
from tests.printers.fake_printer import FakePrinter, strip_status_queries


@pytest.fixture
def fake():
    with FakePrinter() as printer:
        yield printer


@pytest.mark.parametrize("failure,doubtful", [
    ("refuse", False), ("hang", False), ("paper_out", False), ("close_mid_job", True),
])
def test_job_stays_pending_then_prints_exactly_once(make_app, fake, failure, doubtful):
    app = make_app(PRINTER_URL=f"{fake.url}?timeout=0.5")
    with app.app_context():
        job = enqueue(Receipt(items=[]).text("零工编号 G000001", size=2).qr("http://hall.test/w/abc"),
                      kind="worker_slip", subject="worker:1", title="零工登记凭条 G000001")
        db.session.commit()
        if failure == "paper_out":
            fake.set_status(paper_out=True)
        else:
            fake.mode = failure
        assert PrintWorker().run_once() == 0
        db.session.expire_all()
        assert db.session.get(PrintJob, job.id).status == JobStatus.PENDING
        assert fake.completed_jobs == []
        # the printer recovers; after the back-off the job prints, once
        fake.mode = "ok"
        fake.set_status()
        later = utcnow() + timedelta(seconds=6)
        with time_machine.travel(later, tick=False):
            assert PrintWorker().run_once() == 1
        with time_machine.travel(later + timedelta(minutes=10), tick=False):
            assert PrintWorker().run_once() == 0
        db.session.expire_all()
        assert db.session.get(PrintJob, job.id).status == JobStatus.PRINTED
    completed = fake.completed_jobs
    assert len(completed) == 1
    text = text_of(decode(strip_status_queries(completed[0])))
    assert "零工编号 G000001" in text
    assert text.startswith("补打") is doubtful
