"""The contact's core details and custom fields, each edited in place.

An editor opens without an API call, from what its read-only section shows and the page's
version of the contact (``orig_*`` and ``version``). Saving checks that version: when
someone else changed what the editor edits, the editor comes back with the conflict, ready
to overwrite; when only other things changed, the save goes through.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import (
    NON_FIELD,
    ApiError,
    NotFound,
    ValidationError,
    contact_detail,
    contacts,
)
from acdash.activecampaign.contacts import Contact
from acdash.activecampaign.fields import Field, FieldPython, fields_by_id, to_api, to_python

from .detail import FieldRow, base_context, editor_only, failure, fragment, version_of
from .detail_forms import CORE_FIELDS, CoreForm, FieldValueForm, core_values
from .writes import audit, show_api_errors


def _save_failed(form: Any, error: ApiError, value_field: str = NON_FIELD) -> None:
    """Why the save failed, on the editor (422s: the API's messages by their fields, with
    those about a custom field's value by ``value_field``)."""
    if isinstance(error, ValidationError):
        show_api_errors(form, contacts.form_errors(error, value_field))
    elif isinstance(error, NotFound):
        form.add_error(None, "This contact no longer exists in ActiveCampaign.")
    else:
        form.add_error(None, f"Not saved: {error}. Try again.")


def _conflicts(
    labels: dict[str, str], before: dict[str, Any], current: dict[str, Any], mine: dict[str, Any]
) -> list[dict[str, Any]]:
    """The values someone else changed since the editor opened."""
    return [
        {"label": label, "before": before[k], "current": current[k], "mine": mine[k]}
        for k, label in labels.items()
        if before[k] != current[k]
    ]


# Core fields ------------------------------------------------------------------------------


@account_view
def core_section(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """GET: the read-only core fields (``?edit=1``: their editor) from the page's values;
    POST: save them."""
    context = base_context(request, account, contact_id)
    if request.method == "POST":
        return _save_core(request, account, contact_id, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    shown = {name: request.GET.get(f"orig_{name}", "") for name in CORE_FIELDS}
    if request.GET.get("edit"):
        editor_only(request)
        form = CoreForm.opened(shown, request.GET.get("version", ""))
        return fragment(request, "core-form", {**context, "form": form})
    return fragment(request, "core", {**context, "core": shown, "focus": True})


def _save_core(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, context: dict[str, Any]
) -> HttpResponse:
    form = CoreForm(request.POST, auto_id="core_%s")
    if not form.is_valid():
        return fragment(request, "core-form", {**context, "form": form})
    before, mine = form.originals(), form.changes()
    overwrite = request.POST.get("overwrite") == "1"
    if mine == before and not overwrite:
        context |= {"core": mine, "focus": True}
        return fragment(request, "core", context, toast="No changes.")
    client = client_for_account(account)
    expected = None if overwrite else form.version_value()
    try:
        for attempt in range(2):
            try:
                saved = contacts.update_contact(
                    client, contact_id, **mine, expected_version=expected
                )
                break
            except contacts.ContactChanged as exc:
                current = core_values(exc.current)
                changed = _conflicts(CORE_FIELDS, before, current, mine)
                if changed or attempt:
                    return _core_conflict(request, context, form, exc.current, changed)
                # Only what this editor does not edit changed (tags, lists, other fields):
                # saving loses nothing of theirs.
                before, expected = current, exc.current.updated
    except ApiError as exc:
        _save_failed(form, exc)
        return fragment(request, "core-form", {**context, "form": form})
    after = core_values(saved)
    edited = ", ".join(label for k, label in CORE_FIELDS.items() if after[k] != before[k])
    summary = f"Edited {edited or 'nothing (saved as it was)'}"
    audit(request, "contact", contact_id, "update", before=before, after=after, summary=summary)
    context |= {"core": after, "focus": True}
    toast = f"Saved {saved.name or saved.email}."
    return fragment(request, "core", context, toast=toast, saved=saved)


def _core_conflict(
    request: HttpRequest,
    context: dict[str, Any],
    form: CoreForm,
    current: Contact,
    changed: list[dict[str, Any]],
) -> HttpResponse:
    """The editor again, with what changed: its originals and version become the current
    ones, so that overwriting audits the right "before"."""
    data = request.POST.copy()
    data["version"] = version_of(current)
    for name, value in core_values(current).items():
        data[f"orig_{name}"] = value
    form = CoreForm(data, auto_id="core_%s")
    form.is_valid()
    return fragment(request, "core-form", {**context, "form": form, "conflict": changed})


# Custom fields ----------------------------------------------------------------------------


@account_view
def field_section(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, field_id: int
) -> HttpResponse:
    """GET: one custom field read-only (``?edit=1``: its editor) from the page's value;
    POST: save it."""
    context = base_context(request, account, contact_id)
    client = client_for_account(account)
    try:
        field = fields_by_id(client).get(field_id)
    except ApiError as exc:
        return failure(request, f"Could not load the field: {exc}")
    if field is None:
        return failure(request, "This custom field no longer exists: reload the page.")
    if request.method == "POST":
        return _save_field(request, account, contact_id, field, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    shown = to_python(field.type, request.GET.get("orig") or None)
    if request.GET.get("edit"):
        editor_only(request)
        form = FieldValueForm.opened(field, shown, request.GET.get("version", ""))
        return fragment(request, "field-form", {**context, "form": form, "field": field})
    return fragment(request, "field", {**context, "row": FieldRow(field, shown), "focus": True})


def _save_field(
    request: HttpRequest,
    account: ConnectedAccount,
    contact_id: int,
    field: Field,
    context: dict[str, Any],
) -> HttpResponse:
    context |= {"field": field}
    form = FieldValueForm(field, request.POST)
    if not form.is_valid():
        return fragment(request, "field-form", {**context, "form": form})
    before, mine = form.original(), form.cleaned_data["value"]
    overwrite = request.POST.get("overwrite") == "1"
    if mine == before and not overwrite:
        context |= {"row": FieldRow(field, mine), "focus": True}
        return fragment(request, "field", context, toast="No changes.")
    client = client_for_account(account)
    expected = None if overwrite else form.version_value()
    try:
        # set_field_value answers the value as saved, update_contact does not: so the
        # version check update_contact would make is made here.
        if expected is not None and contacts.contact_version(client, contact_id) != expected:
            detail = contact_detail.get_contact(client, contact_id)
            values = {f.id: v for f, v in detail.custom_fields}
            current = values.get(field.id, to_python(field.type, None))
            if current != before:
                return _field_conflict(request, context, form, detail.contact, current)
            before = current  # only other things changed: nothing of theirs is lost
        saved = contacts.set_field_value(client, contact_id, field.id, mine)
    except (TypeError, ValueError) as exc:
        form.add_error("value", str(exc))
        return fragment(request, "field-form", {**context, "form": form})
    except ApiError as exc:
        _save_failed(form, exc, value_field="value")
        return fragment(request, "field-form", {**context, "form": form})
    audit(
        request,
        "contact",
        contact_id,
        "field.update",
        before={"field_id": field.id, "field": field.title, "value": before},
        after={"field_id": field.id, "field": field.title, "value": saved.value.value},
        summary=f"Edited {field.title}",
    )
    context |= {"row": FieldRow(field, saved.value.value), "focus": True}
    return fragment(request, "field", context, toast=f"Saved {field.title}.", saved=saved.contact)


def _field_conflict(
    request: HttpRequest,
    context: dict[str, Any],
    form: FieldValueForm,
    current: Contact,
    value: FieldPython,
) -> HttpResponse:
    field: Field = context["field"]

    def shown(typed: FieldPython) -> dict[str, str]:
        return {"value": ", ".join(FieldRow(field, typed).items)}

    changed = _conflicts(
        {"value": field.title},
        shown(form.original()),
        shown(value),
        shown(form.cleaned_data["value"]),
    )
    data = request.POST.copy()
    data["version"] = version_of(current)
    data["orig"] = to_api(field.type, value)
    form = FieldValueForm(field, data)
    form.is_valid()
    return fragment(request, "field-form", {**context, "form": form, "conflict": changed})
