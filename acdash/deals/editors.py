"""The deal page's inline editors: its own attributes (title, value, currency, stage,
owner, status) and each custom field. An editor opens from what the API holds now (one
call); a save checks the input against the API's metadata, sends only what changed, puts
the API's 422s by their fields, and is audited with before and after."""

from typing import Any

from django import forms
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
    deals,
    metadata,
)
from acdash.activecampaign.customfields import CustomField, custom_fields_by_id
from acdash.activecampaign.dealfieldvalues import (
    DealFieldWrite,
    deal_field_values,
    set_deal_field_value,
)
from acdash.activecampaign.pipelines import CACHE_NAME as PIPELINES_CACHE
from acdash.activecampaign.pipelines import Pipeline, list_pipelines
from acdash.activecampaign.users import CACHE_NAME as USERS_CACHE
from acdash.activecampaign.users import User, list_users
from acdash.contacts.writes import audit

from .detail import core_context, failure, field_row, fragment
from .field_forms import DealFieldForm, shown
from .forms import DealForm, cents_text

# API attribute -> form field of deal writes.
FORM_FIELDS = {
    "title": "title",
    "value": "value",
    "currency": "currency",
    "group": "stage",
    "stage": "stage",
    "owner": "owner",
    "status": "status",
    "contact": "contact",
}


def deal_errors(form: forms.Form, error: ValidationError, value_field: str | None = None) -> None:
    """The API's 422 messages by the form fields they name (custom field values' errors,
    which name no attribute, by ``value_field``); the rest above the form."""
    for attribute, messages in error.field_errors.items():
        name = FORM_FIELDS.get(attribute) if attribute != NON_FIELD else value_field
        form.add_error(name if name in form.fields else None, messages)


def _failed(form: forms.Form, error: ApiError, value_field: str | None = None) -> None:
    if isinstance(error, ValidationError):
        deal_errors(form, error, value_field)
    elif isinstance(error, NotFound):
        form.add_error(None, "This deal no longer exists in ActiveCampaign.")
    else:
        form.add_error(None, f"Not saved: {error}. Try again.")


def checked_form[F: DealForm](
    form_class: type[F], data: Any, client: Client, pipelines: list[Pipeline], users: list[User]
) -> tuple[F, list[Pipeline], list[User]]:
    """The posted deal form, checked against the cached stages and users; a stage or owner
    they lack is looked up once more (reloaded: created in ActiveCampaign since) before it
    is refused."""
    form = form_class(data, pipelines=pipelines, users=users, auto_id="deal_%s")
    stale = any(form.has_error(name, "invalid_choice") for name in ("stage", "owner"))
    if form.is_valid() or not stale:
        return form, pipelines, users
    metadata.invalidate(client, PIPELINES_CACHE, USERS_CACHE)
    pipelines, users = list_pipelines(client), list_users(client)
    form = form_class(data, pipelines=pipelines, users=users, auto_id="deal_%s")
    form.is_valid()
    return form, pipelines, users


DETAIL_NAMES = ("title", "value", "currency", "stage", "owner", "status")


def _values(deal: deals.Deal) -> dict[str, Any]:
    """A deal's editable attributes as the form holds them (audit's before/after too)."""
    return {
        "title": deal.title,
        "value": deal.value_cents,
        "currency": deal.currency,
        "stage": deal.stage_id,
        "owner": deal.owner_id,
        "status": int(deal.status),
    }


@account_view
def core_section(request: HttpRequest, account: ConnectedAccount, deal_id: int) -> HttpResponse:
    """GET: the deal's details read-only (``?edit=1``: their editor); POST: save them."""
    if not request.htmx and request.method == "GET":
        return redirect("deals:detail", account.slug, deal_id)
    client = client_for_account(account)
    try:
        deal = deals.read_deal(client, deal_id)
        pipelines, users = list_pipelines(client), list_users(client)
    except ApiError as exc:
        return failure(request, f"Could not load the deal: {exc}")
    context = core_context(request, account, deal, pipelines, users)
    if request.method == "GET" and not request.GET.get("edit"):
        return fragment(request, "core", {**context, "focus": True})
    require_editor(request)
    held = _values(deal)
    current = _texts(held)
    context["originals"] = current
    if request.method == "GET":
        initial = {**held, "value": cents_text(deal.value_cents)}
        form = DealForm(initial=initial, pipelines=pipelines, users=users, auto_id="deal_%s")
        return fragment(request, "core-form", {**context, "form": form})
    # What the editor opened with: a field the user left alone keeps what others saved since.
    opened = {name: request.POST.get(f"orig_{name}", current[name])[:300] for name in held}
    context["originals"] = opened
    try:
        form, pipelines, users = checked_form(DealForm, request.POST, client, pipelines, users)
    except ApiError as exc:
        return failure(request, f"Not saved: {exc}. Try again.")
    if not form.is_valid():
        return fragment(request, "core-form", {**context, "form": form})
    mine, mine_texts = form.cleaned_data, _texts(form.cleaned_data)
    edits = {
        name: mine[name]
        for name in held
        if mine_texts[name] != opened[name] and mine_texts[name] != current[name]
    }
    if conflicts := [name for name in edits if current[name] != opened[name]]:
        return _conflict(request, context, form, opened, current, conflicts)
    if not edits:
        return fragment(request, "core", {**context, "focus": True}, toast="No changes.")
    stage = edits.get("stage")
    try:
        saved = deals.update_deal(
            client,
            deal_id,
            title=edits.get("title"),
            value_cents=edits.get("value"),
            currency=edits.get("currency"),
            # A stage names its pipeline, which the API needs when it is another one.
            pipeline_id=form.pipeline_of(stage) if stage else None,
            stage_id=stage,
            owner_id=edits.get("owner"),
            status=deals.DealStatus(edits["status"]) if "status" in edits else None,
        )
    except ApiError as exc:
        _failed(form, exc)
        return fragment(request, "core-form", {**context, "form": form})
    after = _values(saved)
    changed = ", ".join(form.fields[name].label for name in edits)
    audit(request, "deal", deal_id, "update", before=held, after=after, summary=f"Edited {changed}")
    context = core_context(request, account, saved, pipelines, users)
    return fragment(
        request, "core", {**context, "focus": True}, toast=f"Saved {saved.title}.", heading=saved
    )


