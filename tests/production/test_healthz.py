"""/healthz: the database, the cache and the task workers' heartbeat, for anyone, and no more.

The workers' state comes from real ``manage.py db_worker`` processes on this test's database:
each beats into the database (every 0.1 s here), and this process sees it."""

import json
import signal

import pytest
from django.db import DatabaseError
from django.db.backends.utils import CursorWrapper
from django.tasks import TaskResultStatus

from acdash.health.models import WorkerBeat
from acdash.jobs.tasks import run_job
from tests.jobs.conftest import WorkerProcess, wait_until


@pytest.mark.django_db
def test_healthz_answers_without_log_in_with_three_states(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "worker": "unknown",
        "workers": 0,
    }


def workers(client) -> tuple[str, int]:
    body = client.get("/healthz").json()
    return body["worker"], body["workers"]


def ran(result) -> bool:
    result.refresh()
    return result.status == TaskResultStatus.SUCCESSFUL


def test_running_workers_show_as_ok_one_stopped_is_gone_one_killed_goes_stale(
    client, transactional_db, settings
):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 1.0
    started = [WorkerProcess("http://127.0.0.1:9") for _ in range(2)]
    first, second = started
    try:
        for worker in started:
            worker.env["ACDASH_WORKER_HEARTBEAT_SECONDS"] = "0.1"
        first.start()
        # A task it ran: its loop (and its SIGTERM handling) is up, past its start-up.
        result = run_job.enqueue(0)  # no such job: the task just returns
        wait_until(lambda: ran(result))
        second.start()
        wait_until(lambda: workers(client) == ("ok", 2))
        first.process.send_signal(signal.SIGTERM)  # a clean stop: its row goes with it
        assert first.process.wait(60) == 0
        assert WorkerBeat.objects.count() == 1
        wait_until(lambda: workers(client) == ("ok", 1))
        second.kill()  # SIGKILL: its row stays and ages past the window
        wait_until(lambda: workers(client) == ("stale", 0))
        assert WorkerBeat.objects.count() == 1
    finally:
        for worker in started:
            worker.stop()


@pytest.mark.django_db
def test_an_unreachable_database_answers_503(client, monkeypatch):
    def unreachable(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["worker"]) == ("error", "error", "unknown")


@pytest.mark.django_db
def test_healthz_shows_no_secret_and_takes_no_write(client, settings):
    response = client.get("/healthz")
    text = response.content.decode()
    assert set(json.loads(text)) == {"status", "database", "cache", "worker", "workers"}
    database = settings.DATABASES["default"]["NAME"]
    for secret in (settings.SECRET_KEY, *settings.FERNET_KEYS, database):
        assert secret not in text
    assert client.post("/healthz").status_code in {403, 405}
