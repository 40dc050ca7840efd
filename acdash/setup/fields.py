"""Custom fields, in three tabs (contact, deal and account fields): the list, a new field,
deleting one. Editing a field and its options is field_edit.py. Every write is audited and
needs the account's admin role.

The list costs, with metadata cached, 1 call for contact fields (their list relations are
read fresh) and none for deal or account fields; 1 or 2 more on a cold cache.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import NON_FIELD, ApiError, Client, customfields, fields, lists

from .common import audit, context_for, refused, require_admin
from .families import FAMILIES, FieldView, list_choices, load_fields
from .field_forms import NewFieldForm

TEMPLATE = "setup/fields.html"
# The API's attributes of a field write, by the form field that sets them.
API_NAMES = {
    "title": "label",
    "fieldLabel": "label",
    "type": "field_type",
    "fieldType": "field_type",
    "fieldOptions": "options",
    "defval": "default",
    "fieldDefault": "default",
    "fieldDefaultCurrency": "default_currency",
    "descript": "description",
    "value": "options",
    "relid": "lists",
}


def object_type(family: str) -> str:
    return f"{family}_field"


def snapshot(field: FieldView) -> dict:
    """What the audit trail keeps of a field."""
    return {
        "label": field.label,
        "type": field.type,
        "options": [o.value for o in field.options],
        "default": field.default_text,
        "required": field.required,
        "visible": field.visible,
        "lists": field.list_ids(),
    }


def find_field(client: Client, family: str, field_id: int) -> FieldView | None:
    """The field as the API holds it now (definitions read fresh)."""
    return next((f for f in load_fields(client, family, fresh=True) if f.id == field_id), None)


@account_view
@require_safe
def field_list(request: HttpRequest, account: ConnectedAccount, family: str = "contact"):
    """One family's fields: type, options, default, visibility, required (contact fields:
    the lists they show on)."""
    context = context_for(request, account, "fields", family=family, families=FAMILIES)
    try:
        client = client_for_account(account)
        found = load_fields(client, family)
        names = lists.list_names(client) if family == "contact" else {}
    except ApiError as exc:
        return render(request, TEMPLATE, {**context, "error": exc.message})
    names[fields.ALL_LISTS] = "All lists"
    rows = [(f, [names.get(i, f"List {i}") for i in f.list_ids()]) for f in found]
    return render(request, TEMPLATE, {**context, "rows": rows})


@account_view
@require_http_methods(["GET", "POST"])
def field_create(request: HttpRequest, account: ConnectedAccount, family: str) -> HttpResponse:
    """A new field of any type the family has; choice fields with their options; contact
    fields on the lists chosen (all lists unless told otherwise, as ActiveCampaign does)."""
    require_admin(request)
    context = context_for(request, account, "fields", family=family, families=FAMILIES)
    try:
        client = client_for_account(account)
        choices = list_choices(client) if family == "contact" else []
    except ApiError as exc:
        return render(request, "setup/field_form.html", {**context, "error": exc.message})
    form = NewFieldForm(family, choices, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            taken = {f.label.lower() for f in load_fields(client, family, fresh=True)}
            if form.cleaned_data["label"].lower() in taken:
                form.add_error("label", "There is already a field with this label.")
            else:
                field_id = _create(client, family, form)
                created = find_field(client, family, field_id)
                summary = f"Created {family} field “{form.cleaned_data['label']}”"
                after = snapshot(created) if created else None
                audit(
                    request, object_type(family), field_id, "create", after=after, summary=summary
                )
                messages.success(request, summary + ".")
                return redirect(f"setup:fields_{family}", account.slug)
        except ApiError as exc:
            # A contact field's clashing personalization tag (made from the label) is
            # refused with no attribute named: it is the label's.
            refused(
                form, exc, {**API_NAMES, NON_FIELD: "label"} if family == "contact" else API_NAMES
            )
    return render(request, "setup/field_form.html", {**context, "form": form})


def _create(client: Client, family: str, form: NewFieldForm) -> int:
    data = form.cleaned_data
    if family != "contact":
        created = customfields.create_custom_field(
            client,
            family,
            label=data["label"],
            field_type=data["field_type"],
            options=data["option_list"] or None,
            default=data["typed_default"],
            default_currency=(data.get("default_currency") or "").lower() or None,
            required=data["required"],
            form_visible=data["visible"],
        )
        return created.id
    field_id = fields.create_field(
        client,
        title=data["label"],
        field_type=data["field_type"],
        description=data["description"],
        default=data["typed_default"],
        required=data["required"],
        visible=data["visible"],
    )
    options = [
        fields.OptionWrite(value, value, order)
        for order, value in enumerate(data["option_list"], start=1)
    ]
    try:
        fields.add_options(client, field_id, options)
        for list_id in form.list_ids():
            fields.relate_field(client, field_id, list_id)
    except ApiError:
        fields.delete_field(client, field_id)  # nothing half-made stays behind
        raise
    return field_id


@account_view
@require_http_methods(["GET", "POST"])
def field_delete(
    request: HttpRequest, account: ConnectedAccount, family: str, field_id: int
) -> HttpResponse:
    """GET: a confirmation naming the field and, for contact fields, how many contacts hold
    a value (one call; the deal and account values cannot be counted by field). POST: delete
    it with every value."""
    require_admin(request)
    context = context_for(request, account, "fields", family=family, families=FAMILIES)
    try:
        client = client_for_account(account)
        current = find_field(client, family, field_id)
        if current is None:
            messages.info(request, f"Field {field_id} does not exist (any more).")
            return redirect(f"setup:fields_{family}", account.slug)
        if request.method == "POST":
            if family == "contact":
                fields.delete_field(client, field_id)
            else:
                customfields.delete_custom_field(client, family, field_id)
            summary = f"Deleted {family} field “{current.label}” with its values"
            audit(
                request,
                object_type(family),
                field_id,
                "delete",
                before=snapshot(current),
                summary=summary,
            )
            messages.success(request, summary + ".")
            return redirect(f"setup:fields_{family}", account.slug)
        count = fields.count_field_values(client, field_id) if family == "contact" else None
    except ApiError as exc:
        return render(request, "setup/field_delete.html", {**context, "error": exc.message})
    context |= {"current": current, "count": count}
    return render(request, "setup/field_delete.html", context)
