"""The waiting queue: issuing numbers, the call console's actions, the hall display.

The console's figures (今日统计) are counters in ``app/services/metrics.py``.

Numbers are per service per local day, from 001, with no gaps and no duplicates when many
kiosks and web workers issue at once: the day's counter row is bumped with an atomic
UPDATE … RETURNING in the same transaction that inserts the ticket, so a rollback leaves
no gap and the row lock (PostgreSQL) or write lock (SQLite) serialises issuers.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import local_now
from app.database import insert_if_missing
from app.domain import Conflict
from app.domain.queue import UNDOABLE, Service, TicketStatus, UndoFacts, format_number, steps, undo_target
from app.extensions import db
from app.hall_config import hall
from app.models import AuditEntry, StaffUser, Ticket, TicketCounter, utcnow

from . import audit


class ServiceMap(dict):
    """Configured services; a code no longer configured still has a name to show."""

    def __missing__(self, code: str) -> Service:
        return Service(code=code, name=code, prefix="?")


def services() -> ServiceMap:
    """The configured services by code (checked at start: ``app/hall_config.py``)."""
    return ServiceMap(hall().services)


def windows() -> dict[int, list[str]]:
    """Window number -> the service codes it serves (checked at start)."""
    return {number: list(codes) for number, codes in hall().windows.items()}


def next_seq(service_code: str, day: date) -> int:
    """Bump and return the day's counter for a service (inside the caller's transaction)."""
    insert_if_missing(TicketCounter, service_code=service_code, day=day, last_seq=0)
    return db.session.execute(
        update(TicketCounter)
        .where(TicketCounter.service_code == service_code, TicketCounter.day == day)
        .values(last_seq=TicketCounter.last_seq + 1)
        .returning(TicketCounter.last_seq)
    ).scalar_one()


def new_ticket(service_code: str, day: date, **fields) -> Ticket:
    """Add a ticket with the next number; the caller commits."""
    service = services()[service_code]
    seq = next_seq(service_code, day)
    ticket = Ticket(issued_service=service_code, service_code=service_code, day=day, seq=seq,
                    number=format_number(service.prefix, seq), status=TicketStatus.WAITING,
                    status_token=secrets.token_urlsafe(24), **fields)
    db.session.add(ticket)
    db.session.flush()
    _log(ticket, "issue", None, TicketStatus.WAITING, staff_id=None)
    return ticket


def by_token(token: str) -> Ticket | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.status_token == token))


def waiting_ahead(ticket: Ticket) -> int:
    """How many tickets of the same service and day were waiting before this one."""
    return db.session.scalar(
        select(func.count()).select_from(Ticket).where(
            Ticket.service_code == ticket.service_code, Ticket.day == ticket.day,
            Ticket.status == TicketStatus.WAITING,
            (Ticket.issued_at < ticket.issued_at)
            | ((Ticket.issued_at == ticket.issued_at) & (Ticket.id < ticket.id)),
        )
    )


def waiting(day: date, service_codes: list[str] | None = None) -> list[Ticket]:
    stmt = select(Ticket).where(Ticket.day == day, Ticket.status == TicketStatus.WAITING)
    if service_codes is not None:
        stmt = stmt.where(Ticket.service_code.in_(service_codes))
    return list(db.session.scalars(stmt.order_by(Ticket.issued_at, Ticket.id)))


def at_window(day: date, window: int) -> Ticket | None:
    """The ticket a window is currently dealing with (called or serving)."""
    return db.session.scalar(
        select(Ticket).where(Ticket.day == day, Ticket.window == window,
                             Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]))
        .order_by(Ticket.last_called_at.desc()).limit(1)
    )


def call_next(day: date, window: int, staff_id: int) -> Ticket | None:
    """Call the longest-waiting ticket among the window's services; None if nobody waits.

    Two windows calling at the same instant never get the same ticket: the claim is a
    conditional UPDATE that only one of them can win; the loser tries the next ticket.
    """
    codes = windows().get(window)
    if codes is None:
        raise Conflict(f"没有 {window} 号窗口")
    current = at_window(day, window)
    if current is not None:
        raise Conflict(f"本窗口的 {current.number} 号还未办结，请先按“办结”或“过号”")
    for candidate in waiting(day, codes):
        now = utcnow()
        try:
            won = db.session.execute(
                update(Ticket).where(Ticket.id == candidate.id, Ticket.status == TicketStatus.WAITING)
                .values(status=TicketStatus.CALLED, window=window, last_called_at=now,
                        called_at=func.coalesce(Ticket.called_at, now))
            ).rowcount
        except IntegrityError:  # another call at this window won (one open ticket per window)
            db.session.rollback()
            raise Conflict("本窗口刚刚叫了号，请刷新页面，先办结或过号那一位") from None
        if won:
            _log(candidate, "call", TicketStatus.WAITING, TicketStatus.CALLED, staff_id, window)
            db.session.commit()
            db.session.refresh(candidate)
            return candidate
        db.session.rollback()
    return None


def act(ticket: Ticket, action: str, staff_id: int, window: int | None = None,
        to_service: str | None = None) -> Ticket:
    """recall, serve, done, no_show or transfer, each stored with time and staff.

    办结 from 已叫号 is one press that takes two steps, 开始办理 and 办结, and the audit
    trail records both."""
    if action == "call":
        raise Conflict("请用“叫下一位”叫号")
    if action == "transfer" and to_service not in services():
        raise Conflict("请选择要转去的业务")
    if action == "transfer" and to_service == ticket.service_code:
        raise Conflict("已经在该业务排队，请选择另一项业务")
    if ticket.day != local_now().date():
        raise Conflict("只能处理今天的号；请刷新页面，叫今天的下一位")
    if ticket.status != TicketStatus.WAITING and window is not None and ticket.window != window:
        raise Conflict(f"{ticket.number} 号不在本窗口；请刷新页面，查看本窗口当前的号")
    if ticket.status == TicketStatus.WAITING and window is not None \
            and ticket.service_code not in windows().get(window, []):
        raise Conflict(f"本窗口不办理{services()[ticket.service_code].name}业务，请叫本窗口的号")
    now, pressed_from = utcnow(), ticket.status
    for taken, before, after in steps(ticket.status, action, ticket.recalls):
        if taken == "recall":
            ticket.recalls += 1
            ticket.last_called_at = now
        elif taken == "serve":
            ticket.serving_at = now
        elif taken in UNDOABLE:
            ticket.finished_at, ticket.finished_from = now, pressed_from  # what 撤销 restores
        elif taken == "transfer":
            # A fresh start in the other queue: not called there yet, no recalls used.
            ticket.service_code, ticket.window = to_service, None
            ticket.recalls, ticket.last_called_at = 0, None
        ticket.status = after
        _log(ticket, taken, before, after, staff_id, window or ticket.window,
             detail=to_service if taken == "transfer" else
             ("随“办结”一并开始办理" if taken == "serve" and action == "done" else None))
    db.session.commit()
    return ticket


def undo_seconds() -> int:
    return hall().undo_seconds


def _undo_facts(ticket: Ticket, window: int) -> UndoFacts:
    now = utcnow()
    open_now = at_window(ticket.day, window)
    return UndoFacts(
        number=ticket.number, status=ticket.status, finished_from=ticket.finished_from,
        ticket_window=ticket.window, window=window, is_today=ticket.day == local_now().date(),
        seconds_since=(now - ticket.finished_at).total_seconds() if ticket.finished_at else 0,
        limit_seconds=undo_seconds(),
        open_at_window=open_now.number if open_now is not None and open_now.id != ticket.id else None,
        called_since=_called_since(ticket, window))


def _called_since(ticket: Ticket, window: int) -> str | None:
    """A number this window called after ``ticket`` was finished, from the audit trail
    (a call later transferred away leaves no other trace at the window)."""
    finished = db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.record_type == "ticket",
                                    AuditEntry.record_id == ticket.id,
                                    AuditEntry.action.in_(UNDOABLE))
        .order_by(AuditEntry.id.desc()).limit(1))
    if finished is None:
        return None
    for after in db.session.scalars(
            select(AuditEntry.after).where(AuditEntry.id > finished, AuditEntry.record_type == "ticket",
                                           AuditEntry.action == "call")
            .order_by(AuditEntry.id)):
        if after and after.get("window") == window:
            return after.get("number")
    return None


def undoable(day: date, window: int) -> tuple[Ticket, int] | None:
    """The ticket this window may take back now and the seconds left, or None: its latest
    办结 or 过号, if the rules of ``undo_target`` allow it."""
    latest = db.session.scalar(
        select(Ticket).where(Ticket.day == day, Ticket.window == window,
                             Ticket.finished_from.is_not(None))
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(1))
    if latest is None:
        return None
    facts = _undo_facts(latest, window)
    try:
        undo_target(facts)
    except Conflict:
        return None
    return latest, max(0, int(facts.limit_seconds - facts.seconds_since))


def undo(ticket: Ticket, staff_id: int, window: int) -> Ticket:
    """Take back a 办结 or 过号 (``undo_target`` says when): the ticket is again as it was,
    at this window; the audit trail records the 撤销."""
    before, finished_at = ticket.status, ticket.finished_at
    target = undo_target(_undo_facts(ticket, window))
    values = {"status": target, "finished_at": None, "finished_from": None}
    if target == TicketStatus.CALLED:
        values["serving_at"] = None  # only a one-press 办结 set it, and that is taken back too
    try:
        # Only if the ticket is still as it was read: of two presses at once, one undoes.
        won = db.session.execute(
            update(Ticket).where(Ticket.id == ticket.id, Ticket.status == before,
                                 Ticket.finished_at == finished_at).values(**values)).rowcount
    except IntegrityError:  # this window called someone in the meantime
        db.session.rollback()
        raise Conflict(f"本窗口刚刚叫了号，不能再撤销 {ticket.number} 号；请刷新页面") from None
    if not won:
        db.session.rollback()
        raise Conflict(f"{ticket.number} 号刚刚已被处理；请刷新页面") from None
    db.session.refresh(ticket)
    _log(ticket, "undo", before, target, staff_id, window, detail=f"撤销{before.label}")
    db.session.commit()
    return ticket


def _log(ticket, action, before, after, staff_id, window=None, detail=None) -> None:
    """Every state change of a ticket goes into the audit trail (its number and window)."""
    actor = audit.Actor.staff(db.session.get(StaffUser, staff_id)) if staff_id else None
    audit.record(audit.ref(ticket), action, actor=actor, detail=detail,
                 before={"status": before.value} if before else None,
                 after={"status": after.value, "number": ticket.number, "window": window})


@dataclass(frozen=True)
class Board:
    """What the hall display shows."""

    now_serving: list[Ticket]  # the latest call of each window still open
    recent: list[Ticket]
    waiting_counts: dict[str, int]


def board(day: date, recent_count: int) -> Board:
    open_calls = list(db.session.scalars(
        select(Ticket).where(Ticket.day == day, Ticket.window.is_not(None),
                             Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]))
        .order_by(Ticket.window, Ticket.last_called_at.desc())
    ))
    per_window = {}
    for ticket in open_calls:
        per_window.setdefault(ticket.window, ticket)
    recent = list(db.session.scalars(
        select(Ticket).where(Ticket.day == day, Ticket.last_called_at.is_not(None))
        .order_by(Ticket.last_called_at.desc(), Ticket.id.desc()).limit(recent_count)
    ))
    counts = dict(db.session.execute(
        select(Ticket.service_code, func.count()).where(
            Ticket.day == day, Ticket.status == TicketStatus.WAITING).group_by(Ticket.service_code)
    ).all())
    return Board(now_serving=list(per_window.values()), recent=recent,
                 waiting_counts={code: counts.get(code, 0) for code in services()})
