"""Rate limit, fault injection and the request log of the emulator.

State lives in this process: the sandbox is served by one server process (the
development server or the test live server). Fault knobs are stored on
``SandboxAccount`` so a management command can change them while it runs.
"""

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
    send ``limit`` at once. Refused requests do not count."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._accepted: dict[str, deque[float]] = {}

    def allow(self, slug: str, limit: int) -> Admission:
        with self._lock:
            now = self.clock()
            window = self._accepted.setdefault(slug, deque())
            while window and now - window[0] >= WINDOW_SECONDS:
                window.popleft()
            if len(window) >= limit:
                return Admission(False, 0, window[-limit] + WINDOW_SECONDS - now)
            window.append(now)
            return Admission(True, limit - len(window), 0.0)

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
