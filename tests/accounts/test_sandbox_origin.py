"""Sandbox URLs are accepted only at this deployment's own sandbox origins (SANDBOX_ORIGIN)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.accounts.urlguard import clean_api_url
from acdash.activecampaign import ApiError
from acdash.sandbox import seed
from acdash.sandbox.origins import api_url, origin_for, origins

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def origin(settings) -> str:
    settings.SANDBOX_ORIGIN = "http://127.0.0.1:8000"
    return settings.SANDBOX_ORIGIN


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/sandbox/acme", "http://127.0.0.1:8000/sandbox/acme/api/3/"],
)
def test_the_servers_own_sandbox_origin_is_accepted(origin, url):
    assert clean_api_url(url) == "http://127.0.0.1:8000/sandbox/acme"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8001/sandbox/acme", "only at this server's own address"),
        ("http://127.0.0.1/sandbox/acme", "only at this server's own address"),
        ("http://localhost:8000/sandbox/acme", "only at this server's own address"),
        ("http://testserver/sandbox/acme", "only at this server's own address"),
        ("https://127.0.0.1:8000/sandbox/acme", "only at this server's own address"),
        ("http://127.0.0.1:8000/admin/", "only sandbox accounts"),
        ("http://127.0.0.1:8000/sandbox/acme/other", "only sandbox accounts"),
        ("http://127.0.0.1:8000/sandbox/", "only sandbox accounts"),
    ],
)
def test_other_local_origins_and_paths_are_refused(origin, url, message):
    with pytest.raises(ValidationError) as refused:
        clean_api_url(url)
    assert message in " ".join(refused.value.messages)


def test_the_origin_compares_the_port_even_when_it_is_the_default(settings):
    settings.SANDBOX_ORIGIN = "http://sandbox.internal"
    assert (
        clean_api_url("http://sandbox.internal:80/sandbox/a") == "http://sandbox.internal/sandbox/a"
    )
    with pytest.raises(ValidationError):
        clean_api_url("http://sandbox.internal:8080/sandbox/a")


def test_the_same_sandbox_under_another_host_name_is_never_called(sandbox, client, admin_user):
    client.force_login(admin_user)
    port = sandbox.api_url.split(":")[2].split("/")[0]
    for host in ("127.0.0.1", "testserver", "[::1]"):
        url = sandbox.api_url.replace("localhost", host)
        response = client.post(
            "/manage/accounts/new/",
            {"name": "X", "slug": "x", "api_url": url, "api_token": sandbox.account.api_token},
        )
        assert response.context["form"].errors["api_url"], url
    response = client.post(
        "/manage/accounts/new/",
        {
            "name": "X",
            "slug": "x",
            "api_url": f"http://localhost:{int(port) + 1}/sandbox/test",
            "api_token": sandbox.account.api_token,
        },
    )
    assert "only at this server's own address" in " ".join(
        response.context["form"].errors["api_url"]
    )
    assert sandbox.log()["total"] == 0
    assert not ConnectedAccount.objects.exists()


def test_an_account_saved_at_another_origin_gets_no_client(db, origin):
    moved = ConnectedAccount(slug="m", name="M", api_url="http://127.0.0.1:9999/sandbox/m")
    moved.set_token("token-of-m")
    moved.save()
    with pytest.raises(ApiError, match="not an allowed"):
        client_for_account(moved)


def test_the_origin_comes_from_the_environment():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ACDASH_")}
    probe = "import django; django.setup(); from django.conf import settings; "
    probe += "print(settings.SANDBOX_ORIGIN)"

    def origin_with(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env={**environment, "DJANGO_SETTINGS_MODULE": "acdash.settings", **env},
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() or result.stderr

    assert origin_with() == "http://127.0.0.1:8000"
    assert origin_with(ACDASH_SANDBOX_ORIGIN="http://0.0.0.0:8123") == "http://0.0.0.0:8123"


def test_demo_setup_connects_the_sandbox_where_the_guard_lets_acdash_call_it(
    db, settings, monkeypatch
):
    monkeypatch.setattr(seed, "DEMO_ACCOUNTS", [seed.DemoAccount("tiny", "Tiny", 12, 1)])
    settings.SANDBOX_ORIGIN = "http://127.0.0.1:8123"
    out = io.StringIO()
    call_command("demo_setup", stdout=out)
    account = ConnectedAccount.objects.get(slug="tiny")
    assert account.api_url == "http://127.0.0.1:8123/sandbox/tiny"
    assert client_for_account(account).api_url == account.api_url  # the guard allows it
    assert "ACDASH_SANDBOX_ORIGIN" not in out.getvalue()

    call_command("demo_setup", base_url="http://127.0.0.1:9000", stdout=out)
    assert "Serve with ACDASH_SANDBOX_ORIGIN=http://127.0.0.1:9000" in out.getvalue()


# Several sandbox servers (`make run-scaled`): each account is served by one of them.

TWO = "http://127.0.0.1:8001, http://127.0.0.1:8002/"


def test_each_account_is_served_by_one_of_the_listed_servers(settings):
    settings.SANDBOX_ORIGIN = TWO
    assert origins() == ["http://127.0.0.1:8001", "http://127.0.0.1:8002"]
    clients = [f"client-{n:03d}" for n in range(1, 21)]
    served = [origin_for(slug) for slug in clients]
    # The agency accounts are spread over both, the same way in every process and run.
    assert served.count("http://127.0.0.1:8001") == served.count("http://127.0.0.1:8002") == 10
    assert api_url("client-001") == f"{origin_for('client-001')}/sandbox/client-001"
    assert (
        api_url("client-001", "http://10.0.0.1:9000/") == "http://10.0.0.1:9000/sandbox/client-001"
    )


@pytest.mark.parametrize("port", [8001, 8002])
def test_the_guard_accepts_every_listed_sandbox_server(settings, port):
    settings.SANDBOX_ORIGIN = TWO
    url = f"http://127.0.0.1:{port}/sandbox/acme/api/3/"
    assert clean_api_url(url) == f"http://127.0.0.1:{port}/sandbox/acme"


def test_the_guard_refuses_a_sandbox_server_not_listed_and_names_those_that_are(settings):
    settings.SANDBOX_ORIGIN = TWO
    with pytest.raises(ValidationError) as refused:
        clean_api_url("http://127.0.0.1:8003/sandbox/acme")
    assert (
        "only at this server's own address, http://127.0.0.1:8001 or http://127.0.0.1:8002."
        in refused.value.messages[0]
    )


def test_demo_setup_connects_each_account_at_the_server_serving_it(db, settings, monkeypatch):
    tiny = [seed.DemoAccount("tiny", "Tiny", 12, 1), seed.DemoAccount("tiny3", "Tiny 3", 12, 3)]
    monkeypatch.setattr(seed, "DEMO_ACCOUNTS", tiny)
    settings.SANDBOX_ORIGIN = TWO
    out = io.StringIO()
    call_command("demo_setup", stdout=out)
    connected = dict(ConnectedAccount.objects.values_list("slug", "api_url"))
    assert connected == {
        "tiny": "http://127.0.0.1:8002/sandbox/tiny",
        "tiny3": "http://127.0.0.1:8001/sandbox/tiny3",
    }
    for account in ConnectedAccount.objects.all():
        assert client_for_account(account).api_url == account.api_url  # the guard allows it
    assert "ACDASH_SANDBOX_ORIGIN" not in out.getvalue()
    listed = io.StringIO()
    call_command("sandbox_accounts", stdout=listed)  # the same server for each account
    assert {a["api_url"] for a in json.loads(listed.getvalue())} == set(connected.values())
