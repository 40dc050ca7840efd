"""Bulk contact import: ``/import/bulk_import`` and ``/import/info``.

A POST is validated and stored as an ``importBatch`` record (key = batch id), then
answered at once; a background worker applies queued batches in order, after the
request's transaction has committed, and records which contacts succeeded or failed.
A batch is applied with a few queries per kind of record, whatever its size.
"""

import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, route

logger = logging.getLogger(__name__)

KIND = "importBatch"

MAX_CONTACTS = 250
MAX_BYTES = 400_000
MAX_REQUESTS_PER_MINUTE = 100
MAX_SINGLE_CONTACT_REQUESTS_PER_MINUTE = 20
RECENT_DAYS = 7

NOT_QUEUED = (
    "JSON payload did not pass validation. Please fix failure Reasons and retry. "
    "The import was not queued for processing."
)
# The API's own wording, missing space included.
TOO_MANY_REQUESTS = (
    "Up to 100 imports may be requested per minute.Please batch contacts into larger "
    "requests, or retry this request in a minute."
)
TOO_MANY_SINGLE_CONTACT_REQUESTS = (
    "Up to 20 single-contact imports may be requested per minute.Please batch contacts into "
    "larger requests, or retry this request in a minute."
)

# Accepted at POST time: something@something. Stricter checks happen while processing,
# where a bad address lands in the batch's ``failure`` list, as in the API's example.
LOOSE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# The contact rules of POST /contacts, plus characters the API refuses in imports.
STRICT_EMAIL = re.compile(r"^[^@\s'\"]+@[^@\s'\"]+\.[^@\s'\"]+$")
# Payload attribute → contact attribute.
TEXT_ATTRIBUTES = {
    "first_name": "firstName",
    "last_name": "lastName",
    "phone": "phone",
    "customer_acct_name": "orgname",
}


def _bad_request(message: str, reasons: list[Any] | None = None) -> ApiError:
    body: dict[str, Any] = {"success": 0, "message": message}
    if reasons is not None:
        body["failureReasons"] = reasons
    return ApiError(400, body)


def _reason(index: int, name: str) -> dict[str, Any]:
    # The API's own quotes and spacing: "Field‘ email’ incorrect format".
    return {"contact": index, "failureReason": f"Field\u2018 {name}\u2019 incorrect format"}


def _is_id(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.strip().isdigit()
    )


def _is_value(value: Any) -> bool:
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _invalid_attributes(entry: Any) -> list[str]:
    """Names of the attributes of one payload contact that are not in the expected format."""
    if not isinstance(entry, dict):
        return ["contact"]
    bad = []
    email = entry.get("email")
    if not isinstance(email, str) or not LOOSE_EMAIL.match(email.strip()):
        bad.append("email")
    for name in TEXT_ATTRIBUTES:
        if not isinstance(entry.get(name), str | int | float | None):
            bad.append(name)
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        bad.append("tags")
    fields = entry.get("fields", [])
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and _is_id(f.get("id")) and "value" in f and _is_value(f["value"])
        for f in fields
    ):
        bad.append("fields")
    for name in ("subscribe", "unsubscribe"):
        items = entry.get(name, [])
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and _is_id(i.get("listid")) for i in items
        ):
            bad.append(name)
    return bad


def _check_rate(ctx: Ctx, single_contact: bool) -> None:
    """100 accepted imports a minute per account, 20 of them for single-contact payloads."""
    recent = store.records(ctx.account, KIND).filter(data__created__gte=time.time() - 60)
    if recent.count() >= MAX_REQUESTS_PER_MINUTE:
        raise _bad_request("Rate limit exceeded.", [TOO_MANY_REQUESTS])
    single_limit = MAX_SINGLE_CONTACT_REQUESTS_PER_MINUTE
    if single_contact and recent.filter(data__queued_contacts=1).count() >= single_limit:
        raise _bad_request("Rate limit exceeded.", [TOO_MANY_SINGLE_CONTACT_REQUESTS])


