"""Bulk contact import: ``/import/bulk_import`` and ``/import/info``.

A POST is validated and stored as an ``importBatch`` record (key = batch id), then
answered at once; a background worker (import_worker.py) applies queued batches in order,
after the request's transaction has committed, and records which contacts succeeded or
failed.
"""

import re
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, route
from .import_worker import KIND, TEXT_ATTRIBUTES, enqueue, find_batch

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

# Accepted at POST time: something@something. Stricter checks happen while processing
# (import_worker.py), where a bad address lands in the batch's ``failure`` list, as in the
# API's example.
LOOSE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


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
    transaction.on_commit(lambda: enqueue(ctx, batch_id))
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
    batch = find_batch(ctx, batch_id.strip())
    if batch is None:
        raise ApiError(404, {"success": 0, "message": f"No import found with batchId {batch_id}"})
    data = batch.data
    if data["status"] == "queued":
        # Queued before the server restarted (the queue lives in memory): apply it now.
        transaction.on_commit(lambda: enqueue(ctx, batch.key))
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
