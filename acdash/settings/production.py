"""Production settings: sandbox and DEBUG off, secrets required, everything hardened.

Every variable is described in docs/deploy.md. ``manage.py check --deploy`` reports
nothing with these settings (tests/test_production_settings.py).
"""

import os

from . import *  # noqa: F403
from . import MIDDLEWARE, env, env_bool

SECRET_KEY = os.environ["ACDASH_SECRET_KEY"]
FERNET_KEYS = os.environ["ACDASH_FERNET_KEYS"].split(",")
DEBUG = False
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", False)
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "acdash.sandbox" or SANDBOX_ENABLED]  # noqa: F405
ALLOWED_HOSTS = os.environ["ACDASH_ALLOWED_HOSTS"].split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# DATABASE_URL and REDIS_URL are read by the base settings (PostgreSQL, the shared cache,
# the limiter's windows, RQ, and sessions read from the shared cache, never from a
# per-process one: a log-out in one process would not reach the others).

# HTTPS only, behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Sessions end when the browser closes, and after SESSION_IDLE_SECONDS without a request
# (the expiry moves forward with every request), whichever comes first.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "7200"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Static files from the web processes themselves: whitenoise serves what `collectstatic`
# put in STATIC_ROOT, compressed and with far-future caching of hashed names.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = env("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405

LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", "json")  # noqa: F405

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("SMTP_HOST", "localhost"),
            "port": int(env("SMTP_PORT", "25")),
            "use_tls": env_bool("SMTP_TLS", False),
        },
    }
}
