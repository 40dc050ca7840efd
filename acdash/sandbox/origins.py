"""Where the sandbox serves each account.

``SANDBOX_ORIGIN`` names the server(s) answering ``/sandbox/<account>/``: one origin
(``make run``: acdash's own server), or several, comma-separated (``make run-scaled``
runs SANDBOX_SERVERS). Every account is served by exactly one of them, chosen from its
slug, as each ActiveCampaign account has a host of its own: its rate limit and request
log live in that server's memory, and accounts' calls do not queue behind each other's
on one process.
"""

import zlib

from django.conf import settings


def origins() -> list[str]:
    """The sandbox's origins (scheme://host:port, no trailing slash), in order."""
    named = [origin.strip().rstrip("/") for origin in settings.SANDBOX_ORIGIN.split(",")]
    return [origin for origin in named if origin]


def origin_for(slug: str) -> str:
    """The origin serving account ``slug``: the same one in every process, on every run."""
    served_by = origins()
    return served_by[zlib.crc32(slug.encode()) % len(served_by)]


def api_url(slug: str, base_url: str | None = None) -> str:
    """The account URL a user pastes (the API is at ``<api_url>/api/3/``): at ``base_url``
    when given, else at the origin serving the account."""
    return f"{(base_url or origin_for(slug)).rstrip('/')}/sandbox/{slug}"
