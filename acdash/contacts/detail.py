"""One contact's page and its sections, each edited in place.

The page costs what ``contacts.get_contact`` costs (≤ 3 calls with metadata cached); notes
and recent activity load by their own htmx requests (1 call each). Editors open without an
API call: the read-only sections carry what they show (``orig_*`` hidden inputs) and the
page keeps the contact's version in ``#contact-version``, which every save that moves it
refreshes out of band.
Every write is audited (``acdash.audit.log.record``) and answered with a toast.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django_htmx.http import reswap, retarget

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import (
    NON_FIELD,
    ApiError,
    Client,
    NotFound,
    ValidationError,
    contacts,
    lists,
    notes,
    pipelines,
    tags,
    users,
)
from acdash.activecampaign.contacts import Contact, ContactDeal
from acdash.activecampaign.fields import Field, FieldPython, fields_by_id, to_api, to_python
from acdash.activecampaign.lists import ListMembership, ListStatus
from acdash.audit.log import record

from .detail_forms import (
    CORE_FIELDS,
    CoreForm,
    FieldValueForm,
    NoteForm,
    TagForm,
    core_values,
)

TEMPLATE = "contacts/detail.html"
DEAL_STATUS = {0: "Open", 1: "Won", 2: "Lost"}
LIST_STATUS = {
    ListStatus.UNCONFIRMED: "Unconfirmed",
    ListStatus.ACTIVE: "Subscribed",
    ListStatus.UNSUBSCRIBED: "Unsubscribed",
    ListStatus.BOUNCED: "Bounced",
}


# What the templates show ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """A custom field with the contact's value, as its read-only partial shows it."""

    field: Field
    value: FieldPython

    @property
    def api_text(self) -> str:
        """The value in the API's text: what the editor receives as its original."""
        return to_api(self.field.type, self.value)

    @property
    def items(self) -> list[str]:
        """The value's labels (one for single-value types), empty when unset."""
        if self.value is None or self.value == "" or self.value == []:
            return []
        if isinstance(self.value, datetime):
            moment = self.value.astimezone(UTC)
            shape = "%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M"
            return [moment.strftime(shape) + " UTC"]
        if isinstance(self.value, date):
            return [self.value.isoformat()]
        labels = {o.value: o.label for o in self.field.options}
        values = self.value if isinstance(self.value, list) else [self.value]
        return [labels.get(v, v) for v in values]


@dataclass(frozen=True)
class NoteEntry:
    note: notes.Note
    author: str

    @property
    def edited(self) -> bool:
        created, updated = self.note.created, self.note.updated
        return bool(created and updated and updated > created)


@dataclass(frozen=True)
class DealRow:
    deal: ContactDeal
    pipeline: str
    stage: str

    @property
    def status(self) -> str:
        return DEAL_STATUS.get(self.deal.status, str(self.deal.status))


@dataclass(frozen=True)
class ListRow:
    membership: ListMembership

    @property
    def status(self) -> str:
        return LIST_STATUS[self.membership.status]

    @property
    def active(self) -> bool:
        return self.membership.status == ListStatus.ACTIVE


def _deal_rows(client: Client, deals: list[ContactDeal]) -> list[DealRow]:
    """Deals with their pipeline and stage names (cached pipelines: no call when warm)."""
    if not deals:
        return []
    by_id = {p.id: p for p in pipelines.list_pipelines(client)}
    rows = []
    for deal in deals:
        pipeline = by_id.get(deal.pipeline_id or 0)
        stage = pipeline.stage(deal.stage_id) if pipeline and deal.stage_id else None
        rows.append(DealRow(deal, pipeline.title if pipeline else "", stage.title if stage else ""))
    return rows


def _version(contact: Contact) -> str:
    return contact.updated.isoformat() if contact.updated else ""


# Responses --------------------------------------------------------------------------------


