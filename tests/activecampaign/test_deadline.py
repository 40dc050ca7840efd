"""The API time budget of interactive requests (``deadline.scope``), against the sandbox:
inside one, timeouts and waits shrink to what is left; outside, calls keep retrying."""

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from acdash.activecampaign import Unavailable, count_api_calls, deadline
from acdash.activecampaign.errors import DeadlineExceeded
from acdash.activecampaign.instrumentation import ServerTimingMiddleware
from acdash.activecampaign.ratelimit import FileStore, RateLimiter

from .test_client import set_faults, statuses


def test_background_calls_keep_retrying_patiently(sandbox, make_client):
    set_faults(sandbox, fail_next_count=3, fail_next_status=503)
    assert deadline.remaining() is None  # no web request: no budget
    assert make_client().get("/contacts")["contacts"] == []
    assert statuses(sandbox) == {"503": 3, "200": 1}


def test_a_retry_that_would_outlast_the_budget_is_not_started(sandbox, make_client):
    set_faults(sandbox, fail_next_count=3, fail_next_status=503)
    client = make_client(backoff_base=2)  # the first retry waits 1 to 2 s
    with deadline.scope(0.5), pytest.raises(Unavailable) as caught:
        client.get("/contacts")
    assert caught.value.status == 503  # the API's own answer, not a guess
    assert statuses(sandbox) == {"503": 1}


def test_a_hung_call_is_cut_at_the_budget(sandbox, make_client):
    set_faults(sandbox, hang_rate=1.0, hang_seconds=2)
    client = make_client()  # a 30 s read timeout
    started = time.monotonic()
    with deadline.scope(0.5), pytest.raises(DeadlineExceeded) as caught:
        client.get("/contacts")
    assert time.monotonic() - started < 1.5  # a bound, not a benchmark
    assert str(caught.value).startswith("ActiveCampaign is not answering: GET /contacts")
    assert isinstance(caught.value, Unavailable)  # views' error states catch it as such
    # Let the hung request end before the next test starts (bounded poll of the log).
    give_up = time.monotonic() + 10
    while sandbox.log()["total"] == 0:
        assert time.monotonic() < give_up, "the hung request never ended"
        time.sleep(0.05)


def test_a_rate_limit_wait_beyond_the_budget_sends_nothing(sandbox, make_client, tmp_path):
    slow = RateLimiter(FileStore(tmp_path / "slow"), rate=1, margin=9)  # 1 call per 10 s
    client = make_client(limiter=slow)
    with deadline.scope(2):
        client.get("/contacts")
        with count_api_calls() as calls, pytest.raises(DeadlineExceeded):
            client.get("/contacts")
    assert calls.count == 0 and sandbox.log()["total"] == 1


def test_a_spent_budget_fails_at_once(sandbox, make_client):
    with deadline.scope(0), pytest.raises(DeadlineExceeded, match="within 0 s"):
        make_client().get("/contacts")
    assert sandbox.log()["total"] == 0


def test_an_inner_scope_never_extends_the_outer_one():
    with deadline.scope(1):
        with deadline.scope(60):
            assert deadline.remaining() <= 1
        with deadline.scope(0.1):
            assert deadline.remaining() <= 0.1
    assert deadline.remaining() is None


def test_every_web_request_gets_the_configured_budget(settings):
    settings.ACTIVECAMPAIGN_INTERACTIVE_DEADLINE = 3
    seen = []

    def view(request):
        seen.append(deadline.remaining())
        return HttpResponse()

    ServerTimingMiddleware(view)(RequestFactory().get("/"))
    assert 2.5 < seen[0] <= 3
