"""An assessment year's state: the manager's contract settings and service start date, the
years numbered from it, the rubric each year is scored with, the assessor's manual points, and
whether a year is locked. Every change is audited and serialises with locking (the named locks
"score:settings" and "score:<n>", see ``app.services.score_locks``).

Year 1 starts on the service start date; a locked year keeps its figures, rubric and money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app import scoring
from app.clock import hall_tz, local_today
from app.database import insert_if_missing
from app.domain import Conflict, Invalid, InvalidFields
from app.domain.periods import LocalPeriod
from app.domain.rubric import Rubric, decimal_text
from app.domain.scoring import Contract, manual_points
from app.extensions import db
from app.hall_config import hall
from app.models import AssessmentSettings, ManualScore, PeriodRubric, ScoreSnapshot, utcnow

from . import audit, locks

MONEY_FIELDS = ("contract_amount", "bid_price", "network_fee")


# -- settings ----------------------------------------------------------------------------

def settings() -> AssessmentSettings | None:
    return db.session.get(AssessmentSettings, 1)


def service_start() -> date | None:
    row = settings()
    return row.service_start if row else None


def contract() -> Contract | None:
    row = settings()
    if row is None or None in (row.contract_amount, row.bid_price, row.network_fee):
        return None
    return Contract(row.contract_amount, row.bid_price, row.network_fee)


def save_settings(*, service_start: date, contract_amount: Decimal | None, bid_price: Decimal | None,
                  network_fee: Decimal | None, user) -> AssessmentSettings:
    """The manager's contract settings (one row), recorded in the audit trail. A sum not
    known yet is None (no money on the page until all three are set); saving the same
    values again records nothing."""
    if None not in (network_fee, bid_price) and network_fee > bid_price:
        raise InvalidFields({"network_fee": "网络建设费不能高于中标价"})
    locks.hold("score:settings")  # a lock taken at the same moment sees the settings before or after
    row = settings() or AssessmentSettings(id=1)
    if row.service_start == service_start and (row.contract_amount, row.bid_price, row.network_fee) == \
            (contract_amount, bid_price, network_fee):
        return row
    if row.service_start != service_start and db.session.scalar(
            select(ScoreSnapshot.id).where(ScoreSnapshot.unlocked_at.is_(None)).limit(1)):
        raise Conflict("已有考核年度锁定，不能再改服务起始日期；请考核人员先解锁")
    before = _settings_dict(row) if db.session.get(AssessmentSettings, 1) else None
    row.service_start, row.contract_amount = service_start, contract_amount
    row.bid_price, row.network_fee = bid_price, network_fee
    row.updated_at, row.updated_by_id = utcnow(), user.id
    db.session.add(row)
    record_rubrics(user.id)
    audit.record(audit.Ref("assessment_settings", 1), "settings", before=before, after=_settings_dict(row),
                 actor=audit.Actor.staff(user))
    db.session.commit()
    return row


def _settings_dict(row: AssessmentSettings) -> dict:
    return {"service_start": row.service_start.isoformat() if row.service_start else None,
            **{name: decimal_text(getattr(row, name)) for name in MONEY_FIELDS}}


# -- periods and their rubric ------------------------------------------------------------

def period(number: int) -> LocalPeriod:
    start = service_start()
    if start is None:
        raise Invalid("请经理先在考核设置中填写服务起始日期")
    if number < 1:
        raise Invalid("考核年度从第1年开始")
    return LocalPeriod.assessment_year(start, number, hall_tz())


def current_number() -> int:
    """The year containing today (year 1 before the service starts)."""
    start = service_start()
    if start is None:
        return 1
    return max(LocalPeriod.assessment_year(start, local_today(), hall_tz()).number, 1)


def numbers() -> list[int]:
    """The years the page offers: 1, 2, 3 and any later one already begun."""
    return list(range(1, max(3, current_number()) + 1))


def record_rubrics(user_id: int | None) -> None:
    """Years 1–3 keep the rubric they are first scored with: recorded with the first settings,
    so that a later change of ``SCORE_RUBRIC`` does not re-score them (the manager may still
    choose another for a year not locked)."""
    for number in (1, 2, 3):
        insert_if_missing(PeriodRubric, period=number, version=hall().rubric.version, set_at=utcnow(),
                          set_by_id=user_id)


def rubric_for(number: int) -> Rubric:
    row = db.session.get(PeriodRubric, number)
    return scoring.load(row.version if row else hall().rubric.version)


def set_rubric(number: int, version: str, user) -> None:
    if version not in scoring.versions():
        raise InvalidFields({"version": "没有这个评分细则版本"})
    locks.hold(f"score:{number}")
    if is_locked(number):
        raise Conflict("该考核年度已锁定，不能更换评分细则；请考核人员先解锁")
    row = db.session.get(PeriodRubric, number)
    before = {"version": row.version} if row else {"version": hall().rubric.version}
    row = row or PeriodRubric(period=number)
    row.version, row.set_at, row.set_by_id = version, utcnow(), user.id
    db.session.add(row)
    audit.record(audit.Ref("period_rubric", number), "set_rubric", before=before, after={"version": version},
                 actor=audit.Actor.staff(user))
    db.session.commit()


# -- manual items ------------------------------------------------------------------------

def manual_entries(number: int) -> dict[str, ManualScore]:
    return {row.item_key: row for row in
            db.session.scalars(select(ManualScore).where(ManualScore.period == number))}


def enter_manual(number: int, key: str, raw_points: str, note: str, user, *,
                 commit: bool = True) -> ManualScore:
    """The assessor's points for a manual item (0 to its max, in steps of 0.1), with a note.
    ``commit=False`` leaves the change in the caller's transaction (the demo year's load)."""
    rubric = rubric_for(number)
    try:
        item = rubric.item(key)
    except KeyError:
        raise Invalid("评分表中没有这一项") from None
    if item.rule != "manual":
        raise Invalid("这一项由系统按记录计分，不能手工录入")
    points = parse_points(raw_points, item.max)
    note = (note or "").strip()
    if len(note) > 300:
        raise InvalidFields({"note": "说明最多300字"})
    locks.hold(f"score:{number}")
    if is_locked(number):
        raise Conflict("该考核年度已锁定，不能再改分；如需修改，请先解锁")
    row = manual_entries(number).get(key)
    before = {"points": decimal_text(row.points), "note": row.note} if row else None
    row = row or ManualScore(period=number, item_key=key)
    row.points, row.note, row.entered_at, row.entered_by_id = points, note, utcnow(), user.id
    db.session.add(row)
    db.session.flush()
    audit.record(audit.Ref("manual_score", row.id), "score", before=before,
                 after={"period": number, "item": key, "points": decimal_text(points), "note": note},
                 actor=audit.Actor.staff(user))
    if commit:
        db.session.commit()
    return row


def parse_points(raw: str, maximum: Decimal) -> Decimal:
    """Points typed on the page (the rule is ``manual_points`` of the domain)."""
    try:
        return manual_points(Decimal((raw or "").strip()), maximum)
    except InvalidOperation:
        raise InvalidFields({"points": "请填写分数，例如 3 或 2.5"}) from None
    except Invalid as err:
        raise InvalidFields({"points": err.message}) from None


# -- locking -----------------------------------------------------------------------------

def current_snapshot(number: int) -> ScoreSnapshot | None:
    return db.session.scalar(select(ScoreSnapshot).where(ScoreSnapshot.period == number,
                                                         ScoreSnapshot.unlocked_at.is_(None))
                             .order_by(ScoreSnapshot.id.desc()).limit(1))


def is_locked(number: int) -> bool:
    return current_snapshot(number) is not None