@route("POST", "import/bulk_import", "Contact_bulkImportContacts")
def bulk_import(ctx: Ctx):
    if len(ctx.raw_body) > MAX_BYTES:
        raise _bad_request(NOT_QUEUED, [f"The request body exceeds {MAX_BYTES:,} bytes."])
    body = ctx.body
    contacts = body.get("contacts") if isinstance(body, dict) else None
    if not isinstance(contacts, list) or not contacts:
        raise _bad_request("'contacts' is a required field.")
    if len(contacts) > MAX_CONTACTS:
        raise _bad_request(NOT_QUEUED, [f"Up to {MAX_CONTACTS} contacts may be imported at once."])
    _check_rate(ctx, single_contact=len(contacts) == 1)
    reasons = [
        _reason(index, name)
        for index, entry in enumerate(contacts)
        for name in _invalid_attributes(entry)
    ]
    if reasons:
        raise _bad_request(NOT_QUEUED, reasons)

    batch_id = str(uuid.uuid4())
    data = {
        "status": "queued",
        "queued_contacts": len(contacts),
        "created": time.time(),
        "cdate": store.iso(ctx.account),
        "completed": None,
        "success": [],
        "failure": [],
        "payload": contacts,
    }
    store.create(ctx.account, KIND, data, key=batch_id)
    transaction.on_commit(lambda: _enqueue(ctx, batch_id))
    return {
        "Success": 1,
        "queued_contacts": len(contacts),
        "batchId": batch_id,
        "message": "Contact import queued",
    }


@route("GET", "import/info", "Import_statusInfo")
def import_info(ctx: Ctx):
    batch_id = ctx.param("batchId")
    if batch_id is None:
        raise _bad_request("'batchId' is a required field.")
    batch = store.records(ctx.account, KIND).filter(key=batch_id.strip()).first()
    if batch is None:
        raise ApiError(404, {"success": 0, "message": f"No import found with batchId {batch_id}"})
    data = batch.data
    if data["status"] == "queued":
        # Queued before the server restarted (the queue lives in memory): apply it now.
        transaction.on_commit(lambda: _enqueue(ctx, batch.key))
    return {"status": data["status"], "success": data["success"], "failure": data["failure"]}


def _per_day(batches: Iterable[SandboxRecord]) -> list[dict[str, str]]:
    days: dict[str, list[int]] = {}
    for batch in batches:
        day = days.setdefault(batch.data["cdate"][:10], [0, 0])
        day[0] += 1
        day[1] += batch.data["queued_contacts"]
    return [
        {"forDate": day, "batches": str(n), "contacts": str(c)}
        for day, (n, c) in sorted(days.items())
    ]


@route("GET", "import/bulk_import", "List_bulkImportStatus")
def import_status_list(ctx: Ctx):
    since = time.time() - RECENT_DAYS * 86400
    batches = list(
        store.records(ctx.account, KIND)
        .exclude(data__status="completed", data__created__lt=since)
        .order_by("rid")
    )
    done = [b for b in batches if b.data["status"] == "completed"]
    pending = [b for b in batches if b.data["status"] != "completed"]
    return {"outstanding": _per_day(pending), "recentlyCompleted": _per_day(done)}


# Processing --------------------------------------------------------------------------
# One worker thread per server process applies batches in the order they were queued,
# like the API's import queue; batches are only handed over once their POST committed.

Job = tuple[Ctx, str, threading.Event]
_queue: queue.SimpleQueue[Job] = queue.SimpleQueue()
_pending: set[str] = set()  # ids of batches handed to the worker and not yet applied
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _enqueue(ctx: Ctx, batch_id: str) -> None:
    global _worker
    done = threading.Event()
    with _worker_lock:
        if batch_id in _pending:
            return
        _pending.add(batch_id)
        _queue.put((ctx, batch_id, done))
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="sandbox-imports", daemon=True)
            _worker.start()
    if connection.is_in_memory_db():
        # An in-memory SQLite database (the default test database) is shared by all
        # threads through one cache that refuses a second writer instead of waiting for
        # it, so there the POST returns once its batch has been applied.
        done.wait()


def _work() -> None:
    while True:
        ctx, batch_id, done = _queue.get()
        try:
            process_batch(ctx, batch_id)
        except Exception:
            logger.exception("Sandbox import batch %s failed", batch_id)
            _fail_batch(ctx, batch_id)
        finally:
            connection.close()
            with _worker_lock:
                _pending.discard(batch_id)
            done.set()


