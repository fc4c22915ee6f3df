"""The print service's heartbeat: is a print worker running, and is a lease holder alive?

Each print-worker process writes its ``PrintWorkerBeat`` row every PRINT_BEAT_SECONDS
(``record_beat``); staff screens read the newest beat (``stopped_since``). A lease names its
holder as ``host:pid:random``, so a worker on the same machine can tell at once that the
holder's process is gone (``holder_is_dead``) instead of waiting for the lease to expire.
"""

import os
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from app.database import insert_if_missing
from app.extensions import db
from app.models import PrintWorkerBeat, utcnow


def record_beat(owner: str, host: str, now: datetime, stopping: bool = False) -> None:
    """This worker is alive (or stopping cleanly); part of the caller's transaction."""
    # The heartbeat thread and the main loop may both be first: insert once, then update.
    insert_if_missing(PrintWorkerBeat, owner=owner, host=host, pid=os.getpid(), started_at=now,
                      beat_at=now)
    db.session.execute(update(PrintWorkerBeat).where(PrintWorkerBeat.owner == owner)
                       .values(beat_at=now, stopped_at=now if stopping else None))


def stopped_since() -> tuple[bool, datetime | None]:
    """(stopped, since): whether no print worker has beaten lately, and its last beat."""
    last = db.session.scalar(select(func.max(PrintWorkerBeat.beat_at)))
    stale = timedelta(seconds=current_app.config["PRINT_SERVICE_STALE_SECONDS"])
    return (last is None or last < utcnow() - stale), last


def holder_is_dead(owner: str, this_host: str) -> bool:
    """True when ``owner`` was a process on this machine that no longer exists."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != this_host or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False
