"""Production settings: sandbox off, DEBUG off, secrets required from the environment."""

import os

from . import *  # noqa: F403
from . import env, env_bool

SECRET_KEY = os.environ["ACDASH_SECRET_KEY"]
FERNET_KEYS = os.environ["ACDASH_FERNET_KEYS"].split(",")
DEBUG = False
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", False)
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "acdash.sandbox" or SANDBOX_ENABLED]  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
