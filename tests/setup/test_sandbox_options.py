"""The sandbox's field options as ActiveCampaign's clients call them: created in bulk at
the documented path and at the plural one the API's own MCP client uses, changed and
removed one by one; and lists renamed (see docs/api-notes.md)."""


def _field(sandbox) -> str:
    body = sandbox.ok("POST", "/fields", {"field": {"title": "Colour", "type": "dropdown"}})
    return body["field"]["id"]


def _bulk(field_id: str, *values: str) -> dict:
    options = [
        {"orderid": i, "value": v, "label": v, "isdefault": False, "field": field_id}
        for i, v in enumerate(values, start=1)
    ]
    return {"fieldOptions": options}


def test_options_are_created_at_both_bulk_paths(sandbox):
    field_id = _field(sandbox)
    first = sandbox.ok("POST", "/fieldOption/bulk", _bulk(field_id, "Red"), status=201)
    second = sandbox.ok("POST", "/fieldOptions/bulk", _bulk(field_id, "Blue"), status=201)
    assert [o["value"] for o in first["fieldOptions"] + second["fieldOptions"]] == ["Red", "Blue"]
    listed = sandbox.ok("GET", f"/fields/{field_id}")
    assert [o["value"] for o in listed["fieldOptions"]] == ["Red", "Blue"]
    duplicate = sandbox.post("/fieldOptions/bulk", _bulk(field_id, "Red"))
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["source"]["pointer"] == "/data/attributes/value"


def test_an_option_is_changed_and_removed_by_its_id(sandbox):
    field_id = _field(sandbox)
    created = sandbox.ok("POST", "/fieldOption/bulk", _bulk(field_id, "Red", "Blue"))
    red, blue = (o["id"] for o in created["fieldOptions"])
    changed = sandbox.ok("PUT", f"/fieldOptions/{red}", {"fieldOption": {"label": "Rouge"}})
    assert changed["fieldOption"]["label"] == "Rouge" and changed["fieldOption"]["value"] == "Red"
    clash = sandbox.put(f"/fieldOptions/{red}", json={"fieldOption": {"value": "Blue"}})
    assert clash.status_code == 422
    assert sandbox.ok("DELETE", f"/fieldOptions/{blue}") == {}
    assert sandbox.get(f"/fieldOptions/{blue}").json() == {
        "message": f"No Result found for FieldOption with id {blue}"
    }
    listed = sandbox.ok("GET", f"/fields/{field_id}")
    assert [(o["value"], o["label"]) for o in listed["fieldOptions"]] == [("Red", "Rouge")]


def test_a_list_is_renamed(sandbox):
    attrs = {"name": "News", "stringid": "news", "sender_url": "https://a.example"}
    created = sandbox.ok("POST", "/lists", {"list": {**attrs, "sender_reminder": "You asked."}})
    list_id = created["list"]["id"]
    renamed = sandbox.ok("PUT", f"/lists/{list_id}", {"list": {"name": "Weekly news"}})
    assert renamed["list"]["name"] == "Weekly news"
    assert sandbox.put(f"/lists/{list_id}", json={"list": {"name": " "}}).status_code == 422
    assert sandbox.ok("GET", f"/lists/{list_id}")["list"]["name"] == "Weekly news"
