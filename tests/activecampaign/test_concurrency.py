"""``concurrency.gather``: independent calls at once, counted and bounded as the request's."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from acdash.activecampaign import NotFound, concurrency, count_api_calls, deadline
from acdash.activecampaign.concurrency import gather


def test_calls_run_at_once_and_results_keep_their_order():
    together = threading.Barrier(3, timeout=10)  # breaks unless all three run at once

    def call(n: int):
        return lambda: (together.wait(), n)[1]

    assert gather(call(1), call(2), call(3)) == [1, 2, 3]


def test_each_call_is_counted_and_bounded_as_the_callers(client):
    with count_api_calls() as calls, deadline.scope(5):
        budgets = gather(
            *[lambda: (client.get("/contacts"), deadline.remaining())[1] for _ in range(3)]
        )
    assert calls.count == 3  # the request's Server-Timing sees every call
    assert all(left is not None and left <= 5 for left in budgets)


def test_the_first_failure_in_call_order_is_raised_once_all_have_finished(client):
    finished = []

    def slow_success():
        client.get("/contacts")
        finished.append("slow")

    def fail(path: str):
        return lambda: client.get(path)

    with pytest.raises(NotFound) as caught:
        gather(fail("/contacts/998"), slow_success, fail("/contacts/999"))
    assert caught.value.path == "/contacts/998"
    assert finished == ["slow"]


def test_the_pool_threads_serve_one_gather_after_another():
    used = set()  # the threads themselves: a thread's ident may be reused once it ends
    for _ in range(3 * concurrency.POOL_THREADS):
        # Each call waits for the other at a barrier, so two threads run them (the caller
        # alone could otherwise take both before a pool thread woke).
        met = threading.Barrier(2, timeout=10)

        def meet(met=met) -> threading.Thread:
            met.wait()
            return threading.current_thread()

        used.update(gather(meet, meet))
    assert threading.current_thread() in used
    assert 1 < len(used) <= concurrency.POOL_THREADS + 1


def test_with_every_pool_thread_busy_the_caller_runs_the_calls_itself(monkeypatch):
    busy, release = ThreadPoolExecutor(1), threading.Event()
    busy.submit(release.wait, 10)
    monkeypatch.setattr(concurrency, "_pool", busy)
    try:
        ran_on = gather(*[threading.get_ident for _ in range(3)])
    finally:
        release.set()
        busy.shutdown()
    assert ran_on == [threading.get_ident()] * 3
