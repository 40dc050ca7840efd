"""Notes on contacts."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .client import Client
from .parsing import parse_datetime, parse_int

CONTACT_RELTYPE = "Subscriber"  # the API's name for a contact


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    contact_id: int
    text: str
    user_id: int | None  # the author; names from users.users_by_id
    created: datetime | None
    updated: datetime | None


def _note(raw: dict[str, Any]) -> Note:
    user = parse_int(raw.get("userid") or raw.get("user"))
    return Note(
        id=int(raw["id"]),
        contact_id=parse_int(raw.get("relid")),
        text=str(raw.get("note") or ""),
        user_id=user or None,
        created=parse_datetime(raw.get("cdate")),
        updated=parse_datetime(raw.get("mdate")),
    )


def contact_notes(client: Client, contact_id: int) -> list[Note]:
    """The contact's notes, newest first (one call). An unknown contact: NotFound."""
    raw = client.get(f"/contacts/{contact_id}/notes").get("notes") or []
    notes = [_note(item) for item in raw]
    return sorted(notes, key=lambda n: (n.created is not None, n.created, n.id), reverse=True)


def add_note(client: Client, contact_id: int, text: str) -> Note:
    """A new note on the contact. Empty text: ValidationError on ``note``; unknown contact:
    NotFound."""
    body = {"note": {"note": text, "relid": contact_id, "reltype": CONTACT_RELTYPE}}
    return _note(client.post("/notes", body)["note"])


def update_note(client: Client, note_id: int, text: str, *, contact_id: int) -> Note:
    """Replace the note's text. The reference's request names the note's contact too (and its
    403 answer names a missing contact), so it is sent. Errors as ``add_note``."""
    body = {"note": {"note": text, "relid": contact_id, "reltype": CONTACT_RELTYPE}}
    return _note(client.put(f"/notes/{note_id}", body)["note"])


def delete_note(client: Client, note_id: int) -> None:
    client.delete(f"/notes/{note_id}")
