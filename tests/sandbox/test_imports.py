"""Bulk contact import in the sandbox behaves as the API reference documents."""

import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acdash.sandbox import store
from acdash.sandbox.models import SandboxRecord
from acdash.sandbox.resources import import_worker, imports
from tests.conformance.shapes import assert_conforms, checked, mismatches

# The reference's GET /import/bulk_import example is not valid JSON (a U+00A0 before the
# "]" that closes "outstanding"); this is the same example with that character removed.
STATUS_LIST_EXAMPLE = {
    "outstanding": [{"forDate": "2021-06-01", "batches": "333", "contacts": "83250"}],
    "recentlyCompleted": [
        {"forDate": "2021-06-01", "batches": "17", "contacts": "4250"},
        {"forDate": "2021-06-02", "batches": "50", "contacts": "12500"},
    ],
}
NOT_QUEUED = (
    "JSON payload did not pass validation. Please fix failure Reasons and retry. "
    "The import was not queued for processing."
)


def wait_for(sandbox, batch_id: str, timeout: float = 15.0) -> dict:
    """Poll /import/info until the batch is completed (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        info = sandbox.ok("GET", f"/import/info?batchId={batch_id}")
        if info["status"] == "completed":
            return info
        assert time.monotonic() < deadline, f"batch {batch_id} still {info['status']}"
        time.sleep(0.02)


@pytest.fixture(autouse=True)
def batches_settle(sandbox):
    """Let every queued batch finish before the test's data is flushed."""
    yield
    pending = store.records(sandbox.account, imports.KIND).exclude(data__status="completed")
    for batch_id in pending.values_list("key", flat=True):
        wait_for(sandbox, batch_id)


def import_contacts(sandbox, contacts: list[dict]) -> dict:
    """Queue an import, wait for it and return its /import/info."""
    queued = sandbox.ok("POST", "/import/bulk_import", {"contacts": contacts}, status=200)
    return wait_for(sandbox, queued["batchId"])


def queue_directly(sandbox, contacts: list[dict]) -> str:
    """A batch stored as POST stores it, but not handed to the worker."""
    batch_id = str(uuid.uuid4())
    data = {
        "status": "queued",
        "queued_contacts": len(contacts),
        "created": time.time(),
        "cdate": store.iso(sandbox.account),
        "completed": None,
        "success": [],
        "failure": [],
        "payload": contacts,
    }
    store.create(sandbox.account, imports.KIND, data, key=batch_id)
    return batch_id


def make(sandbox, kind: str, **data) -> str:
    """A field or list to import into (their own endpoints are another family's concern)."""
    return store.create(sandbox.account, kind, data).id_str


def contact_by_email(sandbox, email: str) -> dict:
    found = sandbox.ok("GET", f"/contacts?email={email}")["contacts"]
    assert len(found) == 1, found
    return found[0]


