"""What the contact views do around a write: audit it, and show the API's refusal by the
form that made it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from acdash.accounts.clients import client_for_account
from acdash.activecampaign import ApiError, Client, NotFound, ValidationError
from acdash.audit.log import record
from acdash.audit.models import AuditEntry


def audit(
    request: HttpRequest,
    object_type: str,
    object_id: object,
    action: str,
    *,
    before: Any = None,
    after: Any = None,
    summary: str = "",
) -> AuditEntry:
    """Record a write by the request's user in the request's account (``account_view``)."""
    return record(
        user=request.user,
        account=request.access.account,
        object_type=object_type,
        object_id=object_id,
        action=action,
        before=before,
        after=after,
        summary=summary,
    )


def show_api_errors(form: forms.Form, found: dict[str, list[str]]) -> None:
    """Put the API's messages (``contacts.form_errors``) by the form fields they name; the
    others above the form."""
    for name, texts in found.items():
        form.add_error(name if name in form.fields else None, texts)


def refused(form: forms.Form, field: str, exc: ApiError, verb: str) -> None:
    """Show by the form's one field why the API refused a write (422s: its own messages)."""
    if isinstance(exc, ValidationError):
        for messages in exc.field_errors.values():
            form.add_error(field, messages)
    else:
        form.add_error(field, f"Nothing was {verb}: {exc}")


def confirm_delete[T](
    request: HttpRequest,
    *,
    object_type: str,
    object_id: int,
    template: str,
    context: dict[str, Any],
    done_url: str,
    read: Callable[[Client], T],
    delete: Callable[[Client], None],
    name: Callable[[T], str],
    done: Callable[[T], str],
    missing_is_404: bool = False,
) -> HttpResponse:
    """GET: a confirmation naming the record. POST: delete it, audited with the record as it
    was: it is read first (one call) to name and audit it.

    A record gone before the confirmation sends the user back to ``done_url`` saying so (or
    404s the GET when ``missing_is_404``); gone between the read and the delete (deleted
    meanwhile, or by an earlier try of this DELETE whose answer was lost and the client
    retried) still counts as deleted: the user's intent holds. ``context[object_type]`` is
    the record, ``context["name"]`` what names it; ``done`` is the success message."""
    noun = object_type.capitalize()
    try:
        client = client_for_account(request.access.account)
        found = read(client)
    except NotFound:
        if missing_is_404 and request.method == "GET":
            raise Http404(f"{noun} {object_id} does not exist.") from None
        messages.info(request, f"{noun} {object_id} does not exist (any more).")
        return redirect(done_url)
    except ApiError as exc:
        return render(request, template, {**context, "error": exc.message})
    context = {**context, object_type: found, "name": name(found)}
    if request.method == "GET":
        return render(request, template, context)
    said = f"Deleted {object_type} {context['name']}"
    try:
        delete(client)
    except NotFound:
        said += " (the API reported it already gone)"
    except ApiError as exc:
        return render(request, template, {**context, "error": exc.message})
    audit(request, object_type, found.id, "delete", before=found, summary=said)
    messages.success(request, done(found))
    return redirect(done_url)
