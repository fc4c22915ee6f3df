"""The print worker: sends the outbox's jobs, one printer at a time, in order.

Run by ``flask --app wsgi print-worker`` (``make run`` starts one). Several may run at once:
each printer is served by whoever holds its lease (a conditional UPDATE on its
``PrinterState`` row, so it works the same on SQLite and PostgreSQL).

- **Heartbeat.** ``beat()`` (every ``PRINT_BEAT_SECONDS`` from a thread of the command)
  writes the worker's ``PrintWorkerBeat`` row and renews its leases, so leases can be short:
  a worker that died loses its printers within ``PRINT_LEASE_SECONDS``, or at once when it
  ran on this machine and its process is gone. Staff screens read the beats.
- **A printer that cannot take jobs** (nothing was sent) is probed every
  ``PRINT_PROBE_SECONDS`` with the real-time status query, no job bytes, and its slips go
  out as soon as it is ready again. Only a doubtful delivery (bytes went out) backs off,
  doubling from ``PRINT_BACKOFF_FIRST`` to ``PRINT_BACKOFF_MAX``, so a printer that keeps
  tearing slips does not print a torn copy every few seconds.
- **Doubtful deliveries** are printed again with a banner saying why, after a sequence that
  clears whatever a cut-off command left in the printer (``printers.clear_sequence``).
"""

import logging
import os
import socket
import time
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import JobStatus, PrinterState, PrintJob, utcnow
from printers import (
    DeliveryDoubtful,
    JobBroken,
    PrinterConfig,
    PrinterConfigError,
    PrinterUnavailable,
    Receipt,
    check_status,
    clear_sequence,
    deliver,
    parse_printer_url,
    print_seconds,
    render,
    unprintable_glyphs,
)

from . import print_service
from .printing import printer_urls, printouts_dir, prune_printouts, staff_error

log = logging.getLogger(__name__)
REPRINT_BANNER = "补打"
TORN_BANNER = "上一张打印中断，此张为补打"


