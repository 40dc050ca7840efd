"""Rate limit, fault injection and the request log of the emulator.

State lives in this process: each account is served by one server process (the
development server, the test live server, or under `make run-scaled` the one of the
sandbox's servers that ``origins.origin_for`` names). Fault knobs are stored on
``SandboxAccount`` so a management command can change them while it runs.
"""

import bisect
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F

from .models import SandboxAccount

WINDOW_SECONDS = 1.0


@dataclass(frozen=True)
class Admission:
    """The rate limit's verdict on one request (true when accepted), with what the
    ``RateLimit-Remaining`` and ``Retry-After`` headers tell the client."""

    accepted: bool
    remaining: int  # requests the window accepts right now after this one
    retry_after: float  # seconds until the window accepts one more (0 while it does)

    def __bool__(self) -> bool:
        return self.accepted


class RateLimiter:
    """A request is refused when it arrives within one second of the accepted request
    ``limit`` places before it (for 5: a sixth within one second of the fifth-last), so at
    most ``limit`` are accepted in any sliding one-second window and an idle account may
    send ``limit`` at once. Refused requests do not count.

    ``arrived`` is when the request reached the server: the caller reads ``clock`` first
    thing, so time spent before the verdict (a database lookup, a busy thread) does not
    make a request look later than it was. Concurrent requests may then be judged a little
    out of arrival order, so the verdict checks every window the request would fall in.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._accepted: dict[str, list[float]] = {}  # arrival times, sorted

    def allow(self, slug: str, limit: int, arrived: float | None = None) -> Admission:
        with self._lock:
            now = self.clock() if arrived is None else arrived
            accepted = self._accepted.setdefault(slug, [])
            del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]
            first = bisect.bisect_right(accepted, now - WINDOW_SECONDS)
            near = sorted(
                [*accepted[first : bisect.bisect_left(accepted, now + WINDOW_SECONDS)], now]
            )
            if any(near[i + limit] - near[i] < WINDOW_SECONDS for i in range(len(near) - limit)):
                oldest = accepted[-limit] if limit else now  # the one whose window it is
                return Admission(False, 0, max(0.0, oldest + WINDOW_SECONDS - now))
            bisect.insort(accepted, now)
            in_window = bisect.bisect_right(accepted, now) - first
            return Admission(True, max(0, limit - in_window), 0.0)

    def reset(self, slug: str | None = None) -> None:
        with self._lock:
            if slug is None:
                self._accepted.clear()
            else:
                self._accepted.pop(slug, None)


@dataclass
class LoggedRequest:
    at: float
    method: str
    path: str
    operation: str
    status: int
    duration_ms: float


@dataclass
class AccountLog:
    counts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    recent: deque[LoggedRequest] = field(default_factory=lambda: deque(maxlen=5000))


class RequestLog:
    """Per-account counts by operation and status, and the most recent requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, AccountLog] = {}

    def record(self, slug: str, entry: LoggedRequest) -> None:
        with self._lock:
            log = self._accounts.setdefault(slug, AccountLog())
            log.counts[entry.operation] += 1
            log.statuses[entry.status] += 1
            log.recent.append(entry)

    def snapshot(self, slug: str) -> dict:
        with self._lock:
            log = self._accounts.get(slug, AccountLog())
            return {
                "total": sum(log.statuses.values()),
                "by_operation": dict(log.counts),
                "by_status": {str(k): v for k, v in log.statuses.items()},
                "recent": [vars(e) for e in log.recent],
            }

    def reset(self, slug: str | None = None) -> None:
        with self._lock:
            if slug is None:
                self._accounts.clear()
            else:
                self._accounts.pop(slug, None)


rate_limiter = RateLimiter()
request_log = RequestLog()


def reset(slug: str | None = None) -> None:
    """Forget rate-limit windows and logged requests (tests and benchmarks call this)."""
    rate_limiter.reset(slug)
    request_log.reset(slug)


ERROR_STATUSES = (500, 502, 503)


def injected_failure(account: SandboxAccount) -> int | None:
    """Sleep for latency or a hang as configured; return a status to fail with, if any."""
    if account.hang_rate and random.random() < account.hang_rate:
        time.sleep(account.hang_seconds)
        return 504
    if account.latency_ms or account.jitter_ms:
        time.sleep((account.latency_ms + random.uniform(0, account.jitter_ms)) / 1000)
    if account.fail_next_count:
        # Decrement atomically so concurrent requests fail exactly N times in all.
        claimed = SandboxAccount.objects.filter(pk=account.pk, fail_next_count__gt=0).update(
            fail_next_count=F("fail_next_count") - 1
        )
        if claimed:
            return account.fail_next_status
    if account.throttle_rate and random.random() < account.throttle_rate:
        return 429
    if account.error_rate and random.random() < account.error_rate:
        return random.choice(ERROR_STATUSES)
    return None
