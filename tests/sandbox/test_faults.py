"""Rate limit, fault knobs and the request log of the sandbox."""

import time

import pytest
import requests

from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount


def set_knobs(sandbox, **knobs) -> None:
    """Change the account's knobs; the server reads them on every request."""
    SandboxAccount.objects.filter(pk=sandbox.account.pk).update(**knobs)


def statuses(sandbox, count: int, path: str = "/contacts") -> list[int]:
    return [sandbox.get(path).status_code for _ in range(count)]


def durations(sandbox) -> list[float]:
    return [entry["duration_ms"] for entry in sandbox.log()["recent"]]


class FrozenClock:
    """The sandbox limiter's clock, moved by the test alone: the window's verdicts then do
    not depend on how fast this machine answers."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> FrozenClock:
    frozen = FrozenClock()
    monkeypatch.setattr(faults.rate_limiter, "clock", frozen)
    return frozen


def test_a_burst_of_five_is_served_and_the_sixth_refused_with_the_documented_headers(
    sandbox, clock
):
    set_knobs(sandbox, rate_limit=5)
    burst = [sandbox.get("/contacts") for _ in range(5)]
    assert [r.status_code for r in burst] == [200] * 5
    assert [r.headers["RateLimit-Remaining"] for r in burst] == ["4", "3", "2", "1", "0"]
    assert all(r.headers["RateLimit-Limit"] == "5" for r in burst)
    sixth = sandbox.get("/contacts")
    assert sixth.status_code == 429
    assert sixth.json() == {"message": "Too Many Requests"}
    assert sixth.headers["Retry-After"] == "1"
    assert (sixth.headers["RateLimit-Limit"], sixth.headers["RateLimit-Remaining"]) == ("5", "0")
    assert sandbox.log()["by_operation"]["rate_limited"] == 1


def test_the_window_is_one_second_from_the_fifth_last_request(sandbox, clock):
    set_knobs(sandbox, rate_limit=5)
    assert [sandbox.get("/contacts").status_code for _ in range(5)] == [200] * 5
    clock.now += 0.6
    assert sandbox.get("/contacts").status_code == 429  # 0.6 s after the fifth-last
    clock.now += 0.399
    assert sandbox.get("/contacts").status_code == 429
    clock.now += 0.001
    assert sandbox.get("/contacts").status_code == 200  # one second after it


def test_the_window_slides_with_the_fifth_last_accepted_request():
    clock = FrozenClock()
    limiter = faults.RateLimiter(clock)
    verdicts = []
    for at in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.499, 1.5):
        clock.now = 1000 + at
        verdicts.append((at, bool(limiter.allow("acct", 5))))
    assert verdicts == [
        (0.0, True),
        (0.5, True),
        (0.6, True),
        (0.7, True),
        (0.8, True),
        (0.9, False),  # refused requests do not count…
        (1.0, True),  # …so the fifth-last is still the one at 0.0
        (1.1, False),  # now it is the one at 0.5
        (1.499, False),
        (1.5, True),
    ]
    refused = limiter.allow("acct", 5)
    assert not refused and refused.retry_after == pytest.approx(0.1)  # 0.6 + 1 - 1.5
    assert limiter.allow("another", 5).remaining == 4


def test_a_request_judged_after_later_arrivals_still_keeps_every_window_to_five():
    clock = FrozenClock()
    limiter = faults.RateLimiter(clock)
    for at in (0.5, 0.6, 0.7, 0.8):
        assert limiter.allow("acct", 5, arrived=1000 + at)
    assert limiter.allow("acct", 5, arrived=1000.45)  # judged after later arrivals: a fifth
    assert not limiter.allow("acct", 5, arrived=1000.9)  # a sixth after them
    assert not limiter.allow("acct", 5, arrived=1000.4)  # a sixth before them


def test_requests_paced_within_the_rate_limit_are_all_accepted(sandbox, clock):
    set_knobs(sandbox, rate_limit=5)
    accepted = []
    for _ in range(8):
        clock.now += 0.25  # four requests a second
        accepted.append(sandbox.get("/contacts").status_code)
    assert accepted == [200] * 8


def test_latency_with_jitter_delays_each_request(sandbox):
    assert statuses(sandbox, 3) == [200] * 3
    assert max(durations(sandbox)) < 100
    sandbox.session.delete(sandbox.api_url + "/_sandbox/log")
    set_knobs(sandbox, latency_ms=150, jitter_ms=100)
    assert statuses(sandbox, 8) == [200] * 8
    delayed = durations(sandbox)
    assert len(delayed) == 8
    # 150 ms plus up to 100 ms of jitter, plus the time the request itself takes.
    assert all(150 <= d < 250 + 150 for d in delayed), delayed
    assert max(delayed) - min(delayed) > 5, "jitter varies the delay"


def test_error_rate_one_answers_only_server_errors(sandbox):
    set_knobs(sandbox, error_rate=1.0)
    responses = [sandbox.get("/contacts") for _ in range(20)]
    assert {r.status_code for r in responses} <= {500, 502, 503}
    assert len({r.status_code for r in responses}) > 1
    for response in responses:
        # 500 comes from the application (JSON), 502/503 from the gateway in front of it.
        expected = "application/json" if response.status_code == 500 else "text/html"
        assert response.headers["Content-Type"] == expected


def test_throttle_rate_one_answers_429(sandbox):
    set_knobs(sandbox, throttle_rate=1.0)
    responses = [sandbox.get("/contacts") for _ in range(5)]
    assert [r.status_code for r in responses] == [429] * 5
    assert all(r.headers["Retry-After"] for r in responses)
    assert responses[0].json() == {"message": "Too Many Requests"}


def test_hanging_request_trips_the_client_read_timeout(sandbox):
    set_knobs(sandbox, hang_rate=1.0, hang_seconds=0.5)
    with pytest.raises(requests.ReadTimeout):
        sandbox.get("/contacts", timeout=0.1)
    # Let the hung request end before the next test starts (bounded poll of the log).
    deadline = time.monotonic() + 10
    while sandbox.log()["total"] == 0:
        assert time.monotonic() < deadline, "the hung request never ended"
        time.sleep(0.05)
    assert sandbox.log()["by_status"] == {"504": 1}
    assert durations(sandbox)[0] >= 500


@pytest.mark.parametrize("status", [503, 500])
def test_fail_next_fails_exactly_n_requests(sandbox, status):
    set_knobs(sandbox, fail_next_count=3, fail_next_status=status)
    assert statuses(sandbox, 5) == [status] * 3 + [200] * 2
    sandbox.account.refresh_from_db()
    assert sandbox.account.fail_next_count == 0


def test_request_log_counts_per_operation_and_status(sandbox):
    created = sandbox.ok("POST", "/contacts", {"contact": {"email": "jane@example.com"}})
    contact_id = created["contact"]["id"]
    sandbox.get("/contacts")
    sandbox.get("/contacts?limit=5")
    sandbox.get(f"/contacts/{contact_id}")
    sandbox.get("/contacts/999")
    sandbox.session.get(sandbox.base + "/contacts", headers={"Api-Token": "wrong"})
    log = sandbox.log()
    assert log["total"] == 6
    assert log["by_operation"] == {
        "Contact_createNewContact": 1,
        "List_contacts": 2,
        "Contact_getById": 2,
        "unauthorised": 1,
    }
    assert log["by_status"] == {"201": 1, "200": 3, "404": 1, "403": 1}
    first, second = log["recent"][:2]
    assert (first["method"], first["path"], first["status"]) == ("POST", "/contacts", 201)
    assert (second["operation"], second["duration_ms"] >= 0) == ("List_contacts", True)

    # The same log over HTTP, for benchmarks and the sandbox_log command; DELETE resets it.
    url = sandbox.api_url + "/_sandbox/log"
    over_http = sandbox.session.get(url).json()
    assert over_http["by_operation"] == log["by_operation"]
    assert requests.get(url, headers={"Api-Token": "wrong"}, timeout=5).status_code == 403
    assert sandbox.session.delete(url).status_code == 200
    assert sandbox.log()["total"] == 0
