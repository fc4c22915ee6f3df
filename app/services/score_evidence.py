"""The records behind a score item's figure: the drill-down page and its CSV.

Each item reads one or more counters (``app.services.metrics``); a counter's ``Measure``
hands back the very query its value was computed from, so the list shown here is exactly
what was counted. The columns are defined once per record type (``COLUMNS``) and used by
both the page and the CSV. Personal data is masked here, for the manager and the assessor
alike: names as on the hall display, employers as a returning employer sees theirs, staff
accounts by user name only; never an ID or phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload, selectinload

from app.clock import format_local
from app.domain.deals import FalseKind, PostingSource
from app.domain.masking import mask_business_name, mask_name
from app.domain.ratings import LEVEL_BY_VALUE, Reason
from app.domain.rubric import Item, Rubric
from app.domain.validation import format_yuan
from app.extensions import db
from app.hall_config import hall
from app.models import (
    AuditEntry,
    Deal,
    DisputeCase,
    EmployerType,
    FalseRecord,
    FollowerCount,
    Incident,
    Livestream,
    Rating,
    RatingRefusal,
    Role,
    StaffUser,
    TaskOrder,
    Worker,
)

from . import assessment, audit, incidents, metrics
from .csv_export import BOM, Lines
from .ratings import SERVICE_KINDS, terminal_label

PAGE_SIZE = 50
CSV_BATCH = 1000  # records read at a time for the CSV


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[object], str]


def _worker_name(worker: Worker) -> str:
    return "已注销" if worker.anonymised_at else mask_name(worker.name)


def _employer(order: TaskOrder) -> str:
    employer = order.employer
    if employer.employer_type == EmployerType.ENTERPRISE and employer.employer_name:
        return mask_business_name(employer.employer_name)
    return mask_name(employer.contact_name)


def _trade(code: str) -> str:
    trade = hall().trades_by_code.get(code)
    return trade.name if trade else code


def _date(value) -> str:
    return value.isoformat() if value else ""


def _voided(record) -> str:
    return f"已作废：{record.void_reason or ''}" if record.voided_at else ""


def _rated(rating: Rating) -> str:
    """Where a rating was given: the exit terminal, or the kind of service its slip is for;
    never the network address, and never which worker or ticket (the assessor sees what was
    rated, how and why, not who said it: a worker's number would join the C1 list)."""
    if rating.service is None:
        return terminal_label(rating.terminal)
    return SERVICE_KINDS.get(rating.service_kind or "", rating.service_kind or "")


def _reasons(rating: Rating) -> str:
    """The reasons tapped, in the order the screen offers them."""
    order = list(Reason)
    return "、".join(r.label for r in sorted(rating.reason_codes, key=order.index))


def _level(rating: Rating) -> str:
    level = LEVEL_BY_VALUE.get(rating.level)
    return level.label if level else str(rating.level)


def _amount(case: DisputeCase) -> str:
    return "" if case.amount is None else f"¥{case.amount:,.2f}"


def _merged_into(case: DisputeCase) -> str:
    return case.merged_into.number if case.merged_into is not None else ""


# -- postings, deals and false records (C2–C4, G1–G3) --------------------------------------------

def _source(order: TaskOrder) -> str:
    try:
        return PostingSource(order.source).label
    except ValueError:
        return order.source or ""


def _hours_to_publication(order: TaskOrder) -> str:
    """Receipt to publication in hours, one decimal (24 小时 is the hall's limit, C4)."""
    if order.published_at is None or order.created_at is None:
        return ""
    hours = (order.published_at - order.created_at).total_seconds() / 3600
    return f"{hours:.1f}"


def _filled(order: TaskOrder) -> str:
    return f"{order.taken}/{order.headcount}"


def _deal_worker(deal: Deal) -> str:
    return f"{_worker_name(deal.worker)}（{deal.worker.number}）"


def _pay(deal: Deal) -> str:
    return f"{format_yuan(deal.pay)} {deal.pay_unit.label}"


def _why_inter_provincial(deal: Deal) -> str:
    """Why the deal was suggested as inter-provincial service (G3), as the rule reads it."""
    reasons = []
    if deal.worker.from_other_province:
        reasons.append("零工身份证号所属省份非福建")
    if deal.task_order.outside_fujian:
        reasons.append("工作地点在省外")
    return "；".join(reasons)


_LONG_NUMBER = re.compile(r"\d[\d\s-]{5,}\d")


def _false_subject(record: FalseRecord):
    """The posting or the worker record confirmed false."""
    model = TaskOrder if record.kind == FalseKind.POSTING else Worker
    return db.session.get(model, record.record_id)


def _false_number(record: FalseRecord) -> str:
    """ZG000123, or the worker's number and masked name: G000045 张*."""
    subject = _false_subject(record)
    if subject is None:
        return f"#{record.record_id}"
    if isinstance(subject, Worker):
        return f"{subject.number} {_worker_name(subject)}"
    return subject.number


def _false_text(record: FalseRecord, text: str) -> str:
    """The reason or the evidence with the names the record knows masked and every long
    number hidden (an ID or phone number quoted as evidence), as the dispute lists do."""
    subject = _false_subject(record)
    names = []
    if isinstance(subject, Worker):
        names.append(subject.name)
    elif subject is not None:
        names += [subject.employer.contact_name, subject.employer.employer_name]
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        masked = mask_business_name(name) if len(name) > 4 else mask_name(name)
        text = text.replace(name, masked)
    return _LONG_NUMBER.sub(lambda m: "*" * len(m.group()), text)


def _confirmed_by(record: FalseRecord) -> str:
    user = db.session.get(StaffUser, record.confirmed_by_id)
    return user.username if user else ""


COLUMNS: dict[type, tuple[Column, ...]] = {
    Worker: (Column("编号", lambda w: w.number), Column("姓名", _worker_name),
             Column("首次登记时间", lambda w: format_local(w.first_registered_at))),
    TaskOrder: (Column("编号", lambda o: o.number), Column("用工方", _employer),
                Column("工种", lambda o: _trade(o.trade_code)), Column("来源", _source),
                Column("状态", lambda o: o.status.label),
                Column("收到时间", lambda o: format_local(o.created_at)),
                Column("发布时间", lambda o: format_local(o.published_at)),
                Column("发布用时（小时）", _hours_to_publication),
                Column("有效期至", lambda o: _date(o.valid_until)), Column("已招/需招", _filled)),
    Deal: (Column("交易编号", lambda d: d.number), Column("零工", _deal_worker),
           Column("岗位编号", lambda d: d.task_order.number),
           Column("工种", lambda d: _trade(d.task_order.trade_code)),
           Column("状态", lambda d: d.status.label),
           Column("接单时间", lambda d: format_local(d.accepted_at)),
           Column("工价", _pay)),
    # The reason and the evidence with names masked and long numbers hidden, for the manager
    # and the assessor alike; who confirmed it by user name.
    FalseRecord: (Column("类型", lambda r: r.kind.label), Column("记录", _false_number),
                  Column("原因", lambda r: _false_text(r, r.reason)),
                  Column("证据", lambda r: _false_text(r, r.evidence)),
                  Column("确认人", _confirmed_by),
                  Column("确认时间", lambda r: format_local(r.confirmed_at))),
    Livestream: (Column("日期", lambda s: _date(s.held_on)), Column("平台", lambda s: s.platform),
                 Column("类型", lambda s: s.kind.label), Column("时长（分钟）", lambda s: str(s.minutes)),
                 Column("观看人数", lambda s: str(s.viewers)),
                 Column("推介岗位", lambda s: str(s.postings_promoted)), Column("备注", lambda s: s.note),
                 # when it was typed in: a session entered long after it was held stands out
                 Column("登记时间", lambda s: format_local(s.created_at)), Column("作废", _voided)),
    FollowerCount: (Column("日期", lambda f: _date(f.counted_on)),
                    Column("关注人数", lambda f: str(f.followers)), Column("备注", lambda f: f.note),
                    Column("登记时间", lambda f: format_local(f.created_at)), Column("作废", _voided)),
    StaffUser: (Column("用户名", lambda u: u.username),),
    AuditEntry: (Column("#", lambda e: str(e.id)), Column("时间", lambda e: format_local(e.at)),
                 Column("操作人", lambda e: e.actor_label),
                 Column("记录", lambda e: audit.RECORD_LABELS.get(e.record_type, e.record_type)),
                 Column("操作", lambda e: audit.ACTION_LABELS.get(e.action, e.action))),
    # No call-back phone (not even its last 4), no network address, no free-text comment:
    # the assessor sees what was rated, how, and why, not who said it.
    Rating: (Column("时间", lambda r: format_local(r.at)), Column("评价", _level),
             Column("身份", lambda r: r.role.label), Column("渠道", lambda r: r.channel.label),
             Column("终端/服务", _rated), Column("窗口", lambda r: str(r.window) if r.window else ""),
             Column("原因", _reasons)),
    # The applicant's name masked as on the hall display; no phone, no ID number, nothing of
    # the other party, no facts (they name people): the case by its number, kind and state.
    DisputeCase: (Column("案件编号", lambda c: c.number), Column("收到日期", lambda c: _date(c.received_on)),
                  Column("申请人", lambda c: mask_name(c.applicant_name)),
                  Column("类型", lambda c: c.kind.label), Column("渠道", lambda c: c.channel.label),
                  Column("状态", lambda c: c.status.label), Column("申请金额", _amount),
                  Column("合并到", _merged_into)),
    # Never who was involved (not even masked): what happened, where, and what was done.
    Incident: (Column("发生时间", lambda i: format_local(i.occurred_at)),
               Column("类型", lambda i: i.kind.label), Column("地点", lambda i: i.place),
               Column("报警", lambda i: "是" if i.police_called else "否"),
               Column("处理结果", lambda i: incidents.said_for(i, i.outcome, Role.ASSESSOR)),
               Column("作废", lambda i: incidents.said_for(i, _voided(i), Role.ASSESSOR))),
    RatingRefusal: (Column("日期", lambda f: _date(f.day)),
                    Column("终端", lambda f: terminal_label(f.terminal)),
                    Column("被拒次数", lambda f: str(f.count))),
}
# Loaded with each page of records, not one query per row (a rating's reasons are a
# "selectin" relationship of the model already).
# A case's sessions and signatures (drawn images) are not read here.
_CASE_ONLY = (lazyload(DisputeCase.entries), lazyload(DisputeCase.signatures))
LOADS = {TaskOrder: (selectinload(TaskOrder.employer),),
         Deal: (selectinload(Deal.worker), selectinload(Deal.task_order), lazyload(Deal.signatures)),
         DisputeCase: (*_CASE_ONLY, selectinload(DisputeCase.merged_into).options(*_CASE_ONLY))}
# Figures that explain a counter's records, listed beside it in the drill-down (and on the
# score page): beside all ratings, those from slips and the presses refused as stuffing.
# Beside E1's cases, the duplicates merged into them; beside B8's and B9's incidents, those
# of other kinds and the voided entries: each a list of its own, labelled 不计入.
# Beside C4's false records, the late publications and the postings left expired (warnings);
# beside G3's confirmed services, the suggestions staff have not decided yet.
RELATED = {"ratings_total": ("ratings_verified", "ratings_refused"),
           "false_records": ("postings_late", "postings_expired"),
           "inter_provincial_services": ("inter_provincial_suggested",),
           "disputes_received": ("disputes_merged",),
           "hall_incidents": ("incidents_other", "incidents_voided"),
           "fee_incidents": ("incidents_voided",)}
NEWEST = Column("计分", lambda _r: "")
# A deal's list also says the time its counter places it by (C3: completion), and G3's lists
# why the deal was suggested.
PLACED_BY = {"deals_completed": "完成时间", "prices_confirmed": "价格确认时间",
             "agreements_signed": "签订时间",
             "employer_payments": "付款时间", "wages_settled": "结算时间",
             "inter_provincial_services": "确认时间"}
WHY = Column("省际原因", _why_inter_provincial)
EXTRA = {"inter_provincial_services": (WHY,), "inter_provincial_suggested": (WHY,)}


def columns_for(model: type, counter: str, at) -> tuple[Column, ...]:
    """The record type's columns, and for a deal the counter's time and G3's reason."""
    columns = COLUMNS[model]
    if counter in PLACED_BY:
        columns += (Column(PLACED_BY[counter], lambda r, key=at.key: format_local(getattr(r, key))),)
    return columns + EXTRA.get(counter, ())  # a latest-figure counter (F1): the row whose figure counts


@dataclass(frozen=True)
class Source:
    """One counter an item reads: its name, label, and whether it is registered yet."""

    name: str
    label: str
    registered: bool
    unit: str = "条"  # the counter's unit: 笔 for deals, 件 for cases


@dataclass
class Evidence:
    number: int
    item: Item
    sources: list[Source]
    source: Source
    value: int | float | None  # the counter's figure in the period (None: not recorded)
    total: int = 0  # records in the list
    columns: tuple[Column, ...] = ()
    rows: list[list[str]] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    newest_figure: bool = False  # the value is the newest record's figure, not their number
    summed: bool = False  # the value is a sum over the records (refused presses per day)
    records: Select | None = None  # everything=True: the whole list, read by csv_lines
    newest_id: int | None = None


def sources(rubric: Rubric, key: str) -> tuple[Item, list[Source]]:
    """The item and the counters behind it (A1: its checklist's). KeyError: no such item."""
    item = rubric.item(key)
    names = list(item.counters) + [c["counter"] for c in item.checklist]
    names += [related for name in item.counters for related in RELATED.get(name, ())]
    labels = {c["counter"]: c["label"] for c in item.checklist}
    found = []
    for name in dict.fromkeys(names):
        counter = metrics.REGISTRY.get(name)
        label = labels.get(name) or (counter.label if counter else name)
        found.append(Source(name, label, counter is not None, (counter.unit if counter else "") or "条"))
    return item, found


def evidence(number: int, key: str, source_name: str | None = None, page: int = 1,
             everything: bool = False) -> Evidence:
    """The records behind item ``key`` in period ``number`` (KeyError: no such item or
    counter): one page of ``PAGE_SIZE``, or ``everything`` (the CSV)."""
    item, found = sources(assessment.rubric_for(number), key)
    if not found:
        raise KeyError(key)
    chosen = next((s for s in found if s.name == source_name), None) if source_name else found[0]
    if chosen is None:
        raise KeyError(source_name)
    result = Evidence(number, item, found, chosen, None)
    if not chosen.registered:
        return result
    period = assessment.period(number)
    options = item.options(chosen.name)
    measure = metrics.measure(chosen.name, period, **options)
    tally = measure.counter.tally(period, **options)
    result.value, result.newest_figure = measure.value, tally.figure is not None
    result.summed = tally.summed is not None
    listed = measure.records.order_by(None).subquery()
    result.total = db.session.scalar(select(func.count()).select_from(listed))
    result.pages = max(1, -(-result.total // PAGE_SIZE))
    result.page = min(max(page, 1), result.pages)
    newest = None
    if tally.figure is not None:
        newest = db.session.scalar(measure.records.order_by(None).order_by(
            *(column.desc() for column in tally.newest)).limit(1))
    model = measure.records.column_descriptions[0]["entity"]
    columns = columns_for(model, chosen.name, tally.at)
    result.columns = columns if newest is None else (NEWEST, *columns)
    records = measure.records.options(*LOADS.get(model, ()))
    if everything:
        result.records, result.newest_id = records, getattr(newest, "id", None)
    else:
        page_of = records.limit(PAGE_SIZE).offset((result.page - 1) * PAGE_SIZE)
        result.rows = [_row(record, columns, getattr(newest, "id", None))
                       for record in db.session.scalars(page_of)]
    return result


def _row(record, columns: tuple[Column, ...], newest_id: int | None) -> list[str]:
    """A record's texts; for a latest-figure counter a first column marks the record whose
    figure counts."""
    texts = [column.text(record) for column in columns]
    if newest_id is not None:
        texts.insert(0, "最新，计分取此数" if record.id == newest_id else "")
    return texts


def csv_lines(found: Evidence) -> Iterator[str]:
    """The whole list as CSV (``app/services/csv_export.py``), line by line as the records are
    read in batches: a year of a quarter million workers never sits in memory at once."""
    lines = Lines()
    yield BOM + lines.add([column.title for column in found.columns] or ["尚未记录"]).take()
    if found.records is None:
        return
    columns = found.columns[1:] if found.newest_id is not None else found.columns
    for record in db.session.scalars(found.records.execution_options(yield_per=CSV_BATCH)):
        yield lines.add(_row(record, columns, found.newest_id)).take()
