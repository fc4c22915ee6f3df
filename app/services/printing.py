"""The print outbox: enqueue slips with their records; a worker sends them in order.

Guarantees (a slip is paper a person walks away with: never lost, never printed twice unmarked):
- A job is written in the same transaction as the record it belongs to.
- One worker at a time serves a printer, holding a lease on its ``PrinterState`` row;
  another worker takes over only after the lease expired. Jobs go out in id order.
- Failure backs off per printer. "Nothing sent" keeps the job pending as it is; a
  doubtful delivery (or a worker that died while sending) keeps it pending marked 补打.
The sending side is ``print_worker.PrintWorker``.
"""

import time
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.clock import format_local
from app.extensions import db
from app.hall_config import hall
from app.models import JobStatus, PrinterState, PrintJob, utcnow
from printers import (
    PrinterConfigError,
    PrinterUnavailable,
    Receipt,
    ReceiptFormatError,
    check_status,
    parse_printer_url,
)

from . import print_service

PROBLEM_LABELS = {
    "offline": "打印机离线",
    "cover_open": "打印机盖未关",
    "paper_out": "打印机缺纸",
    "error": "打印机故障",
    "doubtful": "打印中断",
}


# The printers table's short state words.
STATE_LABELS = {"offline": "离线", "paper_out": "缺纸", "cover_open": "盖未关", "error": "故障",
                "doubtful": "打印中断"}


def printer_label(name: str) -> str:
    """A printer as staff read it: the one set by PRINTER_URL is 默认打印机; the others
    keep the short name the operator gave them in PRINTERS."""
    return "默认打印机" if name == "default" else name


def staff_error(err: Exception, sent: bool = False) -> str:
    """What staff read about a failed print, in Chinese; the raw detail for the technician
    follows on the next line (the screens fold it away)."""
    status = getattr(err, "status", None)
    if status is not None and status.problem:
        text = f"{PROBLEM_LABELS.get(status.problem, '打印机无法使用')}，处理后自动打印"
    elif isinstance(err, PrinterConfigError):
        text = "打印机设置有误，请技术人员检查打印机地址"
    elif sent:
        text = "打印中连接中断，将自动补打"
    else:
        text = "连接不上打印机，恢复后自动打印"
    return f"{text}\n{type(err).__name__}: {err}"[:500]


def enqueue(receipt: Receipt, *, kind: str, subject: str, title: str, printer: str = "default",
            requested_by_id: int | None = None, reprint_of_id: int | None = None) -> PrintJob:
    """Add a job to the session; the caller commits it together with its record."""
    job = PrintJob(printer=printer, kind=kind, subject=subject, title=title,
                   receipt=receipt.to_dict(), status=JobStatus.PENDING,
                   mark_reprint=reprint_of_id is not None, reprint_of_id=reprint_of_id,
                   requested_by_id=requested_by_id)
    db.session.add(job)
    return job


class ReprintRefused(Exception):
    pass


def reprint(job: PrintJob, staff_id: int) -> PrintJob:
    """Staff asked for another copy: the record's slip as it is now (its current QR),
    printed with the 补打 banner. A copy already waiting is returned, not doubled."""
    from . import audit, slips

    if job.scrubbed_at is not None:
        raise ReprintRefused("该凭条中的个人信息已删除，不能重新打印")
    waiting = db.session.scalar(select(PrintJob).where(
        PrintJob.reprint_of_id == job.id,
        PrintJob.status.in_([JobStatus.PENDING, JobStatus.SENDING])))
    if waiting is not None:
        return waiting
    try:
        fresh = slips.current_slip(job.kind, job.subject)
        receipt = fresh["receipt"] if fresh else Receipt.from_dict(job.receipt)
    except slips.SlipGone as err:
        raise ReprintRefused(str(err)) from None
    except ReceiptFormatError:
        raise ReprintRefused("该凭条的内容已损坏，不能重新打印，请重新办理") from None
    copy = enqueue(receipt, kind=job.kind, subject=job.subject,
                   title=fresh["title"] if fresh else job.title, printer=job.printer,
                   requested_by_id=staff_id, reprint_of_id=job.id)
    db.session.flush()
    audit.record(audit.ref(copy), "reprint", after={"copy_of": job.id, "kind": job.kind})
    db.session.commit()
    return copy


def printer_urls() -> dict[str, str]:
    """Printer name -> URL: PRINTERS, and PRINTER_URL as "default" (checked at start)."""
    return dict(hall().printers)


