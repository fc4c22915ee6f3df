"""Task orders and the postings they become: review and publication, the board, closing,
voiding, and confirming a posting or a worker record false (item C4).

Every change of state is one conditional UPDATE (a colleague's click at the same moment
gets a ``Conflict``) and one audit entry, committed together. A posting is on the board
(``on_board``) while it is published, within its validity, and has places left; nothing
needs to run at midnight for it to leave.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import local_today, to_local
from app.domain import Conflict, Invalid, InvalidFields
from app.domain.deals import DealStatus, FalseKind, PostingSource, valid_until
from app.domain.disputes import clean_statement
from app.domain.postings import ENTERPRISE_ONLY, PostingData
from app.domain.queue import TicketStatus
from app.domain.task_orders import TASK_ORDERS, PayUnit
from app.extensions import db
from app.hall_config import hall
from app.models import (
    Deal,
    EmployerType,
    FalseRecord,
    StaffUser,
    TaskOrder,
    TaskStatus,
    Ticket,
    Worker,
    utcnow,
)

from . import audit, checkin, idempotency
from .checkin import CheckinData

STALE = "该招工信息刚刚已被其他人处理，请刷新页面查看最新状态"


def review(task: TaskOrder, publish: bool, staff_id: int, window: int) -> TaskOrder:
    """Publish or reject a check-in's draft; only the window now serving its ticket, and
    only today."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.task_order_id == task.id))
    if ticket is None or ticket.day != local_today():
        raise Conflict("只能审核今天取号的招工信息；更早的请用工方重新取号登记")
    if ticket.window != window or ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVING):
        raise Conflict(f"{ticket.number} 号不在本窗口办理，不能审核它的招工信息；"
                       f"请刷新页面，审核本窗口当前号的招工信息")
    user = db.session.get(StaffUser, staff_id)
    return (publish_posting if publish else reject)(task, user, after={"ticket": ticket.number})


