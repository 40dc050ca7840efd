"""Typed errors of the ActiveCampaign client; nothing else (no requests exception) escapes it."""

from typing import Any

# Key of messages that belong to no single field (as Django's forms name them).
NON_FIELD = "__all__"


class ApiError(Exception):
    """Any failed call. ``status`` is the HTTP status, or None when no answer came."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str = "",
        path: str = "",
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path
        self.body = body


class NotFound(ApiError):
    pass


class AuthError(ApiError):
    """401/403: the API token is wrong or lacks the permission."""


class ValidationError(ApiError):
    """400/422. ``field_errors`` maps an attribute name (or NON_FIELD) to its messages."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]], **kwargs: Any):
        super().__init__(message, **kwargs)
        self.field_errors = field_errors


class RateLimited(ApiError):
    """Still 429 after every attempt, or asked to wait longer than we are willing to."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Unavailable(ApiError):
    """Timeouts, connection errors and 5xx answers."""


class DeadlineExceeded(Unavailable):
    """The web request's API time budget (``INTERACTIVE_DEADLINE``) ran out."""

    def __init__(self, method: str, path: str, seconds: float) -> None:
        super().__init__(
            f"ActiveCampaign is not answering: {method} {path} did not finish within {seconds:g} s",
            method=method,
            path=path,
        )


class TooManyItems(ApiError):
    """A listing holds more items than the caller's cap allows."""


def field_errors(body: Any) -> dict[str, list[str]]:
    """Messages per attribute from ``errors[]`` (``source.pointer`` + ``title``) or ``message``."""
    errors = body.get("errors") if isinstance(body, dict) else None
    found: dict[str, list[str]] = {}
    if isinstance(errors, str):
        found[NON_FIELD] = [errors]
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        text = str(error.get("title") or error.get("detail") or "Invalid value.")
        pointer = str((error.get("source") or {}).get("pointer") or "")
        # "/data/attributes/email" -> email; "/data/attributes/account,contact" -> both.
        attribute = pointer.removeprefix("/data/attributes/").strip("/").split("/")[0]
        for name in [n for n in attribute.split(",") if n] or [NON_FIELD]:
            found.setdefault(name, []).append(text)
    if not found and isinstance(body, dict) and body.get("message"):
        found[NON_FIELD] = [str(body["message"])]
    return found


def error_for(
    status: int, body: Any, *, method: str, path: str, retry_after: float | None = None
) -> ApiError:
    """The typed error for an answer with an error status (``body`` is its JSON, or None)."""
    where = {"status": status, "method": method, "path": path, "body": body}
    detail = body.get("message") if isinstance(body, dict) else None
    message = f"{method} {path} answered {status}" + (f": {detail}" if detail else "")
    if status in (401, 403):
        return AuthError(message, **where)
    if status == 404:
        return NotFound(message, **where)
    if status in (400, 422):
        fields = field_errors(body)
        texts = [f"{k}: {m}" if k != NON_FIELD else m for k, ms in fields.items() for m in ms]
        return ValidationError("; ".join(texts) or message, field_errors=fields, **where)
    if status == 429:
        return RateLimited(message, retry_after=retry_after, **where)
    if status >= 500:
        return Unavailable(message, **where)
    return ApiError(message, **where)
