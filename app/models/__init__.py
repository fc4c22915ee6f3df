"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from .attempt import Attempt, AttemptKind, Outcome
from .base import utcnow
from .employer import Employer, EmployerType
from .lock import NamedLock
from .print_job import JobStatus, PrinterState, PrintJob
from .print_service import PrintWorkerBeat
from .staff import Role, StaffUser
from .task_order import PayUnit, TaskOrder, TaskStatus
from .ticket import Ticket, TicketCounter, TicketEvent, TicketStatus
from .worker import UnderageRefusal, Worker, WorkerTrade

__all__ = [
    "Attempt",
    "AttemptKind",
    "NamedLock",
    "Outcome",
    "Employer",
    "EmployerType",
    "PayUnit",
    "TaskOrder",
    "TaskStatus",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketStatus",
    "JobStatus",
    "PrintJob",
    "PrinterState",
    "PrintWorkerBeat",
    "Role",
    "StaffUser",
    "UnderageRefusal",
    "Worker",
    "WorkerTrade",
    "utcnow",
]