def _texts(values: dict[str, Any]) -> dict[str, str]:
    """Editable attributes as text, the form the editor's ``orig_*`` inputs keep them in."""
    return {name: "" if values[name] is None else str(values[name]) for name in DETAIL_NAMES}


def _readable(name: str, text: str, form: DealForm) -> str:
    """An attribute's text as a person reads it (names for ids, amounts with decimals)."""
    if name == "value" and text.lstrip("-").isdigit():
        return cents_text(int(text))
    if name in ("stage", "owner", "status"):
        return _choice_label(form.fields[name].choices, text) or text
    return text


def _choice_label(choices: Any, text: str) -> str:
    for key, label in choices:
        if isinstance(label, list | tuple):
            if found := _choice_label(label, text):
                return found
        elif str(key) == text:
            return str(label)
    return ""


def _conflict(
    request: HttpRequest,
    context: dict[str, Any],
    form: DealForm,
    opened: dict[str, str],
    current: dict[str, str],
    names: list[str],
) -> HttpResponse:
    """The editor again, saying which of the user's fields someone else changed since it
    opened. Its originals become the current values (so saving again overwrites them), and
    the fields the user did not edit show their current values."""
    mine = _texts(form.cleaned_data)
    changed = [
        {
            "label": form.fields[name].label,
            "before": _readable(name, opened[name], form),
            "current": _readable(name, current[name], form),
            "mine": _readable(name, mine[name], form),
        }
        for name in names
    ]
    data = request.POST.copy()
    for name in DETAIL_NAMES:
        if mine[name] == opened[name]:
            data[name] = cents_text(int(current[name])) if name == "value" else current[name]
    form = DealForm(data, pipelines=form.pipelines, users=form.users, auto_id="deal_%s")
    form.is_valid()
    context = {**context, "form": form, "conflict": changed, "originals": current}
    return fragment(request, "core-form", context)


def _field(client: Client, field_id: int) -> CustomField | None:
    return custom_fields_by_id(client, "deal").get(field_id)


@account_view
def field_section(
    request: HttpRequest, account: ConnectedAccount, deal_id: int, field_id: int
) -> HttpResponse:
    """GET: one custom field read-only (``?edit=1``: its editor); POST: save it. The value
    as the API holds it now is read first (one call): its id is what a save replaces."""
    if not request.htmx and request.method == "GET":
        return redirect("deals:detail", account.slug, deal_id)
    client = client_for_account(account)
    try:
        field = _field(client, field_id)
        held = next((v for v in deal_field_values(client, deal_id) if v.field_id == field_id), None)
    except ApiError as exc:
        return failure(request, f"Could not load the field: {exc}")
    if field is None:
        return failure(request, "This custom field no longer exists: reload the page.")
    value = held.value if held else None
    currency = held.currency if held else None
    context = {"account": account, "deal_id": deal_id, "can_edit": request.access.can_edit}
    if request.method == "GET" and not request.GET.get("edit"):
        row = field_row(field, held)
        return fragment(request, "field", {**context, "row": row, "focus": True})
    require_editor(request)
    if request.method == "GET":
        form = DealFieldForm.opened(field, value, currency)
        return fragment(request, "field-form", {**context, "form": form, "field": field})
    form = DealFieldForm(field, request.POST, held=value)
    if not form.is_valid():
        return fragment(request, "field-form", {**context, "form": form, "field": field})
    mine = form.cleaned_data["value"]
    new_currency = form.cleaned_data.get("currency") or currency
    if mine == value and new_currency == currency:
        row = field_row(field, held)
        return fragment(
            request, "field", {**context, "row": row, "focus": True}, toast="No changes."
        )
    write = DealFieldWrite(
        deal_id=deal_id,
        field_id=field.id,
        value=mine,
        currency=new_currency if field.type == "currency" else None,
        value_id=held.id if held else None,
    )
    try:
        saved = set_deal_field_value(client, write)
    except (TypeError, ValueError) as exc:
        form.add_error("value", str(exc))
        return fragment(request, "field-form", {**context, "form": form, "field": field})
    except ApiError as exc:
        _failed(form, exc, value_field="value")
        return fragment(request, "field-form", {**context, "form": form, "field": field})
    audit(
        request,
        "deal",
        deal_id,
        "field.update",
        before={"field_id": field.id, "field": field.label, "value": shown(field, value, currency)},
        after={
            "field_id": field.id,
            "field": field.label,
            "value": shown(field, saved.value, saved.currency),
        },
        summary=f"Edited {field.label}",
    )
    row = field_row(field, saved)
    return fragment(
        request, "field", {**context, "row": row, "focus": True}, toast=f"Saved {field.label}."
    )
