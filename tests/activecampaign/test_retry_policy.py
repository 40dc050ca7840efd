"""Which failed calls the client sends again, over real HTTP against the sandbox: a call that
may already have been applied (a gateway error) is repeated only when repeating is harmless."""

import email.utils
import random
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from acdash.activecampaign import ApiError, Client, RateLimited, Unavailable, deadline
from acdash.activecampaign.errors import DeadlineExceeded
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


# How long the client waits between attempts -------------------------------------------
# The waits are read by replacing time.sleep (and pinning back-off's jitter), so these
# tests take no time and assert no wall-clock figures.


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize(
    ("jitter", "expected"), [("high", [0.5, 1.0, 1.5]), ("low", [0.25, 0.5, 0.75])]
)
def test_back_off_doubles_up_to_its_maximum_with_equal_jitter(
    sandbox, tmp_path, waits, monkeypatch, jitter, expected
):
    # "Equal jitter": half of each wait is fixed, half random (pinned here to its ends).
    monkeypatch.setattr(random, "uniform", (lambda a, b: b) if jitter == "high" else min)
    fail_next(sandbox, 503, count=3)
    client = Client(
        sandbox.api_url,
        sandbox.account.api_token,
        limiter=RateLimiter(FileStore(tmp_path), rate=1000),
        backoff_base=0.5,
        backoff_max=1.5,
        max_attempts=4,
    )
    assert client.get("/contacts")["contacts"] == []
    assert waits == pytest.approx(expected)
    assert statuses(sandbox) == {"503": 3, "200": 1}


def test_a_429_waits_at_least_its_retry_after(sandbox, client, waits):
    fail_next(sandbox, 429)
    client.post("/contacts", {"contact": {"email": "later@example.com"}})
    assert len(waits) == 1 and waits[0] >= 1  # the sandbox says Retry-After: 1 (or more)
    assert statuses(sandbox) == {"429": 1, "201": 1}


def test_a_back_off_longer_than_retry_after_is_kept(sandbox, tmp_path, waits, monkeypatch):
    monkeypatch.setattr(random, "uniform", lambda a, b: b)
    fail_next(sandbox, 429)
    client = Client(
        sandbox.api_url,
        sandbox.account.api_token,
        limiter=RateLimiter(FileStore(tmp_path), rate=1000),
        backoff_base=30,
        backoff_max=30,
    )
    client.get("/contacts")
    assert waits == [30]


@pytest.mark.parametrize(("most", "retried"), [(0.5, False), (1.0, True)])
def test_a_retry_after_beyond_the_maximum_fails_at_once(
    sandbox, client, waits, settings, most, retried
):
    settings.ACTIVECAMPAIGN_RETRY_AFTER_MAX = most
    sandbox.account.throttle_rate = 1.0  # every request 429, Retry-After: 1
    sandbox.account.save()
    with pytest.raises(RateLimited) as caught:
        client.get("/contacts")
    assert caught.value.retry_after == 1
    assert statuses(sandbox) == {"429": client.max_attempts if retried else 1}
    assert len(waits) == (client.max_attempts - 1 if retried else 0)


# What the client makes of Retry-After and of lost connections ----------------------------


class Stub:
    """A local HTTP server answering each request with the next of ``answers``: a status
    and headers, None to drop the connection without an answer, or "hang" to answer only
    when the server closes."""

    def __init__(self, answers: list) -> None:
        self.hits: list[str] = []
        self.closing = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one_request(self):
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline or not self.parse_request():
                    return
                stub.hits.append(self.command)
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                answer = answers[min(len(stub.hits), len(answers)) - 1]
                if answer == "hang":
                    stub.closing.wait()
                    return
                if answer is None:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status, headers = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def client(self, tmp_path, **options) -> Client:
        options.setdefault("limiter", RateLimiter(FileStore(tmp_path), rate=1000))
        options.setdefault("backoff_base", 0.01)
        return Client(self.url, "token", **options)

    def close(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    made: list[Stub] = []

    def make(answers) -> Stub:
        made.append(Stub(answers))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("2", 2.0), ("1.5", 1.5), ("0", 0.0), ("-5", 0.0), ("soon", None), ("", None)],
)
def test_retry_after_in_seconds(stub, tmp_path, header, expected):
    server = stub([(429, {"Retry-After": header} if header else {})])
    with pytest.raises(RateLimited) as caught:
        server.client(tmp_path, max_attempts=1).get("/contacts")
    assert caught.value.retry_after == expected