def test_import_creates_contacts_with_fields_tags_and_lists(sandbox):
    field = make(sandbox, "field", title="Plan", type="text", perstag="PLAN")
    colours = make(sandbox, "field", title="Colours", type="checkbox", perstag="COLOURS")
    news, promo = make(sandbox, "list", name="News"), make(sandbox, "list", name="Promo")
    response = sandbox.post(
        "/import/bulk_import",
        {
            "contacts": [
                {
                    "email": "jane@example.com",
                    "first_name": "Jane",
                    "last_name": "Doe",
                    "phone": "123-456-7890",
                    "tags": ["vip", "Beta"],
                    "fields": [
                        {"id": int(field), "value": "gold"},
                        {"id": colours, "value": "red||blue"},
                    ],
                    "subscribe": [{"listid": int(news)}, {"listid": int(promo)}],
                    "unsubscribe": [{"listid": int(promo)}],
                    "exclude_automations": False,
                },
                {"email": "john@example.com", "first_name": "John", "tags": ["vip"]},
            ],
            "callback": {"url": "www.your_web_server.com", "requestType": "POST"},
        },
    )
    assert response.status_code == 200
    queued = response.json()
    assert_conforms(queued, "POST", "/import/bulk_import", 200)
    assert queued["Success"] == 1 and queued["queued_contacts"] == 2
    assert queued["message"] == "Contact import queued"
    assert uuid.UUID(queued["batchId"]).version == 4

    info = wait_for(sandbox, queued["batchId"])
    assert_conforms(info, "GET", "/import/info", 200)
    jane = contact_by_email(sandbox, "jane@example.com")
    john = contact_by_email(sandbox, "john@example.com")
    assert info == {"status": "completed", "success": [jane["id"], john["id"]], "failure": []}
    assert (jane["firstName"], jane["lastName"], jane["phone"]) == ("Jane", "Doe", "123-456-7890")

    values = sandbox.ok("GET", f"/contacts/{jane['id']}/fieldValues")["fieldValues"]
    # Values are stored as the field's type wants them, as on POST /contacts.
    assert [(v["field"], v["value"]) for v in values] == [
        (field, "gold"),
        (colours, "||red||blue||"),
    ]
    tags = {t["tag"]: t["id"] for t in sandbox.ok("GET", "/tags")["tags"]}
    assert set(tags) == {"vip", "Beta"}
    jane_tags = sandbox.ok("GET", f"/contacts/{jane['id']}/contactTags")["contactTags"]
    assert sorted(t["tag"] for t in jane_tags) == sorted(tags.values())
    john_tags = sandbox.ok("GET", f"/contacts/{john['id']}/contactTags")["contactTags"]
    assert [t["tag"] for t in john_tags] == [tags["vip"]]
    memberships = sandbox.ok("GET", f"/contacts/{jane['id']}/contactLists")["contactLists"]
    # Unsubscribing wins over subscribing to the same list in one payload.
    assert {m["list"]: m["status"] for m in memberships} == {news: "1", promo: "2"}
    assert all(m["first_name"] == "Jane" for m in memberships)


def test_import_updates_existing_contacts_by_email(sandbox):
    field = make(sandbox, "field", title="Plan", type="text", perstag="PLAN")
    news = make(sandbox, "list", name="News")
    created = sandbox.ok("POST", "/contacts", {"contact": {"email": "Jane@Example.com"}})
    contact_id = created["contact"]["id"]
    first = import_contacts(
        sandbox,
        [
            {
                "email": "jane@example.com",
                "first_name": "Jane",
                "fields": [{"id": field, "value": "silver"}],
                "tags": ["vip"],
                "subscribe": [{"listid": news}],
            }
        ],
    )
    assert first["success"] == [contact_id]
    second = import_contacts(
        sandbox,
        [
            {
                "email": "JANE@example.com",
                "last_name": "Doe",
                "fields": [{"id": field, "value": "gold"}],
                "tags": ["VIP"],
                "unsubscribe": [{"listid": news}],
            }
        ],
    )
    assert second["success"] == [contact_id]
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "1"
    contact = sandbox.ok("GET", f"/contacts/{contact_id}")["contact"]
    assert (contact["email"], contact["firstName"], contact["lastName"]) == (
        "Jane@Example.com",
        "Jane",
        "Doe",
    )
    values = sandbox.ok("GET", f"/contacts/{contact_id}/fieldValues")["fieldValues"]
    assert [v["value"] for v in values] == ["gold"]
    assert len(sandbox.ok("GET", f"/contacts/{contact_id}/contactTags")["contactTags"]) == 1
    assert sandbox.ok("GET", "/tags")["meta"]["total"] == "1"
    memberships = sandbox.ok("GET", f"/contacts/{contact_id}/contactLists")["contactLists"]
    assert [(m["list"], m["status"]) for m in memberships] == [(news, "2")]


def test_contacts_failing_while_processing_are_reported_by_email(sandbox):
    field = make(sandbox, "field", title="Plan", type="text", perstag="PLAN")
    info = import_contacts(
        sandbox,
        [
            {"email": "ok@example.com"},
            {"email": "invalid.email@invalidDomain"},
            {"email": "invalid'character@example.com"},
            {"email": "nofield@example.com", "fields": [{"id": 999, "value": "x"}]},
            {"email": "nolist@example.com", "subscribe": [{"listid": 999}]},
            {"email": "also-ok@example.com", "fields": [{"id": field, "value": "y"}]},
        ],
    )
    ok, also_ok = (
        contact_by_email(sandbox, e)["id"] for e in ("ok@example.com", "also-ok@example.com")
    )
    assert info["success"] == [ok, also_ok]
    assert info["failure"] == [
        "invalid.email@invalidDomain",
        "invalid'character@example.com",
        "nofield@example.com",
        "nolist@example.com",
    ]
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "2"