def _move(task: TaskOrder, action: str, user, *, detail: str | None = None, after: dict | None = None,
          **values) -> TaskOrder:
    before = task.status
    target = TASK_ORDERS.apply(before, action)
    moved = db.session.execute(
        update(TaskOrder).where(TaskOrder.id == task.id, TaskOrder.status == before)
        .values(status=target, **values).execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict(STALE)
    audit.record(audit.ref(task), action, before={"status": before.value},
                 after={"status": target.value, **(after or {})}, detail=detail,
                 actor=audit.Actor.staff(user))
    db.session.commit()
    db.session.refresh(task)
    return task


def publish_posting(task: TaskOrder, user, *, valid_days: int | None = None,
                    after: dict | None = None) -> TaskOrder:
    """Publish a draft: on the board from now for ``valid_days`` (the hall's
    ``POSTING_VALID_DAYS`` unless given), never past its work date."""
    now = utcnow()
    today = to_local(now).date()
    if task.work_date < today:
        raise Conflict("用工日期已过，不能发布；请与用工方确认新的日期后重新登记")
    until = valid_until(today, task.work_date, valid_days or hall().posting_valid_days)
    return _move(task, "publish", user, reviewed_at=now, reviewed_by_id=user.id, published_at=now,
                 valid_until=until, after={"valid_until": until.isoformat(), **(after or {})})


def reject(task: TaskOrder, user, *, after: dict | None = None) -> TaskOrder:
    return _move(task, "reject", user, reviewed_at=utcnow(), reviewed_by_id=user.id, published_at=None,
                 after=after)


def clean_reason(raw: str | None, label: str, field: str = "reason") -> str:
    """A reason (or evidence) of 2–200 characters; ``InvalidFields`` naming ``field``."""
    try:
        return clean_statement(raw, label=label, minimum=2, maximum=200)
    except Invalid as err:
        raise InvalidFields({field: err.message}) from None


def close(task: TaskOrder, reason: str | None, user) -> TaskOrder:
    """下架: off the board now (it was published, and still counts in C2)."""
    text = clean_reason(reason, "下架的原因")
    return _move(task, "close", user, closed_at=utcnow(), close_reason=text, detail=text)


def void(task: TaskOrder, reason: str | None, user) -> TaskOrder:
    """作废: entered in error; not counted. Refused while a deal on it is not cancelled."""
    text = clean_reason(reason, "作废的原因")
    if db.session.scalar(select(Deal.id).where(Deal.task_order_id == task.id,
                                               Deal.status != DealStatus.CANCELLED).limit(1)):
        raise Conflict("该招工信息已有零工接单，不能作废；请先取消这些交易，或改为下架")
    return _move(task, "void", user, closed_at=task.closed_at or utcnow(), close_reason=text, detail=text)


def clean_false_reasons(reason: str | None, evidence: str | None) -> tuple[str, str]:
    """The reason and the evidence of a false record; ``InvalidFields`` naming each bad one."""
    errors, cleaned = {}, []
    asked = ((reason, "认定为虚假的理由", "reason"), (evidence, "证据（核实经过、材料）", "evidence"))
    for raw, label, field in asked:
        try:
            cleaned.append(clean_reason(raw, label, field))
        except InvalidFields as err:
            errors |= err.errors
    if errors:
        raise InvalidFields(errors)
    return cleaned[0], cleaned[1]


def mark_false(kind: FalseKind, record: TaskOrder | Worker, reason: str | None, evidence: str | None,
               user) -> FalseRecord:
    """Confirm a posting or a worker record false, with the reason and the evidence (C4, by
    this time). A posting leaves the board at once; a worker can no longer apply."""
    reason_text, evidence_text = clean_false_reasons(reason, evidence)
    if db.session.scalar(select(FalseRecord.id).where(FalseRecord.kind == kind,
                                                      FalseRecord.record_id == record.id)):
        raise Conflict("该信息已经确认为虚假信息，无需再操作")
    found = FalseRecord(kind=kind, record_id=record.id, reason=reason_text, evidence=evidence_text,
                        confirmed_by_id=user.id)
    db.session.add(found)
    db.session.flush()
    if kind == FalseKind.POSTING:
        _move(record, "mark_false", user, closed_at=record.closed_at or utcnow(), close_reason=reason_text,
              detail=reason_text, after={"false_record": found.id})
    else:
        audit.record(audit.ref(record), "mark_false", after={"false_record": found.id}, detail=reason_text,
                     actor=audit.Actor.staff(user))
        db.session.commit()
    return found


# -- the board -----------------------------------------------------------------------------------

def on_board(today: date):
    """The condition of a posting on the board on ``today``: published, valid, places left."""
    return (TaskOrder.status == TaskStatus.PUBLISHED) & (TaskOrder.valid_until >= today) & (
        TaskOrder.taken < TaskOrder.headcount)


def board(today: date, trade: str | None = None) -> Select:
    """The kiosk's job board: open postings, nearest work date first (then newest)."""
    stmt = select(TaskOrder).where(on_board(today))
    if trade:
        stmt = stmt.where(TaskOrder.trade_code == trade)
    return stmt.order_by(TaskOrder.work_date, TaskOrder.work_time, TaskOrder.published_at.desc(),
                         TaskOrder.id)


def is_on_board(task: TaskOrder, today: date) -> bool:
    return db.session.scalar(select(TaskOrder.id).where(TaskOrder.id == task.id, on_board(today))) is not None


@dataclass(frozen=True)
class BoardPage:
    """One page of the kiosk's job board, and the trades that have open postings (its chips)."""

    postings: list[TaskOrder]
    trades: list[str]  # codes of the trades with open postings, in the hall's order
    trade: str | None  # the trade shown (None: 全部)
    number: int
    pages: int


def board_page(today: date, trade: str | None = None, number: int = 1, per_page: int = 4) -> BoardPage:
    """Page ``number`` of ``board(today, trade)`` (clamped to the pages there are); a trade
    the hall does not know shows every trade."""
    open_codes = set(db.session.scalars(select(TaskOrder.trade_code).where(on_board(today)).distinct()))
    trade = trade if trade in hall().trades_by_code else None
    stmt = board(today, trade)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    postings = list(db.session.scalars(stmt.offset((number - 1) * per_page).limit(per_page)))
    return BoardPage(postings, [t.code for t in hall().trades if t.code in open_codes], trade, number, pages)


def open_postings(today: date, limit: int = 12) -> list[TaskOrder]:
    """The hall display's postings: open ones, newest first."""
    return list(db.session.scalars(
        select(TaskOrder).where(on_board(today)).order_by(TaskOrder.published_at.desc()).limit(limit)))


def expiring(today: date, days: int = 1) -> Select:
    """Open postings whose validity ends within ``days`` days (today included), with places left."""
    last = today + timedelta(days=days - 1)
    return (select(TaskOrder).where(on_board(today), TaskOrder.valid_until <= last)
            .order_by(TaskOrder.valid_until, TaskOrder.id))


def late_hours(task: TaskOrder) -> float | None:
    """Hours from receipt to publication (None: not published)."""
    if task.published_at is None:
        return None
    return (task.published_at - task.created_at).total_seconds() / 3600


def is_late(task: TaskOrder) -> bool:
    hours = late_hours(task)
    return hours is not None and hours > hall().posting_late_hours



# -- staff entries ---------------------------------------------------------------

NOT_AN_ENTERPRISE = "该手机号已登记为个人/家庭用工方，不能代企业发布；请核实后填写企业的联系电话"


def create_posting(data: PostingData, *, source: PostingSource, user, form_key: str) -> TaskOrder:
    """A posting staff entered from a phone call or for an enterprise (G1), as a draft for
    review. The employer is found or created by phone as at check-in (a known employer's
    stored identity is kept); the same ``form_key`` enters one posting however often it is
    sent."""
    existing = idempotency.find(form_key, TaskOrder)
    if existing is not None:
        return existing
    if source == PostingSource.ENTERPRISE and data.employer_type != EmployerType.ENTERPRISE.value:
        raise InvalidFields({"employer_type": ENTERPRISE_ONLY})
    try:
        employer, differs = checkin.save_employer(CheckinData(
            employer_type=data.employer_type, employer_name=data.employer_name, uscc=data.uscc,
            contact_name=data.contact_name, phone=data.phone, service=source.value))
        if source == PostingSource.ENTERPRISE and employer.employer_type != EmployerType.ENTERPRISE:
            db.session.rollback()
            raise InvalidFields({"employer_type": NOT_AN_ENTERPRISE})
        task = TaskOrder(employer_id=employer.id, trade_code=data.trade, headcount=data.headcount,
                         pay=data.pay, pay_unit=PayUnit(data.pay_unit), work_date=data.work_date,
                         work_time=data.work_time, location=data.location, description=data.description,
                         requirements=data.requirements, duration_days=data.duration_days,
                         outside_fujian=data.outside_fujian, source=source.value, created_by_id=user.id)
        db.session.add(task)
        db.session.flush()
        idempotency.remember(form_key, "posting", task)
        audit.record(audit.ref(task), "create", after={
            "status": task.status.value, "source": source.value, "trade": task.trade_code,
            "employer_differs": differs}, actor=audit.Actor.staff(user))
        db.session.commit()
        return task
    except IntegrityError:
        # The same form sent twice at once: the first one won.
        db.session.rollback()
        existing = idempotency.find(form_key, TaskOrder)
        if existing is None:
            raise
        return existing


def false_record(kind: FalseKind, record_id: int) -> FalseRecord | None:
    """The confirmation that a posting or a worker record is false, if there is one."""
    return db.session.scalar(select(FalseRecord).where(FalseRecord.kind == kind,
                                                       FalseRecord.record_id == record_id))
