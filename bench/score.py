"""The score case of `make bench`: a year a hundred times the sheet's top thresholds.

250,000 workers (C1 tops out at 2,500), 200,000 published task orders (C2 at 2,000),
150,000 completed deals (C3 at 1,500) and 100,000 tickets, bulk-inserted straight into the
tables (minimal columns, not through the services), spread over assessment year 1. Then
the score card, the score routes of the app (every GET rule with "score" in its path,
through the test client, signed in as the manager) and the first page of the drill-down
lists are timed, and the query plans of the largest counts are printed.
Run alone with `python -m bench score`.
"""

import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

WORKERS, TASK_ORDERS, TICKETS, EMPLOYERS, DEALS = 250_000, 200_000, 100_000, 1_000, 150_000
CHUNK = 10_000


def run(app, client, timed) -> None:
    from app.extensions import db
    from app.services import scoring

    with app.app_context():
        start, rows = _fill(db)
        print(f"{'score year: rows inserted':<44} {rows:,} in {time.perf_counter() - start:.1f} s")
        timed("scoring.card(1) (live, every counter)", 5, lambda i: scoring.card(1))
        timed("scoring.trend(1) (monthly values)", 5, lambda i: scoring.trend(1))
        for key in ("workers_registered", "task_orders_published", "deals_completed"):
            _drill_down(db, key, timed)
        _plans(db)
        db.session.remove()
    _routes(app, client, timed)


def _fill(db):
    """Settings, one manager, and the year's rows; returns (start time, rows inserted)."""
    from app.domain.scoring import add_months
    from app.models import AssessmentSettings, Role
    from app.services import accounts

    start = time.perf_counter()
    today = datetime.now(UTC).date()
    first_day = add_months(today.replace(day=1), -10)
    manager = accounts.create_user("bench-manager", "bench-password-2026", Role.MANAGER)
    db.session.add(AssessmentSettings(id=1, service_start=first_day, contract_amount=Decimal(500000),
                                      bid_price=Decimal(500000), network_fee=Decimal(100000),
                                      updated_by_id=manager.id))
    db.session.commit()
    span = (datetime.combine(today, datetime.min.time()) - datetime.combine(first_day, datetime.min.time()))
    moment = lambda i, n: datetime.combine(first_day, datetime.min.time()) + span * (i / n)  # noqa: E731
    rows = (_workers(db, moment) + _task_orders(db, moment, today) + _deals(db, moment)
            + _tickets(db, moment))
    db.session.commit()
    return start, rows


def _bulk(db, table, rows) -> int:
    for first in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[first:first + CHUNK])
    return len(rows)


def _workers(db, moment) -> int:
    from app.models import Worker

    rows = [{"name": "零工", "expected_wage": Decimal(200), "qr_token": f"b{i:042d}",
             "consent_version": "bench", "consent_at": (at := moment(i, WORKERS)),
             "first_registered_at": at, "last_registered_at": at, "registration_count": 1}
            for i in range(WORKERS)]
    return _bulk(db, Worker.__table__, rows)


def _task_orders(db, moment, today: date) -> int:
    from app.models import Employer, EmployerType, PayUnit, TaskOrder, TaskStatus

    employers = [{"employer_type": EmployerType.INDIVIDUAL, "contact_name": "王老板", "phone_cipher": "x",
                  "phone_hash": f"{i:064d}", "phone_last4": "0000"} for i in range(EMPLOYERS)]
    _bulk(db, Employer.__table__, employers)
    first = db.session.scalar(select(func.min(Employer.id)))
    rows = [{"employer_id": first + i % EMPLOYERS, "trade_code": "porter", "headcount": 1,
             "pay": Decimal(200), "pay_unit": PayUnit.DAY, "work_date": today, "location": "凤岗街道",
             "description": "", "status": TaskStatus.PUBLISHED, "source": "bench",
             "created_at": (at := moment(i, TASK_ORDERS)), "reviewed_at": at, "published_at": at}
            for i in range(TASK_ORDERS)]
    return EMPLOYERS + _bulk(db, TaskOrder.__table__, rows)


