"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from .attempt import Attempt, AttemptKind, Outcome
from .audit import AuditEntry
from .base import utcnow
from .deal import Deal, DealNote, DealSignature, FalseRecord
from .dispute import DisputeCase, DisputeCounter, DisputeEntry, DisputeSignature, Incident
from .employer import Employer, EmployerType
from .idempotency import IdempotencyKey
from .livestream import Livestream, LivestreamKind
from .lock import NamedLock
from .print_job import JobStatus, PrinterState, PrintJob
from .print_service import PrintWorkerBeat
from .rating import CalendarDay, FollowUpEntry, Rating, RatingFollowUp, RatingReason, RatingRefusal
from .score import AssessmentSettings, FollowerCount, ManualScore, PeriodRubric, ScoreSnapshot
from .staff import Role, StaffUser
from .task_order import PayUnit, TaskOrder, TaskStatus
from .ticket import Ticket, TicketCounter, TicketStatus
from .worker import ReplacedQr, UnderageRefusal, Worker, WorkerAvailability, WorkerTrade

__all__ = [
    "Attempt",
    "AttemptKind",
    "AssessmentSettings",
    "AuditEntry",
    "Deal",
    "DealNote",
    "DealSignature",
    "DisputeCase",
    "FalseRecord",
    "DisputeCounter",
    "DisputeEntry",
    "DisputeSignature",
    "Incident",
    "FollowerCount",
    "Livestream",
    "LivestreamKind",
    "ManualScore",
    "PeriodRubric",
    "ScoreSnapshot",
    "CalendarDay",
    "FollowUpEntry",
    "Rating",
    "RatingFollowUp",
    "RatingReason",
    "RatingRefusal",
    "IdempotencyKey",
    "NamedLock",
    "Outcome",
    "Employer",
    "EmployerType",
    "PayUnit",
    "TaskOrder",
    "TaskStatus",
    "Ticket",
    "TicketCounter",
    "TicketStatus",
    "JobStatus",
    "PrintJob",
    "PrinterState",
    "PrintWorkerBeat",
    "ReplacedQr",
    "Role",
    "StaffUser",
    "UnderageRefusal",
    "Worker",
    "WorkerAvailability",
    "WorkerTrade",
    "utcnow",
]
