"""One API time budget per interactive request, in a context variable.

``ServerTimingMiddleware`` opens a scope for every web request; the client shrinks its
timeouts and its rate-limit and back-off waits to what is left, and raises
``DeadlineExceeded`` once nothing is. Outside any scope (management commands, task
workers) ``remaining()`` is None and calls keep their full, patient policy. Threads started
with ``contextvars.copy_context().run`` (see ``concurrency``) share their request's budget.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    ends: float  # time.monotonic()
    seconds: float  # the whole budget, for messages


_current: ContextVar[Deadline | None] = ContextVar("acdash_api_deadline", default=None)


@contextmanager
def scope(seconds: float) -> Iterator[Deadline]:
    """Give the block at most ``seconds`` of API time (never more than an enclosing scope)."""
    new = Deadline(time.monotonic() + seconds, seconds)
    outer = _current.get()
    chosen = outer if outer is not None and outer.ends <= new.ends else new
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def current() -> Deadline | None:
    return _current.get()


def remaining() -> float | None:
    """Seconds left of the current budget (0 when spent), or None outside any scope."""
    found = _current.get()
    return None if found is None else max(0.0, found.ends - time.monotonic())
