"""The contact kind of jobs over HTTP against the sandbox: finding, reading, describing and
writing contacts, one call per record and through the bulk import."""

import pytest

from acdash.activecampaign import NotFound, ValidationError, count_api_calls
from acdash.activecampaign.bulk_import import wait_for_batch
from acdash.jobs.contract import KINDS, Record, Selection
from acdash.jobs.kinds.contact import ContactKind
from acdash.sandbox import store
from tests.services import make_client, new_contact, new_field, new_list, new_tag

kind = KINDS["contact"]
WRITES = ("POST", "PUT", "DELETE", "PATCH")


@pytest.fixture
def client(sandbox, tmp_path):
    return make_client(sandbox, tmp_path)


@pytest.fixture
def world(sandbox, client):
    """Three contacts, a dropdown field, two tags and a list; Ada tagged VIP, on News."""
    plan = new_field(sandbox, "Plan", "dropdown", options=["Gold", "Silver"])
    vip, late = new_tag(sandbox, "VIP"), new_tag(sandbox, "Late")
    news = new_list(sandbox, "Newsletter")
    ada = new_contact(sandbox, "ada@example.com", firstName="Ada", lastName="Lovelace")
    bob = new_contact(sandbox, "bob@example.com", firstName="Bob")
    cy = new_contact(sandbox, "cy@example.com", firstName="Cy", lastName="Lovelace")
    sandbox.ok("POST", "/contactTags", {"contactTag": {"contact": ada, "tag": vip}})
    sandbox.ok(
        "POST", "/contactLists", {"contactList": {"list": news, "contact": ada, "status": 1}}
    )
    return {"plan": plan, "vip": vip, "late": late, "news": news, "ids": [ada, bob, cy]}


def import_contacts(sandbox, client, entries: list[dict]) -> None:
    """Contacts made through the sandbox's bulk import: many in one request."""
    for start in range(0, len(entries), 250):
        part = entries[start : start + 250]
        queued = sandbox.ok("POST", "/import/bulk_import", {"contacts": part}, status=200)
        wait_for_batch(client, queued["batchId"], poll_first=0.01)


def writes(sandbox) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in sandbox.log()["recent"] if r["method"] in WRITES]


def held(sandbox, contact_id: int) -> dict:
    """The contact's tags, list statuses and field values as the sandbox stores them."""
    records = store.records(sandbox.account, "contactTag").filter(parent=contact_id)
    tags = {int(r.key) for r in records}
    records = store.records(sandbox.account, "contactList").filter(parent=contact_id)
    statuses = {int(r.key): int(r.data["status"]) for r in records}
    records = store.records(sandbox.account, "fieldValue").filter(parent=contact_id)
    return {
        "tags": tags,
        "lists": statuses,
        "fields": {int(r.key): r.data["value"] for r in records},
    }


# Finding -----------------------------------------------------------------------------------


def test_expand_keeps_the_ticked_ids_in_their_order(client):
    selection = Selection("contact", ids=("30", "4", "30", "12"))
    assert kind.expand(client, selection) == ["30", "4", "12"]


def test_expand_reruns_the_list_pages_tag_filter_in_its_sort_order(sandbox, client):
    vip = new_tag(sandbox, "VIP")
    entries = [
        {"email": f"p{n:03}@example.com", "tags": ["VIP"] if n % 3 else []} for n in range(250)
    ]
    import_contacts(sandbox, client, entries)
    expected = sorted(e["email"] for e in entries if e["tags"])  # 166: two pages of 100
    by_email = {r.key: str(r.rid) for r in store.records(sandbox.account, "contact")}
    found = kind.expand(client, Selection("contact", query=f"?tag={vip}&sort=-email"))
    assert found == [by_email[e] for e in reversed(expected)]


def test_expand_by_a_search_of_several_words_keeps_who_matches_every_word(client, world):
    ada, _, cy = world["ids"]
    assert kind.expand(client, Selection("contact", query="q=lovelace&sort=email")) == [
        str(ada),
        str(cy),
    ]
    assert kind.expand(client, Selection("contact", query="q=Ada+Lovelace")) == [str(ada)]


def test_expand_ignores_an_invalid_filter_as_the_list_page_does(client, world):
    found = kind.expand(client, Selection("contact", query="tag=nonsense&sort=email"))
    assert found == [str(i) for i in world["ids"]]


# Reading -----------------------------------------------------------------------------------


