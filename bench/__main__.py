"""`make bench`: prints figures for the hot paths. Never asserts; compare runs by eye.

Runs against a throw-away SQLite file (or BENCH_DATABASE_URL) with the memory printer.
`python -m bench score` runs only the score case (bench/score.py), `python -m bench ratings`
only the satisfaction ratings case (bench/ratings.py).
"""

import os
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import date

from cryptography.fernet import Fernet


def timed(label: str, n: int, fn) -> None:
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<44} n={n:<5} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    from app import create_app
    from app.extensions import db
    from app.services import queue
    from app.services.print_worker import PrintWorker
    from printers import Receipt, parse_printer_url, render
    from tests.factories import checkin, make_id, registration

    tmp = tempfile.mkdtemp(prefix="linggong-bench-")
    os.environ["LINGGONG_INSTANCE_PATH"] = tmp
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PRINTER_URL": "memory:bench",
                      "SECRET_KEY": "bench", "PII_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
                      "PII_HASH_KEY": "ab" * 32, "WTF_CSRF_ENABLED": False,
                      "PUBLIC_BASE_URL": "http://hall.test"})
    with app.app_context():
        db.drop_all()
        db.create_all()
    client = app.test_client()
    print(f"database: {url.split('@')[-1]}")
    if sys.argv[1:] == ["score"]:
        return _score(app, client)
    if sys.argv[1:] == ["ratings"]:
        return _ratings(app, client)

    def register(i):
        data = registration(id_number=make_id("19800101", seq=f"{i % 1000:03d}"),
                            phone=f"139{i:08d}")
        assert client.post("/kiosk/register", data=data).status_code == 200

    # Form keys are one-time and bound to the browser session: take them off the form first.
    key_field = re.compile(r'name="form_key"[^>]*value="([^"]+)"')
    keys = [key_field.search(client.get("/kiosk/checkin").get_data(as_text=True)).group(1)
            for _ in range(300)]

    def check_in(i):
        resp = client.post("/kiosk/checkin", data={**checkin(phone=f"138{i:08d}"), "form_key": keys[i]})
        assert resp.status_code == 200

    timed("kiosk registration (POST, new worker)", 300, register)
    timed("kiosk registration (POST, same worker)", 100, lambda i: register(0))
    timed("employer check-in (POST, ticket + order)", 300, check_in)
    timed("hall display fragment (GET /display/board)", 200,
          lambda i: client.get("/display/board", headers={"HX-Request": "true"}))
    with app.app_context():
        timed("issue ticket (service, commit)", 300,
              lambda i: (queue.new_ticket("consult", date(2026, 1, 1)), db.session.commit()))
        config = parse_printer_url("memory:bench")
        receipt = (Receipt(items=[]).text("沙县区零工市场", size=2).text("零工编号 G000001")
                   .qr("http://hall.test/w/" + "x" * 32))
        timed("render a slip to ESC/POS bytes", 300, lambda i: render(receipt, config))
        start = time.perf_counter()
        printed = PrintWorker("bench").run_once()
        print(f"{'print worker drains the outbox':<44} {printed} jobs in {time.perf_counter() - start:.2f} s")
    _score(app, client)
    _ratings(app, client)


def _score(app, client) -> None:
    from bench import score

    score.run(app, client, timed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak resident memory of this process':<44} {peak:.0f} MiB")


def _ratings(app, client) -> None:
    from bench import ratings

    ratings.run(app, client, timed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak resident memory of this process':<44} {peak:.0f} MiB")


if __name__ == "__main__":
    main()