def process_batch(ctx: Ctx, batch_id: str) -> None:
    """Apply a queued batch in one transaction and record its outcome."""
    with transaction.atomic():
        batch = store.records(ctx.account, KIND).filter(key=batch_id).first()
        # Gone (account deleted) or already applied: nothing to do.
        if batch is None or batch.data["status"] != "queued":
            return
        success, failure = _apply(ctx, batch.data.pop("payload"))
        _finish(ctx, batch, success, failure)


def _fail_batch(ctx: Ctx, batch_id: str) -> None:
    """An unexpected error applied nothing: report every contact as failed, not queued forever."""
    with transaction.atomic():
        batch = store.records(ctx.account, KIND).filter(key=batch_id).first()
        if batch is not None and batch.data["status"] == "queued":
            emails = [str(entry.get("email")) for entry in batch.data.pop("payload")]
            _finish(ctx, batch, [], emails)


def _finish(ctx: Ctx, batch: SandboxRecord, success: list[str], failure: list[str]) -> None:
    batch.data.update(
        status="completed", success=success, failure=failure, completed=store.iso(ctx.account)
    )
    batch.save(update_fields=["data"])


def _email_key(entry: dict[str, Any]) -> str:
    return entry["email"].strip().lower()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _subscriptions(entry: dict[str, Any]) -> list[tuple[int, int]]:
    """(list id, status) in the order they apply: unsubscribing wins over subscribing."""
    return [(int(item["listid"]), 1) for item in entry.get("subscribe", [])] + [
        (int(item["listid"]), 2) for item in entry.get("unsubscribe", [])
    ]


def _existing(ctx: Ctx, kind: str, ids: set[int]) -> dict[int, SandboxRecord]:
    return {r.rid: r for r in store.records(ctx.account, kind).filter(rid__in=ids)}