def test_read_asks_per_hundred_records_not_per_record(sandbox, client):
    plan, vip, news = (
        new_field(sandbox, "Plan", "text"),
        new_tag(sandbox, "VIP"),
        new_list(sandbox, "N"),
    )
    entries = [
        {
            "email": f"r{n:03}@example.com",
            "first_name": f"R{n}",
            "fields": [{"id": plan, "value": f"v{n}"}] if n % 2 else [],
            "tags": ["VIP"] if n % 4 == 0 else [],
            "subscribe": [{"listid": news}] if n % 5 == 0 else [],
        }
        for n in range(100)
    ]
    import_contacts(sandbox, client, entries)
    ids = [str(r.rid) for r in store.records(sandbox.account, "contact").order_by("rid")]
    keys = ["email", "firstName", f"field:{plan}", f"tag:{vip}", f"list:{news}", "exists"]
    sandbox.ok("DELETE", f"/contacts/{ids[-1]}")  # gone since it was selected
    with count_api_calls() as calls:
        records = kind.read(client, ids, keys)
    # The contacts, who has the tag, three statuses on the list, the field's values.
    assert calls.count == 6
    assert not [c for c in calls.calls if c.path.startswith("/contacts/")]
    assert sorted(records) == sorted(ids[:-1])
    for n, contact_id in enumerate(ids[:-1]):
        assert records[contact_id] == Record(
            contact_id,
            f"r{n:03}@example.com",
            {
                "email": f"r{n:03}@example.com",
                "firstName": f"R{n}",
                f"field:{plan}": f"v{n}" if n % 2 else "",
                f"tag:{vip}": n % 4 == 0,
                f"list:{news}": 1 if n % 5 == 0 else 0,
                "exists": True,
            },
        )


def test_read_of_a_few_records_asks_their_field_values_per_contact(client, world, sandbox):
    ada = world["ids"][0]
    sandbox.ok(
        "PUT",
        f"/contacts/{ada}",
        {"contact": {"fieldValues": [{"field": world["plan"], "value": "Gold"}]}},
    )
    with count_api_calls() as calls:
        records = kind.read(client, [str(ada)], [f"field:{world['plan']}"])
    assert records[str(ada)].values == {f"field:{world['plan']}": "Gold"}
    assert [c.path for c in calls.calls] == ["/contacts", f"/contacts/{ada}/fieldValues"]


# Describing --------------------------------------------------------------------------------


def test_describe_puts_values_in_words(client, world):
    plan, vip, news = world["plan"], world["vip"], world["news"]
    assert kind.describe(client, f"tag:{vip}", True) == "tagged “VIP”"
    assert kind.describe(client, f"tag:{vip}", False) == "not tagged “VIP”"
    assert kind.describe(client, f"field:{plan}", "Gold") == "“Plan” = Gold"
    assert kind.describe(client, f"field:{plan}", "") == "“Plan” empty"
    assert kind.describe(client, f"list:{news}", 1) == "subscribed to “Newsletter”"
    assert kind.describe(client, f"list:{news}", 2) == "unsubscribed from “Newsletter”"
    assert kind.describe(client, f"list:{news}", 0) == "not on “Newsletter”"
    assert kind.describe(client, "firstName", "Ada") == "First name = “Ada”"
    assert kind.describe(client, "phone", "") == "no phone"
    assert kind.describe(client, "exists", False) == "deleted"
    assert kind.describe(client, "tag:999", True) == "tagged “tag #999”"


# Writing one record ------------------------------------------------------------------------


def write(client, contact_id: int, target: dict) -> dict:
    """Read the record as the engine does, then write it."""
    record = kind.read(client, [str(contact_id)], target)[str(contact_id)]
    return kind.write(client, record, target)


def test_write_sets_every_kind_of_key(sandbox, client, world):
    ada, bob, _ = world["ids"]
    plan, vip, late, news = world["plan"], world["vip"], world["late"], world["news"]
    target = {
        "firstName": "Augusta",
        "phone": "555-0100",
        f"field:{plan}": "Silver",
        f"tag:{vip}": False,
        f"tag:{late}": True,
        f"list:{news}": 2,
    }
    assert write(client, ada, target) == target
    contact = sandbox.ok("GET", f"/contacts/{ada}")["contact"]
    assert (contact["firstName"], contact["phone"]) == ("Augusta", "555-0100")
    assert held(sandbox, ada) == {"tags": {late}, "lists": {news: 2}, "fields": {plan: "Silver"}}
    assert write(client, bob, {f"list:{news}": 1, "email": "robert@example.com"}) == {
        f"list:{news}": 1,
        "email": "robert@example.com",
    }
    assert held(sandbox, bob)["lists"] == {news: 1}
    assert sandbox.ok("GET", f"/contacts/{bob}")["contact"]["email"] == "robert@example.com"


