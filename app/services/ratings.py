"""Satisfaction ratings: stored from the exit terminal or from a slip's QR, refused when a
terminal is pressed too often, and followed up when bad.

- ``rate_at_terminal(answer)``: the exit terminal (``/kiosk/rate``). A terminal is the
  core's terminal identity (``current_terminal()``: its configured name, else its network
  address); its limits (``hall().rating_limits``) count its own ratings *and* those from
  its network address, so a kiosk whose cookies were cleared is still the same kiosk.
  A refused press is not a rating: only the day's count for the terminal goes up
  (``RatingRefusal``), and ``StuffingRefused`` tells the screen to say so kindly.
- ``rate_service(service, answer)``: the rating page a slip's QR opens on a phone, for that
  one service (``RatedService``; ``service_for`` finds it from the slip's token). One
  rating per service: the ``rating.service`` column is unique, so two phones sending at the
  same instant store one rating, and the other is told it was already rated.
- A bad rating (不满意, 非常不满意) opens a follow-up due on the configured working day
  (``app/services/workdays.py``); staff record calls and corrective actions on it
  (``app/services/follow_ups.py``), each through the workflow and the audit trail.

Every rating goes into the audit trail too (level, role, channel, service; never the phone).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import local_today, to_local
from app.crypto import vault
from app.domain import Conflict, DomainError
from app.domain.ratings import (
    Answer,
    Channel,
    RaterRole,
)
from app.extensions import db
from app.hall_config import hall
from app.models import (
    Rating,
    RatingFollowUp,
    RatingReason,
    RatingRefusal,
    Ticket,
    Worker,
    utcnow,
)
from app.security import client_address
from app.template_helpers import cn_date
from app.terminals import current_terminal

from . import audit, locks, workdays


class StuffingRefused(DomainError):
    """The terminal was pressed again too soon, or too often this hour (answered with 429)."""

    def __init__(self):
        super().__init__("您刚刚已经评价过了，谢谢！请稍等片刻再评价。")


class AlreadyRated(Conflict):
    def __init__(self):
        super().__init__("这项服务已经评价过了，谢谢您！每张凭条只能评价一次。")


# -- the services a slip rates ---------------------------------------------------------------

@dataclass(frozen=True)
class RatedService:
    """One service a slip is for, as its rating page shows and stores it."""

    kind: str  # registration, ticket, case, deal
    key: str  # unique per service: "ticket:12", "registration:5:2"
    title: str  # 零工登记 / 排队办理 A007 · 招工
    on: date  # the hall-local day the service happened (its link works RATING_SLIP_DAYS after)
    role: RaterRole  # who holds this slip
    window: int | None = None  # the window that served it
    not_yet: str | None = None  # why it cannot be rated yet (a ticket still waiting)

    @property
    def expired(self) -> bool:
        return local_today() > self.on + timedelta(days=hall().rating_slip_days)

    @property
    def detail(self) -> str:
        return cn_date(self.on) + (f" · {self.window}号窗口" if self.window else "")


def registration_service(worker: Worker) -> RatedService:
    """A worker's latest registration: each registration prints a new slip (a new QR)."""
    return RatedService("registration", f"registration:{worker.id}:{worker.registration_count}",
                        "零工登记", to_local(worker.last_registered_at).date(), RaterRole.WORKER)


def ticket_service(ticket: Ticket) -> RatedService:
    from .queue import services

    service = services().get(ticket.service_code)
    # Rated once its service is over (办结 or 过号), or from the next day whatever became of it
    # (a person who gave up waiting has something to say too).
    waiting = ticket.status.is_open and ticket.day >= local_today()
    return RatedService("ticket", f"ticket:{ticket.id}",
                        f"排队办理 {ticket.number}" + (f" · {service.name}" if service else ""),
                        ticket.day, RaterRole.EMPLOYER, ticket.window,
                        not_yet="办理结束后即可在这里评价本次服务" if waiting else None)


# Slip kinds by the letter of their QR's path (/w/<token>, /q/<token>): how to find the
# record from the token, and the service it stands for. Deals and cases add theirs.
SLIPS: dict[str, tuple[Callable[[str], object | None], Callable[[object], RatedService]]] = {}


def slip_kind(letter: str, find: Callable[[str], object | None], service: Callable[[object], RatedService]):
    SLIPS[letter] = (find, service)


def _worker_by_token(token: str):
    from .workers import by_token

    return by_token(token)


def _ticket_by_token(token: str):
    from .queue import by_token

    return by_token(token)


slip_kind("w", _worker_by_token, registration_service)
slip_kind("q", _ticket_by_token, ticket_service)


# What each kind of rated service is called on screens and in files (``Rating.service_kind``).
SERVICE_KINDS = {"registration": "零工登记", "ticket": "排队办理", "case": "纠纷调解", "deal": "交易服务"}


