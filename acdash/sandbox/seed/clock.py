"""The seed's notion of time: the fixed anchor, random moments before it and the API's
timestamp formats for them."""

import random
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from .. import store
from ..models import SandboxAccount

ANCHOR = datetime(2026, 1, 15, 17, 0, tzinfo=UTC)


class Clock:
    """Random moments before the anchor and the API's timestamp formats for them."""

    def __init__(self, account: SandboxAccount, rng: random.Random):
        self.account = account
        self.rng = rng
        self.tz = ZoneInfo(account.timezone)

    def days_ago(self, most: float, least: float = 0) -> datetime:
        seconds = self.rng.randint(int(least * 86400), int(most * 86400))
        return ANCHOR - timedelta(seconds=seconds)

    def between(self, start: datetime, end: datetime) -> datetime:
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, span))

    def iso(self, moment: datetime) -> str:
        return store.iso(self.account, moment)

    def plain(self, moment: datetime) -> str:
        return store.plain(self.account, moment)

    def utc(self, moment: datetime) -> str:
        return store.utc_plain(moment)

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, clock_time(hour, minute), tzinfo=self.tz)
