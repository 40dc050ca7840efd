"""One deal's page, and the responses its sections answer with.

The page costs what ``deal_detail.get_deal_page`` costs: 2 calls made at once (the deal,
its custom field values) with pipelines, users and deal fields cached. Contacts (2 calls),
notes (1) and tasks (1) load as lazy panels by their own htmx requests. The details and
each custom field are edited in place (editors.py); contacts and notes are added here.
Every write is audited and answered with a toast.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import reswap

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, NotFound, ValidationError, deal_detail, deals, tasks
from acdash.activecampaign.customfields import CustomField
from acdash.activecampaign.dealfieldvalues import DealFieldValue
from acdash.activecampaign.pipelines import Pipeline
from acdash.activecampaign.users import User, users_by_id
from acdash.contacts.writes import audit

from .field_forms import shown
from .forms import MAX_ID, STATUS_LABELS

TEMPLATE = "deals/detail.html"


@dataclass(frozen=True)
class FieldRow:
    field: CustomField
    text: str  # the value as shown, "" when unset


def field_row(field: CustomField, value: DealFieldValue | None) -> FieldRow:
    if value is None:
        return FieldRow(field, "")
    return FieldRow(field, shown(field, value.value, value.currency))


def core_context(
    request: HttpRequest,
    account: ConnectedAccount,
    deal: deals.Deal,
    pipelines: list[Pipeline],
    users: list[User],
) -> dict[str, Any]:
    """What the Details section shows: names of the deal's pipeline, stage and owner."""
    pipeline = next((p for p in pipelines if p.id == deal.pipeline_id), None)
    stage = pipeline.stage(deal.stage_id) if pipeline and deal.stage_id else None
    owner = next((u for u in users if u.id == deal.owner_id), None)
    return {
        "account": account,
        "deal": deal,
        "deal_id": deal.id,
        "can_edit": request.access.can_edit,
        "pipeline": pipeline.title if pipeline else "",
        "stage": stage.title if stage else "",
        "owner": owner.name if owner else "",
        "status": STATUS_LABELS[deal.status],
    }


def fragment(
    request: HttpRequest,
    name: str,
    context: dict[str, Any],
    *,
    toast: str = "",
    heading: deals.Deal | None = None,
) -> HttpResponse:
    """A partial of the page; ``toast`` adds a toast, ``heading`` refreshes the page's
    title out of band."""
    html = render_to_string(f"{TEMPLATE}#{name}", context, request)
    if heading is not None:
        html += render_to_string(f"{TEMPLATE}#deal-head", {**context, "oob": True}, request)
    if toast:
        html += render_to_string(f"{TEMPLATE}#toast", {"message": toast, "level": "success"})
    return HttpResponse(html)


def failure(request: HttpRequest, message: str) -> HttpResponse:
    """Only an error toast: what is on the page stays as it is."""
    html = render_to_string(f"{TEMPLATE}#toast", {"message": message, "level": "error"})
    return reswap(HttpResponse(html), "none")


@account_view
@require_safe
def deal_page(request: HttpRequest, account: ConnectedAccount, deal_id: int) -> HttpResponse:
    context: dict[str, Any] = {
        "account": account,
        "section": "deal-list",
        "deal_id": deal_id,
        "can_edit": request.access.can_edit,
    }
    try:
        client = client_for_account(account)
        page = deal_detail.get_deal_page(client, deal_id)
    except NotFound:
        return render(request, TEMPLATE, {**context, "missing": True}, status=404)
    except ApiError as exc:
        return render(request, TEMPLATE, {**context, "error": str(exc)})
    values = {v.field_id: v for v in page.deal.field_values}
    context |= core_context(request, account, page.deal, page.pipelines, page.users)
    context["field_rows"] = [field_row(f, values.get(f.id)) for f in page.fields]
    return render(request, TEMPLATE, context)


# Contacts ---------------------------------------------------------------------------------


class ContactLinkForm(forms.Form):
    contact = forms.IntegerField(
        label="Add a secondary contact (contact id)",
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": "Enter a contact's number, as in its page's address.",
            "required": "Enter a contact's number, as in its page's address.",
        },
    )


