"""The sandbox's management commands: sandbox_accounts, sandbox_faults, sandbox_log."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection

from acdash.sandbox.models import SandboxAccount

ROOT = Path(__file__).resolve().parents[2]


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_sandbox_accounts_lists_urls_and_tokens_that_work(sandbox, live_server, settings):
    other = SandboxAccount.objects.create(slug="big", name="Big account")
    # The server's own origin by default, as `make run` sets it (SANDBOX_ORIGIN).
    settings.SANDBOX_ORIGIN = "http://10.1.2.3:9000"
    assert json.loads(run("sandbox_accounts")) == [
        {
            "name": "Big account",
            "api_url": "http://10.1.2.3:9000/sandbox/big",
            "api_token": other.api_token,
        },
        {
            "name": "Test account",
            "api_url": "http://10.1.2.3:9000/sandbox/test",
            "api_token": sandbox.account.api_token,
        },
    ]
    accounts = json.loads(run("sandbox_accounts", base_url=live_server.url + "/"))
    # What a user does with the output: call <api_url>/api/3/… with the token.
    for account in accounts:
        response = requests.get(
            account["api_url"] + "/api/3/contacts",
            headers={"Api-Token": account["api_token"]},
            timeout=10,
        )
        assert response.status_code == 200
        assert response.json()["meta"]["total"] == "0"


def _sandbox_accounts_urls(environment: dict[str, str]) -> list[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "ACDASH_SANDBOX_ORIGIN"},
        "ACDASH_SQLITE_PATH": connection.settings_dict["NAME"],  # this test's database
        **environment,
    }
    output = subprocess.run(
        [sys.executable, "manage.py", "sandbox_accounts"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [a["api_url"] for a in json.loads(output)]


def test_make_run_serves_where_sandbox_accounts_points(sandbox, tmp_path):
    """`make run HOST=… PORT=…` exports the origin and records it for other terminals."""
    recorded = tmp_path / "sandbox-origin"
    recorded.write_text("http://0.0.0.0:8123\n")
    # The server's own environment, and a second terminal that only has the record.
    exported = {"ACDASH_SANDBOX_ORIGIN": "http://0.0.0.0:8123", "ACDASH_ORIGIN_FILE": "/none"}
    assert _sandbox_accounts_urls(exported) == ["http://0.0.0.0:8123/sandbox/test"]
    other_terminal = {"ACDASH_ORIGIN_FILE": str(recorded)}
    assert _sandbox_accounts_urls(other_terminal) == ["http://0.0.0.0:8123/sandbox/test"]
    nothing_recorded = {"ACDASH_ORIGIN_FILE": str(tmp_path / "absent")}
    assert _sandbox_accounts_urls(nothing_recorded) == ["http://127.0.0.1:8000/sandbox/test"]


def test_sandbox_faults_sets_knobs_that_apply_at_once(sandbox):
    output = run(
        "sandbox_faults",
        "test",
        latency=20,
        jitter=5,
        error_rate=0.1,
        throttle_rate=0.2,
        hang_rate=0.0,
        hang_seconds=2.5,
        fail_next=2,
        fail_status=502,
        rate_limit=7,
    )
    knobs = {
        "account": "test",
        "rate_limit": 7,
        "latency_ms": 20,
        "jitter_ms": 5,
        "error_rate": 0.1,
        "throttle_rate": 0.2,
        "hang_rate": 0.0,
        "hang_seconds": 2.5,
        "fail_next_count": 2,
        "fail_next_status": 502,
    }
    assert json.loads(output) == knobs
    sandbox.account.refresh_from_db()
    assert {k: getattr(sandbox.account, k) for k in knobs if k != "account"} == {
        k: v for k, v in knobs.items() if k != "account"
    }
    # Only the next request's fault matters here; rates stay for later requests.
    run("sandbox_faults", "test", error_rate=0, throttle_rate=0)
    assert sandbox.get("/contacts").status_code == 502


def test_sandbox_faults_reset_clears_faults_but_keeps_the_rate_limit(sandbox):
    run("sandbox_faults", "test", latency=100, fail_next=3, rate_limit=9)
    shown = json.loads(run("sandbox_faults", "test", "--reset", "--jitter", "10"))
    assert shown == {
        "account": "test",
        "rate_limit": 9,
        "latency_ms": 0,
        "jitter_ms": 10,
        "error_rate": 0.0,
        "throttle_rate": 0.0,
        "hang_rate": 0.0,
        "hang_seconds": 30.0,
        "fail_next_count": 0,
        "fail_next_status": 503,
    }
    # Without options the command only shows the knobs.
    assert json.loads(run("sandbox_faults", "test")) == shown


@pytest.mark.parametrize(
    "args",
    [
        ["nope"],
        ["test", "--error-rate", "1.5"],
        ["test", "--throttle-rate", "-0.1"],
        ["test", "--latency", "-1"],
        ["test", "--rate-limit", "0"],
        ["test", "--fail-status", "200"],
        ["test", "--hang-seconds", "-1"],
    ],
)
def test_sandbox_faults_refuses_bad_input(sandbox, args):
    with pytest.raises(CommandError):
        run("sandbox_faults", *args)
    sandbox.account.refresh_from_db()
    assert sandbox.account.error_rate == 0 and sandbox.account.rate_limit == 10_000


def test_sandbox_log_reads_the_running_servers_log(sandbox, live_server):
    sandbox.ok("POST", "/contacts", {"contact": {"email": "jane@example.com"}})
    sandbox.get("/contacts")
    sandbox.get("/contacts")
    sandbox.get("/contacts/999")
    table = run("sandbox_log", "test", base_url=live_server.url, recent=2)
    lines = table.splitlines()
    assert lines[0] == "Requests: 4"
    assert lines[1] == "By status: 200 × 2, 201 × 1, 404 × 1"
    assert lines[3].split() == ["Operation", "Count"]
    # Busiest operation first.
    assert [line.split() for line in lines[4:7]] == [
        ["List_contacts", "2"],
        ["Contact_createNewContact", "1"],
        ["Contact_getById", "1"],
    ]
    # The last two requests: time, status, duration, method, path.
    last_two = [line.split() for line in lines[-2:]]
    assert [(r[1], r[3], r[4]) for r in last_two] == [
        ("200", "GET", "/contacts"),
        ("404", "GET", "/contacts/999"),
    ]

    as_json = json.loads(run("sandbox_log", "test", "--json", "--base-url", live_server.url))
    assert as_json["by_operation"] == sandbox.log()["by_operation"]

    assert run("sandbox_log", "test", base_url=live_server.url, reset=True).endswith("Log reset.\n")
    assert sandbox.log()["total"] == 0


def test_sandbox_log_explains_a_missing_server(sandbox):
    with pytest.raises(CommandError, match="Could not reach the sandbox server"):
        run("sandbox_log", "test", base_url="http://127.0.0.1:9")
    with pytest.raises(CommandError, match="No sandbox account"):
        run("sandbox_log", "nope")
