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

from app.extensions import db
from app.models import JobStatus, PrinterState, PrintJob, utcnow
from printers import Receipt, ReceiptFormatError, parse_printer_url

PROBLEM_LABELS = {
    "offline": "打印机离线",
    "cover_open": "打印机盖未关",
    "paper_out": "打印机缺纸",
    "error": "打印机故障",
}


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
    """Staff asked for another copy: a new job, printed with the 补打 banner."""
    if job.scrubbed_at is not None:
        raise ReprintRefused("该凭条中的个人信息已删除，不能重新打印")
    try:
        receipt = Receipt.from_dict(job.receipt)
    except ReceiptFormatError:
        raise ReprintRefused("该凭条的内容已损坏，不能重新打印，请重新办理") from None
    copy = enqueue(receipt, kind=job.kind, subject=job.subject,
                   title=job.title, printer=job.printer, requested_by_id=staff_id,
                   reprint_of_id=job.id)
    db.session.commit()
    return copy


def printer_urls() -> dict[str, str]:
    urls = dict(current_app.config.get("PRINTERS") or {})
    urls.setdefault("default", current_app.config["PRINTER_URL"])
    return urls


def printer_alerts() -> list[dict]:
    """Problems staff must see on every screen: offline, paper out, paper low."""
    alerts = []
    for state in db.session.scalars(select(PrinterState).order_by(PrinterState.name)):
        if state.problem:
            label = PROBLEM_LABELS.get(state.problem, "打印机无法使用")
            alerts.append({"printer": state.name, "level": "error", "text": f"{label}（{state.name}）"})
        elif state.paper_near_end:
            alerts.append({"printer": state.name, "level": "warning",
                           "text": f"打印纸即将用完（{state.name}）"})
    return alerts


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
