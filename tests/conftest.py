"""Shared fixtures: a sandbox account served over real HTTP by pytest-django's live server."""

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.core.cache import cache
from django.test import override_settings

from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount
from tests import seeding
from tests.conformance import shapes


@pytest.fixture(autouse=True)
def _sandbox_origin(request) -> None:
    """The URL guard accepts sandbox URLs only at this server's own origin: in tests, the
    live server's (a random port per test process), for every test that starts it."""
    if "live_server" in request.fixturenames:
        settings = request.getfixturevalue("settings")
        settings.SANDBOX_ORIGIN = request.getfixturevalue("live_server").url


class SandboxClient:
    """Talks to one sandbox account over HTTP, as any API client would."""

    def __init__(self, server_url: str, account: SandboxAccount):
        self.account = account
        self.api_url = f"{server_url}/sandbox/{account.slug}"
        self.base = f"{self.api_url}/api/3"
        self.session = requests.Session()
        self.session.headers["Api-Token"] = account.api_token

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, json: Any = None, status: int | None = None) -> Any:
        """Send a request that must succeed; return its JSON body."""
        response = self.request(method, path, json=json)
        expected = {status} if status else {200, 201}
        assert response.status_code in expected, (
            f"{method} {path} -> {response.status_code}: {response.text[:500]}"
        )
        return response.json()

    def log(self) -> dict:
        return faults.request_log.snapshot(self.account.slug)


@pytest.fixture(autouse=True, scope="session")
def _test_process_settings(tmp_path_factory) -> Iterator[None]:
    """Each test process (xdist worker) keeps its limiter schedules in its own directory;
    logins checked by the thousand (the fuzz test) need no slow, strong hash."""
    with override_settings(
        ACTIVECAMPAIGN_RATE_LIMIT_DIR=str(tmp_path_factory.mktemp("ratelimit")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture(autouse=True)
def _generous_api_clients(request) -> Iterator[None]:
    """The app's clients get what the service tests' clients get: the tests' sandbox accounts
    allow far more than 5 requests a second, so the real limit and 0.5 s retry backoff would
    only make the suite wait. The limiter's own tests keep the real settings."""
    if request.node.nodeid.startswith(TIMING_SENSITIVE):
        yield
        return
    with override_settings(ACTIVECAMPAIGN_RATE_LIMIT=1000, ACTIVECAMPAIGN_BACKOFF_BASE=0.01):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with nothing cached: the sandbox accounts of earlier tests in this
    process had the same URLs, so their metadata and labels would answer for the new ones."""
    cache.clear()


# The seed's own tests run it for real each time (see tests/seeding.py).
SEED_TESTS = ("tests/sandbox/test_seed.py", "tests/sandbox/test_family_seed.py")


@pytest.fixture(autouse=True)
def _seed_once_per_process(request, monkeypatch) -> None:
    if not request.node.nodeid.startswith(SEED_TESTS):
        monkeypatch.setattr(seed, "seed_account", seeding.seed_account)


@pytest.fixture
def sandbox(live_server, transactional_db) -> Iterator[SandboxClient]:
    """An empty sandbox account with a generous rate limit (tests of the limit lower it)."""
    account = SandboxAccount.objects.create(slug="test", name="Test account", rate_limit=10_000)
    faults.reset()
    yield SandboxClient(live_server.url, account)
    faults.reset()


# Modules whose tests measure real time against the API's one-second window: under a busy
# parallel run their requests bunch up, so `make test` runs them alone (marker "serial").
TIMING_SENSITIVE = ("tests/activecampaign/test_ratelimit.py", "tests/sandbox/test_faults.py")


# The longest tests start first, so that under xdist they are not the run's tail while the
# other worker has nothing left to do (each file keeps its own order and fixtures).
LONG_FIRST = (
    "tests/jobs/test_crash.py",
    "tests/fuzz/test_pages.py",
    "tests/deals/test_deal_fuzz.py",
    "tests/test_production_settings.py",  # subprocesses of manage.py, 3 to 5 s each
)


def _start(item) -> int:
    return next((i for i, path in enumerate(LONG_FIRST) if item.nodeid.startswith(path)), 99)


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.nodeid.startswith(TIMING_SENSITIVE):
            item.add_marker(pytest.mark.serial)
    items.sort(key=_start)


def pytest_sessionfinish(session) -> None:
    """An xdist worker hands what it checked to the controller, which prints the summary."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["conformance_checked"] = sorted(shapes.CHECKED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    checked = getattr(node, "workeroutput", {}).get("conformance_checked", [])
    shapes.CHECKED.update(tuple(item) for item in checked)


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how much of the API reference the conformance checks covered in this run."""
    if not shapes.CHECKED:
        return
    operations = {(method, path) for method, path, _ in shapes.CHECKED}
    with_example = sum(
        1
        for op in shapes.operations().values()
        if any(r["valid"] and 200 <= r["status"] < 300 for r in op["responses"])
    )
    terminalreporter.write_line(
        f"conformance: {len(operations)} API operations ({len(shapes.CHECKED)} "
        f"status examples) checked against the reference, which has {with_example} "
        "operations with a valid 2xx example"
    )