def _deals(db, moment) -> int:
    """Completed deals, every step a minute after the one before, each on its own posting."""
    from app.domain.deals import DealSource, DealStatus
    from app.models import Deal, PayUnit, TaskOrder, Worker

    worker, order = (db.session.scalar(select(func.min(m.id))) for m in (Worker, TaskOrder))
    employer = db.session.scalar(select(TaskOrder.employer_id).where(TaskOrder.id == order))
    rows = []
    for i in range(DEALS):
        at = moment(i, DEALS)
        step = [at + timedelta(minutes=n) for n in range(7)]
        rows.append({"task_order_id": order + i, "worker_id": worker + i, "employer_id": employer,
                     "status": DealStatus.COMPLETED, "source": DealSource.KIOSK, "accepted_at": step[0],
                     "pay": Decimal(200), "pay_unit": PayUnit.DAY, "priced_at": step[1], "signed_at": step[2],
                     "insured_at": step[3], "paid_at": step[4], "paid_amount": Decimal(200),
                     "settled_at": step[5], "wage_amount": Decimal(200), "completed_at": step[6],
                     "interprovincial_suggested": False, "verify_token": f"v{i:042d}",
                     "worker_token": f"w{i:042d}", "employer_token": f"e{i:042d}"})
    return _bulk(db, Deal.__table__, rows)


def _tickets(db, moment) -> int:
    from app.domain.queue import TicketStatus
    from app.models import Ticket

    rows, seqs = [], {}
    for i in range(TICKETS):
        at = moment(i, TICKETS)
        day = (at + timedelta(hours=8)).date()
        seqs[day] = seqs.get(day, 0) + 1
        # A service of their own: the numbers never meet those the check-in case issued.
        rows.append({"issued_service": "bench", "service_code": "bench", "day": day, "seq": seqs[day],
                     "number": f"Z{seqs[day]:03d}", "status": TicketStatus.DONE, "window": 1,
                     "status_token": f"t{i:042d}", "issued_at": at, "called_at": at + timedelta(minutes=5),
                     "last_called_at": at + timedelta(minutes=5), "finished_at": at + timedelta(minutes=15)})
    return _bulk(db, Ticket.__table__, rows)


def _drill_down(db, key: str, timed) -> None:
    from app.services import assessment, metrics

    period = assessment.period(1)
    measured = metrics.measure(key, period)
    timed(f"count {key} ({measured.value:,} rows)", 5, lambda i: metrics.measure(key, period))
    timed(f"drill-down {key}: first page of 50", 5,
          lambda i: db.session.scalars(measured.records.limit(50)).all())


def _plans(db) -> None:
    """How the database answers the largest counts and their first pages (EXPLAIN)."""
    from app.services import assessment, metrics

    period = assessment.period(1)
    dialect = db.engine.dialect.name
    for key in ("workers_registered", "task_orders_published", "deals_completed"):
        tally = metrics.REGISTRY[key].tally(period)
        rows = tally.records.order_by(None).subquery()  # as metrics.measure counts
        for label, stmt in (("count", select(func.count()).select_from(rows)),
                            ("first page", tally.records.limit(50))):
            sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
            explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
            plan = db.session.execute(text(explain + sql)).all()
            lines = [str(row[-1] if dialect == "sqlite" else row[0]).strip() for row in plan]
            steps = [line.split("  (cost")[0] for line in lines if dialect == "sqlite" or
                     any(word in line for word in ("Scan", "Sort", "Aggregate", "Limit"))]
            print(f"  plan of {key} {label}: " + " | ".join(steps))


def _routes(app, client, timed) -> None:
    """Every GET route of the score page (whatever this branch has), as the manager."""
    client.post("/staff/login", data={"username": "bench-manager", "password": "bench-password-2026"})
    samples = {"period": 1, "number": 1, "key": "C1", "item": "C1"}
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "score" not in rule.rule or "GET" not in rule.methods or not set(rule.arguments) <= set(samples):
            continue
        url = adapter.build(rule.endpoint, {arg: samples[arg] for arg in rule.arguments})
        status = client.get(url).status_code
        # get_data(): a streamed body (the CSV) is read to its end, as a browser would
        timed(f"GET {url} ({status})", 5, lambda i, url=url: client.get(url).get_data())
