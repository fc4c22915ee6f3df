"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from .base import utcnow
from .print_job import JobStatus, PrinterState, PrintJob
from .staff import Role, StaffUser
from .worker import UnderageRefusal, Worker, WorkerTrade

__all__ = [
    "JobStatus",
    "PrintJob",
    "PrinterState",
    "Role",
    "StaffUser",
    "UnderageRefusal",
    "Worker",
    "WorkerTrade",
    "utcnow",
]
