"""What the contact views do around a write: audit it, and show the API's refusal by the
form that made it."""

from typing import Any

from django import forms
from django.http import HttpRequest

from acdash.activecampaign import ApiError, ValidationError
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
    for name, messages in found.items():
        form.add_error(name if name in form.fields else None, messages)


def refused(form: forms.Form, field: str, exc: ApiError, verb: str) -> None:
    """Show by the form's one field why the API refused a write (422s: its own messages)."""
    if isinstance(exc, ValidationError):
        for messages in exc.field_errors.values():
            form.add_error(field, messages)
    else:
        form.add_error(field, f"Nothing was {verb}: {exc}")
