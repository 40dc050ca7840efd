"""The API console: every operation of the API reference, searchable, each with a form
generated from the reference, sent through ``acdash.activecampaign.console``.

Reads (GET operations) are sent by a GET request (``?send=1``), so viewers may send them
and the address bar reproduces the answer. Writes are POSTed, by account admins only,
after a confirmation naming the method and path; each one sent is audited.
"""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import push_url

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, console
from acdash.activecampaign.console import Operation, Prepared, Result
from acdash.contacts.writes import audit

from .forms import OperationForm

TEMPLATE = "console/console.html"
MAX_QUERY = 100  # characters of the search kept


def _page(request: HttpRequest, context: dict[str, Any], part: str, status: int = 200):
    """The whole page, or for htmx the ``part`` it swaps."""
    whole = not request.htmx or request.htmx.history_restore_request
    response = render(request, TEMPLATE if whole else f"{TEMPLATE}#{part}", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@account_view
@require_safe
def console_index(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """Every operation by family, filtered by ``q`` (name, path, method or operationId);
    for htmx only the list (#operations). No API call."""
    query = request.GET.get("q", "")[:MAX_QUERY]
    context = {
        "account": account,
        "section": "console",
        "q": query,
        "families": console.families(query),
        "total": len(console.operations()),
    }
    response = _page(request, context, "operations")
    if request.htmx and not request.htmx.history_restore_request:
        action = reverse("console:index", args=[account.slug])
        push_url(response, f"{action}?{urlencode({'q': query})}" if query else action)
    return response


def _answer(account: ConnectedAccount, prepared: Prepared | None) -> dict[str, Any]:
    """Send through the account's client (one call, retries aside): the result and the
    request as curl. A client that cannot be made (a URL the guard now refuses) is a
    failed result, not a 500."""
    assert prepared is not None  # a valid form has prepared its request
    try:
        result = console.send(client_for_account(account), prepared)
    except ApiError as exc:
        result = Result(None, 0.0, None, exc.message, 0)
    return {"prepared": prepared, "result": result, "curl": console.curl(account.api_url, prepared)}


def _audit(request: HttpRequest, prepared: Prepared, result: Result) -> None:
    op = prepared.operation
    status = result.status if result.status is not None else "no answer"
    audit(
        request,
        "api",
        op.id,
        op.method.lower(),
        after={
            "method": op.method,
            "path": prepared.target,
            "body": prepared.body if prepared.has_body else None,
            "status": result.status,
        },
        summary=f"API console: {op.method} {prepared.target} → {status}",
    )


@account_view
@require_http_methods(["GET", "POST"])
def operation_page(request: HttpRequest, account: ConnectedAccount, operation: str) -> HttpResponse:
    """One operation's form and, once sent, the API's answer (htmx: #console-work).

    GET shows the form; ``?send=1`` on a read sends it (1 call). POST (writes, admins
    only) answers a confirmation naming the method and path, then with ``confirm`` sends
    it (1 call) and audits it. Bad input is named by its field and nothing is sent."""
    op = console.find(operation)
    context: dict[str, Any] = {"account": account, "section": "console", "operation": op}
    if op is None:
        context["unknown"] = operation[:80]
        return _page(request, context, "work", status=404)
    if request.method == "POST":
        return _write(request, account, op, context)
    sending = "send" in request.GET and not op.is_write
    form = OperationForm(op, request.GET if sending else None)
    context["form"] = form
    if sending and form.is_valid():
        context |= _answer(account, form.prepared)
    response = _page(request, context, "work")
    if sending and request.htmx and not request.htmx.history_restore_request:
        push_url(response, f"{request.path}?{request.GET.urlencode()}")
    return response


def _write(
    request: HttpRequest, account: ConnectedAccount, op: Operation, context: dict[str, Any]
) -> HttpResponse:
    if not op.is_write:  # reads are sent by GET (?send=1)
        return _page(request, {**context, "form": OperationForm(op)}, "work", status=405)
    if not request.access.can_admin:
        raise PermissionDenied("Only the account's admins may send writes from the API console.")
    form = OperationForm(op, request.POST)
    context["form"] = form
    if form.is_valid():
        if request.POST.get("confirm") == "yes":
            context |= _answer(account, form.prepared)
            _audit(request, form.prepared, context["result"])
        else:
            context["confirm"] = form.prepared
    return _page(request, context, "work")
