"""Independent API calls of one request, run at once on the process's thread pool.

Each call runs in a copy of the caller's context, so the request's instrumentation
(Server-Timing counts every call) and its deadline still apply; the rate limiter is
shared by every thread anyway.

The pool's threads outlive the call: starting threads for each ``gather`` (often of calls
the metadata cache answers at once) was a few per cent of a page's server time. The
calling thread takes calls too, so a ``gather`` finishes even when every pool thread is
busy (a nested ``gather``, or a process under load): it never waits for a call that no
thread has started.
"""

import contextvars
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connections

MAX_WORKERS = 8  # more would only queue at the rate limiter (5 starts at once per account)
POOL_THREADS = 64  # for every gather of the process; started as needed, then kept

Outcome = tuple[Any, Exception | None]

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(POOL_THREADS, thread_name_prefix="acdash-api")
        return _pool


def _forget_pool() -> None:
    global _pool
    _pool = None  # a forked child has none of its parent's threads


os.register_at_fork(after_in_child=_forget_pool)


def _outcome(call: Callable[[], Any]) -> Outcome:
    try:
        return call(), None
    except Exception as exc:  # handed back to the caller, who raises it
        return None, exc


def _in_worker(call: Callable[[], Any]) -> Outcome:
    try:
        return _outcome(call)
    finally:
        connections.close_all()  # Django's connections are per thread: don't leak them


class _Batch:
    """The calls of one ``gather`` after the first (the caller's own): each is taken by
    exactly one thread, in order."""

    def __init__(self, calls: Sequence[Callable[[], Any]]) -> None:
        self.calls = calls
        # Copied on the calling thread: each call sees the caller's context as it was.
        self.contexts = [contextvars.copy_context() for _ in calls]
        self.outcomes: list[Outcome | None] = [None] * len(calls)
        self._next = 1
        self._lock = threading.Lock()

    def _take(self) -> int | None:
        with self._lock:
            if self._next == len(self.calls):
                return None
            self._next += 1
            return self._next - 1

    def work(self, *, closing: bool) -> None:
        """Run calls until none is left; ``closing`` on pool threads (their connections)."""
        run = _in_worker if closing else _outcome
        while (index := self._take()) is not None:
            self.outcomes[index] = self.contexts[index].run(run, self.calls[index])


def gather(*calls: Callable[[], Any], workers: int = MAX_WORKERS) -> list[Any]:
    """Run ``calls`` concurrently; their results, in order.

    The calling thread runs the first (in its own context) and takes more while at most
    ``workers`` pool threads take the others (more than MAX_WORKERS only for calls to
    many accounts, each on its own budget). Once all have finished, the first failure in
    call order is raised as it was (typed ``ApiError`` subclasses stay typed), so a caller
    handles errors as if it had made the calls one by one.
    """
    if len(calls) < 2:
        return [call() for call in calls]
    batch = _Batch(calls)
    pool = _shared_pool()
    helpers = [pool.submit(batch.work, closing=True) for _ in range(min(workers, len(calls) - 1))]
    batch.outcomes[0] = _outcome(calls[0])
    batch.work(closing=False)
    _wait_for(helpers)
    for _, error in batch.outcomes:
        if error is not None:
            raise error
    return [result for result, _ in batch.outcomes]


def _wait_for(helpers: list[Future]) -> None:
    """Every call is taken: a helper still queued has nothing left to do."""
    for helper in helpers:
        if not helper.cancel():
            helper.result()
