"""The sandbox's rate limit, on a clock the test moves: at most N accepted requests per
account in any sliding one-second window (not half a second, not a fixed second)."""

import pytest

from acdash.sandbox import faults


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock) -> faults.RateLimiter:
    return faults.RateLimiter(clock=clock)


def allowed_at(limiter, clock, times: list[float], slug: str = "acme", limit: int = 5) -> list:
    verdicts = []
    for t in times:
        clock.now = 1000.0 + t
        verdicts.append(bool(limiter.allow(slug, limit)))
    return verdicts


def test_five_at_once_on_an_idle_account_then_the_sixth_is_refused(limiter, clock):
    assert allowed_at(limiter, clock, [0, 0, 0, 0, 0, 0]) == [True] * 5 + [False]


def test_the_window_lasts_a_whole_second(limiter, clock):
    allowed_at(limiter, clock, [0] * 5)
    # Half a second, or nearly a second, later the five still count.
    assert allowed_at(limiter, clock, [0.5, 0.75, 0.999]) == [False, False, False]
    assert allowed_at(limiter, clock, [1.0]) == [True]  # one second after the first


def test_the_window_slides_one_request_at_a_time(limiter, clock):
    assert allowed_at(limiter, clock, [0, 0.2, 0.4, 0.6, 0.8]) == [True] * 5
    assert allowed_at(limiter, clock, [0.9, 1.0, 1.1, 1.2, 1.3]) == [
        False,
        True,  # the request at 0 left the window
        False,
        True,  # the one at 0.2 left
        False,
    ]


def test_refused_requests_do_not_use_the_budget(limiter, clock):
    allowed_at(limiter, clock, [0] * 5)
    allowed_at(limiter, clock, [0.1 * i for i in range(1, 10)])  # all refused
    assert allowed_at(limiter, clock, [1.0] * 6) == [True] * 5 + [False]


def test_each_account_has_its_own_window_and_limit(limiter, clock):
    allowed_at(limiter, clock, [0] * 5, slug="acme")
    assert allowed_at(limiter, clock, [0] * 3, slug="northwind", limit=2) == [True, True, False]
    assert allowed_at(limiter, clock, [0], slug="acme") == [False]


def test_reset_forgets_one_account_or_all(limiter, clock):
    allowed_at(limiter, clock, [0] * 5, slug="acme")
    allowed_at(limiter, clock, [0] * 5, slug="northwind")
    limiter.reset("acme")
    assert allowed_at(limiter, clock, [0], slug="acme") == [True]
    assert allowed_at(limiter, clock, [0], slug="northwind") == [False]
    limiter.reset()
    assert allowed_at(limiter, clock, [0], slug="northwind") == [True]


def test_the_sandbox_refuses_over_http_with_429_and_retry_after(sandbox):
    sandbox.account.rate_limit = 1
    sandbox.account.save()
    assert sandbox.get("/contacts").status_code == 200
    refused = sandbox.get("/contacts")  # the same second: the window holds the first
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {"message": "Too Many Requests"}
    assert sandbox.log()["by_operation"]["rate_limited"] == 1


def test_a_request_judged_late_still_counts_what_came_before_it(limiter):
    # Concurrent requests may be judged out of arrival order: one that arrived at 0.5 but is
    # judged after one that arrived at 1.5 still meets the one accepted at 0.
    assert limiter.allow("acme", 1, arrived=1000.0)
    assert limiter.allow("acme", 1, arrived=1001.5)
    assert not limiter.allow("acme", 1, arrived=1000.5)
    assert limiter.allow("acme", 1, arrived=1003.0)


def admissions(limiter, arrivals: list[float], limit: int = 5) -> list[tuple[bool, int, float]]:
    verdicts = [limiter.allow("acme", limit, arrived=1000.0 + t) for t in arrivals]
    return [(v.accepted, v.remaining, round(v.retry_after, 6)) for v in verdicts]


def test_each_verdict_says_how_many_more_the_window_takes_and_when(limiter):
    assert admissions(limiter, [0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.5]) == [
        (True, 4, 0.0),
        (True, 3, 0.0),
        (True, 2, 0.0),
        (True, 1, 0.0),
        (True, 0, 0.0),
        (False, 0, 0.1),  # the one at 0 leaves the window at 1.0
        (True, 0, 0.0),  # 0.2 … 1.0 fill it
        (True, 1, 0.0),  # (0.5, 1.5] holds 0.6, 0.8, 1.0 and this one
    ]


def test_a_limit_of_zero_refuses_everything_for_a_second_at_a_time(limiter):
    assert admissions(limiter, [0, 5], limit=0) == [(False, 0, 1.0), (False, 0, 1.0)]


def test_requests_a_whole_second_apart_pass_even_when_judged_out_of_order(limiter):
    assert admissions(limiter, [0, 2, 1], limit=1) == [(True, 0, 0.0)] * 3
    assert admissions(limiter, [2.5], limit=1) == [(False, 0, 0.5)]


@pytest.mark.parametrize(
    ("arrivals", "third"),
    [
        ([0.4, 1.5, 1.0], True),  # 0.4 … 1.5 spans more than a second
        ([0.5, 1.5, 1.0], True),  # exactly a second
        ([0.5, 1.4, 1.0], False),  # three within 0.9 s
    ],
)
def test_a_late_verdict_checks_the_windows_on_both_sides(limiter, arrivals, third):
    assert [a[0] for a in admissions(limiter, arrivals, limit=2)] == [True, True, third]


def test_a_late_verdict_checks_every_window_of_a_busy_second(limiter):
    # Eighths of a second, so that the spans come out exact.
    accepted = admissions(limiter, [0.125, 0.25, 1.125, 1.25], limit=3)
    assert [a[0] for a in accepted] == [True] * 4
    late = admissions(limiter, [0.375], limit=3)  # 0.125 … 1.125 and 0.25 … 1.25 span 1 s
    assert late[0][0] is True


def test_remaining_counts_only_the_last_second(limiter):
    assert [a[1] for a in admissions(limiter, [0, 0.25, 0.5, 1.125])] == [4, 3, 2, 2]
