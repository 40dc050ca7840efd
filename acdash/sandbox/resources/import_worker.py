"""Bulk contact import, in the background: applying the queued ``importBatch`` records.

One worker thread per server process applies batches in the order they were queued, like
the API's import queue; batches are only handed over once their POST committed (see
imports.py for the endpoints). A batch is applied in one transaction, with a few queries
per kind of record whatever its size, and records which contacts succeeded or failed.
"""

import logging
import queue
import re
import threading
from collections.abc import Collection
from typing import Any

from django.db import connection, transaction

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx

logger = logging.getLogger(__name__)

KIND = "importBatch"

# The contact rules of POST /contacts, plus characters the API refuses in imports.
STRICT_EMAIL = re.compile(r"^[^@\s'\"]+@[^@\s'\"]+\.[^@\s'\"]+$")
# Payload attribute → contact attribute.
TEXT_ATTRIBUTES = {
    "first_name": "firstName",
    "last_name": "lastName",
    "phone": "phone",
    "customer_acct_name": "orgname",
}


Job = tuple[Ctx, str, threading.Event]
_queue: queue.SimpleQueue[Job] = queue.SimpleQueue()
_pending: set[str] = set()  # ids of batches handed to the worker and not yet applied
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def enqueue(ctx: Ctx, batch_id: str) -> None:
    """Hand a stored batch to the worker, unless it already has it."""
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
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
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


def find_batch(ctx: Ctx, batch_id: str) -> SandboxRecord | None:
    return store.records(ctx.account, KIND).filter(key=batch_id).first()


def process_batch(ctx: Ctx, batch_id: str) -> None:
    """Apply a queued batch in one transaction and record its outcome."""
    with transaction.atomic():
        batch = find_batch(ctx, batch_id)
        # Gone (account deleted) or already applied: nothing to do.
        if batch is None or batch.data["status"] != "queued":
            return
        success, failure = _apply(ctx, batch.data.pop("payload"))
        _finish(ctx, batch, success, failure)


def _fail_batch(ctx: Ctx, batch_id: str) -> None:
    """An unexpected error applied nothing: report every contact as failed, not queued forever."""
    with transaction.atomic():
        batch = find_batch(ctx, batch_id)
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


def _existing_pairs(
    ctx: Ctx, kind: str, pairs: Collection[tuple[int, str]]
) -> dict[tuple[int, str], SandboxRecord]:
    """The records of ``kind`` for the given (contact id, key) pairs, by pair."""
    qs = store.records(ctx.account, kind).filter(
        parent__in={c for c, _ in pairs}, key__in={k for _, k in pairs}
    )
    return {(r.parent, r.key): r for r in qs}


def _save_data(records: list[SandboxRecord]) -> None:
    SandboxRecord.objects.bulk_update(records, ["data"], batch_size=500)


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
    _save_data(existing)
    return contacts


def _upsert_field_values(
    ctx: Ctx,
    entries: list[dict[str, Any]],
    contacts: dict[str, SandboxRecord],
    fields: dict[int, SandboxRecord],
) -> None:
    """Set the given custom field values; attributes as fieldvalues.upsert_value stores them."""
    from .fieldvalues import new_value_data, normalize_value

    wanted: dict[tuple[int, str], str | None] = {}
    for entry in entries:
        contact_id = contacts[_email_key(entry)].rid
        for item in entry.get("fields", []):
            field = fields[int(item["id"])]
            wanted[(contact_id, field.id_str)] = normalize_value(ctx, field, item["value"])
    if not wanted:
        return
    existing = _existing_pairs(ctx, "fieldValue", wanted)
    now = store.iso(ctx.account)
    created, changed = [], []
    for (contact_id, field_id), value in wanted.items():
        record = existing.get((contact_id, field_id))
        if record is not None:
            record.data.update(value=value, udate=now, updated_by="0")
            changed.append(record)
            continue
        data = new_value_data(contact_id, field_id, value, now)
        created.append(SandboxRecord(parent=contact_id, key=field_id, data=data))
    store.bulk_create(ctx.account, "fieldValue", created)
    _save_data(changed)


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
    existing = _existing_pairs(ctx, "contactList", wanted)
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
    _save_data(changed)