def printer_alerts() -> list[dict]:
    """Problems staff must see on every screen: the print service stopped, a printer
    offline, out of paper or low on paper."""
    stopped, since = print_service.stopped_since()
    if stopped:  # the printers' last known states are stale: say only what matters
        when = f"自 {format_local(since, '%m-%d %H:%M:%S')} 起" if since else "尚未启动过"
        return [{"printer": "print-service", "level": "error",
                 "text": f"打印服务未运行（{when}），凭条不会打印。请技术人员重新启动打印进程"}]
    alerts = []
    for state in db.session.scalars(select(PrinterState).order_by(PrinterState.name)):
        if state.problem:
            label = PROBLEM_LABELS.get(state.problem, "打印机无法使用")
            alerts.append({"printer": state.name, "level": "error",
                           "text": f"{label}（{printer_label(state.name)}）"})
        elif state.paper_near_end:
            alerts.append({"printer": state.name, "level": "warning",
                           "text": f"打印纸即将用完（{printer_label(state.name)}）"})
    return alerts


def slip_can_print(subject: str) -> bool:
    """Whether the newest slip of a record (``slips.worker_subject``, ``ticket_subject``)
    will come out of its printer now, as far as the print service knows. It cannot when
    - that job failed for good (无法打印) or was cancelled;
    - no print worker is running: none has beaten for PRINT_SERVICE_STALE_SECONDS (stopped,
      or dead: a dead worker stops beating), the same test as staff's "打印服务未运行";
    - its printer is in a problem state (offline, paper out, cover open, fault, a doubtful
      delivery), the states staff see as alerts.
    A printed job can; so can a pending one on a healthy printer with a running worker.
    The kiosk's done screen says so instead of sending the person to an empty paper slot."""
    job = db.session.scalar(select(PrintJob).where(PrintJob.subject == subject)
                            .order_by(PrintJob.id.desc()).limit(1))
    if job is None or job.status in (JobStatus.BROKEN, JobStatus.CANCELLED):
        return False
    if job.status == JobStatus.PRINTED:
        return True
    if print_service.stopped_since()[0]:
        return False
    state = db.session.get(PrinterState, job.printer)
    return state is None or not state.problem


def test_printer(name: str) -> tuple[bool, str]:
    """Staff's 测试打印机: ask the printer's status now (no paper used); the answer in
    Chinese. A printer found ready is tried again at once by the print worker."""
    url = printer_urls().get(name)
    if url is None:
        return False, "没有这台打印机"
    state = db.session.get(PrinterState, name) or PrinterState(name=name)
    db.session.add(state)
    state.last_checked_at = utcnow()
    try:
        status = check_status(parse_printer_url(url, default_dir=printouts_dir()))
    except (PrinterUnavailable, PrinterConfigError) as err:
        state.problem, state.last_error = state.problem or "offline", staff_error(err)
        db.session.commit()
        return False, staff_error(err).split("\n")[0]
    if status is not None and not status.ok:
        state.problem = status.problem
        db.session.commit()
        return False, f"{PROBLEM_LABELS.get(status.problem, '打印机无法使用')}（{printer_label(name)}）"
    state.problem = state.last_error = state.next_attempt_at = None
    state.failures = 0
    state.paper_near_end = bool(status and status.paper_near_end)
    db.session.commit()
    if status is None:
        return True, f"{printer_label(name)}连接正常；这台打印机不报告纸和盖的状态"
    return True, f"{printer_label(name)}正常" + ("，但打印纸即将用完" if status.paper_near_end else "")


def recent_jobs(limit: int = 100) -> list[PrintJob]:
    return list(db.session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)))


def jobs_for(subject: str) -> list[PrintJob]:
    return list(db.session.scalars(
        select(PrintJob).where(PrintJob.subject == subject).order_by(PrintJob.id.desc())
    ))


def scrub(subject: str) -> None:
    """Erase a person's data from their slips: stored receipts and file printouts.

    Part of the caller's transaction (anonymisation); pending copies are cancelled.
    """
    now = utcnow()
    jobs = db.session.scalars(select(PrintJob).where(PrintJob.subject == subject)).all()
    for job in jobs:
        job.receipt = Receipt(items=[], cut=False).text("（个人信息已删除）").to_dict()
        job.title = "（个人信息已删除）"
        job.scrubbed_at = now
        if job.status in (JobStatus.PENDING, JobStatus.SENDING):
            job.status = JobStatus.CANCELLED
    for folder in file_printer_folders():
        for job in jobs:
            for path in Path(folder).glob(f"*-job-{job.id}.*"):
                path.unlink(missing_ok=True)


def file_printer_folders() -> set[str]:
    """The folders of the configured file printers (their printouts hold personal data)."""
    return {parse_printer_url(url, default_dir=printouts_dir()).directory
            for url in printer_urls().values() if url.startswith("file:")} - {None}


def prune_printouts(now: float | None = None) -> int:
    """Delete file-printer printouts older than PRINTOUT_RETENTION_DAYS; return how many.

    The file printer stands in for paper until a real printer is configured; its copies
    hold names and masked numbers, so they are not kept for ever.
    """
    limit = (now or time.time()) - current_app.config["PRINTOUT_RETENTION_DAYS"] * 86400
    removed = 0
    for folder in file_printer_folders():
        for path in Path(folder).glob("*-job-*.*"):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def printouts_dir() -> str:
    return str(Path(current_app.instance_path) / "printouts")
