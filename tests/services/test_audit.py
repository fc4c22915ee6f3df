"""The audit trail: one chain for every change, verified by `flask audit verify`, which
reports a changed, deleted or reordered entry by its position; concurrent writers keep it
intact on SQLite and PostgreSQL."""


import pytest
from sqlalchemy import delete, select, text, update

from app.extensions import db
from app.models import AuditEntry
from app.services import audit, queue
from tests.conftest import at_once
from tests.factories import staff_user
from tests.services.test_queue import DAY, issue

pytestmark = pytest.mark.usefixtures("frozen_clock")  # DAY is the frozen clock's day


@pytest.fixture
def trail(ctx):
    """Six entries: a staff account made, a ticket issued, called, served and done, another ticket."""
    staff = staff_user().id
    ticket = issue()
    queue.call_next(DAY, 1, staff)
    queue.act(ticket, "serve", staff, 1)
    queue.act(ticket, "done", staff, 1)
    issue()
    ids = list(db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))
    assert len(ids) == 6
    return ids


def run_verify(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def test_an_intact_chain_verifies(app, trail):
    assert run_verify(app) == (0, "checked 6 entries: the chain is intact\n")


def test_a_changed_entry_is_reported_by_its_position(app, trail):
    db.session.execute(update(AuditEntry).where(AuditEntry.id == trail[2])
                       .values(actor_label="someone-else"))
    db.session.commit()
    code, output = run_verify(app)
    assert code == 1 and "entry 3" in output and "内容被改动" in output


def test_a_deleted_entry_is_reported_where_the_chain_breaks(app, trail):
    db.session.execute(delete(AuditEntry).where(AuditEntry.id == trail[1]))
    db.session.commit()
    code, output = run_verify(app)
    assert code == 1 and "entry 2" in output and f"id {trail[2]}" in output and "链接断开" in output


def test_reordered_entries_are_reported(app, trail):
    first, second = (db.session.get(AuditEntry, i) for i in trail[1:3])
    swap = {c: (getattr(second, c), getattr(first, c)) for c in (
        "at", "actor_kind", "actor_id", "actor_label", "record_type", "record_id", "action",
        "before", "after", "detail", "prev_hash", "hash")}
    db.session.execute(update(AuditEntry).where(AuditEntry.id.in_(trail[1:3]))
                       .values(hash=text("'tmp-' || CAST(id AS VARCHAR(20))")))
    for entry_id, index in ((trail[1], 0), (trail[2], 1)):
        db.session.execute(update(AuditEntry).where(AuditEntry.id == entry_id)
                           .values(**{c: v[index] for c, v in swap.items()}))
    db.session.commit()
    code, output = run_verify(app)
    assert code == 1 and "entry 2" in output


def test_concurrent_writers_keep_the_chain_intact(app):
    with app.app_context():
        staff = staff_user().id
    def clerk(n):
        for _ in range(5):
            queue.new_ticket("hire" if n % 2 else "consult", DAY)
            db.session.commit()

    assert at_once(app, 6, clerk) == [None] * 6 and staff
    with app.app_context():
        verdict = audit.verify()
        assert verdict.ok and verdict.checked == 31  # the account and 30 tickets


def test_the_manager_and_the_assessor_read_the_trail_filtered_and_staff_cannot(app, client):
    from app.models import Role
    from tests.factories import login

    with app.app_context():
        staff_user(username="boss", role=Role.MANAGER)
        staff_user(username="bureau", role=Role.ASSESSOR)
        staff_user(username="clerk")
        first = issue()
        queue.call_next(DAY, 1, 1)
        issue()
        first_id = first.id
    for name in ("boss", "bureau"):
        reader = app.test_client()
        login(reader, username=name)
        page = reader.get(f"/admin/audit?type=ticket&id={first_id}").get_data(as_text=True)
        assert page.count("<tr><td>") == 2 and "<td>取号</td>" in page and "<td>叫号</td>" in page
        # in Chinese, the stored JSON folded away
        assert "状态：已叫号 · 编号：A001 · 窗口：1" in page and "<td>系统</td>" in page
        assert "<summary>原始记录</summary>" in page
        assert "boss" in page
        checked = reader.get("/admin/audit?verify=1").get_data(as_text=True)
        assert "记录链完整" in checked
        by_user = reader.get("/admin/audit?user=boss").get_data(as_text=True)
        assert "<td>叫号</td>" in by_user and "<td>取号</td>" not in by_user
    clerk = app.test_client()
    login(clerk, username="clerk")
    assert clerk.get("/admin/audit").status_code == 403