def test_retry_after_as_an_http_date(stub, tmp_path):
    soon = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=100), usegmt=True)
    past = email.utils.format_datetime(datetime.now(UTC) - timedelta(seconds=100), usegmt=True)
    for header, low, high in ((soon, 90, 100), (past, 0, 0)):
        server = stub([(429, {"Retry-After": header})])
        with pytest.raises(RateLimited) as caught:
            server.client(tmp_path, max_attempts=1).get("/contacts")
        assert low <= caught.value.retry_after <= high


def test_a_connection_lost_mid_call_is_retried_only_when_idempotent(stub, tmp_path):
    dropped = stub([None, (200, {})])
    assert dropped.client(tmp_path).get("/contacts") == {}
    assert dropped.hits == ["GET", "GET"]
    post = stub([None, (200, {})])
    with pytest.raises(Unavailable, match="connection failed"):
        post.client(tmp_path).post("/contacts", {"contact": {}})
    assert post.hits == ["POST"]  # it may have been applied: never sent twice


def test_a_read_timeout_says_how_long_it_waited_and_is_not_retried(stub, tmp_path):
    hung = stub(["hang"])
    client = hung.client(tmp_path, connect_timeout=5, read_timeout=0.2)
    with pytest.raises(Unavailable, match=r"GET /contacts: no answer in 0\.2s") as caught:
        client.get("/contacts")
    assert caught.value.status is None
    assert hung.hits == ["GET"]  # a hung API fails the page fast, it is not asked again


# Retries inside a web request's API deadline -----------------------------------------------


def test_a_retry_whose_wait_outlasts_the_deadline_is_not_started(sandbox, tmp_path, waits):
    fail_next(sandbox, 503)
    client = Client(
        sandbox.api_url,
        sandbox.account.api_token,
        limiter=RateLimiter(FileStore(tmp_path), rate=1000),
        backoff_base=60,  # the first retry would wait 30 s or more
        backoff_max=60,
    )
    with deadline.scope(5), pytest.raises(Unavailable) as caught:
        client.get("/contacts")
    assert caught.value.status == 503  # the last error, not a vague timeout
    assert waits == [] and statuses(sandbox) == {"503": 1}


def test_a_retry_after_beyond_the_deadline_fails_at_once(sandbox, client, waits):
    fail_next(sandbox, 429)  # Retry-After: 1
    with deadline.scope(0.5), pytest.raises(RateLimited):
        client.get("/contacts")
    assert waits == [] and statuses(sandbox) == {"429": 1}


def test_a_retry_that_fits_the_deadline_is_made(sandbox, client, waits):
    fail_next(sandbox, 503)
    with deadline.scope(30):
        assert client.get("/contacts")["contacts"] == []
    assert len(waits) == 1 and statuses(sandbox) == {"503": 1, "200": 1}


def test_a_read_timeout_cut_short_by_the_deadline_says_the_deadline_ran_out(stub, tmp_path):
    hung = stub(["hang"])
    client = hung.client(tmp_path, connect_timeout=5, read_timeout=5)
    with deadline.scope(0.3), pytest.raises(DeadlineExceeded, match=r"within 0\.3 s"):
        client.get("/contacts")
    assert hung.hits == ["GET"]


def test_a_read_timeout_inside_a_longer_deadline_is_the_calls_own(stub, tmp_path):
    hung = stub(["hang"])
    client = hung.client(tmp_path, connect_timeout=0.2, read_timeout=0.2)
    with deadline.scope(30), pytest.raises(Unavailable) as caught:
        client.get("/contacts")
    assert not isinstance(caught.value, DeadlineExceeded)
    assert "no answer in 0.2s" in str(caught.value)


def test_a_call_the_server_closed_unanswered_is_sent_again_at_once(stub, tmp_path, waits):
    # A kept-alive connection reaching the server's idle timeout as the call goes out: no
    # back-off, which would only lengthen the page (gunicorn's idle timeout is 2 s).
    closed = stub([None, (200, {})])
    assert closed.client(tmp_path, backoff_base=5).get("/contacts") == {}
    assert closed.hits == ["GET", "GET"]
    assert waits == []


def test_a_server_that_keeps_closing_unanswered_is_backed_off(stub, tmp_path, waits, monkeypatch):
    monkeypatch.setattr(random, "uniform", lambda a, b: b)
    closing = stub([None, None, (200, {})])
    assert closing.client(tmp_path, backoff_base=2).get("/contacts") == {}
    assert closing.hits == ["GET", "GET", "GET"]
    assert waits == [4.0]  # the second attempt's back-off; the first retry was at once
