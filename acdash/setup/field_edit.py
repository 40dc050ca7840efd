"""Editing one custom field: its label, default, flags, lists (contact fields) and options
(add, rename, reorder, remove) in one form. Checked against the field as the API holds it
now; only what changed is sent. Contacts, deals and accounts keep values of options
renamed or removed (the API does not rewrite them): the page says so."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, customfields, fields

from .common import audit, context_for, refused, require_admin
from .families import FAMILIES, FieldView, list_choices
from .field_forms import EditFieldForm, option_formset
from .fields import API_NAMES, find_field, object_type, snapshot
from .options import OptionPlan, plan_options

TEMPLATE = "setup/field_edit.html"


@account_view
@require_http_methods(["GET", "POST"])
def field_edit(
    request: HttpRequest, account: ConnectedAccount, family: str, field_id: int
) -> HttpResponse:
    """GET: the field's form (2 calls for contact fields: the field and the lists; none for
    the others, cached). POST: save what changed (one call per change)."""
    require_admin(request)
    context = context_for(request, account, "fields", family=family, families=FAMILIES)
    try:
        client = client_for_account(account)
        current = find_field(client, family, field_id)
        choices = list_choices(client) if family == "contact" else []
    except ApiError as exc:
        return render(request, TEMPLATE, {**context, "error": exc.message})
    if current is None:
        messages.info(request, f"Field {field_id} does not exist (any more).")
        return redirect(f"setup:fields_{family}", account.slug)
    data = request.POST if request.method == "POST" else None
    form = EditFieldForm(current, choices, data)
    formset = option_formset(current, data) if current.has_options else None
    context |= {"current": current, "form": form, "formset": formset}
    if data is None or not form.is_valid() or (formset is not None and not formset.is_valid()):
        return render(request, TEMPLATE, context)
    plan = plan_options(current, formset) if formset is not None else OptionPlan()
    for error in plan.errors:
        form.add_error(None, error)
    form.check_default(current.type, plan.final if formset is not None else [])
    if not form.is_valid():
        return render(request, TEMPLATE, context)
    try:
        changed = _save(client, current, form, plan)
    except ApiError as exc:
        refused(form, exc, API_NAMES)
        return render(request, TEMPLATE, context)
    if not changed:
        messages.info(request, f"No changes to “{current.label}”.")
        return redirect(f"setup:fields_{family}", account.slug)
    after = find_field(client, family, field_id)
    summary = f"Edited {family} field “{current.label}”: {', '.join(changed)}"
    audit(
        request,
        object_type(family),
        field_id,
        "update",
        before=snapshot(current),
        after=snapshot(after) if after else None,
        summary=summary,
    )
    messages.success(request, summary + ".")
    return redirect(f"setup:fields_{family}", account.slug)


def _attribute_changes(current: FieldView, data: dict[str, Any]) -> dict[str, Any]:
    """The attributes the form changes, by the service functions' names."""
    wanted = {
        "label": data["label"],
        "required": data["required"],
        "visible": data["visible"],
        "default": data["typed_default"],
    }
    if current.family == "contact":
        wanted["description"] = data["description"]
        held_default: Any = fields.to_api(current.type, current.default)
    else:
        held_default = current.default
        if wanted["default"] is None:
            del wanted["default"]  # the API's field definitions take no "no default"
        if current.type == "currency":
            wanted["default_currency"] = (data.get("default_currency") or "").upper() or None
    held = {
        "label": current.label,
        "required": current.required,
        "visible": current.visible,
        "default": held_default,
        "description": current.description,
        "default_currency": current.default_currency,
    }
    return {name: value for name, value in wanted.items() if value != held[name]}


def _save(client: Client, current: FieldView, form: EditFieldForm, plan: OptionPlan) -> list[str]:
    """Send what changed; the names of what was changed, for the summary."""
    data = form.cleaned_data
    changes = _attribute_changes(current, data)
    done = sorted(changes)
    if current.family == "contact":
        _save_contact(client, current, changes, plan, form.list_ids())
        current_lists = set(current.list_ids())
        if set(form.list_ids()) != current_lists:
            done.append("lists")
    else:
        options = plan.final if plan.final != [o.value for o in current.options] else None
        if changes or options:
            field = customfields.custom_fields_by_id(client, current.family)[current.id]
            attrs = {"form_visible" if k == "visible" else k: v for k, v in changes.items()}
            customfields.update_custom_field(client, field, options=options, **attrs)
        if options:
            done.append("options")
    if current.family == "contact" and plan.any:
        done.append("options")
    return done


def _save_contact(
    client: Client,
    current: FieldView,
    changes: dict[str, Any],
    plan: OptionPlan,
    list_ids: list[int],
) -> None:
    if changes:
        attrs = {"title" if k == "label" else k: v for k, v in changes.items()}
        fields.update_field(client, current.id, **attrs)
    for change in plan.changed:
        fields.update_option(
            client,
            int(change.option.key),
            value=change.value if change.value != change.option.value else None,
            label=change.label if change.label != change.option.label else None,
            order=change.order,
        )
    for option in plan.removed:
        fields.delete_option(client, int(option.key))
    added = [fields.OptionWrite(a.value, a.label, a.order) for a in plan.added]
    fields.add_options(client, current.id, added)
    held = {relation.list_id: relation for relation in current.relations}
    for list_id in sorted(set(list_ids) - held.keys()):
        fields.relate_field(client, current.id, list_id)
    for list_id in sorted(held.keys() - set(list_ids)):
        fields.unrelate_field(client, held[list_id].id)