def _contacts_response(
    request: HttpRequest,
    account: ConnectedAccount,
    deal_id: int,
    form: ContactLinkForm | None = None,
    toast: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {
        "account": account,
        "deal_id": deal_id,
        "can_edit": request.access.can_edit,
        "link_form": form or ContactLinkForm(auto_id="link_%s"),
    }
    try:
        client = client_for_account(account)
        deal = deals.read_deal(client, deal_id)
        context["people"] = deal_detail.deal_contacts(client, deal_id, deal.contact_id)
    except ApiError as exc:
        context["panel_error"] = str(exc)
    return fragment(request, "contacts", context, toast=toast)


@account_view
@require_http_methods(["GET", "POST"])
def contacts_section(request: HttpRequest, account: ConnectedAccount, deal_id: int) -> HttpResponse:
    """GET: the primary and secondary contacts (3 calls: the deal, its links, the contacts
    by id). POST ``contact``: link a secondary contact; POST ``remove``: unlink one."""
    if not request.htmx and request.method == "GET":
        return redirect("deals:detail", account.slug, deal_id)
    if request.method == "GET":
        return _contacts_response(request, account, deal_id)
    client = client_for_account(account)
    if remove := request.POST.get("remove", ""):
        if not (remove.isascii() and remove.isdigit() and int(remove) <= MAX_ID):
            return failure(request, "Nothing was removed: that is not a secondary contact.")
        try:
            deal_detail.remove_secondary_contact(client, int(remove))
        except ApiError as exc:
            return failure(request, f"Nothing was removed: {exc}")
        label = request.POST.get("label", "")[:200] or f"link {remove}"
        audit(
            request,
            "deal",
            deal_id,
            "contact.remove",
            before={"contact_deal": int(remove), "contact": label},
            summary=f"Removed secondary contact {label}",
        )
        return _contacts_response(request, account, deal_id, toast=f"Removed {label}.")
    form = ContactLinkForm(request.POST, auto_id="link_%s")
    if not form.is_valid():
        return _contacts_response(request, account, deal_id, form)
    contact_id = form.cleaned_data["contact"]
    try:
        found = deal_detail.contacts_by_id(client, [contact_id]).get(contact_id)
        if found is None:
            form.add_error("contact", f"This account has no contact #{contact_id}.")
            return _contacts_response(request, account, deal_id, form)
        link_id = deal_detail.add_secondary_contact(client, deal_id, contact_id)
    except ValidationError as exc:
        for messages in exc.field_errors.values():
            form.add_error("contact", messages)
        return _contacts_response(request, account, deal_id, form)
    except ApiError as exc:
        form.add_error("contact", f"Not added: {exc}")
        return _contacts_response(request, account, deal_id, form)
    label = found.name or found.email
    audit(
        request,
        "deal",
        deal_id,
        "contact.add",
        after={"contact_deal": link_id, "contact": contact_id, "email": found.email},
        summary=f"Added secondary contact {label}",
    )
    return _contacts_response(request, account, deal_id, toast=f"Added {label}.")


# Notes and tasks ---------------------------------------------------------------------------


class DealNoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=65535)
    orig_text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)


@account_view
@require_http_methods(["GET", "POST"])
def notes_section(request: HttpRequest, account: ConnectedAccount, deal_id: int) -> HttpResponse:
    """GET: the deal's notes, newest first (1 call; authors from the cached users).
    POST: add a note (then the notes again)."""
    if not request.htmx and request.method == "GET":
        return redirect("deals:detail", account.slug, deal_id)
    client = client_for_account(account)
    form = DealNoteForm(request.POST or None, auto_id="note_%s")
    toast = ""
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].replace("\r\n", "\n")
        try:
            note = deals.add_deal_note(client, deal_id, text)
        except ApiError as exc:
            form.add_error("text", f"Not saved: {exc}")
        else:
            audit(
                request,
                "deal",
                deal_id,
                "note.create",
                after={"note": note.id, "text": text},
                summary="Added a note",
            )
            form, toast = DealNoteForm(auto_id="note_%s"), "Note added."
    return _notes_response(request, account, deal_id, client, form, toast)


