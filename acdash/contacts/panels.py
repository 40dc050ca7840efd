"""The contact page's lazily loaded panels: recent activity, and notes (added and edited in
place). The page asks for each as it comes into view (``hx-trigger="intersect once"``,
below the fold on most screens), 1 call each."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import reswap, retarget

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, activity, notes, users
from acdash.audit.models import AuditEntry

from .detail import base_context, failure, fragment
from .detail_forms import FOCUS, NoteForm
from .writes import audit, refused


@dataclass(frozen=True)
class NoteEntry:
    note: notes.Note
    author: str  # the ActiveCampaign user: for notes added in acdash, the token's owner
    written_by: str = ""  # the acdash user who added it, from its audit entry

    @property
    def edited(self) -> bool:
        created, updated = self.note.created, self.note.updated
        return bool(created and updated and updated > created)


def _lazy_panel(
    request: HttpRequest,
    name: str,
    context: dict[str, Any],
    load: Callable[[], dict[str, Any]],
    toast: str = "",
) -> HttpResponse:
    """The panel the page asked for as it came into view: what ``load`` reads, or the
    API's error in its place (``panel_error``: the partial offers to try again)."""
    try:
        loaded = load()
    except ApiError as exc:
        return fragment(request, name, {**context, "panel_error": str(exc)})
    return fragment(request, name, {**context, **loaded}, toast=toast)


# Activity ---------------------------------------------------------------------------------


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
        base_context(request, account, contact_id),
        lambda: {"activities": activity.recent_activity(client, contact_id)},
    )


# Notes ------------------------------------------------------------------------------------


def _display_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _writers(account: ConnectedAccount, found: list[notes.Note]) -> dict[str, str]:
    """Who added each note in acdash (the API credits the token's owner), by note id: from
    the notes' audit entries (one query), the user's name then, if the user is gone."""
    entries = AuditEntry.objects.filter(
        account=account,
        object_type="note",
        action="create",
        object_id__in=[str(note.id) for note in found],
    ).select_related("user")
    return {
        e.object_id: _display_name(e.user) if e.user else (e.after or {}).get("by", "")
        for e in entries
    }


def _entries(client: Client, account: ConnectedAccount, found: list[notes.Note]) -> list[NoteEntry]:
    """Notes with their authors' names (cached users; unnamed when they cannot be loaded)
    and, for those added in acdash, who added them."""
    try:
        names = {user.id: user.name for user in users.list_users(client)}
    except ApiError:
        names = {}
    writers = _writers(account, found) if found else {}
    return [
        NoteEntry(note, names.get(note.user_id or 0, ""), writers.get(str(note.id), ""))
        for note in found
    ]


def _note_form(note_id: int | None = None, **kwargs: Any) -> NoteForm:
    """The add form (no id) or a note's editor, with ids of their own on the page."""
    form = NoteForm(auto_id=f"note{note_id or '_new'}_%s", **kwargs)
    form.fields["text"].label = "Note" if note_id else "Add a note"
    if note_id:
        form.fields["text"].widget.attrs.update(FOCUS)
    return form


def _notes_panel(request: HttpRequest, client: Client, context: dict[str, Any], toast: str = ""):
    def load() -> dict[str, Any]:
        found = notes.contact_notes(client, context["contact_id"])
        entries = _entries(client, context["account"], found)
        # After adding a note, the focus goes to the panel's heading, above the new note.
        return {"note_entries": entries, "note_form": _note_form(), "focus_heading": bool(toast)}

    return _lazy_panel(request, "notes", context, load, toast)


@account_view
def notes_section(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """GET: the notes panel (loaded lazily by the page, 1 call); POST: add a note."""
    context = base_context(request, account, contact_id)
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
            refused(form, "text", exc, "saved")
        else:
            summary = f"Added a note to contact {contact_id}"
            # The API credits the token's owner: the note's author is this entry's user.
            after = {**asdict(note), "by": _display_name(request.user)}
            audit(request, "note", note.id, "create", after=after, summary=summary)
            response = _notes_panel(request, client, context, toast="Note added.")
            return reswap(retarget(response, "#notes"), "outerHTML")
    return fragment(request, "note-add", {**context, "note_form": form})


@account_view
def note_section(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, note_id: int
) -> HttpResponse:
    """GET: one note read-only (``?edit=1``: its editor), re-read (1 call); POST: save it."""
    context = {**base_context(request, account, contact_id), "note_id": note_id}
    client = client_for_account(account)
    if request.method == "POST":
        return _save_note(request, client, context)
    if not request.htmx:
        return redirect("contacts:detail", account.slug, contact_id)
    try:
        note = next((n for n in notes.contact_notes(client, contact_id) if n.id == note_id), None)
    except ApiError as exc:
        return failure(request, f"Could not load the note: {exc}")
    if note is None:
        return failure(request, "This note no longer exists: reload the page.")
    if request.GET.get("edit"):
        require_editor(request)
        form = _note_form(note_id, initial={"text": note.text, "orig_text": note.text})
        return fragment(request, "note-form", {**context, "note_form": form})
    context |= {"entry": _entries(client, context["account"], [note])[0], "focus": True}
    return fragment(request, "note", context)


def _save_note(request: HttpRequest, client: Client, context: dict[str, Any]) -> HttpResponse:
    form = _note_form(context["note_id"], data=request.POST)
    if form.is_valid():
        note_id, text = context["note_id"], form.cleaned_data["text"]
        try:
            note = notes.update_note(client, note_id, text, contact_id=context["contact_id"])
        except ApiError as exc:
            refused(form, "text", exc, "saved")
        else:
            audit(
                request,
                "note",
                note_id,
                "update",
                before={"text": form.cleaned_data["orig_text"]},
                after=note,
                summary=f"Edited a note of contact {context['contact_id']}",
            )
            entry = _entries(client, request.access.account, [note])[0]
            context |= {"entry": entry, "focus": True}
            return fragment(request, "note", context, toast="Note saved.")
    return fragment(request, "note-form", {**context, "note_form": form})
