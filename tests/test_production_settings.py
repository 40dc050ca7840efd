"""Production settings: no deploy warnings, sandbox and DEBUG off, secrets required."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    ours = ("ACDASH_", "DJANGO_", "DATABASE_URL", "REDIS_URL")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    environment |= {"DJANGO_SETTINGS_MODULE": "acdash.settings.production", **env}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


SECRETS = {
    "ACDASH_SECRET_KEY": "k" * 20 + "-production-only-secret-9f8e7d6c5b4a39281706",
    "ACDASH_FERNET_KEYS": Fernet.generate_key().decode(),
    "ACDASH_ALLOWED_HOSTS": "acdash.example.com",
}


def test_check_deploy_reports_nothing():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **SECRETS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sandbox_and_debug_are_off():
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.SANDBOX_ENABLED, 'acdash.sandbox' in "
        "settings.INSTALLED_APPS)"
    )
    result = run("-c", probe, **SECRETS)
    assert result.stdout.split() == ["False", "False", "False"], result.stderr


def test_secrets_are_required():
    result = run("manage.py", "check")
    assert result.returncode != 0
    assert "ACDASH_SECRET_KEY" in result.stderr


def test_sessions_expire_static_files_csp_and_logs_are_set_for_production():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_SAVE_EVERY_REQUEST, "
        "s.SESSION_COOKIE_AGE, 'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE, "
        "'django.middleware.csp.ContentSecurityPolicyMiddleware' in s.MIDDLEWARE, "
        "s.LOGGING['handlers']['console']['formatter'])"
    )
    result = run("-c", probe, ACDASH_SESSION_IDLE_SECONDS="1800", **SECRETS)
    assert result.stdout.split() == ["True", "True", "1800", "True", "True", "json"], result.stderr


def test_database_and_redis_urls_configure_postgresql_the_shared_cache_and_limiter():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; c = s.CACHES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], c['BACKEND'], c['LOCATION'], "
        "s.ACTIVECAMPAIGN_RATE_LIMIT_CACHE, s.SESSION_ENGINE)"
    )
    urls = {
        "DATABASE_URL": "postgres://acdash:pw@db.internal:5432/acdash",
        "REDIS_URL": "redis://cache.internal:6379/0",
    }
    result = run("-c", probe, **urls, **SECRETS)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "acdash",
        "db.internal",
        "5432",
        "acdash.rediscache.SharedRedisCache",
        "redis://cache.internal:6379/0",
        "default",
        "django.contrib.sessions.backends.cached_db",
    ], result.stderr
    deploy = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **urls, **SECRETS)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
