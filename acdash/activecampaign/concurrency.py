"""Independent API calls of one request, run at once on a small thread pool.

Each call runs in a copy of the caller's context, so the request's instrumentation
(Server-Timing counts every call) and its deadline still apply; the rate limiter is
shared by every thread anyway.
"""

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connections

MAX_WORKERS = 8  # more would only queue at the rate limiter (5 starts at once per account)


def _outcome(call: Callable[[], Any]) -> tuple[Any, Exception | None]:
    try:
        return call(), None
    except Exception as exc:  # handed back to the caller, who raises it
        return None, exc


def _in_worker(call: Callable[[], Any]) -> tuple[Any, Exception | None]:
    try:
        return _outcome(call)
    finally:
        connections.close_all()  # Django's connections are per thread: don't leak them


def gather(*calls: Callable[[], Any], workers: int = MAX_WORKERS) -> list[Any]:
    """Run ``calls`` concurrently; their results, in order.

    The first runs on the calling thread, the others on a pool of at most ``workers`` that
    lives as long as the call (more than MAX_WORKERS only for calls to many accounts, each
    on its own budget). Once all have finished, the first failure in call order is raised
    as it was (typed ``ApiError`` subclasses stay typed), so a caller handles errors as if
    it had made the calls one by one.
    """
    if len(calls) < 2:
        return [call() for call in calls]
    with ThreadPoolExecutor(min(workers, len(calls) - 1), thread_name_prefix="acdash-api") as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, _in_worker, call) for call in calls[1:]
        ]
        outcomes = [_outcome(calls[0]), *(future.result() for future in futures)]
    for _, error in outcomes:
        if error is not None:
            raise error
    return [result for result, _ in outcomes]
