"""Independent API calls of one page run at once: the sandbox's request log shows them in
flight together (with 300 ms of latency each, calls made one after another cannot overlap)."""

from collections.abc import Iterator

import pytest

from acdash.accounts.clients import client_for_account
from acdash.activecampaign.ratelimit import FileStore, RateLimiter
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount

from .test_detail import contact_with_deals, page_url, warm_metadata

LATENCY_MS = 300


@pytest.fixture
def own_limiter(acme, tmp_path) -> Iterator[None]:
    """A generous limiter of the test's own for the account's shared client, so that calls
    of earlier tests (or of the test's own set-up) do not hold this one's calls back."""
    client = client_for_account(acme)
    shared, client.limiter = client.limiter, RateLimiter(FileStore(tmp_path), rate=1000)
    yield
    client.limiter = shared


def in_flight(log: dict) -> list[tuple[str, float, float]]:
    """Each logged request's path, arrival and answer (``at`` is when it was answered)."""
    return [(e["path"], e["at"] - e["duration_ms"] / 1000, e["at"]) for e in log["recent"]]


def assert_overlap(calls: list[tuple[str, float, float]]) -> None:
    """Some moment falls inside every call: the last to arrive came before the first answer."""
    assert max(arrived for _, arrived, _ in calls) < min(answered for *_, answered in calls), calls


def slow_and_clean(slug: str) -> None:
    SandboxAccount.objects.filter(slug=slug).update(latency_ms=LATENCY_MS)
    faults.reset(slug)


def test_the_contact_pages_calls_overlap(acme, own_limiter, admin_client):
    contact_id = contact_with_deals()
    warm_metadata(client_for_account(acme))
    slow_and_clean("acme")
    response = admin_client.get(page_url(contact_id))
    assert response.status_code == 200
    calls = in_flight(faults.request_log.snapshot("acme"))
    assert sorted(path for path, *_ in calls) == [
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/contactTags",
        f"/contacts/{contact_id}/deals",
    ]
    assert_overlap(calls)


def test_an_overview_cards_calls_overlap(acme, own_limiter, admin_client):
    slow_and_clean("acme")
    response = admin_client.get("/a/acme/card/")
    assert response.status_code == 200 and 'aria-label="120 contacts"' in response.content.decode()
    calls = in_flight(faults.request_log.snapshot("acme"))
    assert len(calls) == 3
    assert_overlap(calls)
