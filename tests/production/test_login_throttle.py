"""Log-in throttling: repeated failures lock the username, a correct password included,
until the lock ends; the form says so."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from acdash import login_throttle

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def alice(settings):
    cache.clear()
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCK_SECONDS = 600
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def log_in(client, password: str, username: str = "alice", url: str = "/login/"):
    return client.post(url, {"username": username, "password": password})


def test_failures_lock_the_username_and_a_correct_password_waits_for_the_lock(
    client, alice, monkeypatch
):
    for _ in range(3):
        refused = log_in(client, "guess")
        assert refused.status_code == 200 and b"correct username and password" in refused.content
    locked = log_in(client, PASSWORD)
    assert locked.status_code == 200
    assert b"Too many failed log-ins for this username" in locked.content
    assert "_auth_user_id" not in client.session

    ended = login_throttle.now() + 601
    monkeypatch.setattr(login_throttle, "now", lambda: ended)
    assert log_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_success_before_the_limit_starts_the_count_again(client, alice):
    log_in(client, "guess"), log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    log_in(client, "guess"), log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 302


def test_the_lock_holds_whatever_the_case_and_on_the_admin_log_in(client, alice):
    for _ in range(3):
        log_in(client, "guess", username="ALICE")
    alice.is_staff = True
    alice.save()
    locked = log_in(client, PASSWORD, url="/admin/login/?next=/admin/")
    assert b"Too many failed log-ins" in locked.content
    assert "_auth_user_id" not in client.session


def test_other_usernames_are_not_locked(client, alice):
    for _ in range(3):
        log_in(client, "guess", username="mallory")
    assert log_in(client, PASSWORD).status_code == 302
