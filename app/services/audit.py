"""The one audit trail: record every state change through ``record``; verify the chain.

``record(ref(obj), action, before=…, after=…)`` adds an entry to the caller's transaction.
Call it last, right before the commit: it takes the named lock "audit" (held until the
commit), reads the hash of the newest entry and chains the new one to it, so concurrent
writers on SQLite and PostgreSQL append one after another and the chain stays intact.
Payloads must not hold personal data in clear (mask names; never ID or phone numbers).

The actor is the signed-in user, else the kiosk terminal (``current_terminal()``: its
configured name, or its network address), else the system (e.g. the print worker), unless
the caller names one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, utcnow

from . import locks

GENESIS = "0" * 64

# What the audit screen calls records and actions.
RECORD_LABELS = {"ticket": "排队号", "task_order": "招工信息", "worker": "零工", "staff_user": "账号",
                 "print_job": "打印任务", "employer": "用工方", "terminal": "终端设置",
                 "assessment_settings": "考核设置", "period_rubric": "评分细则版本",
                 "manual_score": "考核评分", "score_snapshot": "考核锁定", "livestream": "直播记录",
                 "follower_count": "关注人数", "demo_data": "演示数据",
                 "rating": "满意度评价", "rating_follow_up": "差评回访", "calendar_day": "工作日历",
                 "dispute_case": "纠纷案件", "incident": "事件登记"}
ACTION_LABELS = {"issue": "取号", "call": "叫号", "recall": "重呼", "serve": "开始办理", "done": "办结",
                 "no_show": "过号", "transfer": "转业务", "undo": "撤销", "create": "创建", "publish": "发布",
                 "reject": "不予发布", "register": "登记", "update": "更新登记",
                 "request_deletion": "申请删除", "anonymise": "注销个人信息", "reprint": "补打",
                 "name": "设定终端名称", "unname": "取消终端名称",
                 "settings": "修改设置", "set_rubric": "选定评分细则", "score": "评分", "lock": "锁定",
                 "unlock": "解锁", "void": "作废", "full_time": "设为专职", "part_time": "设为非专职",
                 "load_demo": "载入演示数据", "rate": "评价", "no_answer": "回访未接通",
                 "progress": "记录处理进展", "called_back": "电话回访", "corrected": "整改",
                 "no_contact": "整改（未留电话）", "reveal_phone": "查看回访电话",
                 "set_day": "设置放假或调休", "clear_day": "恢复为平常日",
                 "file": "纠纷申请", "accept": "受理", "decline": "不予受理", "session": "记录调解",
                 "agree": "达成调解协议", "fail": "终止调解", "follow_up": "协议履行回访",
                 "perform": "确认协议已履行", "refer": "转仲裁", "withdraw": "撤回", "merge": "合并案件",
                 "reveal_party_phone": "查看当事人电话"}


@dataclass(frozen=True)
class Ref:
    """A typed reference to a record: its table and id."""

    type: str
    id: int | None

    def __str__(self) -> str:
        return f"{self.type}#{self.id}"


def ref(record) -> Ref:
    return Ref(type(record).__tablename__, record.id)


@dataclass(frozen=True)
class Actor:
    kind: str  # staff, terminal, system, public (a phone rating from its slip: no address kept)
    id: int | None
    label: str

    @classmethod
    def staff(cls, user) -> Actor:
        return cls("staff", user.id, user.username)

    @classmethod
    def current(cls) -> Actor:
        if has_request_context():
            if current_user and current_user.is_authenticated:
                return cls.staff(current_user)
            from app.terminals import current_terminal

            return cls("terminal", None, current_terminal().name)
        return cls("system", None, "system")


def record(target: Ref, action: str, *, before: dict | None = None, after: dict | None = None,
           detail: str | None = None, actor: Actor | None = None) -> AuditEntry:
    """Chain an entry for ``target`` into the caller's transaction (commit it with the change)."""
    actor = actor or Actor.current()
    db.session.flush()  # the change itself first: the lock below is the transaction's last wait
    locks.hold("audit")
    prev = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(at=utcnow(), actor_kind=actor.kind, actor_id=actor.id,
                       actor_label=actor.label[:80], record_type=target.type, record_id=target.id,
                       action=action, before=before, after=after,
                       detail=detail[:200] if detail else None, prev_hash=prev or GENESIS)
    entry.hash = entry_hash(entry)
    db.session.add(entry)
    return entry


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the entry's content and the hash before it (canonical JSON)."""
    content = {
        "prev": entry.prev_hash, "at": _iso(entry.at), "actor": [entry.actor_kind, entry.actor_id,
                                                                  entry.actor_label],
        "record": [entry.record_type, entry.record_id], "action": entry.action,
        "before": entry.before, "after": entry.after, "detail": entry.detail,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_at: int | None = None  # the position (1-based) of the first bad entry
    entry_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(batch: int = 1000) -> Verdict:
    """Walk the chain in order; the first entry whose link or content does not hold."""
    prev, position, last_id = GENESIS, 0, 0
    while rows := db.session.scalars(
        select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
    ).all():
        for entry in rows:
            position += 1
            if entry.prev_hash != prev:
                return Verdict(position - 1, position, entry.id,
                               "链接断开：前一条记录被删除、插入或调换了顺序")
            if entry_hash(entry) != entry.hash:
                return Verdict(position - 1, position, entry.id, "内容被改动")
            prev, last_id = entry.hash, entry.id
        db.session.expunge_all()
    return Verdict(position)


def entries(*, record_type: str | None = None, record_id: int | None = None,
            actor_label: str | None = None, since: datetime | None = None,
            until: datetime | None = None, limit: int = 200) -> list[AuditEntry]:
    """The trail, newest first, filtered for the audit screen."""
    stmt = select(AuditEntry)
    if record_type:
        stmt = stmt.where(AuditEntry.record_type == record_type)
    if record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == record_id)
    if actor_label:
        stmt = stmt.where(AuditEntry.actor_label == actor_label)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit)))


def trail_of(record) -> list[AuditEntry]:
    """One record's entries, oldest first."""
    target = ref(record)
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == target.type,
                                 AuditEntry.record_id == target.id).order_by(AuditEntry.id)))
