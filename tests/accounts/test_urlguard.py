"""The outbound URL guard: only ActiveCampaign hosts (and the sandbox while enabled)."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from acdash.accounts.models import ConnectedAccount
from acdash.accounts.urlguard import clean_api_url
from acdash.activecampaign import ApiError, Client


class Recorder:
    """A local HTTP server that counts requests and answers with ``status``/``headers``."""

    def __init__(self, host: str = "127.0.0.1", status: int = 200, headers=None):
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                recorder.hits.append(self.path)
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"user": {"id": "1"}}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    yield server
    server.close()


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.api-us1.com",
        "https://acme.api-us1.com/",
        "https://ACME.api-us1.com/api/3",
        "https://acme.activehosted.com",
    ],
)
def test_activecampaign_hosts_are_accepted(url):
    assert clean_api_url(url) == "https://" + url.split("//")[1].split("/")[0].lower()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://acme.api-us1.com", "https://"),
        ("https://93.184.216.34", "IP addresses"),
        ("https://[::1]", "IP addresses"),
        ("https://localhost", "local hosts"),
        ("https://example.com", "not an ActiveCampaign API host"),
        ("https://acme.api-us1.com.attacker.net", "not an ActiveCampaign API host"),
        ("https://api-us1.com.evil", "not an ActiveCampaign API host"),
        ("https://acme.api-us1.com:8443", "standard https port"),
        ("https://user:pw@acme.api-us1.com", "user name or password"),
        ("https://acme.api-us1.com/other/path", "without a path"),
        ("acme.api-us1.com", "full account URL"),
    ],
)
def test_other_urls_are_refused_with_a_clear_message(url, message):
    with pytest.raises(ValidationError) as refused:
        clean_api_url(url)
    assert message in " ".join(refused.value.messages)


def test_refused_urls_send_no_request(db, client, admin_user, recorder):
    client.force_login(admin_user)
    port = recorder.url.rsplit(":", 1)[1]
    for url in (
        recorder.url,  # http and a local IP
        f"https://127.0.0.1:{port}",
        f"http://localhost:{port}/not-the-sandbox",
    ):
        response = client.post(
            "/manage/accounts/new/",
            {"name": "X", "slug": "x", "api_url": url, "api_token": "t" * 32},
        )
        assert response.context["form"].errors["api_url"], url
    assert recorder.hits == []
    assert not ConnectedAccount.objects.exists()


def test_sandbox_urls_only_while_the_sandbox_is_enabled(settings):
    url = "http://127.0.0.1:8000/sandbox/northwind"
    assert clean_api_url(url) == url
    settings.SANDBOX_ENABLED = False
    with pytest.raises(ValidationError):
        clean_api_url(url)


def test_redirects_are_refused_and_never_followed(recorder):
    elsewhere = Recorder(host="127.0.0.2")
    try:
        redirecting = Recorder(status=302, headers={"Location": elsewhere.url + "/api/3/users/me"})
        try:
            client = Client(redirecting.url, "secret-token", max_attempts=1)
            with pytest.raises(ApiError, match="redirect"):
                client.get("/users/me")
        finally:
            redirecting.close()
        assert elsewhere.hits == []
    finally:
        elsewhere.close()
