"""The outbound URL guard: which account URLs acdash may ever call.

An account's API URL must be https on an ActiveCampaign host (``*.api-us1.com``,
``*.activehosted.com``; configurable with ACDASH_API_HOSTS). Sandbox URLs
(``<SANDBOX_ORIGIN>/sandbox/<account>``) pass only while the sandbox is enabled, and only
at this deployment's own sandbox origins: no other local port or host is ever called.
"""

import ipaddress
import re
from fnmatch import fnmatch
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from acdash.sandbox.origins import origins

SANDBOX_PATH = re.compile(r"^/sandbox/[-a-zA-Z0-9_]+$")
LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Spaces, line breaks, NUL and the other control characters: never part of a URL.
CONTROL = re.compile(r"[\x00-\x20\x7f]")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_HOST = 253
MAX_LABEL = 63


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _origin(scheme: str, host: str, port: int | None) -> tuple[str, str, int | None]:
    return scheme.lower(), host.lower(), port or DEFAULT_PORTS.get(scheme.lower())


def _sandbox_origin(scheme: str, host: str, port: int | None) -> str | None:
    """The sandbox origin (of ``SANDBOX_ORIGIN``'s) that this scheme, host and port are."""
    for own in origins():
        parts = urlsplit(own)
        if _origin(scheme, host, port) == _origin(parts.scheme, parts.hostname or "", parts.port):
            return own
    return None


def _check_characters(url: str) -> None:
    if not url.isascii():
        raise ValidationError(
            "The URL must be plain ASCII: ActiveCampaign account addresses have no accents "
            "or other scripts (write an international name in its xn-- form)."
        )
    if CONTROL.search(url):
        raise ValidationError(
            "The URL must not contain spaces, line breaks or other control characters."
        )


def _check_hostname(host: str) -> None:
    """A DNS name that resolvers accept: 1–63 character labels, 253 characters in all."""
    if len(host) > MAX_HOST:
        raise ValidationError(f"The host name is longer than {MAX_HOST} characters.")
    for label in host.split("."):
        if not label:
            raise ValidationError(
                "The host name has an empty part (two dots in a row, or a dot at either end)."
            )
        if len(label) > MAX_LABEL:
            raise ValidationError(
                f"Each part of the host name between dots may have at most {MAX_LABEL} "
                f"characters; {label[:20]}… has {len(label)}."
            )
        if not LABEL.match(label):
            raise ValidationError(
                "The host name may contain only letters, digits, hyphens (not at either end "
                "of a part) and dots."
            )


def clean_api_url(raw: str) -> str:
    """The normalised account URL (no trailing slash, no /api/3), or ValidationError."""
    url = raw.strip()
    _check_characters(url)
    url = re.sub(r"/api/3/?$", "", url).rstrip("/")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # e.g. "https://[bad" or a port that is not a number
        raise ValidationError(
            "This is not a valid URL. Enter it as https://yourname.api-us1.com."
        ) from None
    if not parts.scheme or not parts.netloc:
        raise ValidationError("Enter the full account URL, e.g. https://yourname.api-us1.com.")
    if parts.username is not None or parts.password is not None:
        raise ValidationError("The URL must not contain a user name or password.")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ValidationError("The URL must not contain a query string or fragment.")
    host = (parts.hostname or "").lower()
    own = _sandbox_origin(parts.scheme, host, port) if settings.SANDBOX_ENABLED else None
    if own is not None:
        if not SANDBOX_PATH.match(parts.path):
            raise ValidationError(
                f"On this server, only sandbox accounts can be connected: {own}/sandbox/<account>."
            )
        return f"{own}{parts.path}"
    if settings.SANDBOX_ENABLED and SANDBOX_PATH.match(parts.path):
        raise ValidationError(
            "Sandbox accounts are served only at this server's own address, "
            f"{' or '.join(origins())}."
        )
    if parts.scheme.lower() != "https":
        raise ValidationError("The URL must start with https://.")
    if _is_ip_literal(host) or host == "localhost" or host.endswith(".localhost"):
        raise ValidationError("IP addresses and local hosts are not ActiveCampaign accounts.")
    if port not in (None, 443):
        raise ValidationError("ActiveCampaign accounts are served on the standard https port.")
    if parts.path not in ("", "/"):
        raise ValidationError("Enter only the account address, without a path.")
    _check_hostname(host)
    if not any(fnmatch(host, pattern) for pattern in settings.API_HOSTS):
        allowed = ", ".join(settings.API_HOSTS)
        raise ValidationError(f"{host} is not an ActiveCampaign API host (allowed: {allowed}).")
    return f"https://{host}"


def is_allowed(url: str) -> bool:
    try:
        return clean_api_url(url) == url.rstrip("/")
    except ValidationError:
        return False
