"""`flask demo-data`: a plausible first year of one hall, the same for the same seed on the
same day, refused on a database that holds records, stored as the app stores people."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.clock import to_local
from app.crypto import vault
from app.domain.deals import DealStatus, FalseKind, NoteKind, PostingSource
from app.domain.disputes import CaseStatus, Party
from app.domain.idcard import is_minor_worker, parse_id_number
from app.domain.ratings import CLOSING_STEPS, FollowUpStatus, FollowUpStep
from app.domain.validation import clean_uscc
from app.domain.workdays import Calendar
from app.extensions import db
from app.hall_config import hall
from app.models import (
    AuditEntry,
    Deal,
    DisputeCase,
    Employer,
    FalseRecord,
    FollowUpEntry,
    Incident,
    Rating,
    RatingFollowUp,
    RatingRefusal,
    StaffUser,
    TaskOrder,
    TaskStatus,
    Ticket,
    Worker,
)
from app.services import assessment, deal_seal, dispute_figures, follow_ups, score_evidence, scoring
from tests.factories import worker

PASSWORD = "demo-year-password-7"


def load(app, *args):
    return app.test_cli_runner().invoke(args=["demo-data", "--password", PASSWORD, *args])


def people(app) -> list[tuple]:
    """Every worker as a person would be told apart: name, ID number, when first registered."""
    with app.app_context():
        rows = db.session.execute(select(Worker.name, Worker.id_cipher, Worker.first_registered_at)
                                  .order_by(Worker.first_registered_at, Worker.name)).all()
        return [(name, vault().decrypt(cipher), at) for name, cipher, at in rows]


def test_the_same_seed_on_two_fresh_databases_gives_the_same_year(make_app, frozen_clock):
    results = []
    for seed in (7, 7, 8):
        app = make_app()  # a fresh, empty database each time
        outcome = load(app, "--seed", str(seed), "--scale", "0.1")
        assert outcome.exit_code == 0, outcome.output
        with app.app_context():
            results.append((scoring.card(1).json(), people(app)))
    (first_card, first_people), (second_card, second_people), (other_card, other_people) = results
    assert first_card == second_card
    assert first_people == second_people and len(first_people) == 240
    assert other_people != first_people  # another seed, other people


def test_a_database_with_a_record_is_refused_unless_forced(app, ctx, frozen_clock):
    worker()
    refused = load(app, "--scale", "0.05")
    assert refused.exit_code == 2
    assert "数据库中已有记录（零工 1 条）" in refused.stderr and "--force" in refused.stderr
    assert db.session.scalar(select(func.count()).select_from(Worker)) == 1
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0  # nothing half-written

    added = load(app, "--scale", "0.05", "--force")
    assert added.exit_code == 0, added.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Worker)) == 1 + 120  # added, none deleted


@pytest.fixture
def year(app, ctx, frozen_clock):
    """The full demo year (scale 1), loaded on 2026-11-28."""
    result = load(app, "--seed", "3")
    assert result.exit_code == 0, result.output
    return result


def test_the_full_year_sits_just_below_the_next_tiers(year):
    assert assessment.service_start() == date(2026, 1, 1) and assessment.current_number() == 1
    sheet = scoring.card(1).live.sheet
    c1, c2, d1, f1 = (sheet.item(key) for key in ("C1", "C2", "D1", "F1"))
    assert (c1.value, c1.points, c1.next.records) == (2400, 4, 100)  # 100 workers short of 5 points
    assert (c2.value, c2.points, c2.next.records) == (1963, 8, 37)  # 37 postings short of 10
    assert (d1.value, d1.points) == (11, 11)  # eleven livestreams, one month without
    assert (f1.value, f1.points, f1.next.records) == (3900, 8, 100)
    b7 = sheet.item("B7")
    assert (b7.value, b7.points) == (Decimal("93.0"), 5)  # 1,395 satisfied of 1,500
    assert (sheet.total, sheet.grade.name) == (89, "良好")  # one point below 优秀
    assert sheet.up[1] == 1 and c1.next.gain == 1  # 100 more workers would make it 优秀
    assert score_evidence.evidence(1, "B7").total == 1510  # and the mediations rated from case slips
    assert assessment.contract().bid_price == 500000 and assessment.contract().network_fee == 100000
    assert "密码：" + PASSWORD in year.stdout


def test_the_people_are_stored_as_registration_stores_them(app, ctx, frozen_clock):
    assert load(app, "--seed", "3", "--scale", "0.25").exit_code == 0
    pii, today = vault(), date(2026, 11, 28)
    workers = db.session.scalars(select(Worker)).all()
    numbers = [parse_id_number(pii.decrypt(w.id_cipher), today) for w in workers]  # every one valid
    assert all(pii.blind_index("id", n.number) == w.id_hash for n, w in zip(numbers, workers, strict=True))
    assert all(n.number not in w.id_cipher and n.number[-4:] not in w.id_cipher
               for n, w in zip(numbers, workers, strict=True))
    assert all(pii.decrypt(w.phone_cipher)[-4:] == w.phone_last4 for w in workers)
    outside = sum(n.is_from_outside_fujian for n in numbers)
    assert 0.05 * len(workers) < outside < 0.25 * len(workers)  # most are from Fujian, some not
    assert sum(w.from_other_province for w in workers) == outside
    minors = sum(is_minor_worker(n.birth_date, today) for n in numbers)
    assert 2 <= minors <= 20  # a few 16–17-year-olds
    enterprises = db.session.scalars(select(Employer).where(Employer.uscc.is_not(None))).all()
    assert enterprises and all(clean_uscc(e.uscc) == e.uscc for e in enterprises)


def test_the_queue_and_the_trail_look_like_a_working_hall(year, app):
    statuses = dict(db.session.execute(select(Ticket.status, func.count()).group_by(Ticket.status)).all())
    assert {s.value for s in statuses} == {"waiting", "called", "serving", "done", "no_show"}
    assert db.session.scalar(select(func.count()).select_from(TaskOrder).where(
        TaskOrder.status == TaskStatus.REJECTED)) > 0
    loaded = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "load_demo")).all()
    assert len(loaded) == 1 and loaded[0].after["workers"] == 2400
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_a_year_of_ratings_with_their_follow_ups(year):
    rows = db.session.scalars(select(Rating).where(Rating.service_kind.is_distinct_from("case"))).all()
    slips = [r for r in rows if r.service]
    assert len(rows) == 1500 and len(slips) == 300 and len({r.service for r in slips}) == 300
    assert {r.service_kind for r in slips} == {"ticket", "registration"}
    tickets = {t.id: t for t in db.session.scalars(select(Ticket))}
    for rating in (r for r in slips if r.service_kind == "ticket"):  # after its visit, at its window
        ticket = tickets[int(rating.service.split(":")[1])]
        assert ticket.finished_at <= rating.at and rating.window == ticket.window
    terminal = [r for r in rows if not r.service]
    assert {r.terminal for r in terminal} == {"出口评价终端"}
    local = [to_local(r.at) for r in terminal]
    assert all(at.weekday() < 5 and 8 <= at.hour < 18 for at in local)  # working days, 8:00–18:00
    assert len({at.hour for at in local}) == 10 and len({at.date() for at in local}) > 150
    assert min(r.at for r in rows) >= scoring.card(1).period.start
    bad = [r for r in rows if r.level >= 4]
    assert all(r.reasons for r in bad) and not any(r.reasons or r.phone_cipher for r in rows if r.level < 4)
    phones = [vault().decrypt(r.phone_cipher) for r in bad if r.phone_cipher]
    assert 10 < len(phones) < len(bad) and all(p.startswith("1380000") for p in phones)
    assert all(p[-4:] == r.phone_last4 for p, r in zip(phones, [r for r in bad if r.phone_cipher], strict=True))
    opened = db.session.scalars(select(RatingFollowUp)).all()
    assert len(opened) == len(bad)
    calendar = Calendar()  # the demo enters no holidays: Monday to Friday
    for follow_up in opened:
        assert follow_up.due_on == calendar.add(to_local(follow_up.rating.at).date(), hall().follow_up_days)
        steps = follow_up.steps
        if follow_up.status == FollowUpStatus.DONE:
            assert steps[-1].step in CLOSING_STEPS and follow_up.closed_at == steps[-1].at
            assert follow_up.closed_by_id == steps[-1].by_id
        else:
            assert not steps or steps[-1].step not in CLOSING_STEPS
        for step in steps:  # the rules the follow-up page enforces
            assert follow_up.rating.at <= step.at
            if step.step in (FollowUpStep.CALL_NO_ANSWER, FollowUpStep.CALLED_BACK):
                assert follow_up.rating.phone_cipher
            if step.step == FollowUpStep.NO_CONTACT:
                assert not follow_up.rating.phone_cipher
    statuses = [f.status for f in opened]
    assert statuses.count(FollowUpStatus.DONE) == len(bad) - 3
    assert follow_ups.overdue_count() == 1
    staff = {u.id for u in db.session.scalars(select(StaffUser).where(StaffUser.username.like("demo-staff%")))}
    assert {e.by_id for e in db.session.scalars(select(FollowUpEntry))} <= staff
    refusals = db.session.scalars(select(RatingRefusal)).all()
    assert len(refusals) == 5 and all(r.terminal == "出口评价终端" and r.count >= 3 for r in refusals)
    assert all(date(2026, 1, 1) <= r.day < date(2026, 11, 28) for r in refusals)


def test_a_year_of_dispute_cases_and_incidents_through_their_services(year, app):
    cases = db.session.scalars(select(DisputeCase).order_by(DisputeCase.seq)).all()
    assert {c.status for c in cases} == set(CaseStatus)  # every state a case can be in
    assert [c.seq for c in cases] == list(range(1, 16))  # gapless, in the order received
    assert [c.received_at for c in cases] == sorted(c.received_at for c in cases)
    merged = [c for c in cases if c.status == CaseStatus.MERGED]
    assert len(merged) == 1 and merged[0].merged_into.status == CaseStatus.ACCEPTED
    signed = [c for c in cases if c.agreed_at]
    assert signed and all({s.party for s in c.signatures} == set(Party) for c in signed)
    assert all(c.sessions for c in signed) and any(c.follow_ups for c in signed)
    assert any(c.worker_id for c in cases) and any(c.employer_id for c in cases)  # linked to their records
    trail = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "dispute_case")).all()
    assert len(trail) > 60 and min(e.at for e in trail) < datetime(2026, 6, 1)  # at each step's moment
    assert all(e.at < datetime(2026, 11, 28, 2, 0) for e in trail)  # never after now (10:00 in the hall)

    sheet = scoring.card(1).live.sheet
    e1, b8 = sheet.item("E1"), sheet.item("B8")
    assert (e1.value, e1.points) == (14, 5) and (b8.value, b8.points) == (2, 4)
    assert scoring.card(1).live.suggestions["B9"] == 3  # no 违规收费
    figures = dispute_figures.summary(assessment.period(1))
    assert (figures.received, figures.merged, figures.rated, figures.satisfied) == (14, 1, 10, 10)
    assert figures.median_days_to_accept is not None and figures.median_days_to_close is not None
    logged = db.session.scalars(select(Incident)).all()
    assert len(logged) == 4 and sum(1 for i in logged if i.voided_at) == 1
    assert {i.kind.value for i in logged} == {"fight", "other", "false_hiring"}
    assert "纠纷案件 14 件（另有 1 件重复申请已合并）" in year.stdout


def test_the_year_of_postings_and_deals(year):
    sheet = scoring.card(1).live.sheet
    c3, c4, g1, g2, g3 = (sheet.item(key) for key in ("C3", "C4", "G1", "G2", "G3"))
    assert (c3.value, c3.points, c3.next.records) == (963, 5, 37)  # 37 deals short of 8 points
    assert (c4.value, c4.points) == (3, 4)  # three records confirmed false
    assert (g1.value, g1.points) == (12, 1) and g2.points == 2 and g2.value >= 4
    assert (g3.value, g3.points) == (2, 2)
    assert score_evidence.evidence(1, "G3", "inter_provincial_suggested").total == 3  # left for staff
    assert score_evidence.evidence(1, "C4", "postings_late").total == 3
    assert score_evidence.evidence(1, "C4", "postings_expired").total == 5
    assert "交易 973 笔（其中 13 笔逐步经交易流程办理，各状态都有），确认虚假信息 3 条" in year.stdout

    all_deals = db.session.scalars(select(Deal)).all()
    assert {d.status for d in all_deals} == set(DealStatus)  # every state, cancelled too
    cancelled = [d for d in all_deals if d.status == DealStatus.CANCELLED]
    assert {d.cancelled_from for d in cancelled} == {DealStatus.ACCEPTED, DealStatus.PRICED, DealStatus.SIGNED}
    assert any(n.kind == NoteKind.NEGOTIATION for d in cancelled for n in d.notes)
    for deal in all_deals:  # steps in order, money exact, every signed agreement genuine
        if deal.completed_at is not None:
            assert deal.accepted_at <= deal.priced_at <= deal.signed_at <= deal.paid_at <= deal.settled_at \
                <= deal.completed_at < datetime(2026, 11, 28, 2, 0)
            assert deal.wage_amount == deal.paid_amount and deal.wage_amount.as_tuple().exponent == -2
        if deal.signed_at is not None:
            assert len(deal.signatures) == 2 and deal_seal.verify(deal).genuine
    # a posting's places taken are its deals not cancelled; none past its headcount
    postings = db.session.scalars(select(TaskOrder).where(TaskOrder.published_at.is_not(None))).all()
    held = {}
    for deal in all_deals:
        if deal.status != DealStatus.CANCELLED:
            held[deal.task_order_id] = held.get(deal.task_order_id, 0) + 1
    assert all(p.taken == held.get(p.id, 0) <= p.headcount for p in postings)
    assert all(p.valid_until is not None and p.valid_until <= p.work_date for p in postings)
    assert sum(p.source == PostingSource.ENTERPRISE.value for p in postings) == 12
    kinds = sorted(r.kind for r in db.session.scalars(select(FalseRecord)))
    assert kinds == sorted([FalseKind.POSTING, FalseKind.POSTING, FalseKind.WORKER])
    # the workers of completed deals were registered before they applied
    assert all(d.worker.first_registered_at <= d.accepted_at for d in all_deals)
