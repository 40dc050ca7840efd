"""Webhooks in the sandbox: a created webhook is listed, updated and deleted; its events and
sources come from the API's own lists."""

from tests.conformance.shapes import assert_conforms, checked, example
from tests.sandbox import assert_422

HOOK = example("POST", "/webhooks", 201)


def test_webhook_round_trip(sandbox):
    request = {
        "webhook": {
            "name": "My Hook",
            "url": "http://example.com/my-hook",
            "events": ["subscribe", "unsubscribe", "sent"],
            "sources": ["public", "system"],
        }
    }
    created = sandbox.ok("POST", "/webhooks", request, status=201)
    assert_conforms(created, "POST", "/webhooks", 201)
    hook = created["webhook"]
    assert (hook["name"], hook["events"], hook["listid"]) == (
        "My Hook",
        ["subscribe", "unsubscribe", "sent"],
        "0",
    )

    listed = sandbox.ok("GET", "/webhooks")
    # The reference's list example is not valid JSON (a trailing comma): its items are the
    # create example's objects, and it has meta.total.
    checked("GET", "/webhooks", 200)
    assert listed["meta"] == {"total": "1"}
    assert [w["id"] for w in listed["webhooks"]] == [hook["id"]]
    assert set(listed["webhooks"][0]) == set(HOOK["webhook"])

    updated = sandbox.ok(
        "PUT", f"/webhooks/{hook['id']}", {"webhook": {"name": "Renamed", "events": ["open"]}}
    )
    assert_conforms(updated, "PUT", "/webhooks/{id}", 200)
    read = sandbox.ok("GET", f"/webhooks/{hook['id']}")
    assert_conforms(read, "GET", "/webhooks/{id}", 200)
    assert (read["webhook"]["name"], read["webhook"]["events"]) == ("Renamed", ["open"])
    assert read["webhook"]["url"] == "http://example.com/my-hook"

    assert sandbox.ok("DELETE", f"/webhooks/{hook['id']}") == {}
    checked("DELETE", "/webhooks/{id}", 200)
    assert sandbox.get(f"/webhooks/{hook['id']}").json() == {
        "message": f"No Result found for Webhook with id {hook['id']}"
    }
    assert sandbox.ok("GET", "/webhooks")["meta"]["total"] == "0"


def test_webhook_with_an_unknown_event_is_refused_by_the_field(sandbox):
    request = {
        "webhook": {
            "name": "Bad",
            "url": "https://example.com/h",
            "events": ["subscribe", "teleport"],
            "sources": ["api"],
        }
    }
    response = sandbox.post("/webhooks", request)
    assert_422(response, "/data/attributes/events", "field_invalid")
    assert "teleport" in response.json()["errors"][0]["title"]
    bad_source = {"webhook": {**request["webhook"], "events": ["open"], "sources": ["robots"]}}
    assert_422(sandbox.post("/webhooks", bad_source), "/data/attributes/sources", "field_invalid")
    missing = {"webhook": {"name": "No url", "events": ["open"], "sources": ["api"]}}
    assert_422(sandbox.post("/webhooks", missing), "/data/attributes/url", "field_missing")
    assert sandbox.ok("GET", "/webhooks")["meta"]["total"] == "0"


def test_webhook_lists_filter_and_page(seeded):
    names = [w["name"] for w in seeded.ok("GET", "/webhooks")["webhooks"]]
    assert names == ["CRM sync", "Deal alerts"]
    only = seeded.ok("GET", "/webhooks?filters[name]=Deal alerts")
    assert [w["name"] for w in only["webhooks"]] == ["Deal alerts"]
    page = seeded.ok("GET", "/webhooks?limit=1&offset=1")
    assert (page["meta"]["total"], [w["name"] for w in page["webhooks"]]) == ("2", ["Deal alerts"])


def test_webhook_events_and_initiators_are_the_apis_lists(sandbox):
    events = sandbox.ok("GET", "/webhook/events")
    assert_conforms(events, "GET", "/webhook/events", 200)
    assert "subscribe" in events["webhookEvents"] and events["meta"]["total"] == 25
    initiators = sandbox.ok("GET", "/webhook/initiators")
    assert initiators["webhookInitiators"] == ["public", "admin", "api", "system"]
