"""The print service's heartbeat: one row per print-worker process.

Each worker writes ``beat_at`` every few seconds (and renews its printer leases at the same
time); staff screens say "打印服务未运行" when no worker has beaten lately.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .base import utcnow


class PrintWorkerBeat(db.Model):
    __tablename__ = "print_worker_beat"

    owner: Mapped[str] = mapped_column(String(80), primary_key=True)  # host:pid:random
    host: Mapped[str] = mapped_column(String(64))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    stopped_at: Mapped[datetime | None]  # set when the worker stopped cleanly
