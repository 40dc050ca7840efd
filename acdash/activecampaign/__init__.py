"""The one door to the ActiveCampaign API v3.

``Client`` (one per account: pooled session, ``Api-Token`` header, timeouts, retries,
the shared rate limiter), typed errors, paging helpers and per-request instrumentation.
Settings, all optional, are ``ACTIVECAMPAIGN_<NAME>`` (see ``conf.DEFAULTS``).
"""

# metadata with the package: its request signals must be connected before the first
# request starts (the URLs, and the views importing the rest, load after that).
from . import metadata
from .client import Client, client_for, get_me, normalise_api_url
from .errors import (
    NON_FIELD,
    ApiError,
    AuthError,
    NotFound,
    RateLimited,
    TooManyItems,
    Unavailable,
    ValidationError,
)
from .instrumentation import assert_api_calls, count_api_calls
from .paging import Page, fetch_page, iter_all, iter_by_id

__all__ = [
    "NON_FIELD",
    "ApiError",
    "AuthError",
    "Client",
    "NotFound",
    "Page",
    "RateLimited",
    "TooManyItems",
    "Unavailable",
    "ValidationError",
    "assert_api_calls",
    "client_for",
    "count_api_calls",
    "fetch_page",
    "get_me",
    "iter_all",
    "iter_by_id",
    "metadata",
    "normalise_api_url",
]