def test_write_clears_a_field_and_deletes_a_contact(sandbox, client, world):
    ada, bob, _ = world["ids"]
    key = f"field:{world['plan']}"
    write(client, ada, {key: "Gold"})
    assert write(client, ada, {key: ""}) == {key: ""}
    assert held(sandbox, ada)["fields"] in ({}, {world["plan"]: ""})
    assert write(client, bob, {"exists": False}) == {"exists": False}
    assert sandbox.get(f"/contacts/{bob}").status_code == 404
    # Deleting it again (a retried item) is no error.
    assert kind.write(client, Record(str(bob), "bob@example.com"), {"exists": False}) == {
        "exists": False
    }


def test_list_status_0_unsubscribes_a_member_and_leaves_others_off_the_list(sandbox, client, world):
    ada, bob, _ = world["ids"]
    key = f"list:{world['news']}"
    assert write(client, ada, {key: 0}) == {key: 2}
    assert kind.write(client, Record(str(bob), "bob@example.com"), {key: 0}) == {key: 0}
    assert held(sandbox, bob)["lists"] == {}


def test_writing_twice_changes_once_and_sends_nothing_the_second_time(sandbox, client, world):
    ada = world["ids"][0]
    target = {
        f"tag:{world['vip']}": True,  # held already: not sent even the first time
        f"tag:{world['late']}": True,
        f"field:{world['plan']}": "Gold",
        f"list:{world['news']}": 2,
        "lastName": "King",
    }
    sandbox.log()  # the world's own writes are before this point
    before = len(writes(sandbox))
    write(client, ada, target)
    first = writes(sandbox)[before:]
    assert sorted(method for method, _ in first) == ["POST", "POST", "PUT", "PUT"]
    write(client, ada, target)
    assert writes(sandbox)[before:] == first
    assert held(sandbox, ada)["tags"] == {world["vip"], world["late"]}
    # Removing a tag the contact lacks is a no-op too.
    write(client, ada, {f"tag:{world['late']}": False})
    write(client, ada, {f"tag:{world['late']}": False})
    assert [m for m, _ in writes(sandbox)[before + len(first) :]] == ["DELETE"]


def test_write_refuses_what_the_api_refuses(client, world):
    ada, bob, _ = world["ids"]
    record = Record(str(bob), "bob@example.com", {"email": "bob@example.com"})
    with pytest.raises(ValidationError):
        kind.write(client, record, {"email": "ada@example.com"})  # Ada's
    with pytest.raises(ValidationError):
        kind.write(client, Record(str(ada), ""), {"field:99999": "x"})
    with pytest.raises(ValidationError):
        kind.write(client, Record(str(ada), ""), {"tag:99999": True})
    with pytest.raises(NotFound):
        kind.write(client, Record("999999", ""), {f"tag:{world['vip']}": True})
    with pytest.raises(NotFound):
        kind.write(client, Record("999999", ""), {f"list:{world['news']}": 1})


def test_values_a_field_cannot_hold_are_refused_before_anything_is_sent(sandbox, client, world):
    ada = world["ids"][0]
    plan, born = world["plan"], new_field(sandbox, "Born", "date")
    assert kind.problem(client, f"field:{plan}", "Bronze") == "“Bronze” is not an option of “Plan”"
    assert kind.problem(client, f"field:{born}", "soon") == "“soon” is not a date value for “Born”"
    assert kind.problem(client, f"field:{plan}", "Gold") == ""
    assert kind.problem(client, f"field:{plan}", "") == ""
    before = len(writes(sandbox))
    with pytest.raises(ValidationError, match="not an option"):
        kind.write(client, Record(str(ada), ""), {f"field:{plan}": "Bronze"})
    assert len(writes(sandbox)) == before
    # An option added in ActiveCampaign since the fields were cached is found.
    sandbox.ok(
        "POST",
        "/fieldOption/bulk",
        {"fieldOptions": [{"orderid": 3, "value": "Bronze", "label": "B", "field": plan}]},
    )
    assert kind.problem(client, f"field:{plan}", "Bronze") == ""


def test_calls_per_record(world):
    plan, vip = world["plan"], world["vip"]
    assert kind.calls_per_record({"firstName": "A", "lastName": "B"}) == 1
    assert kind.calls_per_record({f"field:{plan}": "Gold", f"tag:{vip}": True}) == 2
    assert kind.calls_per_record({f"tag:{vip}": False}) == 2
    assert kind.calls_per_record({"exists": False}) == 1


# Writing many: the bulk import -------------------------------------------------------------


