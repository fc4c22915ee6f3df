"""Voiding an entry made in error (``models.score.Voidable``: livestreams, follower counts,
incidents): never deleted, marked void once, with who, when and why; it stops counting
(the counters leave voided rows out) and stays visible to the assessor."""

from __future__ import annotations

from sqlalchemy import select, update

from app.domain import Conflict, InvalidFields
from app.extensions import db
from app.models import StaffUser, utcnow

from . import audit

MAX_REASON = 200


def reason(raw: str | None) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidFields({"reason": "请写明作废原因"})
    if len(text) > MAX_REASON:
        raise InvalidFields({"reason": f"作废原因最多{MAX_REASON}个字"})
    if "<" in text or ">" in text:
        raise InvalidFields({"reason": "作废原因不能包含 < 或 > 符号"})
    return text


def void(row, raw_reason: str | None, user: StaffUser, what: dict):
    """Mark the entry void (once: a second void, even at the same moment, is refused)."""
    text = reason(raw_reason)
    model = type(row)
    done = db.session.execute(
        update(model).where(model.id == row.id, model.voided_at.is_(None))
        .values(voided_at=utcnow(), voided_by_id=user.id, void_reason=text)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict("这条记录已经作废，无需再作废")
    audit.record(audit.ref(row), "void", before={**what, "voided": False}, after={"voided": True},
                 detail=text, actor=audit.Actor.staff(user))
    db.session.commit()
    db.session.refresh(row)
    return row


def people(rows) -> dict[int, StaffUser]:
    """The accounts that entered or voided these rows, by id (one query)."""
    ids = {i for row in rows for i in (row.created_by_id, row.voided_by_id) if i is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))}