def test_full_batch_is_applied_in_a_handful_of_queries(sandbox):
    field = make(sandbox, "field", title="Plan", type="text", perstag="PLAN")
    news = make(sandbox, "list", name="News")
    contacts = [
        {
            "email": f"person{n:03}@example.com",
            "first_name": f"P{n}",
            "fields": [{"id": field, "value": str(n)}],
            "tags": ["imported", f"group-{n % 2}"],
            "subscribe": [{"listid": news}],
        }
        for n in range(250)
    ]
    # Half of them exist already, with a value, a tag and a subscription to update.
    import_contacts(sandbox, contacts[:125])
    # Queue the batch without a worker and apply it in this thread, to count its queries.
    batch_id = queue_directly(sandbox, contacts)
    ctx = imports.Ctx(sandbox.account, None, sandbox.base, None, b"")
    with CaptureQueriesContext(connection) as queries:
        import_worker.process_batch(ctx, batch_id)
    # About eight per kind of record written, however many contacts the batch holds.
    assert len(queries) <= 45, "\n".join(q["sql"][:120] for q in queries)
    info = wait_for(sandbox, batch_id)
    assert len(info["success"]) == 250 and info["failure"] == []
    counts = {
        kind: store.records(sandbox.account, kind).count()
        for kind in ("contact", "fieldValue", "contactTag", "contactList", "tag")
    }
    assert counts == {
        "contact": 250,
        "fieldValue": 250,
        "contactTag": 500,
        "contactList": 250,
        "tag": 3,
    }


def test_batch_left_queued_by_a_server_restart_is_applied_when_asked_about(sandbox):
    # Stored as POST stores it, but never handed to this process's worker.
    batch_id = queue_directly(sandbox, [{"email": "late@example.com"}])
    info = wait_for(sandbox, batch_id)
    assert info["success"] == [contact_by_email(sandbox, "late@example.com")["id"]]


def test_info_requires_a_known_batch_id(sandbox):
    missing = sandbox.get("/import/info")
    assert missing.status_code == 400
    assert missing.json() == {"success": 0, "message": "'batchId' is a required field."}
    assert_conforms(missing.json(), "GET", "/import/info", 400)
    unknown = sandbox.get(f"/import/info?batchId={uuid.uuid4()}")
    assert unknown.status_code == 404
    assert unknown.json()["success"] == 0


def test_status_list_counts_outstanding_and_completed_batches_per_day(sandbox):
    import_contacts(sandbox, [{"email": "a@example.com"}, {"email": "b@example.com"}])
    import_contacts(sandbox, [{"email": "c@example.com"}])
    # A batch still waiting: queued on another day, never handed to the worker.
    batch_id = queue_directly(sandbox, [{"email": f"{n}@example.com"} for n in range(3)])
    batch = store.records(sandbox.account, imports.KIND).get(key=batch_id)
    store.update(batch, cdate="2021-06-01T10:00:00-05:00")
    body = sandbox.ok("GET", "/import/bulk_import")
    assert not mismatches(body, STATUS_LIST_EXAMPLE)
    checked("GET", "/import/bulk_import", 200)
    today = store.records(sandbox.account, imports.KIND).order_by("rid")[0].data["cdate"][:10]
    assert body == {
        "outstanding": [{"forDate": "2021-06-01", "batches": "1", "contacts": "3"}],
        "recentlyCompleted": [{"forDate": today, "batches": "2", "contacts": "3"}],
    }


# Limits: nothing is queued when a request is refused ------------------------------------


def assert_refused(response, body: dict) -> None:
    assert response.status_code == 400
    assert response.json() == body


def test_more_than_250_contacts_is_refused(sandbox):
    contacts = [{"email": f"p{n}@example.com"} for n in range(251)]
    response = sandbox.post("/import/bulk_import", {"contacts": contacts})
    assert_refused(
        response,
        {
            "success": 0,
            "message": NOT_QUEUED,
            "failureReasons": ["Up to 250 contacts may be imported at once."],
        },
    )
    assert not store.records(sandbox.account, imports.KIND).exists()


