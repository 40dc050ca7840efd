"""HTTP client for one ActiveCampaign account: pooled session, limiter, retries, typed errors."""

import email.utils
import hashlib
import http.client
import logging
import random
import threading
import time
from enum import Enum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from django.views.decorators.debug import sensitive_variables
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from . import deadline, errors, instrumentation
from .conf import setting
from .ratelimit import RateLimiter, default_limiter

logger = logging.getLogger("acdash.activecampaign")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class Retry(Enum):
    """When a failed request may be sent again."""

    NEVER = "never"
    ALWAYS = "always"
    IF_IDEMPOTENT = "if idempotent"


RETRY_BY_STATUS = {
    429: Retry.ALWAYS,  # the API refused the call unprocessed
    502: Retry.IF_IDEMPOTENT,  # a gateway failed: the call may or may not have been applied
    503: Retry.IF_IDEMPOTENT,
    504: Retry.IF_IDEMPOTENT,
}


def normalise_api_url(api_url: str) -> str:
    """``HTTPS://X.api-us1.com/api/3/`` -> ``https://x.api-us1.com``: the account's identity."""
    parts = urlsplit(api_url.strip())
    path = parts.path.rstrip("/").removesuffix("/api/3").rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:  # or an HTTP date
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _never_sent(exc: requests.RequestException) -> bool:
    """The connection was never made, so even a POST is safe to send again."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectTimeout) or isinstance(reason, NewConnectionError)


def _closed_unanswered(error: errors.ApiError) -> bool:
    """The server closed the connection without a word as the call went out: mostly a
    kept-alive connection reaching the server's idle timeout at that moment."""
    exc = error.__cause__
    reason = exc.args[0] if isinstance(exc, requests.ConnectionError) and exc.args else None
    return any(
        isinstance(arg, http.client.RemoteDisconnected) for arg in getattr(reason, "args", ())
    )


