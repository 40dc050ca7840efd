"""The contact's core details and custom fields, each edited in place.

An editor opens without an API call, from what its read-only section shows and the page's
version of the contact (``orig_*`` and ``version``). Saving sends only what the user
changed and checks that version: when someone else changed one of those fields too, the
editor comes back with those conflicts, ready to overwrite them; otherwise the save goes
through. What the browser sends is never trusted for validity: choice values are checked
against the field's options from the API's metadata, and "nothing changed" against what
the API holds.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import (
    NON_FIELD,
    ApiError,
    Client,
    NotFound,
    ValidationError,
    contacts,
    fields,
)
from acdash.activecampaign.contacts import Contact
from acdash.activecampaign.fields import Field, FieldPython, to_api, to_python

from .detail import FieldRow, base_context, failure, fragment, version_of
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
        require_editor(request)
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
    # Only what the user changed is sent: what others changed meanwhile in the other
    # fields stays theirs.
    edits = {name: value for name, value in mine.items() if value != before[name]}
    client = client_for_account(account)
    expected = None if request.POST.get("overwrite") == "1" else form.version_value()
    try:
        if not edits:
            return _core_unchanged(request, client, contact_id, context, before)
        for attempt in range(2):
            try:
                saved = contacts.update_contact(
                    client, contact_id, **edits, expected_version=expected
                )
                break
            except contacts.ContactChanged as exc:
                current = core_values(exc.current)
                mine_only = {name: CORE_FIELDS[name] for name in edits}
                changed = _conflicts(mine_only, before, current, mine)
                if changed or attempt:
                    return _core_conflict(request, context, edits, exc.current, changed)
                # Others changed only what this save leaves alone: nothing of theirs is lost.
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


def _core_unchanged(
    request: HttpRequest,
    client: Client,
    contact_id: int,
    context: dict[str, Any],
    shown: dict[str, str],
) -> HttpResponse:
    """Nothing edited: the details as the API holds them now (one call), which may be newer
    than what the page showed."""
    current = contacts.read_contact(client, contact_id)
    context |= {"core": core_values(current), "focus": True}
    if core_values(current) == shown:
        return fragment(request, "core", context, toast="No changes.")
    toast = "Nothing to save. These details were changed in ActiveCampaign meanwhile: "
    toast += "shown as they are now."
    return fragment(request, "core", context, toast=toast, saved=current)


def _core_conflict(
    request: HttpRequest,
    context: dict[str, Any],
    edits: dict[str, str],
    current: Contact,
    changed: list[dict[str, Any]],
) -> HttpResponse:
    """The editor again, with what changed: its originals and version become the current
    ones, so that overwriting audits the right "before", and the fields the user did not
    edit show (and keep) their current values."""
    data = request.POST.copy()
    data["version"] = version_of(current)
    for name, value in core_values(current).items():
        data[f"orig_{name}"] = value
        if name not in edits:
            data[name] = value
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
        field = next((f for f in fields.fields_for(client, [field_id]) if f.id == field_id), None)
    except ApiError as exc:
        return failure(request, f"Could not load the field: {exc}")
    if field is None:
        return failure(request, "This custom field no longer exists: reload the page.")
    if request.method == "POST":
        return _save_field(request, client, contact_id, field, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    shown = to_python(field.type, request.GET.get("orig") or None)
    if request.GET.get("edit"):
        require_editor(request)
        form = FieldValueForm.opened(field, shown, request.GET.get("version", ""))
        return fragment(request, "field-form", {**context, "form": form, "field": field})
    return fragment(request, "field", {**context, "row": FieldRow(field, shown), "focus": True})


def _current_value(client: Client, contact_id: int, field: Field) -> FieldPython:
    """The contact's value of the field as the API holds it now (one call)."""
    held = fields.contact_values(client, contact_id).get(field.id)
    return held.value if held else to_python(field.type, None)


def _checked_form(
    request: HttpRequest, client: Client, contact_id: int, field: Field
) -> FieldValueForm:
    """The posted value checked against the field's options as the API reports them. A
    value that is not one is looked up once more before it is refused: among the options
    (reloaded: one may have been added since) and the value the contact holds now (kept
    even if no longer an option)."""
    form = FieldValueForm(field, request.POST)
    if form.is_valid() or not form.not_an_option():
        return form
    field = fields.field_with_options(client, field.id, form.posted()) or field
    held = _current_value(client, contact_id, field)
    form = FieldValueForm(field, request.POST, held=held)
    form.is_valid()
    return form


def _save_field(
    request: HttpRequest,
    client: Client,
    contact_id: int,
    field: Field,
    context: dict[str, Any],
) -> HttpResponse:
    context |= {"field": field}
    try:
        form = _checked_form(request, client, contact_id, field)
    except ApiError as exc:
        return failure(request, f"Not saved: {exc}. Try again.")
    if not form.is_valid():
        return fragment(request, "field-form", {**context, "form": form})
    try:
        before, mine = form.original(), form.cleaned_data["value"]
        overwrite = request.POST.get("overwrite") == "1"
        if mine == before and not overwrite:
            return _field_unchanged(request, client, contact_id, field, context, before)
        expected = None if overwrite else form.version_value()
        # set_field_value answers the value as saved, update_contact does not: so the
        # version check update_contact would make is made here.
        if expected is not None:
            version = contacts.contact_version(client, contact_id)
            if version != expected:
                current = _current_value(client, contact_id, field)
                if current != before:
                    return _field_conflict(request, context, form, version, current)
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


def _field_unchanged(
    request: HttpRequest,
    client: Client,
    contact_id: int,
    field: Field,
    context: dict[str, Any],
    shown: FieldPython,
) -> HttpResponse:
    """Nothing edited: the value as the API holds it now (one call), which may be newer
    than what the page showed."""
    current = _current_value(client, contact_id, field)
    context |= {"row": FieldRow(field, current), "focus": True}
    if current == shown:
        return fragment(request, "field", context, toast="No changes.")
    toast = f"Nothing to save. {field.title} was changed in ActiveCampaign meanwhile: "
    toast += "shown as it is now."
    return fragment(request, "field", context, toast=toast)


def _field_conflict(
    request: HttpRequest,
    context: dict[str, Any],
    form: FieldValueForm,
    version: datetime | None,
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
    data["version"] = version.isoformat() if version else ""
    data["orig"] = to_api(field.type, value)
    form = FieldValueForm(field, data, held=value)
    form.is_valid()
    return fragment(request, "field-form", {**context, "form": form, "conflict": changed})
