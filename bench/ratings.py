"""The ratings case of `make bench`: 200,000 satisfaction ratings over the last year.

Rows are bulk-inserted straight into the tables (a quarter from slips with a service, window
and kind; bad ones with reasons; refused presses on some days), then the figures page's
service (``rating_figures.figures``) is timed for this month and for the assessment year, the
page ``/admin/ratings`` through the test client (signed in as a manager), and the CSV of the
year through its route: its time, and the process's peak resident memory while it streams
(Linux's VmHWM, reset just before; the rows inserted above are freed by then). Run alone
with `python -m bench ratings`.
"""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

RATINGS = 200_000
CHUNK = 10_000


def run(app, client, timed) -> None:
    from app.clock import hall_period
    from app.extensions import db
    from app.services import assessment, rating_figures

    with app.app_context():
        start = time.perf_counter()
        rows = _fill(db)
        print(f"{'ratings: rows inserted':<44} {rows:,} in {time.perf_counter() - start:.1f} s")
        month, year = hall_period("month"), assessment.period(assessment.current_number())
        total = rating_figures.figures(year).overall.whole
        timed("rating figures, this month", 5, lambda i: rating_figures.figures(month))
        timed(f"rating figures, assessment year ({total:,})", 5, lambda i: rating_figures.figures(year))
        number = assessment.current_number()
        db.session.remove()
    client.post("/staff/login", data={"username": "bench-ratings", "password": "bench-password-2026"})
    for url in ("/admin/ratings", f"/admin/ratings?year={number}"):
        status = client.get(url).status_code
        timed(f"GET {url} ({status})", 5, lambda i, url=url: client.get(url).get_data())
    url = f"/admin/ratings.csv?year={number}"
    status = client.get(url).status_code
    timed(f"GET {url} ({status})", 3, lambda i: client.get(url).get_data())
    before, size = _resident(reset=True), 0
    started = time.perf_counter()
    streamed = client.get(url, buffered=False)
    for chunk in streamed.response:  # read as a browser does, nothing kept
        size += len(chunk)
    streamed.close()
    seconds, peak = time.perf_counter() - started, _resident()
    print(f"{'the CSV streamed (' + f'{size / 2**20:.1f} MiB' + ')':<44} {seconds:.1f} s, peak resident "
          + (f"{peak / 2**20:.0f} MiB ({(peak - before) / 2**20:+.0f} MiB)" if peak else "unknown"))


def _resident(reset: bool = False) -> int:
    """The process's peak resident memory in bytes since the last reset (Linux: VmHWM, reset by
    writing 5 to /proc/self/clear_refs); 0 where that cannot be read."""
    try:
        if reset:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
        with open("/proc/self/status") as status:
            found = next(line for line in status if line.startswith("VmHWM:" if not reset else "VmRSS:"))
        return int(found.split()[1]) * 1024
    except (OSError, StopIteration):
        return 0


def _fill(db) -> int:
    """A manager, the service start (unless the score case set it), and the ratings."""
    from app.domain.ratings import Channel, RaterRole, Reason
    from app.domain.scoring import add_months
    from app.models import AssessmentSettings, Rating, RatingReason, RatingRefusal, Role
    from app.services import accounts

    manager = accounts.create_user("bench-ratings", "bench-password-2026", Role.MANAGER)
    now = datetime.now(UTC).replace(tzinfo=None)
    if db.session.get(AssessmentSettings, 1) is None:
        db.session.add(AssessmentSettings(id=1, service_start=add_months(now.date().replace(day=1), -10),
                                          updated_by_id=manager.id))
    db.session.commit()
    roles, levels = list(RaterRole), [1, 1, 1, 2, 2, 3, 3, 4, 5, 1]
    rows = []
    for i in range(RATINGS):
        at = now - timedelta(days=365) * (1 - i / RATINGS)
        slip = i % 4 == 0
        rows.append({"at": at, "level": levels[i % len(levels)], "role": roles[i % 3],
                     "channel": Channel.SLIP if slip else Channel.TERMINAL,
                     "terminal": None if slip else f"exit-{i % 2 + 1}",
                     "address": None if slip else f"10.0.0.{i % 2 + 1}",
                     "service": f"ticket:b{i}" if slip else None, "service_kind": "ticket" if slip else None,
                     "window": i % 5 + 1 if slip else None, "comment": ""})
    for first in range(0, len(rows), CHUNK):
        db.session.execute(insert(Rating.__table__), rows[first:first + CHUNK])
    first_id = db.session.scalar(select(func.min(Rating.id)))
    reasons = [{"rating_id": first_id + i, "reason": Reason.WAITED} for i in range(RATINGS)
               if levels[i % len(levels)] >= 4]
    for first in range(0, len(reasons), CHUNK):
        db.session.execute(insert(RatingReason.__table__), reasons[first:first + CHUNK])
    today = now.date()
    refusals = [{"day": today - timedelta(days=d), "terminal": "exit-1", "count": d % 7 + 1}
                for d in range(0, 365, 3)]
    db.session.execute(insert(RatingRefusal.__table__), refusals)
    db.session.commit()
    return RATINGS + len(reasons)