def test_more_than_400000_bytes_is_refused(sandbox):
    contacts = [{"email": f"p{n}@example.com", "first_name": "x" * 2000} for n in range(200)]
    response = sandbox.post("/import/bulk_import", {"contacts": contacts})
    assert_refused(
        response,
        {
            "success": 0,
            "message": NOT_QUEUED,
            "failureReasons": ["The request body exceeds 400,000 bytes."],
        },
    )
    assert not store.records(sandbox.account, imports.KIND).exists()


def test_invalid_contacts_are_refused_with_their_index(sandbox):
    response = sandbox.post(
        "/import/bulk_import",
        {
            "contacts": [
                {"email": "ok@example.com"},
                {"email": "not-an-email"},
                {"first_name": "No email"},
                {"email": "tags@example.com", "tags": "vip"},
                {"email": "fields@example.com", "fields": [{"value": "no id"}]},
                {"email": "value@example.com", "fields": [{"id": 1, "value": {"a": 1}}]},
            ]
        },
    )
    assert response.status_code == 400
    assert_conforms(response.json(), "POST", "/import/bulk_import", 400, "Contact Create Fail")
    assert response.json() == {
        "success": 0,
        "message": NOT_QUEUED,
        "failureReasons": [
            {"contact": 1, "failureReason": "Field‘ email’ incorrect format"},
            {"contact": 2, "failureReason": "Field‘ email’ incorrect format"},
            {"contact": 3, "failureReason": "Field‘ tags’ incorrect format"},
            {"contact": 4, "failureReason": "Field‘ fields’ incorrect format"},
            {"contact": 5, "failureReason": "Field‘ fields’ incorrect format"},
        ],
    }
    assert not store.records(sandbox.account, imports.KIND).exists()
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "0"


def test_missing_contacts_is_refused(sandbox):
    for body in ({}, {"contacts": []}, {"contacts": {"email": "a@example.com"}}):
        response = sandbox.post("/import/bulk_import", body)
        assert_refused(response, {"success": 0, "message": "'contacts' is a required field."})


def recent_batches(sandbox, count: int, contacts: int, age: float = 0.0) -> None:
    """Batches accepted ``age`` seconds ago, already applied."""
    rows = [
        SandboxRecord(
            key=str(uuid.uuid4()),
            data={
                "status": "completed",
                "queued_contacts": contacts,
                "created": time.time() - age,
                "cdate": store.iso(sandbox.account),
                "completed": store.iso(sandbox.account),
                "success": [],
                "failure": [],
            },
        )
        for _ in range(count)
    ]
    store.bulk_create(sandbox.account, imports.KIND, rows)


RATE_LIMITED = {
    "success": 0,
    "message": "Rate limit exceeded.",
    "failureReasons": [
        "Up to 100 imports may be requested per minute.Please batch contacts into larger "
        "requests, or retry this request in a minute."
    ],
}


def test_101st_import_within_a_minute_is_refused(sandbox):
    two = [{"email": "a@example.com"}, {"email": "b@example.com"}]
    recent_batches(sandbox, 99, contacts=2)
    import_contacts(sandbox, two)
    response = sandbox.post("/import/bulk_import", {"contacts": two})
    assert_refused(response, RATE_LIMITED)
    assert_conforms(response.json(), "POST", "/import/bulk_import", 400, "Other Error")
    assert store.records(sandbox.account, imports.KIND).count() == 100


def test_imports_older_than_a_minute_do_not_count(sandbox):
    recent_batches(sandbox, 100, contacts=2, age=61)
    import_contacts(sandbox, [{"email": "a@example.com"}, {"email": "b@example.com"}])


def test_21st_single_contact_import_within_a_minute_is_refused(sandbox):
    for n in range(20):
        sandbox.ok("POST", "/import/bulk_import", {"contacts": [{"email": f"p{n}@example.com"}]})
    response = sandbox.post("/import/bulk_import", {"contacts": [{"email": "late@example.com"}]})
    assert_refused(
        response,
        {
            "success": 0,
            "message": "Rate limit exceeded.",
            "failureReasons": [
                "Up to 20 single-contact imports may be requested per minute.Please batch "
                "contacts into larger requests, or retry this request in a minute."
            ],
        },
    )
    # Payloads of several contacts are still accepted.
    import_contacts(sandbox, [{"email": "a@example.com"}, {"email": "b@example.com"}])
