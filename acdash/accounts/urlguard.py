"""The outbound URL guard: which account URLs acdash may ever call.

An account's API URL must be https on an ActiveCampaign host (``*.api-us1.com``,
``*.activehosted.com``; configurable with ACDASH_API_HOSTS). Sandbox URLs
(``http://<local host>/sandbox/<account>``) pass only while the sandbox is enabled.
"""

import ipaddress
import re
from fnmatch import fnmatch
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

SANDBOX_PATH = re.compile(r"^/sandbox/[-a-zA-Z0-9_]+/?$")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver"}


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_sandbox_url(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme in {"http", "https"}
        and (parts.hostname or "") in LOCAL_HOSTS
        and bool(SANDBOX_PATH.match(parts.path))
    )


def clean_api_url(raw: str) -> str:
    """The normalised account URL (no trailing slash, no /api/3), or ValidationError."""
    url = raw.strip()
    url = re.sub(r"/api/3/?$", "", url).rstrip("/")
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValidationError("Enter the full account URL, e.g. https://yourname.api-us1.com.")
    if parts.username or parts.password:
        raise ValidationError("The URL must not contain a user name or password.")
    if parts.query or parts.fragment:
        raise ValidationError("The URL must not contain a query string or fragment.")
    if settings.SANDBOX_ENABLED and is_sandbox_url(url):
        return url
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        raise ValidationError("The URL must start with https://.")
    if _is_ip_literal(host) or host in LOCAL_HOSTS:
        raise ValidationError("IP addresses and local hosts are not ActiveCampaign accounts.")
    if parts.port not in (None, 443):
        raise ValidationError("ActiveCampaign accounts are served on the standard https port.")
    if parts.path not in ("", "/"):
        raise ValidationError("Enter only the account address, without a path.")
    if not any(fnmatch(host, pattern) for pattern in settings.API_HOSTS):
        allowed = ", ".join(settings.API_HOSTS)
        raise ValidationError(f"{host} is not an ActiveCampaign API host (allowed: {allowed}).")
    return f"https://{host}"


def is_allowed(url: str) -> bool:
    try:
        return clean_api_url(url) == url.rstrip("/")
    except ValidationError:
        return False
