"""The one HTTP entry point of the emulator: ``/sandbox/<account>/api/3/<path>``."""

import hmac
import json
import math
import time
from contextlib import nullcontext

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import faults
from .models import SandboxAccount
from .routing import ApiError, Ctx, path_allows_other_method, resolve

GATEWAY_PAGES = {
    502: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    503: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
    504: "<html><body><h1>504 Gateway Time-out</h1></body></html>",
}


def _json(status: int, body: object) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _failure(status: int, retry_after: float = 1.0) -> HttpResponse:
    if status == 429:
        response = _json(429, {"message": "Too Many Requests"})
        response["Retry-After"] = str(max(1, math.ceil(retry_after)))  # whole seconds
        return response
    if status in GATEWAY_PAGES:
        return HttpResponse(GATEWAY_PAGES[status], status=status, content_type="text/html")
    return _json(status, {"message": "Internal Server Error"})


def _sandbox(slug: str) -> SandboxAccount | None:
    """get(), not first(), which would sort by the model's ordering: a fifth of an
    emulated listing's own work went to finding its account."""
    try:
        return SandboxAccount.objects.get(slug=slug)
    except SandboxAccount.DoesNotExist:
        return None


def _authorised(request: HttpRequest, account: SandboxAccount) -> bool:
    token = request.headers.get("Api-Token", "")
    return bool(token) and hmac.compare_digest(token, account.api_token)


@csrf_exempt
def api(request: HttpRequest, account: str, path: str) -> HttpResponse:
    started = time.monotonic()
    arrived = faults.rate_limiter.clock()
    sandbox = _sandbox(account)
    if sandbox is None:
        return _json(404, {"message": f"No sandbox account named {account}"})

    operation = "unauthorised"
    admission = None
    if not _authorised(request, sandbox):
        response = _json(403, {"message": "Forbidden"})
    elif not (admission := faults.rate_limiter.allow(sandbox.slug, sandbox.rate_limit, arrived)):
        operation = "rate_limited"
        response = _failure(429, admission.retry_after)
    else:
        found = resolve(request.method or "GET", path)
        operation = found[0].operation if found else "unknown"
        injected = faults.injected_failure(sandbox)
        if injected:
            response = _failure(injected)
        elif found is None:
            status = 405 if path_allows_other_method(path) else 404
            response = _json(status, {"message": f"No route for {request.method} /{path}"})
        else:
            response = _dispatch(request, sandbox, found, path)
    if admission is not None:  # the headers the API documents next to its limit
        response["RateLimit-Limit"] = str(sandbox.rate_limit)
        refused = response.status_code == 429
        response["RateLimit-Remaining"] = "0" if refused else str(admission.remaining)

    faults.request_log.record(
        sandbox.slug,
        faults.LoggedRequest(
            at=time.time(),
            method=request.method or "GET",
            path="/" + path,
            operation=operation,
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000, 2),
        ),
    )
    return response


def _dispatch(request: HttpRequest, sandbox: SandboxAccount, found, path: str) -> HttpResponse:
    route, kwargs = found
    base_url = request.build_absolute_uri(f"/sandbox/{sandbox.slug}/api/3")
    ctx = Ctx(sandbox, request, base_url, request.GET, request.body)
    # A write is atomic: one that fails validation half-way writes nothing. A read takes no
    # transaction: SQLite's IMMEDIATE ones hold the write lock, so every account's reads
    # would wait in one line behind each other.
    writes = request.method not in ("GET", "HEAD")
    try:
        with transaction.atomic() if writes else nullcontext():
            result = route.handler(ctx, **kwargs)
    except ApiError as error:
        return _json(error.status, error.body)
    status, body = result if isinstance(result, tuple) else (200, result)
    if body is None:  # the API's empty answers (202 Accepted, 204)
        return HttpResponse(status=status)
    if isinstance(body, str):  # the site tracking code
        return HttpResponse(body, status=status, content_type="text/plain")
    return _json(status, body)


@csrf_exempt
def request_log(request: HttpRequest, account: str) -> HttpResponse:
    """``GET`` the account's request log, ``DELETE`` to reset it and its rate-limit window."""
    sandbox = _sandbox(account)
    if sandbox is None or not _authorised(request, sandbox):
        return _json(403, {"message": "Forbidden"})
    if request.method == "DELETE":
        faults.reset(sandbox.slug)
        return _json(200, {})
    return JsonResponse(faults.request_log.snapshot(sandbox.slug))
