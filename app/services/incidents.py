"""The hall's incident log (items B8 and B9): what happened, when, where in the hall, who was
involved, whether the police were called, and the outcome.

An entry made in error is voided with a reason (``app/services/voiding.py``), never deleted:
it stops counting and stays visible to the assessor. Who was involved is personal data: it
is encrypted at rest, shown in full to staff and the manager, who act on it, and masked for
the assessor (``involved_for``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.clock import from_local, local_now
from app.crypto import vault
from app.domain import Invalid, InvalidFields, parse_iso_date
from app.domain.disputes import FEE_INCIDENT_KINDS, HALL_INCIDENT_KINDS, IncidentKind, clean_statement
from app.domain.masking import mask_name, mask_words
from app.extensions import db
from app.models import Incident, Role, StaffUser

from . import audit, idempotency, voiding

PLACE_MAX, INVOLVED_MAX, OUTCOME_MAX = 60, 500, 1000


@dataclass(frozen=True)
class IncidentData:
    kind: str | None
    occurred_at: datetime | None  # hall-local, as entered
    place: str | None
    involved: str | None
    police_called: bool
    outcome: str | None


FIELDS = ("kind", "occurred_on", "occurred_time", "place", "involved", "police_called", "outcome")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)(?::[0-5]\d)?$")  # seconds, if sent, are dropped


def read_form(form) -> IncidentData:
    """The staff's entry form (``FIELDS``: the day and the clock time apart, hall-local;
    police called ``yes``/``no``), checked in full: ``InvalidFields`` names every field that
    is wrong, in Chinese (the time's messages under ``occurred_at``)."""
    errors: dict[str, str] = {}
    occurred_at = None
    try:
        day = parse_iso_date(form.get("occurred_on"), label="发生日期")
        found = _TIME.match((form.get("occurred_time") or "").strip())
        if not found:
            raise Invalid("请填写发生时间，如 14:30")
        occurred_at = datetime.combine(day, time(int(found[1]), int(found[2])))
    except Invalid as err:
        errors["occurred_at"] = err.message
    police = (form.get("police_called") or "").strip()
    if police not in ("yes", "no"):
        errors["police_called"] = "请选择是否报警"
    data = IncidentData(kind=form.get("kind"), occurred_at=occurred_at, place=form.get("place"),
                        involved=form.get("involved"), police_called=police == "yes",
                        outcome=form.get("outcome"))
    try:
        _checked(data)
    except InvalidFields as err:
        errors = {**err.errors, **errors}
    if errors:
        raise InvalidFields({name: errors[name] for name in
                             ("kind", "occurred_at", "place", "involved", "police_called", "outcome")
                             if name in errors})
    return data


def _checked(data: IncidentData) -> dict[str, object]:
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
    return values


def log(data: IncidentData, user: StaffUser, *, form_key: str | None = None) -> Incident:
    """Enter an incident; ``InvalidFields`` (nothing written) when anything is wrong. The
    form's one-time key enters it once however often the form is sent (a retry after a lost
    answer would otherwise count twice in B8 or B9)."""
    if (found := idempotency.find(form_key, Incident)) is not None:
        return found
    values = _checked(data)
    row = Incident(kind=values["kind"], occurred_at=from_local(data.occurred_at), place=values["place"],
                   involved_cipher=vault().encrypt(values["involved"]), police_called=data.police_called,
                   outcome=values["outcome"], created_by_id=user.id)
    try:
        db.session.add(row)
        db.session.flush()
        idempotency.remember(form_key, "incident", row)
        audit.record(audit.ref(row), "create", after={
            "kind": row.kind.value, "occurred_at": row.occurred_at.isoformat(timespec="minutes"),
            "place": row.place, "police_called": row.police_called}, actor=audit.Actor.staff(user))
        db.session.commit()
    except IntegrityError:  # the same form, sent again at the same instant, won the key
        db.session.rollback()
        if (found := idempotency.find(form_key, Incident)) is not None:
            return found
        raise
    return row


def counts_for(kind: IncidentKind) -> str:
    """What an entry of this kind counts towards, in words (the void page says it stops)."""
    if kind in HALL_INCIDENT_KINDS:
        return "场内治安事件（B8）"
    if kind in FEE_INCIDENT_KINDS:
        return "违规收费事件（B9）"
    return "事件统计"


def void(row: Incident, reason: str | None, user: StaffUser) -> Incident:
    return voiding.void(row, reason, user, {"kind": row.kind.value,
                                            "occurred_at": row.occurred_at.isoformat(timespec="minutes")})


def involved_for(row: Incident, role: Role) -> str:
    """Who was involved, as this role may read it: in full for staff and the manager; for the
    assessor every word cut to its first character and every digit hidden (they check the
    record, not the people: ``mask_words``)."""
    text = vault().decrypt(row.involved_cipher)
    if role in (Role.STAFF, Role.MANAGER):
        return text
    return mask_words(text)


_LONG_NUMBER = re.compile(r"\d[\d\s-]{5,}\d")


def said_for(row: Incident, text: str | None, role: Role) -> str:
    """Free text of an entry (the outcome, a void's reason) as this role may read it: in full
    for staff and the manager; for the assessor every name of who was involved masked (张*)
    and every long number hidden (the outcome often names the people again)."""
    text = text or ""
    if role in (Role.STAFF, Role.MANAGER):
        return text
    words = {w for w in re.split(r"[^\w]+", vault().decrypt(row.involved_cipher)) if len(w) > 1}
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, mask_name(word))
    return _LONG_NUMBER.sub(lambda m: "*" * len(m.group()), text)


def listed(since: datetime | None = None, until: datetime | None = None,
           kind: IncidentKind | None = None) -> list[Incident]:
    """Entries (voided ones too), newest first; ``since``/``until`` are UTC bounds."""
    stmt = select(Incident)
    if kind is not None:
        stmt = stmt.where(Incident.kind == kind)
    if since is not None:
        stmt = stmt.where(Incident.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(Incident.occurred_at < until)
    return list(db.session.scalars(stmt.order_by(Incident.occurred_at.desc(), Incident.id.desc())))