def terminal_label(name: str | None) -> str:
    """A terminal as staff know it: a configured one by its label (大厅1号机); one known only by
    its network address as 未命名终端 with a short keyed tag (the address is never shown, and
    the tag cannot be turned back into it); any other name as it is."""
    if not name:
        return ""
    configured = hall().terminals.get(name)
    if configured is not None:
        return configured.label
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return name
    return f"未命名终端（标识 {vault().blind_index('terminal', name)[:6]}）"


def service_for(letter: str, token: str) -> RatedService | None:
    """The service behind a slip's token (None: no such slip)."""
    found = SLIPS.get(letter)
    if found is None or not token or len(token) > 64:
        return None
    record = found[0](token)
    return None if record is None else found[1](record)


def rating_of(service: RatedService) -> Rating | None:
    return db.session.scalar(select(Rating).where(Rating.service == service.key))


# -- storing a rating ----------------------------------------------------------------------

def rate_at_terminal(answer: Answer) -> Rating:
    """A rating from the exit terminal; ``StuffingRefused`` (counted) when over its limits."""
    terminal, address = current_terminal().name, client_address()
    locks.hold("rating-terminals")  # one terminal rating at a time: the check below stays true
    now = utcnow()
    recent = db.session.execute(select(Rating.at, Rating.terminal).where(
        Rating.channel == Channel.TERMINAL, Rating.at > now - timedelta(hours=1),
        or_(Rating.terminal == terminal, Rating.address == address)).order_by(Rating.at)).all()
    if hall().rating_limits.refuses([at for at, _ in recent], now):
        db.session.rollback()
        # Counted against the screen that was pressed: its own name, or (its cookies cleared)
        # the name its latest rating from this address was given under.
        pressed = terminal if any(name == terminal for _, name in recent) else recent[-1][1]
        _count_refusal(local_today(), pressed)
        raise StuffingRefused()
    rating = _store(answer, Channel.TERMINAL, terminal=terminal, address=address, at=now)
    db.session.commit()
    return rating


def rate_service(service: RatedService, answer: Answer) -> Rating:
    """The one rating of a slip's service; ``AlreadyRated`` for a second one, ``Conflict``
    when the service cannot be rated (not yet, or its link expired)."""
    if service.not_yet:
        raise Conflict(service.not_yet)
    if service.expired:
        raise Conflict(f"评价链接已过期：凭条上的服务办理 {hall().rating_slip_days} 天后不能再评价")
    if rating_of(service) is not None:
        raise AlreadyRated()
    try:
        rating = _store(answer, Channel.SLIP, service=service)
        db.session.commit()
    except IntegrityError:  # another phone rated this service in the same instant
        db.session.rollback()
        raise AlreadyRated() from None
    return rating


def _store(answer: Answer, channel: Channel, *, terminal: str | None = None, address: str | None = None,
           service: RatedService | None = None, at: datetime | None = None) -> Rating:
    rating = Rating(at=at or utcnow(), level=answer.level.value, channel=channel,
                    role=service.role if service else answer.role,  # a slip says who holds it
                    terminal=terminal, address=address, comment=answer.comment,
                    service=service.key if service else None,
                    service_kind=service.kind if service else None,
                    window=service.window if service else None)
    if answer.phone:
        rating.phone_cipher = vault().encrypt(answer.phone)
        rating.phone_last4 = answer.phone[-4:]
    rating.reasons = [RatingReason(reason=reason) for reason in answer.reasons]
    db.session.add(rating)
    db.session.flush()  # the unique service is checked here (a racing phone's IntegrityError)
    if answer.level.bad:
        day = to_local(rating.at).date()
        db.session.add(RatingFollowUp(rating_id=rating.id, due_on=workdays.due(day, hall().follow_up_days),
                                      created_at=rating.at))
    # A phone is nobody the hall knows: its network address stays out of the trail, which
    # can never be erased; the exit terminal is named (its name, or its fixed address).
    actor = audit.Actor("public", None, "手机扫码") if service else None
    audit.record(audit.ref(rating), "rate", after={
        "level": answer.level.value, "role": rating.role.value, "channel": channel.value,
        "service": rating.service, "reasons": [r.value for r in answer.reasons]}, actor=actor)
    return rating


def _count_refusal(day: date, terminal: str) -> None:
    bumped = db.session.execute(
        update(RatingRefusal).where(RatingRefusal.day == day, RatingRefusal.terminal == terminal)
        .values(count=RatingRefusal.count + 1)).rowcount
    if not bumped:
        db.session.add(RatingRefusal(day=day, terminal=terminal, count=1))
    try:
        db.session.commit()
    except IntegrityError:  # another refused press created the day's row first
        db.session.rollback()
        _count_refusal(day, terminal)
