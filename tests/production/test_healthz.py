"""/healthz: the database, the cache and the workers' heartbeat, for anyone, and no more."""

import json

import pytest
from django.db import DatabaseError
from django.db.backends.utils import CursorWrapper

from acdash.health import heartbeat
from acdash.health.heartbeat import record_worker_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_log_in_with_three_states(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "worker": "unknown"}


def test_a_worker_heartbeat_shows_as_ok_and_goes_stale(client, monkeypatch):
    record_worker_heartbeat()
    assert client.get("/healthz").json()["worker"] == "ok"
    later = heartbeat.time.time() + heartbeat.HEARTBEAT_STALE_SECONDS + 1
    monkeypatch.setattr(heartbeat.time, "time", lambda: later)
    assert client.get("/healthz").json()["worker"] == "stale"


def test_an_unreachable_database_answers_503(client, monkeypatch):
    def unreachable(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error" and response.json()["database"] == "error"


def test_healthz_shows_no_secret_and_takes_no_write(client, settings):
    response = client.get("/healthz")
    text = response.content.decode()
    assert set(json.loads(text)) == {"status", "database", "cache", "worker"}
    database = settings.DATABASES["default"]["NAME"]
    for secret in (settings.SECRET_KEY, *settings.FERNET_KEYS, database):
        assert secret not in text
    assert client.post("/healthz").status_code in {403, 405}