def _notes_response(
    request: HttpRequest,
    account: ConnectedAccount,
    deal_id: int,
    client: Any,
    form: DealNoteForm,
    toast: str = "",
    editing: int | None = None,
    edit_form: DealNoteForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "account": account,
        "deal_id": deal_id,
        "can_edit": request.access.can_edit,
        "note_form": form,
        "editing": editing,
        "edit_form": edit_form,
    }
    try:
        authors = users_by_id(client)
        context["note_rows"] = [
            (note, authors.get(note.user_id or 0))
            for note in deal_detail.deal_notes(client, deal_id)
        ]
    except ApiError as exc:
        context["panel_error"] = str(exc)
    return fragment(request, "notes", context, toast=toast)


@account_view
@require_http_methods(["GET", "POST"])
def note_section(
    request: HttpRequest, account: ConnectedAccount, deal_id: int, note_id: int
) -> HttpResponse:
    """GET: the notes with this one's editor (its text from the list, 1 call); POST: save it
    (``orig_text``: what the editor opened with, the audit's "before")."""
    if not request.htmx:
        return redirect("deals:detail", account.slug, deal_id)
    if not request.access.can_edit:
        raise PermissionDenied("Your role in this account is read-only.")
    client = client_for_account(account)
    blank = DealNoteForm(auto_id="note_%s")
    if request.method == "GET":
        try:
            note = next(
                (n for n in deal_detail.deal_notes(client, deal_id) if n.id == note_id), None
            )
        except ApiError as exc:
            return failure(request, f"Could not load the note: {exc}")
        if note is None:
            return failure(request, "This note no longer exists: reload the page.")
        edit_form = DealNoteForm(
            initial={"text": note.text, "orig_text": note.text}, auto_id="edit_%s"
        )
        return _notes_response(
            request, account, deal_id, client, blank, editing=note_id, edit_form=edit_form
        )
    edit_form = DealNoteForm(request.POST, auto_id="edit_%s")
    if not edit_form.is_valid():
        return _notes_response(
            request, account, deal_id, client, blank, editing=note_id, edit_form=edit_form
        )
    text = edit_form.cleaned_data["text"].replace("\r\n", "\n")
    try:
        deals.update_deal_note(client, deal_id, note_id, text)
    except ApiError as exc:
        edit_form.add_error("text", f"Not saved: {exc}")
        return _notes_response(
            request, account, deal_id, client, blank, editing=note_id, edit_form=edit_form
        )
    before = request.POST.get("orig_text", "")[:65535]
    audit(
        request,
        "deal",
        deal_id,
        "note.update",
        before={"note": note_id, "text": before},
        after={"note": note_id, "text": text},
        summary="Edited a note",
    )
    return _notes_response(request, account, deal_id, client, blank, toast="Note saved.")


@account_view
@require_safe
def tasks_section(request: HttpRequest, account: ConnectedAccount, deal_id: int) -> HttpResponse:
    """GET: the deal's tasks (1 call; types and assignees from the cache)."""
    if not request.htmx:
        return redirect("deals:detail", account.slug, deal_id)
    context: dict[str, Any] = {
        "account": account,
        "deal_id": deal_id,
        "can_edit": request.access.can_edit,
    }
    try:
        client = client_for_account(account)
        page = tasks.list_tasks(
            client, related_type=tasks.RelatedType.DEAL, related_id=deal_id, limit=100
        )
        types = {t.id: t.title for t in tasks.task_setup(client).types}
        people = users_by_id(client)
        context["task_rows"] = [
            (task, types.get(task.task_type_id or 0, ""), people.get(task.assignee_id or 0))
            for task in sorted(page.items, key=lambda t: (t.done, t.due is None, t.due, t.id))
        ]
        context["task_total"] = page.total
    except ApiError as exc:
        context["panel_error"] = str(exc)
    return fragment(request, "tasks", context)
