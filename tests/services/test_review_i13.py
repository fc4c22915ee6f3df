"""Review of issue 13 (postings and deals), the service layer: each test names a finding of
the outside review and fails until it is fixed. Written against main at 585ac5f."""

import dataclasses

import pytest
from sqlalchemy import func, select

from app.domain import Conflict
from app.domain.deals import DealSource, DealStatus
from app.extensions import db
from app.models import Deal, TaskOrder, Worker
from app.services import deal_seal, deals, workers
from tests import factories as f
from tests.conftest import at_once
from tests.deal_steps import deal_at


@pytest.fixture
def staff(ctx):
    return f.staff_user()


# Finding: the check page (/v/<token>) rebuilds the agreement from today's rows, so when a
# worker's erasure request is carried out (workers.anonymise) every agreement they signed
# is reported as "可能已被改动" to the employer holding the paper: a genuine agreement is
# called forged.
def test_an_agreement_is_not_called_altered_after_the_worker_is_anonymised(staff):
    deal = deal_at(DealStatus.COMPLETED, staff)
    assert deal_seal.verify(deal).genuine
    workers.anonymise(deal.worker)
    verdict = deal_seal.verify(db.session.get(Deal, deal.id))
    assert "改动" not in verdict.problem, verdict.problem


# Finding: the agreement's sealed content includes the hall's configured name (and trade
# names, and the code's AGREEMENT_TERMS): renaming the hall in instance config (HALL_NAME)
# makes every agreement ever signed fail its check as "可能已被改动".
def test_an_agreement_still_verifies_after_the_hall_is_renamed(app, staff):
    deal = deal_at(DealStatus.SIGNED, staff)
    assert deal_seal.verify(deal).genuine
    hall = app.extensions["hall"]
    app.extensions["hall"] = dataclasses.replace(hall, name="三明市沙县区零工市场")
    try:
        assert deal_seal.verify(db.session.get(Deal, deal.id)).genuine
    finally:
        app.extensions["hall"] = hall


# Finding: "one application per worker and posting" is only a SELECT before the INSERT (no
# unique constraint): the same worker applying at two kiosks (or a staff match at the same
# moment) gets two open deals on one posting and takes two places.
def test_the_same_worker_applying_twice_at_once_gets_one_deal(app, staff):
    task_id = f.posting(headcount=5).id
    worker_id = f.worker().id

    def take(_n):
        return deals.accept(db.session.get(TaskOrder, task_id), db.session.get(Worker, worker_id),
                            source=DealSource.KIOSK).id

    results = at_once(app, 4, take)
    assert all(isinstance(r, (int, Conflict)) for r in results), results
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Deal).where(Deal.worker_id == worker_id)) == 1
    assert db.session.get(TaskOrder, task_id).taken == 1


# Finding: the signing time the check page (/v/<token>) and the A4 copies show is
# deal.signed_at, which is not part of the sealed text: moving it in the database (back-dating
# an agreement) still shows "协议真实有效，内容未被改动" with the altered time.
def test_an_agreement_whose_signing_time_was_altered_no_longer_verifies(staff):
    from datetime import timedelta

    from sqlalchemy import update

    deal = deal_at(DealStatus.SIGNED, staff)
    assert deal_seal.verify(deal).genuine
    db.session.execute(update(Deal).where(Deal.id == deal.id)
                       .values(signed_at=deal.signed_at - timedelta(days=30)))
    db.session.commit()
    db.session.expire_all()
    assert not deal_seal.verify(db.session.get(Deal, deal.id)).genuine


# Finding: the most common discriminating wordings of Chinese job ads are not flagged to the
# reviewer (an age range "年龄18-45岁", "要求男性", "招男工", "女性勿扰"), while the inclusive
# "不限男女" is flagged as "限男" (app/domain/deals.py _FLAGS).
@pytest.mark.parametrize("wording", ["年龄18-45岁", "年龄：18至45周岁", "要求男性", "招男工2名", "女性勿扰"])
def test_common_discriminating_wording_is_flagged(wording):
    from app.domain.deals import discrimination_flags

    assert discrimination_flags(wording), wording


@pytest.mark.parametrize("wording", ["不限男女", "不限男女，年龄不限"])
def test_inclusive_wording_is_not_flagged(wording):
    from app.domain.deals import discrimination_flags

    assert discrimination_flags(wording) == [], wording
