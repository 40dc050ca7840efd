"""Settings for development and tests; every value can be overridden from the environment.

Production uses ``acdash.settings.production``, which turns the sandbox off and
hardens everything else.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"ACDASH_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "acdash.jobs",  # before django_tasks_db: its db_worker command wraps theirs
    "django_tasks_db",
    "acdash.accounts",
    "acdash.audit",
    "acdash.overview",
    "acdash.contacts",
    "acdash.deals",
    "acdash.tasks",
    "acdash.setup",
    "acdash.console",
    "acdash.marketing",
    "acdash.sandbox",
    "acdash.health",
]

MIDDLEWARE = [
    "acdash.sandbox.middleware.EmulatorMiddleware",  # the emulated API answers before the rest
    "acdash.logs.RequestIdMiddleware",
    "acdash.activecampaign.instrumentation.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "acdash.urls"
WSGI_APPLICATION = "acdash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "acdash.overview.context_processors.layout",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        "CONN_MAX_AGE": int(env("CONN_MAX_AGE", "0")),  # seconds a thread keeps its connection
        # WAL + a busy timeout let the sandbox and the app write concurrently.
        "OPTIONS": {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
        # Tests use a file, not SQLite's shared in-memory database: the live server's threads
        # (app and sandbox answering each other concurrently) then get their own connections.
        # One file per test process, so parallel runs never share it.
        "TEST": {
            "NAME": env(
                "TEST_SQLITE_PATH",
                str(Path(tempfile.gettempdir()) / f"acdash-test-{os.getpid()}.sqlite3"),
            )
        },
    }
}

# Jobs run on Django's Tasks framework; `manage.py db_worker` runs them (make run starts it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Room for the records' labels (contact names, deal titles: acdash/activecampaign/labels.py)
# beside the metadata: at the default 300 entries a few boards would evict the fields.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# Task workers write a heartbeat row every WORKER_HEARTBEAT_SECONDS (acdash/health); /healthz
# and the job engine count a worker as gone after WORKER_HEARTBEAT_STALE_SECONDS without one.
WORKER_HEARTBEAT_SECONDS = float(env("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_HEARTBEAT_STALE_SECONDS = float(env("WORKER_HEARTBEAT_STALE_SECONDS", "60"))

# Forms' widgets, labels and errors written in Python where Django's templates would be
# (byte for byte the same markup; acdash/quickforms.py).
FORM_RENDERER = "acdash.quickforms.QuickRenderer"

# ModelBackend, the user of each request read without the ORM's per-query work.
AUTHENTICATION_BACKENDS = ["acdash.accounts.backends.UserBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Fernet keys encrypting API tokens at rest, newest first (comma-separated); development
# derives one from SECRET_KEY when unset. Rotate by prepending a new key.
FERNET_KEYS = [k for k in env("FERNET_KEYS", "").split(",") if k]
# Error reports hide tokens (sensitive_variables/_post_parameters) with DEBUG on as well.
DEFAULT_EXCEPTION_REPORTER_FILTER = "acdash.accounts.reporting.TokenSafeReporterFilter"
# Hosts an account's API URL may point at (the outbound URL guard).
API_HOSTS = [h for h in env("API_HOSTS", "*.api-us1.com,*.activehosted.com").split(",") if h]

# The sandbox: a local emulator of the ActiveCampaign API v3 (see acdash/sandbox).
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", True)
# The address (scheme://host:port) of the server answering /sandbox/<account> URLs, the
# only origin whose sandbox URLs the URL guard accepts; or several, comma-separated, each
# account served by one of them (acdash/sandbox/origins.py; `make run-scaled`). `make run`
# exports it and records it in ORIGIN_FILE, so commands run from another terminal
# (`manage.py sandbox_accounts`) name the running server.
ORIGIN_FILE = Path(env("ORIGIN_FILE", str(BASE_DIR / "var" / "sandbox-origin")))
_recorded = ORIGIN_FILE.read_text().strip() if ORIGIN_FILE.is_file() else ""
SANDBOX_ORIGIN = env("SANDBOX_ORIGIN", _recorded or "http://127.0.0.1:8000")
# Secret the sandbox derives its per-account API tokens from (so none are stored).
SANDBOX_TOKEN_SECRET = env("SANDBOX_TOKEN_SECRET", "acdash-sandbox")

# ActiveCampaign client (acdash/activecampaign; ACTIVECAMPAIGN_* settings, see its conf.py).
# An account's 5 requests/second are shared by every process: on one machine through lock
# files in RATE_LIMIT_DIR; on many, name a shared cache (Redis) in RATE_LIMIT_CACHE.
ACTIVECAMPAIGN_RATE_LIMIT_DIR = env("RATE_LIMIT_DIR", str(BASE_DIR / "var" / "ratelimit"))
ACTIVECAMPAIGN_RATE_LIMIT_CACHE = env("RATE_LIMIT_CACHE", "")
if margin := env("RATE_LIMIT_MARGIN"):  # the arrival jitter it absorbs (see its module)
    ACTIVECAMPAIGN_RATE_LIMIT_MARGIN = float(margin)

# Scale-out (make run-scaled, docs/deploy.md): DATABASE_URL names PostgreSQL (psycopg 3);
# REDIS_URL the shared cache, the limiter's windows (atomic there, see ratelimit.py) and the
# RQ task backend, whose workers are `manage.py rqworker --job-class django_tasks_rq.Job`.
# Unset, everything stays on this machine: SQLite, local memory, lock files, db_worker.
if DATABASE_URL := os.environ.get("DATABASE_URL", ""):
    DATABASES["default"] = dj_database_url.parse(
        DATABASE_URL, conn_max_age=600, conn_health_checks=True
    )
if REDIS_URL := os.environ.get("REDIS_URL", ""):
    CACHES = {"default": {"BACKEND": "acdash.rediscache.SharedRedisCache"}}
    CACHES["default"]["LOCATION"] = REDIS_URL
    ACTIVECAMPAIGN_RATE_LIMIT_CACHE = env("RATE_LIMIT_CACHE", "default")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}}  # jobs run for hours
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    # Sessions read from the shared cache (the database behind it), not a query a request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Content-Security-Policy (Django's own middleware): scripts and <style> elements only from
# this origin or carrying the request's nonce (`nonce="{{ csp_nonce }}"`); no inline style
# attributes (dynamic colours and widths are data-* attributes that app.js applies). The
# branding preview sends a stricter policy of its own (acdash/setup/branding.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Log-in throttling (acdash/login_throttle.py): this many failures for one username lock it
# for LOGIN_LOCK_SECONDS, a correct password included.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCK_SECONDS = int(env("LOGIN_LOCK_SECONDS", "900"))

# One line per record; every line of a web request (the API call lines included) carries
# its request id. ACDASH_LOG_FORMAT=json (production's default) writes JSON lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "acdash.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "acdash.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Error reports to ADMINS go through Django 6.1's mailers; in development they are printed.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
