"""Scale-out tests: real PostgreSQL, Redis and ``manage.py rqworker`` processes.

``make test`` runs them last, through ``scripts/engines test`` (which starts both servers
unless ``.ci/run`` already did); run alone: ``scripts/engines test .venv/bin/pytest
tests/scaleout``. ``RQWorker`` is a real RQ worker on this test process's PostgreSQL database,
Redis and live server, at the real 5 requests a second per account.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.jobs.conftest import BASE_DIR, ac, account, users  # noqa: F401 (fixtures)

HOW = "run them with `make test`, or `scripts/engines test .venv/bin/pytest tests/scaleout`"
PR_SET_CHILD_SUBREAPER = 36


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """No persistent connections in this process: the live server answers each kept-alive
    client on a thread of its own that outlives the test, and a connection kept there would
    hold the test database open when it is dropped. (The RQ workers keep the settings'.)"""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def engines() -> None:
    """Fail (never skip) without the real engines, saying how to get them."""
    if connection.vendor != "postgresql" or "django_rq" not in settings.INSTALLED_APPS:
        pytest.fail(f"The scale-out tests need DATABASE_URL (PostgreSQL) and REDIS_URL: {HOW}")


class RQWorker:
    """``manage.py rqworker`` as ``make run-scaled`` starts it. Each task runs in a forked work
    horse (its runner, in a process group of its own); ``kill`` kills both, as when a host
    dies."""

    def __init__(self, live_server_url: str) -> None:
        database = urlsplit(os.environ["DATABASE_URL"])
        self.env = {
            **os.environ,
            "DATABASE_URL": database._replace(path=f"/{connection.settings_dict['NAME']}").geturl(),
            "ACDASH_SANDBOX_ORIGIN": live_server_url,
            "ACDASH_LOG_LEVEL": "WARNING",
            # The sandbox answers from this busy process on a shared 2-core machine: its
            # stalls (up to ~0.3 s) delay arrivals far more than a network's 80 ms.
            "ACDASH_RATE_LIMIT_MARGIN": "0.3",
        }
        self.process: subprocess.Popen | None = None
        # Orphaned work horses become this process's children, so it can reap them.
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def start(self) -> None:
        command = [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job"]
        self.process = subprocess.Popen(
            [*command, "--verbosity", "0", "default"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )

    def horses(self) -> list[int]:
        """The work horses this worker has forked and that still run."""
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(FileNotFoundError):
            return [int(pid) for pid in path.read_text().split()]
        return []

    def kill(self) -> None:
        """SIGKILL this worker and the work horse it runs."""
        assert self.process is not None
        horses = self.horses()
        for horse in horses:
            os.kill(horse, signal.SIGKILL)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        for horse in horses:
            with contextlib.suppress(ChildProcessError):  # unless its worker reaped it first
                os.waitpid(horse, 0)  # reaped: its pid is gone, as after a crash

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
