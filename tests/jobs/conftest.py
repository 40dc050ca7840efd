"""Jobs over real HTTP against the sandbox: a seeded account, its users, and workers.

Jobs are started through the engine's API (the bulk-action pages that start them are
tested with those pages); everything else goes through acdash's pages. ``work()`` runs the
database worker in this process until no task is left; ``WorkerProcess`` is a real
``manage.py db_worker`` on this test process's database file, to be killed.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import Client
from acdash.jobs import engine
from acdash.jobs.contract import Selection
from acdash.jobs.models import Job
from acdash.jobs.recovery import requeue_orphans
from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord

SLUG = "jobs"
CITY = "field:1"  # the seeded "City" text field
BASE_DIR = Path(settings.BASE_DIR)


def connect(live_server_url: str, contacts: int, slug: str = SLUG) -> ConnectedAccount:
    seed.seed_account(slug, slug.title(), contacts, 11)
    SandboxAccount.objects.filter(slug=slug).update(rate_limit=10_000)
    account = ConnectedAccount(
        slug=slug, name=slug.title(), api_url=f"{live_server_url}/sandbox/{slug}"
    )
    account.set_token(SandboxAccount.objects.get(slug=slug).api_token)
    account.save()
    return account


@pytest.fixture
def account(live_server, transactional_db) -> Iterator[ConnectedAccount]:
    faults.reset()
    yield connect(live_server.url, 30)
    faults.reset()


@pytest.fixture
def ac(account) -> Client:
    return client_for_account(account)


@pytest.fixture
def users(account):
    """An editor and a viewer of the account, and an editor of another account only."""
    User = get_user_model()
    other = ConnectedAccount.objects.create(
        slug="other", name="Other", api_url="https://x.api-us1.com"
    )
    made = {}
    for name, where, role in (
        ("editor", account, "editor"),
        ("viewer", account, "viewer"),
        ("stranger", other, "editor"),
    ):
        made[name] = User.objects.create_user(name, password="pw")
        Membership.objects.create(user=made[name], account=where, role=role)
    return made


def contact_ids(count: int | None = None, slug: str = SLUG) -> list[str]:
    rids = SandboxRecord.objects.filter(account__slug=slug, kind="contact").order_by("rid")
    ids = [str(rid) for rid in rids.values_list("rid", flat=True)]
    return ids[:count] if count else ids


def city_of(ac: Client, ids: list[str]) -> dict[str, str]:
    """The City each contact holds in the sandbox now, read through the contact kind."""
    from acdash.jobs.contract import KINDS

    return {i: r.values[CITY] for i, r in KINDS["contact"].read(ac, ids, [CITY]).items()}


def start(
    account, user, ids: list[str], target: dict, description: str = "Set City", bulk=False
) -> Job:
    """A job over the ticked ``ids``; one call per record unless ``bulk``."""
    return engine.start_job(
        account=account,
        user=user,
        kind="contact",
        description=description,
        selection=Selection("contact", ids=tuple(ids)),
        target=target,
        bulk=bulk,
    )


def work() -> None:
    """What a starting ``db_worker`` does, in this process: resume orphans, then run every
    task until none is ready."""
    requeue_orphans()
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()


def writes_per_contact(slug: str = SLUG) -> dict[str, int]:
    """Successful PUT /contacts/<id> the sandbox logged, per contact id."""
    counts: dict[str, int] = {}
    for entry in faults.request_log.snapshot(slug)["recent"]:
        if entry["method"] == "PUT" and entry["status"] < 300 and "/contacts/" in entry["path"]:
            contact = entry["path"].rstrip("/").rsplit("/", 1)[-1]
            counts[contact] = counts.get(contact, 0) + 1
    return counts


def wait_until(condition: Callable[[], bool], seconds: float = 120) -> None:
    """Wait for another process to reach a state (polling the database, not timing it)."""
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "the worker did not get there"
        time.sleep(0.02)


class WorkerProcess:
    """``manage.py db_worker`` as ``make run`` starts it, on this test process's database,
    limiter directory and live server; at the real 5 requests a second."""

    def __init__(self, live_server_url: str) -> None:
        self.env = {
            **os.environ,
            "ACDASH_SQLITE_PATH": connection.settings_dict["NAME"],
            "ACDASH_RATE_LIMIT_DIR": settings.ACTIVECAMPAIGN_RATE_LIMIT_DIR,
            "ACDASH_SANDBOX_ORIGIN": live_server_url,
            "ACDASH_LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.05"]
        self.process = subprocess.Popen(
            [*command, "--no-startup-delay"], cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()  # reaped: its pid is gone, as after a crash

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
