"""The ActiveCampaign client over real HTTP against the sandbox: retries, errors, paging, logs."""

import logging
import re
import socket
import time

import pytest
import requests
from django.http import HttpResponse
from django.test import Client as DjangoClient
from django.test import RequestFactory

from acdash.activecampaign import (
    NON_FIELD,
    AuthError,
    Client,
    NotFound,
    RateLimited,
    TooManyItems,
    Unavailable,
    ValidationError,
    assert_api_calls,
    client_for,
    count_api_calls,
    fetch_page,
    get_me,
    iter_all,
    iter_by_id,
    normalise_api_url,
)
from acdash.activecampaign.errors import field_errors
from acdash.activecampaign.instrumentation import ServerTimingMiddleware
from acdash.sandbox.models import SandboxAccount

SERVER_TIMING = re.compile(
    r'api;dur=(?P<api>[\d.]+);desc="(?P<calls>\d+) calls", app;dur=(?P<app>[\d.]+)'
)


def set_faults(sandbox, **knobs) -> None:
    for name, value in knobs.items():
        setattr(sandbox.account, name, value)
    sandbox.account.save()


def statuses(sandbox) -> dict[str, int]:
    return sandbox.log()["by_status"]


def create_contacts(sandbox, count: int) -> list[int]:
    return [
        int(
            sandbox.ok("POST", "/contacts", {"contact": {"email": f"p{i}@example.com"}})["contact"][
                "id"
            ]
        )
        for i in range(count)
    ]


def test_get_returns_json_and_sends_the_token(sandbox, client):
    create_contacts(sandbox, 2)
    body = client.get("/contacts", {"limit": 1})
    assert len(body["contacts"]) == 1
    assert body["meta"]["total"] == "2"


def test_client_for_shares_one_client_per_account_and_token(sandbox):
    token = sandbox.account.api_token
    shared = client_for(sandbox.api_url, token)
    assert client_for(sandbox.api_url + "/api/3/", token) is shared
    assert client_for(sandbox.api_url, "another-token") is not shared


def test_normalised_url_is_the_default_account_key(sandbox):
    assert normalise_api_url(" HTTPS://Acme.API-us1.com/api/3/ ") == "https://acme.api-us1.com"
    client = Client(sandbox.api_url + "/", "token")
    assert client.account_key == client.api_url == sandbox.api_url
    assert client.base_url == sandbox.base
    assert "token" not in repr(client)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_for_idempotent_calls(sandbox, client, status):
    set_faults(sandbox, fail_next_count=2, fail_next_status=status)
    assert client.get("/contacts")["contacts"] == []
    assert statuses(sandbox) == {str(status): 2, "200": 1}


def test_gateway_errors_are_not_retried_for_a_plain_post(sandbox, client):
    set_faults(sandbox, fail_next_count=1, fail_next_status=503)
    with pytest.raises(Unavailable) as caught:
        client.post("/contacts", {"contact": {"email": "once@example.com"}})
    assert caught.value.status == 503
    assert statuses(sandbox) == {"503": 1}


def test_a_post_marked_idempotent_is_retried(sandbox, client):
    set_faults(sandbox, fail_next_count=1, fail_next_status=502)
    body = client.post("/contacts", {"contact": {"email": "a@example.com"}}, idempotent=True)
    assert body["contact"]["email"] == "a@example.com"
    assert statuses(sandbox) == {"502": 1, "201": 1}


def test_attempts_are_bounded(sandbox, make_client):
    set_faults(sandbox, fail_next_count=10, fail_next_status=503)
    with pytest.raises(Unavailable):
        make_client(max_attempts=3).get("/contacts")
    assert statuses(sandbox) == {"503": 3}


def test_429_is_retried_after_retry_after_even_for_a_post(sandbox, client):
    set_faults(sandbox, fail_next_count=1, fail_next_status=429)
    started = time.monotonic()
    client.post("/contacts", {"contact": {"email": "b@example.com"}})
    assert time.monotonic() - started >= 1  # the sandbox says Retry-After: 1
    assert statuses(sandbox) == {"429": 1, "201": 1}
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "1"


def test_429_until_attempts_run_out_is_rate_limited(sandbox, make_client):
    set_faults(sandbox, throttle_rate=1.0)
    with pytest.raises(RateLimited) as caught:
        make_client(max_attempts=2).get("/contacts")
    assert caught.value.retry_after == 1
    assert statuses(sandbox) == {"429": 2}


def test_a_hung_request_is_unavailable_quickly(live_server, make_client):
    # An account of its own: the hung request is logged when it ends, after this test.
    hung = SandboxAccount.objects.create(slug="hung", name="Hung", hang_rate=1.0, hang_seconds=3)
    client = make_client(read_timeout=0.5, token=hung.api_token)
    client.base_url = f"{live_server.url}/sandbox/hung/api/3"
    started = time.monotonic()
    with pytest.raises(Unavailable) as caught:
        client.get("/contacts")
    assert time.monotonic() - started < 2
    assert caught.value.status is None
    assert isinstance(caught.value.__cause__, requests.Timeout)


def test_connection_refused_is_unavailable(make_client):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(max_attempts=2)
    client.base_url = f"http://127.0.0.1:{port}/api/3"
    with count_api_calls() as stats, pytest.raises(Unavailable, match="connection failed"):
        client.post("/contacts", {})
    assert [call.status for call in stats.calls] == [None, None]  # never sent: safe to retry