class Client:
    """One ActiveCampaign account's API (``<api_url>/api/3``); safe to share between threads.

    ``account_key`` names the account for the rate limiter (default: the normalised URL).
    Unset options come from ``ACTIVECAMPAIGN_*`` settings (see ``conf.DEFAULTS``).
    """

    @sensitive_variables()  # error reports hide the token here and in requests' frames below
    def __init__(
        self,
        api_url: str,
        api_token: str,
        account_key: str | None = None,
        *,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_attempts: int | None = None,
        backoff_base: float | None = None,
        backoff_max: float | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.api_url = normalise_api_url(api_url)
        self.base_url = f"{self.api_url}/api/3"
        self.account_key = account_key or self.api_url
        self.timeout = (
            connect_timeout if connect_timeout is not None else setting("CONNECT_TIMEOUT"),
            read_timeout if read_timeout is not None else setting("READ_TIMEOUT"),
        )
        self.max_attempts = max(1, max_attempts or setting("MAX_ATTEMPTS"))
        self.backoff_base = backoff_base if backoff_base is not None else setting("BACKOFF_BASE")
        self.backoff_max = backoff_max if backoff_max is not None else setting("BACKOFF_MAX")
        self.limiter = limiter or default_limiter()
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=setting("POOL_SIZE"))
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers.update(
            {"Api-Token": api_token, "Accept": "application/json", "User-Agent": "acdash"}
        )
        # requests reads the proxy and CA variables (and ~/.netrc) again on every call, a
        # scan of the whole environment worth ~2% of a page's CPU: read them once, here.
        # Never .netrc's credentials: the Api-Token header is the account's only one.
        found = self.session.merge_environment_settings(self.base_url, {}, None, None, None)
        self.session.proxies, self.session.verify = found["proxies"], found["verify"]
        self.session.trust_env = False

    def __repr__(self) -> str:
        return f"<Client {self.api_url}>"  # never the token

    def close(self) -> None:
        self.session.close()

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None, *, idempotent: bool = False) -> Any:
        """``idempotent=True`` where sending twice does no harm (e.g. ``/contact/sync``)."""
        return self.request("POST", path, json=json, idempotent=idempotent)

    def put(self, path: str, json: Any = None) -> Any:
        return self.request("PUT", path, json=json)

    def patch(self, path: str, json: Any = None, *, idempotent: bool = False) -> Any:
        """``idempotent=True`` for bulk updates that set values."""
        return self.request("PATCH", path, json=json, idempotent=idempotent)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    @sensitive_variables()  # requests' and urllib3's frames below hold the Api-Token header
    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one call (``path`` relative to ``/api/3``) and return its JSON body.

        Retried with back-off, up to ``max_attempts`` tries: 429s (the API refused the call
        unprocessed) and failures to connect, always; 502/503/504 and connections lost
        mid-call, only when the call is idempotent (GET/PUT/DELETE, or ``idempotent=True``);
        a first attempt the server closed unanswered, at once.
        Read timeouts are not retried: a hung API should fail the page fast, not multiply
        the wait. Inside a web request (``deadline.scope``) timeouts and waits shrink to
        the budget left, a retry whose wait would outlast it is not started (the last
        error is raised), and a spent budget raises DeadlineExceeded.
        """
        method = method.upper()
        path = "/" + path.lstrip("/")
        repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        with instrumentation.busy():
            for attempt in range(1, self.max_attempts + 1):
                timeout = self._take_turn(method, path)
                response, error, retry = self._attempt(method, path, params, json, attempt, timeout)
                if error is None:
                    return self._decode(response, method, path)
                if attempt == self.max_attempts or not (
                    retry is Retry.ALWAYS or (retry is Retry.IF_IDEMPOTENT and repeatable)
                ):
                    raise error
                # A first call lost to a closing idle connection is sent again at once on a
                # new one, as browsers do: backing off would only add to the page's wait.
                wait = 0.0 if attempt == 1 and _closed_unanswered(error) else self._backoff(attempt)
                if isinstance(error, errors.RateLimited) and error.retry_after is not None:
                    if error.retry_after > setting("RETRY_AFTER_MAX"):
                        raise error
                    wait = max(wait, error.retry_after)
                left = deadline.remaining()
                if left is not None and wait >= left:
                    raise error
                if wait:
                    time.sleep(wait)
        raise AssertionError("unreachable: the loop returns or raises")

    def _take_turn(self, method: str, path: str) -> tuple[float, float] | None:
        """Wait for the rate limiter; the attempt's timeouts when the budget shortens them.

        DeadlineExceeded, with nothing sent, when the budget is spent or the limiter's wait
        would outlast it.
        """
        budget = deadline.current()
        if budget is None:
            self.limiter.wait(self.account_key)
            return None
        left = deadline.remaining()
        if not left or self.limiter.wait(self.account_key, max_wait=left) is None:
            raise errors.DeadlineExceeded(method, path, budget.seconds)
        left = deadline.remaining()
        if not left:
            raise errors.DeadlineExceeded(method, path, budget.seconds)
        if left >= max(self.timeout):
            return None
        return (min(self.timeout[0], left), min(self.timeout[1], left))

    def _attempt(
        self,
        method: str,
        path: str,
        params: Any,
        json: Any,
        attempt: int,
        shortened: tuple[float, float] | None,
    ) -> tuple[requests.Response, None, None] | tuple[None, errors.ApiError, Retry]:
        """Send once: the response, or the error and when a retry may help."""
        started = time.monotonic()
        status: int | None = None
        try:
            # Never follow redirects: requests would resend the Api-Token header to
            # whatever host the redirect names.
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                json=json,
                timeout=shortened or self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            error, retry = self._transport_error(exc, method, path, shortened is not None)
        else:
            status = response.status_code
            error, retry = None, Retry.NEVER
            if response.is_redirect:
                target = urlsplit(response.headers.get("Location", "")).netloc or "elsewhere"
                error = errors.ApiError(
                    f"{method} {path}: the API redirected to {target}; redirects are refused",
                    status=status,
                    method=method,
                    path=path,
                )
            elif status >= 400:
                error = errors.error_for(
                    status,
                    _json_or_none(response),
                    method=method,
                    path=path,
                    retry_after=_retry_after(response),
                )
                retry = RETRY_BY_STATUS.get(status, Retry.NEVER)
        ms = (time.monotonic() - started) * 1000
        instrumentation.record(instrumentation.ApiCall(method, path, status, ms))
        # One structured line per request; the path carries no query string (searches hold
        # personal data) and the token lives only in the session's headers.
        logger.log(
            logging.INFO if error is None else logging.WARNING,
            "activecampaign method=%s path=%s status=%s ms=%.1f attempt=%d account=%s",
            method,
            path,
            status or type(error).__name__,
            ms,
            attempt,
            self.account_key,
            extra={"api_method": method, "api_path": path, "api_status": status, "api_ms": ms},
        )
        if error is not None:
            return None, error, retry
        return response, None, None

    def _backoff(self, attempt: int) -> float:
        """Exponential, with "equal jitter": half fixed, half random."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _transport_error(
        self, exc: requests.RequestException, method: str, path: str, shortened: bool
    ) -> tuple[errors.ApiError, Retry]:
        where = {"method": method, "path": path}
        error: errors.ApiError
        retry = Retry.NEVER
        budget = deadline.current()
        if shortened and budget and isinstance(exc, requests.ReadTimeout):
            error = errors.DeadlineExceeded(method, path, budget.seconds)
        elif isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
            error = errors.Unavailable(f"{method} {path}: connection failed", **where)
            retry = Retry.ALWAYS if _never_sent(exc) else Retry.IF_IDEMPOTENT
        elif isinstance(exc, requests.Timeout):
            error = errors.Unavailable(f"{method} {path}: no answer in {self.timeout[1]}s", **where)
        else:
            error = errors.ApiError(f"{method} {path}: {type(exc).__name__}", **where)
        error.__cause__ = exc
        return error, retry

    @staticmethod
    def _decode(response: requests.Response, method: str, path: str) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise errors.ApiError(
                f"{method} {path}: the answer is not JSON",
                status=response.status_code,
                method=method,
                path=path,
            ) from None


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # gateways answer 502/503/504 with HTML
        return None


_clients: dict[tuple[str, str], Client] = {}
_clients_lock = threading.Lock()


@sensitive_variables()
def client_for(api_url: str, api_token: str, account_key: str | None = None) -> Client:
    """The shared client (and connection pool) of an account, made on first use."""
    key = (normalise_api_url(api_url), hashlib.sha256(api_token.encode()).hexdigest())
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Client(api_url, api_token, account_key)
        return _clients[key]


def get_me(client: Client) -> dict[str, Any]:
    """The user the token belongs to (``GET /users/me``); raises AuthError for a bad token."""
    return client.get("/users/me")["user"]
