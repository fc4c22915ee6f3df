"""What only staff know, entered by hand: livestream sessions (item D1) and the official
account's follower counts (item F1).

Each entry is checked here (``InvalidFields`` with a Chinese message per field, nothing
written), recorded in the audit trail and committed. An entry made in error is never
deleted: it is voided with a reason (who, when and why stay on the record) and stops
counting in ``metrics`` (the counters leave voided rows out).

The pages list an assessment year (``year``), or the calendar year while the manager has
not set the service start date.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.clock import hall_tz, local_today
from app.domain import Invalid, InvalidFields, parse_iso_date
from app.domain.periods import LocalPeriod
from app.extensions import db
from app.models import FollowerCount, Livestream, LivestreamKind, StaffUser

from . import assessment, audit, metrics, scoring, voiding

PLATFORMS = ("抖音", "微信视频号", "快手", "其他")
MAX_MINUTES, MAX_VIEWERS, MAX_POSTINGS = 1440, 10_000_000, 10_000
MAX_FOLLOWERS = 100_000_000
MAX_NOTE, MAX_PLATFORM = 200, 20


# -- the year a page shows ---------------------------------------------------------------

@dataclass(frozen=True)
class Year:
    """The year a page lists: an assessment year, or a calendar year without a start date."""

    period: LocalPeriod
    number: int  # the assessment year's number, or the calendar year (2026)
    assessment: bool  # False: no service start date is set

    @property
    def label(self) -> str:
        if self.assessment:
            return f"第{self.number}考核年度（{_cn(self.period.first_day)}至{_cn(self.period.last_day)}）"
        return f"{self.number}年"


def year(number: int | None = None) -> Year:
    """Assessment year ``number`` (default: the current one); without a service start date,
    calendar year ``number`` (default: this year)."""
    if assessment.service_start() is not None:
        number = number if number and 1 <= number <= 100 else assessment.current_number()
        return Year(assessment.period(number), number, True)
    number = number if number and 2000 <= number <= 2100 else local_today().year
    # A calendar year is an "assessment year" that starts on 1 January.
    return Year(LocalPeriod.assessment_year(date(number, 1, 1), 1, hall_tz()), number, False)


def months(shown: Year) -> list[LocalPeriod]:
    return scoring.months(shown.period)


def month_of(shown: Year, raw: str | None) -> LocalPeriod | None:
    """The month ``YYYY-MM`` if it is one of the year's; else None (the whole year)."""
    return next((m for m in months(shown) if m.first_day.strftime("%Y-%m") == (raw or "")[:7]), None)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- checking what was typed -------------------------------------------------------------

def _date(raw: str | None, label: str) -> date:
    day = parse_iso_date(raw, label=label)
    if day > local_today():
        raise Invalid(f"{label}不能晚于今天")
    return day


def _whole(raw: str | None, label: str, low: int, high: int, unit: str) -> int:
    text = unicodedata.normalize("NFKC", raw or "").strip().replace(",", "")
    if not text:
        raise Invalid(f"请填写{label}")
    if not text.isdigit() or not low <= int(text) <= high:
        raise Invalid(f"{label}应为{low:,}到{high:,}{unit}之间的整数")
    return int(text)


def _text(raw: str | None, label: str, limit: int) -> str:
    text = " ".join((raw or "").split())
    if len(text) > limit:
        raise Invalid(f"{label}最多{limit}个字")
    return text


def _checked(rules: dict) -> dict:
    """Run each field's rule; all the fields' messages at once, or the clean values."""
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            values[name] = rule()
        except Invalid as err:
            errors[name] = err.message
    if errors:
        raise InvalidFields(errors)
    return values


def _platform(raw: str | None) -> str:
    platform = _text(raw, "直播平台", MAX_PLATFORM)
    if not platform:
        raise Invalid("请选择或填写直播平台")
    return platform


def _kind(raw: str | None) -> LivestreamKind:
    try:
        return LivestreamKind(raw or "")
    except ValueError:
        raise Invalid("请选择直播类型") from None


