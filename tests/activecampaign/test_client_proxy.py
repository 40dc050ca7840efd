"""The client reads the proxy variables once, when it is made, and still honours them."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from acdash.activecampaign import Client
from acdash.activecampaign.ratelimit import FileStore, RateLimiter


class _Proxy(BaseHTTPRequestHandler):
    """A forward proxy that answers every request itself, naming the URL it was asked for."""

    def do_GET(self) -> None:
        body = json.dumps({"proxied": self.path, "token": self.headers.get("Api-Token")})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_calls_go_through_the_proxy_the_environment_names(proxy, monkeypatch, tmp_path):
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    limiter = RateLimiter(FileStore(tmp_path), rate=1000)
    client = Client("http://acct.api-us1.example", "tok-proxy", max_attempts=1, limiter=limiter)
    monkeypatch.delenv("HTTP_PROXY")  # read when the client was made, not on each call
    assert client.get("/users/me") == {
        "proxied": "http://acct.api-us1.example/api/3/users/me",
        "token": "tok-proxy",
    }


def test_a_host_in_no_proxy_is_called_directly(proxy, monkeypatch, make_client):
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    client = make_client(max_attempts=1)
    assert "proxied" not in client.get("/users/me")
    assert client.get("/users/me")["user"]["id"]
