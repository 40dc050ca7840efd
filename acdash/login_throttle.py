"""Log-in throttling: after ``LOGIN_FAILURE_LIMIT`` failed log-ins for one username, that
username is locked for ``LOGIN_LOCK_SECONDS`` — a correct password is refused too until the
lock ends, so guessing gains nothing. Counts live in the shared cache (Redis when scaled
out), so every web process sees the same count.

Built on the cache rather than django-axes: axes' authentication backend needs the request
in every ``authenticate()`` call (the test client's ``login()`` and scripts do not pass one)
and adds tables; this needs neither. The lock is per username, not per address, so
an attacker spreading guesses over many addresses is stopped as well.
"""

import hashlib
import time
from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache


def now() -> float:
    return time.time()


def _key(username: str) -> str:
    # Hashed: any text is a valid cache key then (memcached refuses spaces and long keys).
    name = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"acdash:login-failures:{name}"


def locked_until(username: str) -> float | None:
    """When the lock on ``username`` ends (a timestamp), or None if it is not locked."""
    _, until = cache.get(_key(username), (0, None))
    return until if until is not None and until > now() else None


def record_failure(username: str) -> None:
    failures, until = cache.get(_key(username), (0, None))
    if until is not None and until <= now():
        failures, until = 0, None  # an ended lock starts the count again
    failures += 1
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        until = now() + settings.LOGIN_LOCK_SECONDS
    cache.set(_key(username), (failures, until), settings.LOGIN_LOCK_SECONDS)


def clear(username: str) -> None:
    cache.delete(_key(username))


class ThrottledLogin(forms.Form):
    """Mixed into a log-in form: refuses a locked username, counts failures, clears the
    count on success."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and (until := locked_until(username)) is not None:
            at = datetime.fromtimestamp(until, UTC).strftime("%H:%M UTC")
            raise forms.ValidationError(
                "Too many failed log-ins for this username: log-in is locked until %(at)s. "
                "Try again then.",
                code="locked",
                params={"at": at},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                record_failure(username)
            raise
        clear(username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLogin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLogin, AdminAuthenticationForm):
    pass