class PrintWorker:
    """Sends pending jobs. Safe to run in several processes at once."""

    PRUNE_EVERY = 3600  # seconds between sweeps of old file-printer printouts

    def __init__(self, owner: str | None = None):
        self.host = socket.gethostname()[:64]
        self.owner = owner or f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._pruned_at = 0.0

    def run_once(self) -> int:
        """Serve every printer whose lease we can take; return the number of jobs printed."""
        self.beat()
        if time.monotonic() - self._pruned_at > self.PRUNE_EVERY or not self._pruned_at:
            self._pruned_at = time.monotonic()
            prune_printouts()
        return sum(self.serve(name, url) for name, url in printer_urls().items())

    def serve(self, name: str, url: str) -> int:
        if not self._acquire(name):
            return 0
        printed = 0
        try:
            config = parse_printer_url(url, default_dir=printouts_dir())
            self._recover_interrupted(name)
            if not self._ready(name, config):
                return 0
            while (job := self._next_job(name)) is not None:
                outcome = self._send(job, config)
                if outcome == "printed":
                    printed += 1
                elif outcome in ("printer_failed", "lease_lost"):
                    break
                if not self._renew(name):
                    break
        finally:
            self._release(name)
        return printed

    # -- heartbeat and the lease -------------------------------------------------

    def beat(self, stopping: bool = False) -> None:
        """Say this worker is alive (or stopping) and renew the leases it holds."""
        now = utcnow()
        print_service.record_beat(self.owner, self.host, now, stopping)
        db.session.execute(
            update(PrinterState).where(PrinterState.lease_owner == self.owner)
            .values(lease_until=None if stopping else now + self._lease(),
                    lease_owner=None if stopping else self.owner)
        )
        db.session.commit()

    def _acquire(self, name: str) -> bool:
        now = utcnow()
        state = db.session.get(PrinterState, name)
        if state is None:
            db.session.add(PrinterState(name=name))
            try:
                db.session.commit()
            except IntegrityError:  # another worker created it first
                db.session.rollback()
            state = db.session.get(PrinterState, name)
        free = or_(PrinterState.lease_until.is_(None), PrinterState.lease_until < now,
                   PrinterState.lease_owner == self.owner)
        if state.lease_owner and print_service.holder_is_dead(state.lease_owner, self.host):
            free = or_(free, PrinterState.lease_owner == state.lease_owner)
        taken = db.session.execute(
            update(PrinterState)
            .where(PrinterState.name == name, free,
                   or_(PrinterState.next_attempt_at.is_(None), PrinterState.next_attempt_at <= now))
            .values(lease_owner=self.owner, lease_until=now + self._lease())
        ).rowcount
        db.session.commit()
        return taken == 1

    def _renew(self, name: str) -> bool:
        """Extend our lease; False when another worker has taken the printer over."""
        renewed = db.session.execute(
            update(PrinterState)
            .where(PrinterState.name == name, PrinterState.lease_owner == self.owner)
            .values(lease_until=utcnow() + self._lease())
        ).rowcount
        db.session.commit()
        return renewed == 1

    def _release(self, name: str) -> None:
        db.session.rollback()
        db.session.execute(
            update(PrinterState)
            .where(PrinterState.name == name, PrinterState.lease_owner == self.owner)
            .values(lease_owner=None, lease_until=None)
        )
        db.session.commit()

    def _lease(self) -> timedelta:
        return timedelta(seconds=current_app.config["PRINT_LEASE_SECONDS"])

    # -- the printer's readiness -----------------------------------------------------

    def _ready(self, name: str, config: PrinterConfig) -> bool:
        """A printer with a known problem is probed (no job bytes) before jobs are sent."""
        state = db.session.get(PrinterState, name)
        if not state.problem:
            return True
        try:
            status = check_status(config)
        except (PrinterUnavailable, PrinterConfigError) as err:
            self._printer_failed(name, err)
            return False
        if status is not None and not status.ok:
            self._printer_failed(name, PrinterUnavailable(f"printer reports {status.problem}", status))
            return False
        if state.problem != "doubtful":  # back: the alert goes, waiting slips go out now
            self._printer_ok(name, paper_near_end=bool(status and status.paper_near_end))
        return True

    # -- the jobs ----------------------------------------------------------------

    def _recover_interrupted(self, name: str) -> None:
        """A job left 'sending' by a worker that died may or may not have printed."""
        db.session.execute(
            update(PrintJob)
            .where(PrintJob.printer == name, PrintJob.status == JobStatus.SENDING)
            .values(status=JobStatus.PENDING, mark_reprint=True, reprint_note=TORN_BANNER,
                    last_error="上次打印中断，将补打")
        )
        db.session.commit()

    def _next_job(self, name: str) -> PrintJob | None:
        return db.session.scalar(
            select(PrintJob)
            .where(PrintJob.printer == name, PrintJob.status == JobStatus.PENDING)
            .order_by(PrintJob.id)
            .limit(1)
        )

    def _claim(self, job: PrintJob) -> bool:
        """Mark the job as being sent, only while we still hold its printer's lease."""
        holds_lease = (
            select(PrinterState.name)
            .where(PrinterState.name == job.printer, PrinterState.lease_owner == self.owner,
                   PrinterState.lease_until > utcnow())
            .exists()
        )
        claimed = db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job.id, PrintJob.status == JobStatus.PENDING, holds_lease)
            .values(status=JobStatus.SENDING, attempts=PrintJob.attempts + 1)
        ).rowcount
        db.session.commit()
        return claimed == 1

    def _send(self, job: PrintJob, config: PrinterConfig) -> str:
        if not self._claim(job):
            return "lease_lost"
        try:
            receipt = Receipt.from_dict(job.receipt)  # a damaged one is a broken job
            if job.mark_reprint:
                receipt = receipt.with_banner(REPRINT_BANNER, note=job.reprint_note)
            data = render(receipt, config)
            if job.reprint_note == TORN_BANNER:  # the last try may have been cut off
                data = clear_sequence(data) + data
            after = deliver(config, data, job_name=f"job-{job.id}",
                            print_seconds=print_seconds(receipt, config))
        except JobBroken as err:
            # Staff see the reason; the printer goes on with the next job.
            self._finish(job, JobStatus.BROKEN, error=f"凭条内容有误，无法打印，请重新办理\n{err}")
            return "broken"
        except DeliveryDoubtful as err:
            job.mark_reprint, job.reprint_note = True, TORN_BANNER
            self._finish(job, JobStatus.PENDING, error=staff_error(err, sent=True))
            self._printer_failed(job.printer, err)
            return "printer_failed"
        except (PrinterUnavailable, PrinterConfigError) as err:
            self._finish(job, JobStatus.PENDING, error=staff_error(err))
            self._printer_failed(job.printer, err)
            return "printer_failed"
        except Exception as err:  # a bug or a database hiccup: never leave a job 'sending'
            log.exception("print job %s failed unexpectedly", job.id)
            db.session.rollback()
            job.mark_reprint, job.reprint_note = True, TORN_BANNER
            self._finish(job, JobStatus.PENDING, error=staff_error(err, sent=True))
            self._printer_failed(job.printer, DeliveryDoubtful(str(err)))
            return "printer_failed"
        job.printed_at = utcnow()
        missing = unprintable_glyphs(receipt, config)
        self._finish(job, JobStatus.PRINTED, error=(
            f"已打印，但以下字印成了方框：{'、'.join(missing)}。请手写补上或核对" if missing else None))
        self._printer_ok(job.printer, paper_near_end=bool(after and after.paper_near_end))
        return "printed"

    def _finish(self, job: PrintJob, status: JobStatus, error: str | None = None) -> None:
        job.status = status
        job.last_error = error
        db.session.commit()

    # -- the printer's health ----------------------------------------------------

    def _printer_failed(self, name: str, err: Exception) -> None:
        """Nothing sent: probe again soon. Bytes sent (doubtful): back off, doubling."""
        state = db.session.get(PrinterState, name)
        config = current_app.config
        status = getattr(err, "status", None)
        if isinstance(err, DeliveryDoubtful):
            state.failures += 1
            wait = min(config["PRINT_BACKOFF_FIRST"] * 2 ** (state.failures - 1),
                       config["PRINT_BACKOFF_MAX"])
        else:
            wait = config["PRINT_PROBE_SECONDS"]
        state.next_attempt_at = utcnow() + timedelta(seconds=wait)
        state.problem = (status.problem if status is not None else None) or (
            "doubtful" if isinstance(err, DeliveryDoubtful) else "offline")
        state.last_error = staff_error(err, sent=isinstance(err, DeliveryDoubtful))[:500]
        state.last_checked_at = utcnow()
        db.session.commit()
        log.warning("printer %s failed (%s); next try in %ss", name, err, wait)

    def _printer_ok(self, name: str, paper_near_end: bool) -> None:
        state = db.session.get(PrinterState, name)
        state.paper_near_end = paper_near_end
        state.failures = 0
        state.next_attempt_at = None
        state.problem = None
        state.last_error = None
        state.last_checked_at = state.last_ok_at = utcnow()
        db.session.commit()
