"""The print outbox: enqueue slips with their records; a worker sends them in order.

Guarantees (see ../shared/docs/PRINTING.md for why):
- A job is written in the same transaction as the record it belongs to.
- One worker at a time serves a printer, holding a lease on its ``PrinterState`` row;
  another worker takes over only after the lease expired. Jobs go out in id order.
- Failure backs off per printer. "Nothing sent" keeps the job pending as it is; a
  doubtful delivery (or a worker that died while sending) keeps it pending marked 补打.
The sending side is ``print_worker.PrintWorker``.
"""

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import JobStatus, PrinterState, PrintJob
from printers import Receipt

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


def reprint(job: PrintJob, staff_id: int) -> PrintJob:
    """Staff asked for another copy: a new job, printed with the 补打 banner."""
    copy = enqueue(Receipt.from_dict(job.receipt), kind=job.kind, subject=job.subject,
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
            alerts.append({"printer": state.name, "level": "error", "text": label})
        elif state.paper_near_end:
            alerts.append({"printer": state.name, "level": "warning", "text": "打印纸即将用完"})
    return alerts


def recent_jobs(limit: int = 100) -> list[PrintJob]:
    return list(db.session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)))


def jobs_for(subject: str) -> list[PrintJob]:
    return list(db.session.scalars(
        select(PrintJob).where(PrintJob.subject == subject).order_by(PrintJob.id.desc())
    ))
