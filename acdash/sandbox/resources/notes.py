"""Notes: ``/notes``, ``/deals/{id}/notes`` and ``/accounts/{id}/notes``.

A note hangs off the object named by ``reltype``/``relid``; ``parent`` holds the relid.
"""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, invalid, missing, not_found, route

KIND = "note"
# reltype -> (record kind, the API's entity name in 404 messages, owner.type, side-load key)
RELTYPES = {
    "Subscriber": ("contact", "Subscriber", "contact", "contacts"),
    "Deal": ("deal", "Deal", "deal", "deals"),
    "CustomerAccount": ("account", "CustomerAccount", "account", "accounts"),
}
LINKS = ["activities", "user", "mentions", "notes", "owner"]

# The key sets each operation returns, from the reference's examples.
LIST_KEYS = ["relid", "reltype", "userid", "is_draft", "cdate", "mdate", "note", "links"]
LIST_KEYS += ["id", "user", "owner"]
DETAIL_KEYS = [k for k in LIST_KEYS if k != "is_draft"]
CREATED_KEYS = ["note", "cdate", "mdate", "reltype", "relid", "userid", "links", "owner"]
CREATED_KEYS += ["id", "user"]
RELATED_KEYS = ["cdate", "id", "links", "mdate", "note", "owner", "relid", "reltype", "user"]
RELATED_KEYS += ["userid"]

# Side-loaded deal and account, as the deal/account note operations show them.
DEAL_KEYS = ["activitycount", "cdate", "contact", "currency", "edate", "group", "hash", "id"]
DEAL_KEYS += ["links", "mdate", "nextTask", "nextdate", "nextdealid", "nexttaskid"]
DEAL_KEYS += ["organization", "owner", "percent", "stage", "status", "title", "value"]
DEAL_LINKS = ["dealActivities", "contact", "contactDeals", "group", "nextTask", "notes"]
DEAL_LINKS += ["organization", "owner", "scoreValues", "stage", "tasks"]
ACCOUNT_KEYS = ["name", "accountUrl", "createdTimestamp", "updatedTimestamp", "links", "id"]


