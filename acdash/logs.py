"""Structured logs: a request id on every line a web request logs, JSON lines in production.

The id lives in a context variable, so the API call lines logged by the client
(``acdash.activecampaign``) carry it too, also from the threads of ``concurrency.gather``
(each runs in a copy of the request's context). An id the proxy sent in ``X-Request-ID``
is kept when it looks like one, so a request can be followed from the proxy's log to ours.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_request_id: ContextVar[str] = ContextVar("acdash_request_id", default="-")
access_log = logging.getLogger("acdash.access")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request an id (the proxy's, or a new one), answered in ``X-Request-ID``,
    and logs one line per request: method, path (never the query string: searches hold
    personal data), status and time. Health probes log at DEBUG only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get(HEADER, "")
        request_id = sent if _ACCEPTED.fullmatch(sent) else uuid.uuid4().hex
        # Kept until the response is closed, not reset on the way out: Django logs 4xx
        # answers ("Not Found" …) after the middleware has returned.
        _request_id.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[HEADER] = request_id
        ms = (time.monotonic() - started) * 1000
        access_log.log(
            logging.DEBUG if request.path == "/healthz" else logging.INFO,
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(ms, 1),
            },
        )
        return response


def _forget(**kwargs) -> None:
    _request_id.set("-")


request_finished.connect(_forget, dispatch_uid="acdash.logs.forget_request_id")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


# Attributes every LogRecord has; whatever else a call passed in ``extra`` goes in the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the record's
    plain ``extra`` fields (objects such as Django's ``request`` are left out: their text
    holds query strings), and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str | int | float | bool | None):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