def test_duplicate_email_is_a_validation_error_on_email(sandbox, client):
    client.post("/contacts", {"contact": {"email": "dup@example.com"}})
    with pytest.raises(ValidationError) as caught:
        client.post("/contacts", {"contact": {"email": "dup@example.com"}})
    error = caught.value
    assert error.status == 422
    assert list(error.field_errors) == ["email"]
    assert "already exists" in error.field_errors["email"][0]
    assert "email" in str(error)


def test_field_errors_from_the_reference_shapes():
    assert field_errors(
        {"errors": [{"title": "Taken", "source": {"pointer": "/data/attributes/account,contact"}}]}
    ) == {"account": ["Taken"], "contact": ["Taken"]}
    assert field_errors({"errors": [{"title": "No owner", "detail": ""}]}) == {
        NON_FIELD: ["No owner"]
    }
    assert field_errors({"errors": "Bulk operation failed."}) == {
        NON_FIELD: ["Bulk operation failed."]
    }
    assert field_errors({"message": "orders[id] must be ASC or DESC."}) == {
        NON_FIELD: ["orders[id] must be ASC or DESC."]
    }
    assert field_errors(None) == {}


def test_missing_object_is_not_found(client):
    with pytest.raises(NotFound) as caught:
        client.get("/contacts/999")
    assert caught.value.status == 404
    assert caught.value.path == "/contacts/999"


def test_bad_token_is_an_auth_error(make_client):
    bad = make_client(token="not-the-token")
    with pytest.raises(AuthError):
        bad.get("/contacts")
    with pytest.raises(AuthError):
        get_me(bad)


def test_get_me_returns_the_tokens_user(client):
    assert get_me(client)["id"]


def test_fetch_page_reads_items_and_total(sandbox, client):
    create_contacts(sandbox, 5)
    page = fetch_page(client, "/contacts", "contacts", offset=2, limit=2)
    assert [c["email"] for c in page.items] == ["p2@example.com", "p3@example.com"]
    assert page.total == 5
    assert page.has_more
    assert "scoreValues" in page.body


def test_iterators_page_through_everything(sandbox, client, monkeypatch):
    ids = create_contacts(sandbox, 7)
    monkeypatch.setattr("acdash.activecampaign.paging.MAX_LIMIT", 3)
    with count_api_calls() as stats:
        assert [int(c["id"]) for c in iter_by_id(client, "/contacts", "contacts")] == ids
    assert stats.count == 3  # 3 + 3 + 1
    assert all(call.path == "/contacts" for call in stats.calls)
    with assert_api_calls(max=3):
        assert [int(c["id"]) for c in iter_all(client, "/contacts", "contacts")] == ids


def test_iterators_stop_at_the_hard_cap(sandbox, client, caplog):
    create_contacts(sandbox, 7)
    with count_api_calls() as stats, pytest.raises(TooManyItems):
        next(iter_by_id(client, "/contacts", "contacts", max_items=5))
    assert stats.count == 1  # nothing yielded: the total gave it away
    stopped = list(iter_all(client, "/contacts", "contacts", max_items=5, overflow="stop"))
    assert len(stopped) == 5
    assert "stopped at the cap of 5" in caplog.text


def test_assert_api_calls_fails_past_its_maximum(client):
    with (
        pytest.raises(AssertionError, match="2 API calls, expected at most 1"),
        assert_api_calls(max=1),
    ):
        client.get("/contacts")
        client.get("/contacts")


def test_middleware_reports_calls_in_server_timing(client):
    def view(request):
        client.get("/contacts")
        client.get("/contacts")
        return HttpResponse()

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    api, app = SERVER_TIMING.fullmatch(response["Server-Timing"]).group("api", "app")
    assert float(api) > 0
    assert float(app) >= 0
    assert ';desc="2 calls", app;dur=' in response["Server-Timing"]


def test_every_response_carries_server_timing(live_server):
    response = requests.get(f"{live_server.url}/login/", timeout=30)  # a page of no call
    match = SERVER_TIMING.fullmatch(response.headers["Server-Timing"])
    assert match and match["api"] == "0.0" and match["calls"] == "0"


def test_the_emulated_api_answers_as_another_server_would(sandbox):
    response = sandbox.get("/contacts")  # it stands for another server: ActiveCampaign
    assert response.status_code == 200
    assert "Server-Timing" not in response.headers and not response.cookies


def test_the_emulated_api_says_how_long_its_answers_are(sandbox):
    # Asked in-process: the live server would add the length itself; gunicorn would not,
    # and send a chunked body for the client to take apart instead.
    path = f"/sandbox/{sandbox.account.slug}/api/3/contacts"
    response = DjangoClient().get(path, headers={"Api-Token": sandbox.account.api_token})
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(response.content)


def test_one_log_line_per_call_and_never_the_token(sandbox, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    set_faults(sandbox, fail_next_count=1, fail_next_status=502)
    client = make_client()
    client.get("/contacts", {"email": "x@example.com"})
    with pytest.raises(NotFound):
        client.get("/contacts/42")
    with pytest.raises(AuthError):
        make_client(token=sandbox.account.api_token[:-1] + "x").get("/contacts")
    lines = [r.getMessage() for r in caplog.records if r.name == "acdash.activecampaign"]
    assert [line.split(" ms=")[0] for line in lines] == [
        "activecampaign method=GET path=/contacts status=502",
        "activecampaign method=GET path=/contacts status=200",
        "activecampaign method=GET path=/contacts/42 status=404",
        "activecampaign method=GET path=/contacts status=403",
    ]
    token = sandbox.account.api_token
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in str(vars(record))
