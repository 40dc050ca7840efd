"""The bulk contact import service over HTTP: splitting, per-contact results, polling, pacing."""

import time
import uuid

import pytest

from acdash.activecampaign import RateLimited, count_api_calls
from acdash.activecampaign.bulk_import import (
    MAX_BYTES,
    PROCESSING_REFUSED,
    TOO_LARGE,
    ImportContact,
    ImportPacer,
    batches,
    import_contacts,
    wait_for_batch,
)
from acdash.activecampaign.ratelimit import FileStore
from acdash.sandbox import store
from acdash.sandbox.models import SandboxRecord
from acdash.sandbox.resources import imports

from . import new_contact, new_field, new_list, new_tag


def posts(calls) -> list:
    return [c for c in calls.calls if c.method == "POST" and c.path == "/import/bulk_import"]


def contact_emails(sandbox) -> set[str]:
    return set(store.records(sandbox.account, "contact").values_list("key", flat=True))


def test_imports_fields_tags_and_lists_of_existing_contacts(sandbox, client):
    first = new_contact(sandbox, "ada@example.com")
    second = new_contact(sandbox, "bob@example.com")
    plan = new_field(sandbox, "Plan", "text")
    news = new_list(sandbox, "News")
    promo = new_list(sandbox, "Promo")
    new_tag(sandbox, "VIP")
    entries = [
        ImportContact("ada@example.com", first_name="Ada", fields={plan: "Gold"}, tags=["VIP"]),
        ImportContact("BOB@example.com", subscribe=[news], unsubscribe=[promo]),
    ]
    outcome = import_contacts(client, entries, poll_first=0.01)
    assert outcome.reasons == [None, None]
    assert outcome.contact_ids == {first, second}
    ada = sandbox.ok("GET", f"/contacts/{first}")
    assert ada["contact"]["firstName"] == "Ada"
    assert [v["value"] for v in ada["fieldValues"]] == ["Gold"]
    tagged = sandbox.ok("GET", f"/contacts/{first}/contactTags")["contactTags"]
    assert len(tagged) == 1
    statuses = {
        int(m["list"]): m["status"]
        for m in sandbox.ok("GET", f"/contacts/{second}/contactLists")["contactLists"]
    }
    assert statuses == {news: "1", promo: "2"}


def test_more_than_250_contacts_are_split_into_imports_of_250(sandbox, client):
    entries = [ImportContact(f"c{n}@example.com", first_name=f"C{n}") for n in range(501)]
    with count_api_calls() as calls:
        outcome = import_contacts(client, entries, poll_first=0.01)
    assert outcome.reasons == [None] * 501
    assert len(outcome.contact_ids) == 501
    assert len(posts(calls)) == 3
    assert len(contact_emails(sandbox)) == 501


def test_imports_are_split_to_stay_under_400000_bytes(sandbox, client):
    notes = new_field(sandbox, "Notes", "textarea")
    big = "x" * 3000  # 200 of these are 600,000 bytes: two imports at least
    entries = [ImportContact(f"n{n}@example.com", fields={notes: big}) for n in range(200)]
    parts = batches([e.payload() for e in entries])
    assert len(parts) == 2 and sum(map(len, parts)) == 200
    with count_api_calls() as calls:
        outcome = import_contacts(client, entries, poll_first=0.01)
    assert outcome.reasons == [None] * 200
    assert len(posts(calls)) == 2
    values = store.records(sandbox.account, "fieldValue").values_list("data__value", flat=True)
    assert list(values) == [big] * 200


def test_a_contact_too_large_for_any_import_is_refused_alone(sandbox, client):
    notes = new_field(sandbox, "Notes", "textarea")
    entries = [
        ImportContact("huge@example.com", fields={notes: "x" * (MAX_BYTES + 1)}),
        ImportContact("small@example.com"),
    ]
    outcome = import_contacts(client, entries, poll_first=0.01)
    assert outcome.reasons == [TOO_LARGE, None]
    assert contact_emails(sandbox) == {"small@example.com"}


def test_contacts_refused_when_posted_get_the_apis_reason_and_the_rest_is_sent_again(
    sandbox, client
):
    entries = [
        ImportContact("good@example.com"),
        ImportContact("not-an-email"),
        ImportContact("fine@example.com"),
    ]
    with count_api_calls() as calls:
        outcome = import_contacts(client, entries, poll_first=0.01)
    assert outcome.reasons == [None, "Field\u2018 email\u2019 incorrect format", None]
    assert len(posts(calls)) == 2  # refused whole, then sent without the bad contact
    assert contact_emails(sandbox) == {"good@example.com", "fine@example.com"}


def test_contacts_refused_while_processing_are_mapped_back_by_email(sandbox, client):
    entries = [ImportContact("ok@example.com"), ImportContact("o'brien@example.com")]
    outcome = import_contacts(client, entries, poll_first=0.01)
    assert outcome.reasons == [None, PROCESSING_REFUSED]
    assert contact_emails(sandbox) == {"ok@example.com"}


def test_polls_until_the_batch_is_completed(sandbox, client):
    # Stored as the POST stores it but not yet applied: the first answer says "queued"
    # (the sandbox applies it once asked about it), a later one "completed".
    batch_id = str(uuid.uuid4())
    data = {
        "status": "queued",
        "queued_contacts": 1,
        "created": time.time(),
        "cdate": store.iso(sandbox.account),
        "completed": None,
        "success": [],
        "failure": [],
        "payload": [{"email": "late@example.com"}],
    }
    store.create(sandbox.account, imports.KIND, data, key=batch_id)
    with count_api_calls() as calls:
        info = wait_for_batch(client, batch_id, poll_first=0.01)
    assert info["status"] == "completed"
    assert len(calls.calls) >= 2
    assert contact_emails(sandbox) == {"late@example.com"}


def test_an_import_refused_for_the_rate_raises_rate_limited(sandbox, client):
    rows = [
        SandboxRecord(
            key=str(uuid.uuid4()),
            data={"status": "completed", "queued_contacts": 2, "created": time.time()},
        )
        for _ in range(100)
    ]
    store.bulk_create(sandbox.account, imports.KIND, rows)
    with pytest.raises(RateLimited):
        import_contacts(client, [ImportContact("a@example.com"), ImportContact("b@example.com")])


class FakeTime:
    """A clock that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_allows_100_imports_a_minute(tmp_path):
    fake = FakeTime()
    pacer = ImportPacer(FileStore(tmp_path), clock=fake.clock, sleep=fake.sleep)
    for _ in range(100):
        pacer.wait("acct", contacts=2)
    assert fake.slept == []
    pacer.wait("acct", contacts=2)
    assert fake.slept and fake.slept[0] >= 60


def test_pacer_allows_20_single_contact_imports_a_minute(tmp_path):
    fake = FakeTime()
    pacer = ImportPacer(FileStore(tmp_path), clock=fake.clock, sleep=fake.sleep)
    for _ in range(20):
        pacer.wait("acct", contacts=1)
    pacer.wait("acct", contacts=5)  # larger imports still go at once
    assert fake.slept == []
    pacer.wait("acct", contacts=1)
    assert fake.slept and fake.slept[0] >= 60