# -- livestreams (D1) --------------------------------------------------------------------

def add_livestream(*, held_on: str, platform: str, kind: str, minutes: str, viewers: str,
                   postings_promoted: str, note: str = "", user: StaffUser) -> Livestream:
    """A session the hall held, as typed on the form."""
    values = _checked({
        "held_on": lambda: _date(held_on, "直播日期"),
        "platform": lambda: _platform(platform),
        "kind": lambda: _kind(kind),
        "minutes": lambda: _whole(minutes, "直播时长", 1, MAX_MINUTES, "分钟"),
        "viewers": lambda: _whole(viewers, "观看人数", 0, MAX_VIEWERS, "人"),
        "postings_promoted": lambda: _whole(postings_promoted, "推介岗位数", 0, MAX_POSTINGS, "个"),
        "note": lambda: _text(note, "备注", MAX_NOTE),
    })
    row = Livestream(**values, created_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record(audit.ref(row), "create", after=_livestream_dict(row), actor=audit.Actor.staff(user))
    db.session.commit()
    return row


def _livestream_dict(row: Livestream) -> dict:
    return {"held_on": row.held_on.isoformat(), "platform": row.platform, "kind": row.kind.value,
            "minutes": row.minutes, "viewers": row.viewers, "postings_promoted": row.postings_promoted}


def void_livestream(row: Livestream, reason: str, user: StaffUser) -> Livestream:
    return voiding.void(row, reason, user, {"held_on": row.held_on.isoformat(), "platform": row.platform})


def livestreams(shown: Year, month: LocalPeriod | None = None) -> list[Livestream]:
    """Every session of the year (or month), voided ones too, newest first."""
    within = month or shown.period
    return list(db.session.scalars(
        select(Livestream).where(metrics.on_days(Livestream.held_on, within))
        .order_by(Livestream.held_on.desc(), Livestream.id.desc())))


@dataclass(frozen=True)
class MonthSessions:
    month: LocalPeriod
    sessions: int  # not voided
    state: str  # "held", "missing" (over without one), "open" (under way, none yet), "ahead"


def sessions_per_month(shown: Year) -> list[MonthSessions]:
    """How many sessions each month of the year had (the D1 counter, month by month)."""
    today, result = local_today(), []
    for month in months(shown):
        sessions = int(metrics.measure("livestreams", month).value or 0)
        state = ("held" if sessions else "missing" if month.last_day < today
                 else "open" if month.first_day <= today else "ahead")
        result.append(MonthSessions(month, sessions, state))
    return result


# -- follower counts (F1) ----------------------------------------------------------------

def add_follower_count(*, counted_on: str, followers: str, note: str = "",
                       user: StaffUser) -> FollowerCount:
    values = _checked({
        "counted_on": lambda: _date(counted_on, "统计日期"),
        "followers": lambda: _whole(followers, "关注人数", 0, MAX_FOLLOWERS, "人"),
        "note": lambda: _text(note, "备注", MAX_NOTE),
    })
    row = FollowerCount(**values, created_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record(audit.ref(row), "create", actor=audit.Actor.staff(user),
                 after={"counted_on": row.counted_on.isoformat(), "followers": row.followers})
    db.session.commit()
    return row


def void_follower_count(row: FollowerCount, reason: str, user: StaffUser) -> FollowerCount:
    return voiding.void(row, reason, user,
                        {"counted_on": row.counted_on.isoformat(), "followers": row.followers})


def follower_counts(limit: int = 500) -> list[FollowerCount]:
    """Every count entered, voided ones too, newest first (by date, then entry)."""
    return list(db.session.scalars(select(FollowerCount).order_by(
        FollowerCount.counted_on.desc(), FollowerCount.id.desc()).limit(limit)))


def counted_follower(shown: Year) -> FollowerCount | None:
    """The count the score uses for the year: the F1 counter's newest record."""
    records = metrics.measure("followers", shown.period).records
    return db.session.scalar(records.order_by(None).order_by(
        FollowerCount.counted_on.desc(), FollowerCount.id.desc()).limit(1))