def _base(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> dict[str, Any]:
    return {"account": account, "contact_id": contact_id, "can_edit": request.access.can_edit}


def _fragment(
    request: HttpRequest,
    name: str,
    context: dict[str, Any],
    *,
    toast: str = "",
    saved: Contact | None = None,
) -> HttpResponse:
    """A partial of the page; ``toast`` adds a toast and ``saved`` refreshes the page's
    version, name and "updated" time, all out of band."""
    html = render_to_string(f"{TEMPLATE}#{name}", context, request)
    if saved is not None:
        oob = {"contact": saved, "version": _version(saved), "oob": True}
        oob |= {key: context[key] for key in ("account", "can_edit") if key in context}
        html += render_to_string(f"{TEMPLATE}#contact-state", oob, request)
    response = HttpResponse(html)
    if toast:
        toast_context = {"message": toast, "level": "success"}
        response.write(render_to_string(f"{TEMPLATE}#toast", toast_context))
        # A save succeeded: panels that show derived data (activity) reload themselves.
        response["HX-Trigger"] = "contact-changed"
    return response


def _failure(request: HttpRequest, message: str) -> HttpResponse:
    """Only an error toast: what is on the page stays as it is."""
    html = render_to_string(f"{TEMPLATE}#toast", {"message": message, "level": "error"})
    return reswap(HttpResponse(html), "none")


def _editor_only(request: HttpRequest) -> None:
    """Viewers get no editors (the access check refuses their writes anyway)."""
    if not request.access.can_edit:
        raise PermissionDenied("Your role in this account is read-only.")


def _api_errors(form: Any, error: ValidationError, value_field: str = NON_FIELD) -> None:
    """Put the API's messages by the form fields that caused them."""
    for name, messages in contacts.form_errors(error, value_field).items():
        form.add_error(name if name in form.fields else None, messages)


def _save_failed(form: Any, error: ApiError) -> None:
    if isinstance(error, ValidationError):
        _api_errors(form, error)
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


# The page ---------------------------------------------------------------------------------


@account_view
def contact_page(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    context = {**_base(request, account, contact_id), "section": "contacts"}
    try:
        client = client_for_account(account)
        detail = contacts.get_contact(client, contact_id)
        deals = _deal_rows(client, detail.deals)
    except NotFound:
        return render(request, TEMPLATE, {**context, "missing": True}, status=404)
    except ApiError as exc:
        return render(request, TEMPLATE, {**context, "error": str(exc)})
    context |= {
        "contact": detail.contact,
        "version": _version(detail.contact),
        "core": core_values(detail.contact),
        "field_rows": [FieldRow(f, v) for f, v in detail.custom_fields],
        "tag_list": detail.tags,
        "list_rows": [ListRow(m) for m in detail.lists],
        "other_lists": _other_lists(client, {m.list_id for m in detail.lists}),
        "deal_rows": deals,
    }
    return render(request, TEMPLATE, context)


# Core fields ------------------------------------------------------------------------------


@account_view
def core_section(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """GET: the read-only core fields (``?edit=1``: their editor) from the page's values;
    POST: save them."""
    context = _base(request, account, contact_id)
    if request.method == "POST":
        return _save_core(request, account, contact_id, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    shown = {name: request.GET.get(f"orig_{name}", "") for name in CORE_FIELDS}
    if request.GET.get("edit"):
        _editor_only(request)
        form = CoreForm.opened(shown, request.GET.get("version", ""))
        return _fragment(request, "core-form", {**context, "form": form})
    return _fragment(request, "core", {**context, "core": shown, "focus": True})


def _save_core(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, context: dict[str, Any]
) -> HttpResponse:
    form = CoreForm(request.POST, auto_id="core_%s")
    if not form.is_valid():
        return _fragment(request, "core-form", {**context, "form": form})
    before, mine = form.originals(), form.changes()
    overwrite = request.POST.get("overwrite") == "1"
    if mine == before and not overwrite:
        context |= {"core": mine, "focus": True}
        return _fragment(request, "core", context, toast="No changes.")
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
        return _fragment(request, "core-form", {**context, "form": form})
    after = core_values(saved)
    edited = ", ".join(label for k, label in CORE_FIELDS.items() if after[k] != before[k])
    record(
        user=request.user,
        account=account,
        object_type="contact",
        object_id=contact_id,
        action="update",
        before=before,
        after=after,
        summary=f"Edited {edited or 'nothing (saved as it was)'}",
    )
    context |= {"core": after, "focus": True}
    toast = f"Saved {saved.name or saved.email}."
    return _fragment(request, "core", context, toast=toast, saved=saved)


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
    data["version"] = _version(current)
    for name, value in core_values(current).items():
        data[f"orig_{name}"] = value
    form = CoreForm(data, auto_id="core_%s")
    form.is_valid()
    return _fragment(request, "core-form", {**context, "form": form, "conflict": changed})


# Custom fields ----------------------------------------------------------------------------


@account_view
def field_section(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, field_id: int
) -> HttpResponse:
    """GET: one custom field read-only (``?edit=1``: its editor) from the page's value;
    POST: save it."""
    context = _base(request, account, contact_id)
    client = client_for_account(account)
    try:
        field = fields_by_id(client).get(field_id)
    except ApiError as exc:
        return _failure(request, f"Could not load the field: {exc}")
    if field is None:
        return _failure(request, "This custom field no longer exists: reload the page.")
    if request.method == "POST":
        return _save_field(request, account, contact_id, field, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    shown = to_python(field.type, request.GET.get("orig") or None)
    if request.GET.get("edit"):
        _editor_only(request)
        form = FieldValueForm.opened(field, shown, request.GET.get("version", ""))
        return _fragment(request, "field-form", {**context, "form": form, "field": field})
    return _fragment(request, "field", {**context, "row": FieldRow(field, shown), "focus": True})


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
        return _fragment(request, "field-form", {**context, "form": form})
    before, mine = form.original(), form.cleaned_data["value"]
    overwrite = request.POST.get("overwrite") == "1"
    if mine == before and not overwrite:
        context |= {"row": FieldRow(field, mine), "focus": True}
        return _fragment(request, "field", context, toast="No changes.")
    client = client_for_account(account)
    expected = None if overwrite else form.version_value()
    try:
        # set_field_value answers the value as saved, update_contact does not: so the
        # version check update_contact would make is made here.
        if expected is not None and contacts.contact_version(client, contact_id) != expected:
            detail = contacts.get_contact(client, contact_id)
            values = {f.id: v for f, v in detail.custom_fields}
            current = values.get(field.id, to_python(field.type, None))
            if current != before:
                return _field_conflict(request, context, form, detail.contact, current)
            before = current  # only other things changed: nothing of theirs is lost
        saved = contacts.set_field_value(client, contact_id, field.id, mine)
    except (TypeError, ValueError) as exc:
        form.add_error("value", str(exc))
        return _fragment(request, "field-form", {**context, "form": form})
    except ValidationError as exc:
        _api_errors(form, exc, value_field="value")
        return _fragment(request, "field-form", {**context, "form": form})
    except ApiError as exc:
        _save_failed(form, exc)
        return _fragment(request, "field-form", {**context, "form": form})
    record(
        user=request.user,
        account=account,
        object_type="contact",
        object_id=contact_id,
        action="field.update",
        before={"field_id": field.id, "field": field.title, "value": before},
        after={"field_id": field.id, "field": field.title, "value": saved.value.value},
        summary=f"Edited {field.title}",
    )
    context |= {"row": FieldRow(field, saved.value.value), "focus": True}
    return _fragment(request, "field", context, toast=f"Saved {field.title}.", saved=saved.contact)


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
    data["version"] = _version(current)
    data["orig"] = to_api(field.type, value)
    form = FieldValueForm(field, data)
    form.is_valid()
    return _fragment(request, "field-form", {**context, "form": form, "conflict": changed})


# Tags -------------------------------------------------------------------------------------


def _tags_section(request: HttpRequest, client: Client, context: dict[str, Any], toast: str):
    """The whole tags section, re-read (one call), replacing the one on the page."""
    tag_list = tags.contact_tags(client, context["contact_id"])
    context = {**context, "tag_list": tag_list, "focus": True}
    response = _fragment(request, "tags", context, toast=toast)
    return reswap(retarget(response, "#tags"), "outerHTML")


def _resolve_tag(client: Client, form: TagForm) -> tuple[tags.Tag | None, bool]:
    """The tag picked or typed, and whether it had to be created (None: no such id)."""
    tag_id, name = form.cleaned_data.get("tag_id"), form.cleaned_data["tag"].strip()
    # The suggestions came from search_tags(name): searching again finds the one picked,
    # also in an account with too many tags to cache.
    found = tags.search_tags(client, name, limit=100)
    if tag_id:
        return next((t for t in found if t.id == tag_id), None), False
    same = [t for t in found if t.name.lower() == name.lower()]
    if same:
        return same[0], False
    return tags.create_tag(client, name), True


@account_view
def tag_add(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """POST a tag (a suggestion's id, or a name: an unknown name creates the tag)."""
    context = _base(request, account, contact_id)
    form = TagForm(request.POST)
    if not form.is_valid():
        return _fragment(request, "tag-form", {**context, "tag_form": form})
    client = client_for_account(account)
    try:
        tag, created = _resolve_tag(client, form)
        if tag is None:
            form.add_error("tag", "That tag was not found: type its name again.")
            return _fragment(request, "tag-form", {**context, "tag_form": form})
        if created:
            record(
                user=request.user,
                account=account,
                object_type="tag",
                object_id=tag.id,
                action="create",
                after=tag,
                summary=f"Created tag {tag.name}",
            )
        link = tags.add_tag(client, contact_id, tag.id)
        record(
            user=request.user,
            account=account,
            object_type="contact",
            object_id=contact_id,
            action="tag.add",
            after={"tag_id": tag.id, "tag": tag.name, "contact_tag_id": link.id},
            summary=f"Added tag {tag.name}",
        )
        return _tags_section(request, client, context, f"Added tag “{tag.name}”.")
    except ApiError as exc:
        _refused(form, "tag", exc, "changed")
    return _fragment(request, "tag-form", {**context, "tag_form": form})


@account_view
def tag_suggestions(request: HttpRequest, account: ConnectedAccount, contact_id: int):
    """The account's tags starting with what was typed, for the type-ahead (cached)."""
    context = _base(request, account, contact_id)
    prefix = request.GET.get("tag", "").strip()
    try:
        found = tags.search_tags(client_for_account(account), prefix) if prefix else []
    except ApiError as exc:
        return _failure(request, f"Could not load the tags: {exc}")
    return _fragment(request, "tag-suggestions", {**context, "suggestions": found, "typed": prefix})


@account_view
def tag_remove(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, contact_tag_id: int
) -> HttpResponse:
    context = _base(request, account, contact_id)
    if request.method != "POST":
        return redirect("contacts:detail", account.slug, contact_id)
    name = request.POST.get("tag_name", "")
    client = client_for_account(account)
    try:
        try:
            tags.remove_tag(client, contact_tag_id)
        except NotFound:
            return _tags_section(request, client, context, f"“{name}” was already removed.")
        record(
            user=request.user,
            account=account,
            object_type="contact",
            object_id=contact_id,
            action="tag.remove",
            before={"tag_id": request.POST.get("tag_id"), "tag": name},
            summary=f"Removed tag {name}",
        )
        return _tags_section(request, client, context, f"Removed tag “{name}”.")
    except ApiError as exc:
        return _failure(request, f"Nothing was changed: {exc}")


# Lists ------------------------------------------------------------------------------------


def _other_lists(client: Client, on: set[int]) -> list[lists.MailingList]:
    """The account's lists the contact is not on (cached)."""
    return [lst for lst in lists.list_lists(client) if lst.id not in on]


@account_view
def list_status(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """POST ``list`` and ``action`` (subscribe/unsubscribe): the list's row, changed. From
    the "add to list" form (``add``, with the ``on`` lists), also that form, updated."""
    context = _base(request, account, contact_id)
    if request.method != "POST":
        return redirect("contacts:detail", account.slug, contact_id)
    action = request.POST.get("action")
    try:
        list_id = int(request.POST.get("list", ""))
    except ValueError:
        list_id = 0
    if action not in {"subscribe", "unsubscribe"} or not list_id:
        return _failure(request, "Pick a list first.")
    client = client_for_account(account)
    change = lists.subscribe if action == "subscribe" else lists.unsubscribe
    try:
        membership = change(client, contact_id, list_id)
    except ApiError as exc:
        return _failure(request, f"Nothing was changed: {exc}")
    name = membership.list_name or f"list {list_id}"
    done = f"Subscribed to {name}" if action == "subscribe" else f"Unsubscribed from {name}"
    before = request.POST.get("status_before")
    record(
        user=request.user,
        account=account,
        object_type="contact",
        object_id=contact_id,
        action=f"list.{action}",
        before={"list_id": list_id, "list": name, "status": before} if before else None,
        after={"list_id": list_id, "list": name, "status": LIST_STATUS[membership.status]},
        summary=done,
    )
    context |= {"row": ListRow(membership), "focus": True}
    response = _fragment(request, "list-row", context, toast=f"{done}.")
    if request.POST.get("add"):
        on = {int(i) for i in request.POST.getlist("on") if i.isdigit()} | {list_id}
        add_form = {**context, "other_lists": _other_lists(client, on), "on": on, "oob": True}
        response.content += render_to_string(f"{TEMPLATE}#list-add", add_form, request).encode()
    return response


# Lazily loaded panels (notes, activity) ---------------------------------------------------


def _lazy_panel(
    request: HttpRequest,
    name: str,
    context: dict[str, Any],
    load: Callable[[], dict[str, Any]],
    toast: str = "",
) -> HttpResponse:
    """The panel the page asked for with ``hx-trigger="load"``: what ``load`` reads, or the
    API's error in its place (``panel_error``: the partial offers to try again)."""
    try:
        loaded = load()
    except ApiError as exc:
        return _fragment(request, name, {**context, "panel_error": str(exc)})
    return _fragment(request, name, {**context, **loaded}, toast=toast)


@account_view
def activity_section(
    request: HttpRequest, account: ConnectedAccount, contact_id: int
) -> HttpResponse:
    """The recent activity panel, loaded lazily by the page (1 call), newest first."""
    if request.method != "GET" or not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    client = client_for_account(account)
    return _lazy_panel(
        request,
        "activity",
        _base(request, account, contact_id),
        lambda: {"activities": contacts.recent_activity(client, contact_id)},
    )


# Notes ------------------------------------------------------------------------------------


def _entries(client: Client, found: list[notes.Note]) -> list[NoteEntry]:
    """Notes with their authors' names (cached users; unnamed when they cannot be loaded)."""
    try:
        names = {user.id: user.name for user in users.list_users(client)}
    except ApiError:
        names = {}
    return [NoteEntry(note, names.get(note.user_id or 0, "")) for note in found]


def _note_form(note_id: int | None = None, **kwargs: Any) -> NoteForm:
    """The add form (no id) or a note's editor, with ids of their own on the page."""
    form = NoteForm(auto_id=f"note{note_id or '_new'}_%s", **kwargs)
    form.fields["text"].label = "Note" if note_id else "Add a note"
    if note_id:
        form.fields["text"].widget.attrs["autofocus"] = True
    return form


def _refused(form: forms.Form, field: str, exc: ApiError, verb: str) -> None:
    """Show by the form's one field why the API refused a write (422s: its own messages)."""
    if isinstance(exc, ValidationError):
        for messages in exc.field_errors.values():
            form.add_error(field, messages)
    else:
        form.add_error(field, f"Nothing was {verb}: {exc}")


def _notes_panel(request: HttpRequest, client: Client, context: dict[str, Any], toast: str = ""):
    def load() -> dict[str, Any]:
        found = notes.contact_notes(client, context["contact_id"])
        return {"note_entries": _entries(client, found), "note_form": _note_form()}

    return _lazy_panel(request, "notes", context, load, toast)


@account_view
def notes_section(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """GET: the notes panel (loaded lazily by the page, 1 call); POST: add a note."""
    context = _base(request, account, contact_id)
    client = client_for_account(account)
    if request.method != "POST":
        if not request.htmx:
            return redirect("contacts:detail", account.slug, contact_id)
        return _notes_panel(request, client, context)
    form = _note_form(data=request.POST)
    if form.is_valid():
        try:
            note = notes.add_note(client, contact_id, form.cleaned_data["text"])
        except ApiError as exc:
            _refused(form, "text", exc, "saved")
        else:
            record(
                user=request.user,
                account=account,
                object_type="note",
                object_id=note.id,
                action="create",
                after=note,
                summary=f"Added a note to contact {contact_id}",
            )
            response = _notes_panel(request, client, context, toast="Note added.")
            return reswap(retarget(response, "#notes"), "outerHTML")
    return _fragment(request, "note-add", {**context, "note_form": form})


@account_view
def note_section(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, note_id: int
) -> HttpResponse:
    """GET: one note read-only (``?edit=1``: its editor), re-read (1 call); POST: save it."""
    context = {**_base(request, account, contact_id), "note_id": note_id}
    client = client_for_account(account)
    if request.method == "POST":
        return _save_note(request, account, client, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    try:
        note = next((n for n in notes.contact_notes(client, contact_id) if n.id == note_id), None)
    except ApiError as exc:
        return _failure(request, f"Could not load the note: {exc}")
    if note is None:
        return _failure(request, "This note no longer exists: reload the page.")
    if request.GET.get("edit"):
        _editor_only(request)
        form = _note_form(note_id, initial={"text": note.text, "orig_text": note.text})
        return _fragment(request, "note-form", {**context, "note_form": form})
    context |= {"entry": _entries(client, [note])[0], "focus": True}
    return _fragment(request, "note", context)


def _save_note(
    request: HttpRequest, account: ConnectedAccount, client: Client, context: dict[str, Any]
) -> HttpResponse:
    form = _note_form(context["note_id"], data=request.POST)
    if form.is_valid():
        note_id, text = context["note_id"], form.cleaned_data["text"]
        try:
            note = notes.update_note(client, note_id, text, contact_id=context["contact_id"])
        except ApiError as exc:
            _refused(form, "text", exc, "saved")
        else:
            record(
                user=request.user,
                account=account,
                object_type="note",
                object_id=note_id,
                action="update",
                before={"text": form.cleaned_data["orig_text"]},
                after=note,
                summary=f"Edited a note of contact {context['contact_id']}",
            )
            context |= {"entry": _entries(client, [note])[0], "focus": True}
            return _fragment(request, "note", context, toast="Note saved.")
    return _fragment(request, "note-form", {**context, "note_form": form})