def test_bulk_capable_targets():
    bulk = ContactKind()
    assert bulk.bulk_capable({"field:3": "Gold", "tag:4": True, "list:2": 1, "firstName": "A"})
    assert bulk.bulk_capable({"list:2": 2})
    assert not bulk.bulk_capable({"tag:4": False})
    assert not bulk.bulk_capable({"field:3": ""})
    assert not bulk.bulk_capable({"email": "a@example.com"})
    assert not bulk.bulk_capable({"exists": False})
    assert not bulk.bulk_capable({})
    assert bulk.bulk_calls(1000) == 10 + 2 * 4


def test_write_many_imports_300_contacts_in_two_imports(sandbox, client):
    plan, vip = new_field(sandbox, "Plan", "text"), new_tag(sandbox, "VIP")
    import_contacts(sandbox, client, [{"email": f"m{n:03}@example.com"} for n in range(300)])
    ids = [str(r.rid) for r in store.records(sandbox.account, "contact").order_by("rid")]
    news = new_list(sandbox, "News")
    target = {f"field:{plan}": "Gold", f"tag:{vip}": True, f"list:{news}": 2, "lastName": "Bulk"}
    records = kind.read(client, ids, target)
    with count_api_calls() as calls:
        results = kind.write_many(client, [(records[i], target) for i in ids])
    assert results == dict.fromkeys(ids)
    imports = [c for c in calls.calls if c.path == "/import/bulk_import"]
    assert len(imports) == 2
    # Metadata aside (tags and fields, cached), a poll or two more while a batch is queued.
    api = [c for c in calls.calls if c.path not in ("/tags", "/fields")]
    assert len(api) <= kind.bulk_calls(300) + 2
    after = kind.read(client, ids, target)
    assert {r.id: r.values for r in after.values()} == {i: target for i in ids}
    assert len(store.records(sandbox.account, "contactTag")) == 300


def test_write_many_maps_a_failing_row_and_leaves_gone_contacts_alone(sandbox, client, world):
    ada, bob, cy = world["ids"]
    news = world["news"]
    import_contacts(sandbox, client, [{"email": f"f{n:02}@example.com"} for n in range(12)])
    others = [str(r.rid) for r in store.records(sandbox.account, "contact").filter(rid__gt=cy)]
    good = {f"list:{news}": 1}
    records = kind.read(client, [str(ada), str(bob), str(cy), *others], good)
    sandbox.ok("DELETE", f"/contacts/{cy}")
    items = [
        (records[str(ada)], good),  # held already: nothing to send
        (records[str(bob)], {"list:99999": 1}),  # no such list: refused by the import
        (records[str(cy)], good),  # deleted since it was read
        *[(records[i], good) for i in others],
    ]
    with count_api_calls() as calls:
        results = kind.write_many(client, items)
    assert len([c for c in calls.calls if c.path == "/import/bulk_import"]) == 1
    assert set(results) == {str(ada), str(bob), *others}
    assert results == {**dict.fromkeys([str(ada), *others]), str(bob): results[str(bob)]}
    # Written again alone, to learn the API's reason.
    assert results[str(bob)] == "list: The related list does not exist."
    assert all(held(sandbox, int(i))["lists"] == {news: 1} for i in others)
    # The import did not create the deleted contact again.
    assert sandbox.ok("GET", "/contacts?email=cy@example.com")["contacts"] == []


def test_write_many_writes_a_few_contacts_one_call_at_a_time(sandbox, client, world):
    ada, bob, _ = world["ids"]
    target = {f"tag:{world['late']}": True}
    records = kind.read(client, [str(ada), str(bob)], target)
    with count_api_calls() as calls:
        results = kind.write_many(
            client, [(records[str(ada)], target), (records[str(bob)], target)]
        )
    assert results == {str(ada): None, str(bob): None}
    assert not [c for c in calls.calls if c.path.startswith("/import/")]
    assert held(sandbox, bob)["tags"] == {world["late"]}


def test_write_many_writes_what_an_import_cannot_one_call_at_a_time(sandbox, client, world):
    ada, bob, _ = world["ids"]
    import_contacts(sandbox, client, [{"email": f"g{n:02}@example.com"} for n in range(12)])
    others = [str(r.rid) for r in store.records(sandbox.account, "contact").filter(rid__gt=bob)]
    tag = {f"tag:{world['late']}": True}
    renamed = {"email": "augusta@example.com"}
    records = kind.read(client, [str(ada), *others], [*tag, *renamed])
    items = [(records[str(ada)], renamed), *[(records[i], tag) for i in others]]
    with count_api_calls() as calls:
        results = kind.write_many(client, items)
    assert results == dict.fromkeys([str(ada), *others])
    assert len([c for c in calls.calls if c.path == "/import/bulk_import"]) == 1
    assert sandbox.ok("GET", f"/contacts/{ada}")["contact"]["email"] == "augusta@example.com"
    assert all(held(sandbox, int(i))["tags"] == {world["late"]} for i in others)
