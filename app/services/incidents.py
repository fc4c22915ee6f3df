"""The hall's incident log (items B8 and B9): what happened, when, where in the hall, who was
involved, whether the police were called, and the outcome.

An entry made in error is voided with a reason (``app/services/voiding.py``), never deleted:
it stops counting and stays visible to the assessor. Who was involved is personal data: it
is encrypted at rest, shown in full to staff and the manager, who act on it, and masked for
the assessor (``involved_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.clock import from_local, local_now
from app.crypto import vault
from app.domain import Invalid, InvalidFields
from app.domain.disputes import IncidentKind, clean_statement
from app.domain.masking import mask_name
from app.extensions import db
from app.models import Incident, Role, StaffUser

from . import audit, voiding

PLACE_MAX, INVOLVED_MAX, OUTCOME_MAX = 60, 500, 1000


@dataclass(frozen=True)
class IncidentData:
    kind: str | None
    occurred_at: datetime | None  # hall-local, as entered
    place: str | None
    involved: str | None
    police_called: bool
    outcome: str | None


def log(data: IncidentData, user: StaffUser) -> Incident:
    """Enter an incident; ``InvalidFields`` (nothing written) when anything is wrong."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    try:
        values["kind"] = IncidentKind(data.kind or "")
    except ValueError:
        errors["kind"] = "请选择事件类型"
    if data.occurred_at is None:
        errors["occurred_at"] = "请填写发生时间"
    elif data.occurred_at > local_now().replace(tzinfo=None):
        errors["occurred_at"] = "发生时间不能晚于现在"
    for name, label, minimum, maximum in (("place", "发生地点", 1, PLACE_MAX),
                                           ("involved", "涉及人员", 1, INVOLVED_MAX),
                                           ("outcome", "处理结果", 1, OUTCOME_MAX)):
        try:
            values[name] = clean_statement(getattr(data, name), label=label, minimum=minimum, maximum=maximum)
        except Invalid as err:
            errors[name] = err.message
    if errors:
        raise InvalidFields(errors)
    row = Incident(kind=values["kind"], occurred_at=from_local(data.occurred_at), place=values["place"],
                   involved_cipher=vault().encrypt(values["involved"]), police_called=data.police_called,
                   outcome=values["outcome"], created_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record(audit.ref(row), "create", after={
        "kind": row.kind.value, "occurred_at": row.occurred_at.isoformat(timespec="minutes"),
        "place": row.place, "police_called": row.police_called}, actor=audit.Actor.staff(user))
    db.session.commit()
    return row


def void(row: Incident, reason: str | None, user: StaffUser) -> Incident:
    return voiding.void(row, reason, user, {"kind": row.kind.value,
                                            "occurred_at": row.occurred_at.isoformat(timespec="minutes")})


def involved_for(row: Incident, role: Role) -> str:
    """Who was involved, as this role may read it: in full for staff and the manager; for the
    assessor every name-like word masked (they check the count, not the people)."""
    text = vault().decrypt(row.involved_cipher)
    if role in (Role.STAFF, Role.MANAGER):
        return text
    return " ".join(mask_name(word) if word else word for word in text.split(" "))


def listed(since: datetime | None = None, until: datetime | None = None) -> list[Incident]:
    """Entries (voided ones too), newest first; ``since``/``until`` are UTC bounds."""
    stmt = select(Incident)
    if since is not None:
        stmt = stmt.where(Incident.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(Incident.occurred_at < until)
    return list(db.session.scalars(stmt.order_by(Incident.occurred_at.desc(), Incident.id.desc())))