def _apply(ctx: Ctx, entries: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Create or update the batch's contacts; return (contact ids applied, emails refused)."""
    field_ids = {int(item["id"]) for entry in entries for item in entry.get("fields", [])}
    list_ids = {list_id for entry in entries for list_id, _ in _subscriptions(entry)}
    fields = _existing(ctx, "field", field_ids)
    known_lists = _existing(ctx, "list", list_ids)
    accepted, failure = [], []
    for entry in entries:
        if (
            STRICT_EMAIL.match(entry["email"].strip())
            and all(int(item["id"]) in fields for item in entry.get("fields", []))
            and all(list_id in known_lists for list_id, _ in _subscriptions(entry))
        ):
            accepted.append(entry)
        else:
            failure.append(entry["email"])
    if not accepted:
        return [], failure
    contacts = _upsert_contacts(ctx, accepted)
    _upsert_field_values(ctx, accepted, contacts, fields)
    _add_tags(ctx, accepted, contacts)
    _set_subscriptions(ctx, accepted, contacts)
    return [contacts[_email_key(entry)].id_str for entry in accepted], failure


def _upsert_contacts(ctx: Ctx, entries: list[dict[str, Any]]) -> dict[str, SandboxRecord]:
    """The batch's contacts by lower-cased email: existing ones updated, new ones created."""
    from .contacts import new_contact_data

    keys = {_email_key(entry) for entry in entries}
    contacts = {r.key: r for r in store.records(ctx.account, "contact").filter(key__in=keys)}
    existing = list(contacts.values())
    created: list[SandboxRecord] = []
    for entry in entries:
        changes = {
            attribute: _text(entry[name])
            for name, attribute in TEXT_ATTRIBUTES.items()
            if name in entry
        }
        record = contacts.get(_email_key(entry))
        if record is None:
            email = entry["email"].strip()
            record = SandboxRecord(key=email.lower(), data=new_contact_data(ctx, email, **changes))
            contacts[record.key] = record
            created.append(record)
        else:
            record.data.update(changes)
    store.bulk_create(ctx.account, "contact", created)
    stamps = {
        "udate": store.iso(ctx.account),
        "updated_utc_timestamp": store.utc_plain(),
        "updated_timestamp": store.plain(ctx.account),
    }
    for record in existing:
        record.data.update(stamps)
    SandboxRecord.objects.bulk_update(existing, ["data"], batch_size=500)
    return contacts


def _upsert_field_values(
    ctx: Ctx,
    entries: list[dict[str, Any]],
    contacts: dict[str, SandboxRecord],
    fields: dict[int, SandboxRecord],
) -> None:
    """Set the given custom field values; attributes as fields.upsert_value stores them."""
    from .fields import normalize_value

    wanted: dict[tuple[int, str], str | None] = {}
    for entry in entries:
        contact_id = contacts[_email_key(entry)].rid
        for item in entry.get("fields", []):
            field = fields[int(item["id"])]
            wanted[(contact_id, field.id_str)] = normalize_value(ctx, field, item["value"])
    if not wanted:
        return
    existing = {
        (r.parent, r.key): r
        for r in store.records(ctx.account, "fieldValue").filter(
            parent__in={c for c, _ in wanted}, key__in={f for _, f in wanted}
        )
    }
    now = store.iso(ctx.account)
    created, changed = [], []
    for (contact_id, field_id), value in wanted.items():
        record = existing.get((contact_id, field_id))
        if record is not None:
            record.data.update(value=value, udate=now, updated_by="0")
            changed.append(record)
            continue
        data = {
            "contact": str(contact_id),
            "field": field_id,
            "value": value,
            "cdate": now,
            "udate": now,
            "created_by": "0",
            "updated_by": "0",
        }
        created.append(SandboxRecord(parent=contact_id, key=field_id, data=data))
    store.bulk_create(ctx.account, "fieldValue", created)
    SandboxRecord.objects.bulk_update(changed, ["data"], batch_size=500)


def _add_tags(ctx: Ctx, entries: list[dict[str, Any]], contacts: dict[str, SandboxRecord]) -> None:
    """Tag the contacts, creating missing tags; attributes as tags.add_contact_tag stores them."""
    from .tags import ensure_tag

    names = {name.strip().lower(): name.strip() for e in entries for name in e.get("tags", [])}
    if not names:
        return
    tag_ids = {key: ensure_tag(ctx, name).id_str for key, name in names.items()}
    wanted = {
        (contacts[_email_key(entry)].rid, tag_ids[name.strip().lower()])
        for entry in entries
        for name in entry.get("tags", [])
    }
    existing = set(
        store.records(ctx.account, "contactTag")
        .filter(parent__in={c for c, _ in wanted}, key__in=set(tag_ids.values()))
        .values_list("parent", "key")
    )
    now = store.iso(ctx.account)
    store.bulk_create(
        ctx.account,
        "contactTag",
        [
            SandboxRecord(
                parent=contact_id,
                key=tag_id,
                data={"contact": str(contact_id), "tag": tag_id, "cdate": now},
            )
            for contact_id, tag_id in sorted(wanted - existing)
        ],
    )


def _set_subscriptions(
    ctx: Ctx, entries: list[dict[str, Any]], contacts: dict[str, SandboxRecord]
) -> None:
    """Subscribe (1) or unsubscribe (2); attributes as lists.set_subscription stores them."""
    wanted: dict[tuple[int, str], int] = {}
    for entry in entries:
        contact_id = contacts[_email_key(entry)].rid
        for list_id, status in _subscriptions(entry):
            wanted[(contact_id, str(list_id))] = status
    if not wanted:
        return
    existing = {
        (r.parent, r.key): r
        for r in store.records(ctx.account, "contactList").filter(
            parent__in={c for c, _ in wanted}, key__in={k for _, k in wanted}
        )
    }
    from .lists import new_subscription_data

    names = {r.rid: r.data for r in contacts.values()}
    now, now_plain = store.iso(ctx.account), store.plain(ctx.account)
    created, changed = [], []
    for (contact_id, list_id), status in wanted.items():
        # sdate is when the contact subscribed, udate when it unsubscribed.
        changes = {
            "first_name": names[contact_id].get("firstName", ""),
            "last_name": names[contact_id].get("lastName", ""),
            "sdate" if status == 1 else "udate": now,
            "status": str(status),
            "sourceid": "0",
        }
        record = existing.get((contact_id, list_id))
        if record is not None:
            record.data.update(changes, updated_timestamp=now_plain)
            changed.append(record)
            continue
        data = new_subscription_data(contact_id, list_id, now_plain, **changes)
        created.append(SandboxRecord(parent=contact_id, key=list_id, data=data))
    store.bulk_create(ctx.account, "contactList", created)
    SandboxRecord.objects.bulk_update(changed, ["data"], batch_size=500)
