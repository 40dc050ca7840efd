"""Count and time the API calls of one web request (or one test block).

A scope is a ``CallStats`` in a context variable; scopes nest, and a call counts in
every enclosing scope. ``calls`` counts HTTP requests sent (retries included: each one
spends rate-limit budget); ``busy_ms`` is the wall time during which at least one API
call was under way, rate-limit and back-off waits included, so concurrent calls are not
counted twice. Threads do not inherit context variables: fan calls out with
``concurrency.gather``, which runs each in a copy of the caller's context.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from . import deadline
from .conf import setting


@dataclass(frozen=True)
class ApiCall:
    method: str
    path: str
    status: int | None  # None: no answer (timeout, connection error)
    ms: float


class CallStats:
    def __init__(self, parent: "CallStats | None" = None) -> None:
        self.parent = parent
        self.calls: list[ApiCall] = []
        self.busy_ms = 0.0
        self._lock = threading.Lock()
        self._in_flight = 0
        self._busy_since = 0.0

    @property
    def count(self) -> int:
        return len(self.calls)

    def _chain(self) -> Iterator["CallStats"]:
        stats: CallStats | None = self
        while stats is not None:
            yield stats
            stats = stats.parent

    def record(self, call: ApiCall) -> None:
        for stats in self._chain():
            with stats._lock:
                stats.calls.append(call)

    def _enter(self) -> None:
        for stats in self._chain():
            with stats._lock:
                if stats._in_flight == 0:
                    stats._busy_since = time.monotonic()
                stats._in_flight += 1

    def _exit(self) -> None:
        for stats in self._chain():
            with stats._lock:
                stats._in_flight -= 1
                if stats._in_flight == 0:
                    stats.busy_ms += (time.monotonic() - stats._busy_since) * 1000

    def summary(self) -> str:
        return "\n".join(f"  {c.method} {c.path} -> {c.status} ({c.ms:.0f} ms)" for c in self.calls)


_current: ContextVar[CallStats | None] = ContextVar("acdash_api_calls", default=None)


@contextmanager
def count_api_calls() -> Iterator[CallStats]:
    """Collect the API calls made inside the block: ``with count_api_calls() as stats``."""
    stats = CallStats(parent=_current.get())
    token = _current.set(stats)
    try:
        yield stats
    finally:
        _current.reset(token)


@contextmanager
def assert_api_calls(max: int) -> Iterator[CallStats]:
    """Fail the test if the block makes more than ``max`` API calls."""
    with count_api_calls() as stats:
        yield stats
    assert stats.count <= max, (
        f"{stats.count} API calls, expected at most {max}:\n{stats.summary()}"
    )


@contextmanager
def busy() -> Iterator[None]:
    """Mark the block as time spent on the API (the client wraps every call in it)."""
    stats = _current.get()
    if stats is None:
        yield
        return
    stats._enter()
    try:
        yield
    finally:
        stats._exit()


def record(call: ApiCall) -> None:
    if (stats := _current.get()) is not None:
        stats.record(call)


class ServerTimingMiddleware:
    """Gives every web request its API time budget (``deadline.scope`` of
    ``INTERACTIVE_DEADLINE`` seconds) and adds ``Server-Timing: api;dur=<ms>;desc="N
    calls", app;dur=<ms>`` to its response: the time spent on the API, and the rest of the
    request's wall time (acdash's own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        with count_api_calls() as stats, deadline.scope(setting("INTERACTIVE_DEADLINE")):
            response = self.get_response(request)
        app_ms = max(0.0, (time.monotonic() - started) * 1000 - stats.busy_ms)
        timing = f'api;dur={stats.busy_ms:.1f};desc="{stats.count} calls", app;dur={app_ms:.1f}'
        existing = response.get("Server-Timing")
        response["Server-Timing"] = f"{existing}, {timing}" if existing else timing
        return response
