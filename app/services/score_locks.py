"""Finalising a period: the assessor locks its figures with their SHA-256, and may unlock
them with a reason; every snapshot is kept.

``lock`` stores a live card's ``content`` (the JSON object and the page's rows, and the
contract's money) as it is; ``scoring.card`` then reads a locked period from that snapshot,
never recomputing it. Locking holds the named locks "score:settings" and "score:<n>", which
changes of the settings, the period's rubric and its manual points hold too.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from app.domain import Conflict, InvalidFields
from app.domain.rubric import decimal_text
from app.extensions import db
from app.models import ScoreSnapshot, utcnow

from . import audit, locks
from .assessment import MONEY_FIELDS, contract, current_snapshot, is_locked
from .scoring import Card, card


def content_hash(content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def lock(number: int, user, confirmed: str | None = None) -> ScoreSnapshot:
    """Finalise a period: its figures as they are now, kept with their SHA-256. With
    ``confirmed`` (``figures_hash`` of the figures the assessor was shown), figures that have
    changed since are refused, to be confirmed again."""
    locks.hold("score:settings")
    locks.hold(f"score:{number}")
    if is_locked(number):
        raise Conflict("该考核年度已经锁定")
    live = card(number)
    if confirmed is not None and confirmed != figures_hash(live):
        raise Conflict("确认之后数据又有变化，请重新核对后再锁定")
    terms = contract()
    content = dict(live.content, locked=True, contract=None if terms is None else {
        name: decimal_text(getattr(terms, name)) for name in MONEY_FIELDS})
    snapshot = ScoreSnapshot(period=number, rubric_version=live.rubric.version, content=content,
                             sha256=content_hash(content), locked_by_id=user.id)
    db.session.add(snapshot)
    db.session.flush()
    audit.record(audit.Ref("score_snapshot", snapshot.id), "lock",
                 after={"period": number, "total": content["total"], "grade": content["grade"],
                        "sha256": snapshot.sha256}, actor=audit.Actor.staff(user))
    db.session.commit()
    return snapshot


def figures_hash(live: Card) -> str:
    """The SHA-256 of a live card's figures, to tell whether they changed since shown."""
    return content_hash(live.content)


def unlock(number: int, reason: str, user) -> ScoreSnapshot:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidFields({"reason": "请写明解锁原因"})
    if len(reason) > 200:
        raise InvalidFields({"reason": "原因最多200字"})
    locks.hold(f"score:{number}")
    snapshot = current_snapshot(number)
    if snapshot is None:
        raise Conflict("该考核年度没有锁定")
    snapshot.unlocked_at, snapshot.unlocked_by_id, snapshot.unlock_reason = utcnow(), user.id, reason
    audit.record(audit.Ref("score_snapshot", snapshot.id), "unlock",
                 after={"period": number, "sha256": snapshot.sha256}, detail=reason,
                 actor=audit.Actor.staff(user))
    db.session.commit()
    return snapshot


def snapshots(number: int) -> list[ScoreSnapshot]:
    """Every snapshot of a period, newest first (unlocked ones are kept)."""
    return list(db.session.scalars(select(ScoreSnapshot).where(ScoreSnapshot.period == number)
                                   .order_by(ScoreSnapshot.id.desc())))


def verify_snapshot(snapshot: ScoreSnapshot) -> bool:
    return content_hash(snapshot.content) == snapshot.sha256