def full(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    data = record.data
    reltype = data["reltype"]
    owner_type = RELTYPES[reltype][2] if reltype in RELTYPES else reltype.lower()
    return {
        **data,
        "links": {name: ctx.link(f"notes/{rid}/{name}") for name in LINKS},
        "id": rid,
        "owner": {"type": owner_type, "id": data["relid"]},
    }


@store.presenter(KIND)
def present_note(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    """As GET /notes and GET /contacts/{id}/notes list it."""
    return store.project(full(ctx, record), LIST_KEYS)


def get_note(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, KIND, rid, not_found("Note", rid))


def _owner(ctx: Ctx, reltype: str, relid: object) -> SandboxRecord:
    """The object a note hangs off; 404 in the API's words when it does not exist."""
    kind, entity, *_ = RELTYPES[reltype]
    return store.get_or_404(ctx.account, kind, relid, not_found(entity, relid))


def _note_text(attrs: dict[str, Any], required: bool) -> dict[str, Any]:
    if "note" not in attrs and not required:
        return {}
    text = "" if attrs.get("note") is None else str(attrs["note"])
    if not text.strip():
        raise missing("The note text was not provided.", "note")
    return {"note": text}


def _create(ctx: Ctx, owner: SandboxRecord, reltype: str, text: str) -> SandboxRecord:
    now = store.iso(ctx.account)
    data = {
        "relid": owner.id_str,
        "reltype": reltype,
        "userid": "1",
        "is_draft": "0",
        "cdate": now,
        "mdate": now,
        "note": text,
        "user": "1",
    }
    return store.create(ctx.account, KIND, data, parent=owner.rid)


def _touch(ctx: Ctx, record: SandboxRecord, changes: dict[str, Any]) -> SandboxRecord:
    return store.update(record, **changes, mdate=store.iso(ctx.account))


def _side_load(ctx: Ctx, reltype: str, owner: SandboxRecord, links: bool = False) -> dict[str, Any]:
    """The owner as the note operations side-load it (``contacts``/``deals``/``accounts``).

    Deals and accounts are built from their stored attributes here, not by their modules'
    presenters: the note operations show them in a shape of their own.
    """
    rid, data = owner.id_str, owner.data
    if reltype == "Subscriber":
        return store.present(ctx, owner)
    if reltype == "Deal":
        full_deal = {
            **{k: data.get(k) for k in DEAL_KEYS},
            "id": rid,
            "links": {name: ctx.link(f"deals/{rid}/{name}") for name in DEAL_LINKS},
            "nextTask": data.get("nexttaskid"),
        }
        # The API side-loads nextTask only when the deal has one.
        keys = [k for k in DEAL_KEYS if k != "nextTask" or full_deal["nextTask"] is not None]
        return store.project(full_deal, keys)
    keys = ACCOUNT_KEYS if links else [k for k in ACCOUNT_KEYS if k != "links"]
    full_account = {
        **{k: data.get(k) for k in ACCOUNT_KEYS},
        "id": rid,
        "links": {"notes": ctx.link(f"accounts/{rid}/notes")},
    }
    return store.project(full_account, keys)


# /notes ----------------------------------------------------------------------------------


@route("GET", "notes", "Note_listAll")
def list_notes(ctx: Ctx):
    qs = store.records(ctx.account, KIND).order_by("rid")
    body, _ = store.paged(ctx, qs, "notes", present_note)
    return body


def _reltype(attrs: dict[str, Any]) -> str:
    reltype = attrs.get("reltype")
    if reltype in (None, ""):
        raise missing("The note reltype was not provided.", "reltype")
    if not isinstance(reltype, str) or reltype not in RELTYPES:
        raise invalid(f"Notes cannot be added to {reltype}.", "reltype")
    return reltype


@route("POST", "notes", "Note_createNew")
def create_note(ctx: Ctx):
    attrs = ctx.envelope("note")
    text = _note_text(attrs, required=True)["note"]
    reltype = _reltype(attrs)
    if attrs.get("relid") in (None, ""):
        raise missing("The note relid was not provided.", "relid")
    owner = _owner(ctx, reltype, attrs["relid"])
    record = _create(ctx, owner, reltype, text)
    body = store.project(full(ctx, record), CREATED_KEYS)
    # The API echoes relid (and owner.id) as the request gave it, e.g. a number.
    body["relid"] = attrs["relid"]
    body["owner"] = {"type": body["owner"]["type"], "id": attrs["relid"]}
    return 201, {RELTYPES[reltype][3]: [_side_load(ctx, reltype, owner)], "note": body}


@route("GET", "notes/{id}", "Note_getById")
def get_note_detail(ctx: Ctx, id: str):
    return {"note": store.project(full(ctx, get_note(ctx, id)), DETAIL_KEYS)}


@route("PUT", "notes/{id}", "Note_updateNoteById")
def update_note(ctx: Ctx, id: str):
    record = get_note(ctx, id)
    attrs = ctx.envelope("note")
    changes = _note_text(attrs, required=False)
    if "reltype" in attrs or "relid" in attrs:
        reltype = _reltype({"reltype": attrs.get("reltype", record.data["reltype"])})
        owner = _owner(ctx, reltype, attrs.get("relid", record.data["relid"]))
        changes.update(reltype=reltype, relid=owner.id_str)
        record.parent = owner.rid
    return {"note": store.project(full(ctx, _touch(ctx, record, changes)), DETAIL_KEYS)}


@route("DELETE", "notes/{id}", "Note_deleteNoteById")
def delete_note(ctx: Ctx, id: str):
    get_note(ctx, id).delete()
    return {}


# Deal and account notes -------------------------------------------------------------------


def _owned_note(ctx: Ctx, note_id: str, reltype: str, owner: SandboxRecord) -> SandboxRecord:
    """The owner's note; a note of another object is not found here."""
    record = get_note(ctx, note_id)
    if record.data["reltype"] != reltype or record.parent != owner.rid:
        raise not_found("Note", note_id)
    return record


def _create_related(ctx: Ctx, reltype: str, id: str) -> tuple[int, dict[str, Any]]:
    owner = _owner(ctx, reltype, id)
    text = _note_text(ctx.envelope("note"), required=True)["note"]
    record = _create(ctx, owner, reltype, text)
    note = store.project(full(ctx, record), RELATED_KEYS)
    return 201, {RELTYPES[reltype][3]: [_side_load(ctx, reltype, owner)], "note": note}


def _update_related(ctx: Ctx, reltype: str, id: str, note_id: str) -> dict[str, Any]:
    owner = _owner(ctx, reltype, id)
    record = _owned_note(ctx, note_id, reltype, owner)
    record = _touch(ctx, record, _note_text(ctx.envelope("note"), required=True))
    note = store.project(full(ctx, record), RELATED_KEYS)
    return {RELTYPES[reltype][3]: [_side_load(ctx, reltype, owner, links=True)], "note": note}


@route("POST", "deals/{id}/notes", "Deal_createNote")
def create_deal_note(ctx: Ctx, id: str):
    return _create_related(ctx, "Deal", id)


@route("PUT", "deals/{id}/notes/{noteId}", "Deal_updateNote")
def update_deal_note(ctx: Ctx, id: str, noteId: str):
    return _update_related(ctx, "Deal", id, noteId)


@route("POST", "accounts/{id}/notes", "Note_createAccountNote")
def create_account_note(ctx: Ctx, id: str):
    return _create_related(ctx, "CustomerAccount", id)


@route("PUT", "accounts/{id}/notes/{noteid}", "Note_updateNote")
def update_account_note(ctx: Ctx, id: str, noteid: str):
    return _update_related(ctx, "CustomerAccount", id, noteid)
