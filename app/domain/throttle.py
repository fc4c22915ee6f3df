"""How long a client must wait before its next try: a growing delay that always ends.

``free`` failures cost nothing; each one after that doubles the wait (from ``base``, at
most ``cap``), counted from the latest failure. Failures older than ``window`` no longer
count, so no sequence of failures locks anything for good.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    free: int
    base: timedelta
    cap: timedelta
    window: timedelta

    def wait(self, failures: list[datetime], now: datetime) -> timedelta:
        recent = [at for at in failures if at > now - self.window]
        if len(recent) < self.free:
            return timedelta(0)
        delay = min(self.cap, self.base * 2 ** (len(recent) - self.free))
        return max(timedelta(0), max(recent) + delay - now)


# Sign-ins. Per account: 5 failures free, then 30 s, 1 min, 2 min … at most 15 min; this
# applies only to clients that have failed themselves lately, so a guesser elsewhere cannot
# lock the real person out. Per client address: 10 failures (any accounts) free.
ACCOUNT = Limit(free=5, base=timedelta(seconds=30), cap=timedelta(minutes=15), window=timedelta(hours=1))
CLIENT = Limit(free=10, base=timedelta(seconds=30), cap=timedelta(minutes=15), window=timedelta(hours=1))


def sign_in_wait(account_failures: list[datetime], client_failures: list[datetime],
                 now: datetime) -> timedelta:
    """The wait before this client may try this account again (zero: go ahead)."""
    by_client = CLIENT.wait(client_failures, now)
    if not client_failures:
        return by_client
    return max(by_client, ACCOUNT.wait(account_failures, now))


def minutes_text(wait: timedelta) -> str:
    """A wait in words for the person: 30秒 / 2分钟."""
    seconds = max(1, round(wait.total_seconds()))
    return f"{seconds}秒" if seconds < 60 else f"{-(-seconds // 60)}分钟"
