"""The print outbox: order, leases between workers, back-off, doubtful jobs, recovery."""

from dataclasses import replace
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import JobStatus, PrinterState, PrintJob, utcnow
from app.services.print_worker import PrintWorker
from app.services.printing import enqueue, printer_alerts
from printers import PrinterStatus, Receipt, decode, memory_printer, text_of


def queue(*titles: str) -> list[int]:
    ids = []
    for title in titles:
        job = enqueue(Receipt(items=[]).text(title, size=2).qr("http://hall.test/w/x"),
                      kind="test", subject=f"test:{title}", title=title)
        db.session.commit()
        ids.append(job.id)
    return ids


def printed_texts(name="default") -> list[str]:
    return [text_of(decode(job)) for job in memory_printer(name).jobs]


def status(job_id) -> JobStatus:
    db.session.expire_all()
    return db.session.get(PrintJob, job_id).status


def test_jobs_print_in_order_with_chinese_text(ctx):
    ids = queue("第一张", "第二张", "第三张")
    assert PrintWorker().run_once() == 3
    texts = printed_texts()
    assert [t.split()[0] for t in texts] == ["第一张", "第二张", "第三张"]
    assert all(status(i) == JobStatus.PRINTED for i in ids)


def test_a_long_outage_is_probed_without_job_bytes_and_slips_go_out_at_once_after_it(ctx):
    ids = queue("甲", "乙")
    memory_printer().fail_open = True
    start = utcnow()
    for second in range(0, 320, 2):  # five minutes down, looked at every 2 seconds
        with time_machine.travel(start + timedelta(seconds=second), tick=False):
            assert PrintWorker().run_once() == 0
    assert status(ids[0]) == JobStatus.PENDING and status(ids[1]) == JobStatus.PENDING
    state = db.session.get(PrinterState, "default")
    assert state.problem == "offline" and state.failures == 0  # nothing sent: no back-off
    assert state.next_attempt_at <= start + timedelta(seconds=320)
    assert memory_printer().jobs == []
    memory_printer().fail_open = False  # the printer is back
    with time_machine.travel(start + timedelta(seconds=320), tick=False):
        assert PrintWorker().run_once() == 2
    assert [t.split()[0] for t in printed_texts()] == ["甲", "乙"]
    assert db.session.get(PrinterState, "default").problem is None


def test_paper_out_is_an_alert_and_nothing_is_sent(ctx):
    ids = queue("缺纸测试")
    memory_printer().status = replace(PrinterStatus.ready(), paper_out=True)
    PrintWorker().run_once()
    assert memory_printer().jobs == [] and status(ids[0]) == JobStatus.PENDING
    assert printer_alerts() == [{"printer": "default", "level": "error", "text": "打印机缺纸（默认打印机）"}]


def test_doubtful_delivery_is_reprinted_once_marked_reprint(ctx):
    ids = queue("凭条")
    memory_printer().fail_mid_job = True
    PrintWorker().run_once()
    job = db.session.get(PrintJob, ids[0])
    assert job.status == JobStatus.PENDING and job.mark_reprint
    memory_printer().fail_mid_job = False
    with time_machine.travel(utcnow() + timedelta(seconds=6), tick=False):
        PrintWorker().run_once()
    texts = printed_texts()
    assert len(texts) == 1 and texts[0].startswith("补打") and "凭条" in texts[0]
    assert status(ids[0]) == JobStatus.PRINTED


def test_a_leased_printer_is_not_served_by_a_second_worker(ctx):
    queue("只打一次")
    first, second = PrintWorker("one"), PrintWorker("two")
    assert first._acquire("default")
    assert second.run_once() == 0 and memory_printer().jobs == []
    first._release("default")
    assert second.run_once() == 1


def test_an_expired_lease_is_taken_over_and_the_interrupted_job_reprinted(ctx):
    ids = queue("中断")
    dead = PrintWorker("dead")
    assert dead._acquire("default")
    job = db.session.get(PrintJob, ids[0])
    job.status = JobStatus.SENDING  # the dead worker was sending when it died
    db.session.commit()
    assert PrintWorker("alive").run_once() == 0  # lease still valid
    with time_machine.travel(utcnow() + timedelta(seconds=61), tick=False):
        assert PrintWorker("alive").run_once() == 1
    assert printed_texts()[0].startswith("补打")


def test_unprintable_job_is_marked_broken_and_the_queue_moves_on(ctx):
    bad = enqueue(Receipt(items=[]).qr("x" * 3000), kind="test", subject="t:bad", title="坏任务")
    db.session.commit()
    good = queue("好任务")
    PrintWorker().run_once()
    assert status(bad.id) == JobStatus.BROKEN and db.session.get(PrintJob, bad.id).last_error
    assert status(good[0]) == JobStatus.PRINTED


def test_a_stored_receipt_that_no_longer_parses_is_broken_and_the_printer_goes_on(ctx):
    damaged = queue("损坏")[0]
    db.session.get(PrintJob, damaged).receipt = {"items": [{"type": "poem"}], "version": 1}
    db.session.commit()
    later = queue("后面的凭条")
    assert PrintWorker().run_once() == 1
    job = db.session.get(PrintJob, damaged)
    assert job.status == JobStatus.BROKEN
    assert job.last_error.startswith("凭条内容有误") and "poem" in job.last_error  # staff see why
    assert status(later[0]) == JobStatus.PRINTED
    assert printed_texts()[0].startswith("后面的凭条")


def test_paper_near_end_prints_and_warns_staff(ctx):
    memory_printer().status_after_send = replace(PrinterStatus.ready(), paper_near_end=True)
    queue("纸将用完")
    assert PrintWorker().run_once() == 1
    assert printer_alerts() == [{"printer": "default", "level": "warning", "text": "打印纸即将用完（默认打印机）"}]


def test_a_worker_that_lost_its_lease_does_not_print(ctx):
    queue("被接管")
    slow = PrintWorker("slow")
    assert slow._acquire("default")
    job = db.session.scalars(select(PrintJob)).one()
    with time_machine.travel(utcnow() + timedelta(seconds=61), tick=False):
        assert PrintWorker("other")._acquire("default")  # the slow worker's lease expired
        assert slow._send(job, None) == "lease_lost"
        assert not slow._renew("default")
    assert memory_printer().jobs == [] and status(job.id) == JobStatus.PENDING


def test_an_unexpected_error_leaves_the_job_pending_for_a_marked_reprint(ctx, monkeypatch):
    import app.services.print_worker as worker_module

    ids = queue("意外")
    monkeypatch.setattr(worker_module, "render", lambda *a: (_ for _ in ()).throw(RuntimeError("bug")))
    PrintWorker().run_once()
    job = db.session.get(PrintJob, ids[0])
    assert job.status == JobStatus.PENDING and job.mark_reprint and "bug" in job.last_error


def test_file_printouts_with_personal_data_are_deleted_after_the_retention_period(make_app, tmp_path):
    import os
    import time

    folder = tmp_path / "printouts"
    app = make_app(PRINTER_URL=f"file://{folder}", PRINTOUT_RETENTION_DAYS=7)
    with app.app_context():
        queue("旧凭条")
        assert PrintWorker().run_once() == 1
        old = sorted(folder.iterdir())
        assert old, "the file printer wrote nothing"
        eight_days_ago = time.time() - 8 * 86400
        for path in old:
            os.utime(path, (eight_days_ago, eight_days_ago))
        queue("新凭条")
        assert PrintWorker().run_once() == 1  # a new worker sweeps at its first round
        left = sorted(folder.iterdir())
    assert not set(old) & set(left) and left
