"""What every setup page shares: the admin check for writes, the page's context (the setup
tabs), and showing the API's refusal of a write by the form field it names. Audit is the
contacts area's hook (one audit hook for every area)."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import NON_FIELD, ApiError, ValidationError
from acdash.contacts.writes import audit

__all__ = ["SECTION", "audit", "context_for", "refused", "require_admin"]

SECTION = "setup"
TABS = (("fields", "Custom fields"), ("tags", "Tags"), ("lists", "Lists"), ("branding", "Branding"))


def require_admin(request: HttpRequest) -> None:
    """Changing an account's setup is for its admins; viewers and editors may look."""
    if not request.access.can_admin:
        raise PermissionDenied("Only the account's admins may change its setup.")


def context_for(
    request: HttpRequest, account: ConnectedAccount, tab: str, **extra: Any
) -> dict[str, Any]:
    return {
        "account": account,
        "section": SECTION,
        "tab": tab,
        "tabs": TABS,
        "can_admin": request.access.can_admin,
        **extra,
    }


def refused(form: forms.Form, exc: ApiError, names: dict[str, str] | None = None) -> None:
    """The API's 422s by the form field their attribute names (``names`` maps API attributes,
    or NON_FIELD, to form fields), the rest above the form; other failures above the form."""
    if not isinstance(exc, ValidationError):
        form.add_error(None, f"Nothing was saved: {exc.message}")
        return
    for attribute, messages in exc.field_errors.items():
        name = (names or {}).get(attribute, None if attribute == NON_FIELD else attribute)
        form.add_error(name if name in form.fields else None, messages)
