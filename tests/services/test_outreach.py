"""Livestreams (D1) and follower counts (F1) entered by staff: what is refused and why, what
is written to the audit trail, and that a voided entry stays on record but stops counting.
Full-time staff (B5): the 专职 mark and its count."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.domain import Conflict, InvalidFields
from app.domain.periods import LocalPeriod
from app.extensions import db
from app.models import AuditEntry, FollowerCount, Livestream, LivestreamKind, Role, StaffUser
from app.services import accounts, assessment, metrics, outreach
from tests.factories import staff_user

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today in the hall: 2026-11-28

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = LocalPeriod.month(2026, 11, SHANGHAI)
YEAR = LocalPeriod.assessment_year(date(2026, 1, 1), 1, SHANGHAI)


def session(user, **overrides) -> Livestream:
    values = {"held_on": "2026-11-20", "platform": "抖音", "kind": "recruiting", "minutes": "90",
              "viewers": "1200", "postings_promoted": "8", "note": ""}
    return outreach.add_livestream(**{**values, **overrides}, user=user)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def trail(record_type: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == record_type)
                                   .order_by(AuditEntry.id)))


@pytest.fixture
def user(ctx):
    return staff_user()


def test_a_session_is_stored_as_typed_and_audited(user):
    row = session(user, platform=" 微信视频号 ", kind="policy", minutes="１２０", viewers="3,500",
                  note="社保政策解读")
    assert (row.held_on, row.platform, row.kind, row.minutes, row.viewers, row.postings_promoted, row.note) == \
        (date(2026, 11, 20), "微信视频号", LivestreamKind.POLICY, 120, 3500, 8, "社保政策解读")
    assert row.created_by_id == user.id and not row.voided
    [entry] = trail("livestream")
    assert (entry.action, entry.record_id, entry.actor_label) == ("create", row.id, "xiaoli")
    assert entry.after == {"held_on": "2026-11-20", "platform": "微信视频号", "kind": "policy",
                           "minutes": 120, "viewers": 3500, "postings_promoted": 8}


def test_a_platform_not_in_the_list_may_be_typed(user):
    assert session(user, platform="B站").platform == "B站"


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("held_on", "", "请选择直播日期"),
    ("held_on", "2026/11/20", "直播日期格式应为 年-月-日"),
    ("held_on", "2026-11-29", "直播日期不能晚于今天"),
    ("held_on", "0026-11-20", "直播日期不对，请核对年份"),
    ("platform", "  ", "请选择或填写直播平台"),
    ("platform", "很" * 21, "直播平台最多20个字"),
    ("kind", "", "请选择直播类型"),
    ("kind", "招聘", "请选择直播类型"),  # the label is not the value the form sends
    ("minutes", "", "请填写直播时长"),
    ("minutes", "0", "直播时长应为1到1,440分钟之间的整数"),
    ("minutes", "1441", "直播时长应为1到1,440分钟之间的整数"),
    ("minutes", "1.5", "直播时长应为1到1,440分钟之间的整数"),
    ("viewers", "-1", "观看人数应为0到10,000,000人之间的整数"),
    ("viewers", "10000001", "观看人数应为0到10,000,000人之间的整数"),
    ("postings_promoted", "10001", "推介岗位数应为0到10,000个之间的整数"),
    ("postings_promoted", "", "请填写推介岗位数"),
    ("note", "字" * 201, "备注最多200个字"),
])
def test_a_wrong_value_is_refused_with_its_field_and_nothing_is_written(user, field, raw, message):
    with pytest.raises(InvalidFields) as refused:
        session(user, **{field: raw})
    assert refused.value.errors == {field: message}
    assert count(Livestream) == 0 and trail("livestream") == []


def test_every_wrong_field_is_named_at_once(user):
    with pytest.raises(InvalidFields) as refused:
        session(user, held_on="2030-01-01", kind="x", minutes="0", viewers="many")
    assert set(refused.value.errors) == {"held_on", "kind", "minutes", "viewers"}


@pytest.mark.parametrize(("minutes", "viewers", "postings"), [("1", "0", "0"), ("1440", "10000000", "10000")])
def test_the_limits_themselves_are_accepted(user, minutes, viewers, postings):
    row = session(user, held_on="2026-11-28", minutes=minutes, viewers=viewers, postings_promoted=postings)
    assert (row.minutes, row.viewers, row.postings_promoted) == (int(minutes), int(viewers), int(postings))


def test_a_voided_session_stays_on_record_and_stops_counting(user):
    first, second = session(user), session(user, held_on="2026-11-21")
    assert metrics.measure("livestreams", NOVEMBER).value == 2
    manager = staff_user(username="boss", role=Role.MANAGER)

    outreach.void_livestream(first, "  重复登记 ", manager)

    assert metrics.measure("livestreams", NOVEMBER).value == 1
    assert list(db.session.scalars(metrics.measure("livestreams", NOVEMBER).records)) == [second]
    assert outreach.livestreams(outreach.year()) == [second, first]  # still listed, newest first
    kept = db.session.get(Livestream, first.id)
    assert kept.voided and (kept.voided_by_id, kept.void_reason) == (manager.id, "重复登记")
    assert (kept.platform, kept.minutes) == ("抖音", 90)  # nothing else changed
    void = trail("livestream")[-1]
    assert (void.action, void.record_id, void.actor_label, void.detail) == ("void", first.id, "boss", "重复登记")


def test_voiding_needs_a_reason_and_happens_once(user):
    row = session(user)
    with pytest.raises(InvalidFields) as refused:
        outreach.void_livestream(row, " ", user)
    assert refused.value.errors == {"reason": "请写明作废原因"}
    assert not db.session.get(Livestream, row.id).voided
    outreach.void_livestream(row, "日期填错", user)
    with pytest.raises(Conflict):
        outreach.void_livestream(row, "再作废一次", user)
    assert db.session.get(Livestream, row.id).void_reason == "日期填错"
    assert [e.action for e in trail("livestream")] == ["create", "void"]


def test_each_month_of_the_year_shows_its_sessions(user):
    session(user, held_on="2026-03-15")
    session(user, held_on="2026-03-16")
    voided = session(user, held_on="2026-05-01")
    outreach.void_livestream(voided, "误登记", user)
    months = outreach.sessions_per_month(outreach.Year(YEAR, 1, True))
    assert [(m.month.first_day.month, m.sessions, m.state) for m in months] == [
        (1, 0, "missing"), (2, 0, "missing"), (3, 2, "held"), (4, 0, "missing"), (5, 0, "missing"),
        (6, 0, "missing"), (7, 0, "missing"), (8, 0, "missing"), (9, 0, "missing"), (10, 0, "missing"),
        (11, 0, "open"), (12, 0, "ahead")]


def test_without_a_service_start_the_pages_list_the_calendar_year(user):
    shown = outreach.year()
    assert not shown.assessment and shown.label == "2026年"
    assert (shown.period.first_day, shown.period.last_day) == (date(2026, 1, 1), date(2026, 12, 31))
    assert outreach.year(2025).period.first_day == date(2025, 1, 1)


def test_with_a_service_start_the_pages_list_assessment_years(user):
    manager = staff_user(username="boss", role=Role.MANAGER)
    assessment.save_settings(service_start=date(2025, 7, 1), contract_amount=None, bid_price=None,
                          network_fee=None, user=manager)
    shown = outreach.year()
    assert shown.assessment and shown.number == 2  # 2026-07-01 to 2027-06-30 holds today
    assert shown.label == "第2考核年度（2026年7月1日至2027年6月30日）"
    assert outreach.year(1).period.last_day == date(2026, 6, 30)
    assert outreach.month_of(shown, "2026-11") == NOVEMBER
    assert outreach.month_of(shown, "2026-05") is None  # not a month of that year


# -- follower counts ---------------------------------------------------------------------

def followers(user, counted_on, number, note=""):
    return outreach.add_follower_count(counted_on=counted_on, followers=str(number), note=note, user=user)


def test_the_newest_count_of_the_year_is_the_one_the_score_uses(user):
    followers(user, "2026-06-30", 1800)
    newest = followers(user, "2026-11-01", 2600)
    followers(user, "2026-10-01", 2900)  # entered later, but for an earlier date
    shown = outreach.Year(YEAR, 1, True)
    assert outreach.counted_follower(shown) == newest
    assert metrics.measure("followers", YEAR).value == 2600
    assert [e.after for e in trail("follower_count")] == [
        {"counted_on": "2026-06-30", "followers": 1800}, {"counted_on": "2026-11-01", "followers": 2600},
        {"counted_on": "2026-10-01", "followers": 2900}]

    outreach.void_follower_count(newest, "看错了后台数字", user)

    assert metrics.measure("followers", YEAR).value == 2900
    assert outreach.counted_follower(shown).followers == 2900
    assert len(outreach.follower_counts()) == 3  # the voided one is still listed
    assert outreach.follower_counts()[0].voided  # newest first, by date


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("counted_on", "2026-11-29", "统计日期不能晚于今天"),
    ("followers", "", "请填写关注人数"),
    ("followers", "100000001", "关注人数应为0到100,000,000人之间的整数"),
    ("followers", "两千", "关注人数应为0到100,000,000人之间的整数"),
])
def test_a_wrong_follower_count_is_refused_and_nothing_is_written(user, field, raw, message):
    values = {"counted_on": "2026-11-28", "followers": "2000", field: raw}
    with pytest.raises(InvalidFields) as refused:
        outreach.add_follower_count(**values, user=user)
    assert refused.value.errors == {field: message}
    assert count(FollowerCount) == 0 and trail("follower_count") == []


def test_zero_and_a_hundred_million_followers_are_accepted(user):
    assert followers(user, "2026-11-28", 0).followers == 0
    assert followers(user, "2026-11-28", 100_000_000).followers == 100_000_000


# -- full-time staff (B5) ----------------------------------------------------------------

def test_the_full_time_mark_counts_and_is_audited(user):
    boss = staff_user(username="boss", role=Role.MANAGER)
    staff_user(username="kaohe", role=Role.ASSESSOR)  # never counted, whatever its mark
    part = accounts.create_user("xiaowang", "correct-horse-1", Role.STAFF, "小王", full_time=False)
    assert metrics.measure("full_time_staff", NOVEMBER).value == 2  # xiaoli and boss

    accounts.set_full_time(part, True)
    accounts.set_full_time(part, True)  # pressed twice: changed once
    accounts.set_full_time(boss, False)

    assert metrics.measure("full_time_staff", NOVEMBER).value == 2
    assert {u.username for u in db.session.scalars(metrics.measure("full_time_staff", NOVEMBER).records)} == \
        {"xiaoli", "xiaowang"}
    entries = [(e.record_id, e.action, e.after) for e in trail("staff_user") if e.action != "create"]
    assert entries == [(part.id, "full_time", {"full_time": True}), (boss.id, "part_time", {"full_time": False})]
    created = next(e for e in trail("staff_user") if e.record_id == part.id)
    assert created.after["full_time"] is False
    assert db.session.get(StaffUser, part.id).full_time
