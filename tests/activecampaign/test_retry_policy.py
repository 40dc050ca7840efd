"""Which failed calls the client sends again, over real HTTP against the sandbox: a call that
may already have been applied (a gateway error) is repeated only when repeating is harmless."""

import pytest

from acdash.activecampaign import ApiError, Client, Unavailable
from acdash.activecampaign.ratelimit import FileStore, RateLimiter

GATEWAY_ERRORS = [502, 503, 504]


@pytest.fixture
def client(sandbox, tmp_path) -> Client:
    limiter = RateLimiter(FileStore(tmp_path), rate=1000)
    return Client(sandbox.api_url, sandbox.account.api_token, limiter=limiter, backoff_base=0.01)


def fail_next(sandbox, status: int, count: int = 1) -> None:
    sandbox.account.fail_next_count = count
    sandbox.account.fail_next_status = status
    sandbox.account.save()


def statuses(sandbox) -> dict[str, int]:
    return sandbox.log()["by_status"]


@pytest.mark.parametrize("status", GATEWAY_ERRORS)
def test_a_plain_post_is_sent_once_whatever_the_gateway_error(sandbox, client, status):
    fail_next(sandbox, status)
    with pytest.raises(Unavailable) as caught:
        client.post("/contacts", {"contact": {"email": "once@example.com"}})
    assert caught.value.status == status
    assert statuses(sandbox) == {str(status): 1}  # never a second attempt that could duplicate
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "0"


@pytest.mark.parametrize("status", GATEWAY_ERRORS)
def test_a_plain_patch_is_sent_once(sandbox, client, status):
    fail_next(sandbox, status)
    with pytest.raises(Unavailable):
        client.patch("/contacts/1", {"contact": {}})
    assert statuses(sandbox) == {str(status): 1}


@pytest.mark.parametrize("status", GATEWAY_ERRORS)
def test_put_and_delete_are_retried_after_a_gateway_error(sandbox, client, status):
    contact = sandbox.ok("POST", "/contacts", {"contact": {"email": "p@example.com"}})["contact"]
    fail_next(sandbox, status)
    client.put(f"/contacts/{contact['id']}", {"contact": {"firstName": "Pat"}})
    fail_next(sandbox, status)
    client.delete(f"/contacts/{contact['id']}")
    assert statuses(sandbox) == {"201": 1, str(status): 2, "200": 2}


def test_a_patch_marked_idempotent_is_retried(sandbox, client):
    fail_next(sandbox, 502)
    with pytest.raises(ApiError) as caught:  # retried, then answered by the route itself
        client.patch("/contacts/1", {"contact": {}}, idempotent=True)
    assert caught.value.status != 502
    assert statuses(sandbox)["502"] == 1 and sum(statuses(sandbox).values()) == 2


def test_a_get_marked_not_idempotent_is_sent_once(sandbox, client):
    fail_next(sandbox, 503)
    with pytest.raises(Unavailable):
        client.request("GET", "/contacts", idempotent=False)
    assert statuses(sandbox) == {"503": 1}


@pytest.mark.parametrize("status", [500, 404])
def test_other_errors_are_never_retried_even_for_a_get(sandbox, client, status):
    fail_next(sandbox, status)
    with pytest.raises(ApiError) as caught:
        client.get("/contacts")
    assert caught.value.status == status
    assert statuses(sandbox) == {str(status): 1}
