"""Custom objects in the sandbox: schemas and their records, over HTTP."""

import copy

from tests.conformance.shapes import assert_conforms, checked, operations


def request(method: str, path: str, name: str | None = None) -> dict:
    examples = operations()[(method, path)]["requests"]
    return copy.deepcopy(examples[name] if name else next(iter(examples.values())))


def make_schema(sandbox) -> dict:
    body = request("POST", "/customObjects/schemas")
    return sandbox.ok("POST", "/customObjects/schemas", body, status=201)


def test_schema_round_trip(sandbox):
    created = make_schema(sandbox)
    assert_conforms(created, "POST", "/customObjects/schemas", 201)
    sid = created["schema"]["id"]
    assert len(sid) == 36 and created["schema"]["visibility"] == "private"
    listed = sandbox.ok("GET", "/customObjects/schemas")
    assert_conforms(listed, "GET", "/customObjects/schemas", 200)
    assert listed["meta"] == {"total": 1, "count": 1, "limit": 20, "offset": 0}
    detail = sandbox.ok("GET", f"/customObjects/schemas/{sid}")
    assert_conforms(detail, "GET", "/customObjects/schemas/{id}", 200)

    conflict = sandbox.post("/customObjects/schemas", request("POST", "/customObjects/schemas"))
    assert conflict.status_code == 422
    assert_conforms(conflict.json(), "POST", "/customObjects/schemas", 422, "slug conflict")

    colour = {
        "id": "colour",
        "labels": {"singular": "Colour", "plural": "Colours"},
        "type": "text",
        "required": False,
    }
    updated = sandbox.ok("PUT", f"/customObjects/schemas/{sid}", {"schema": {"fields": [colour]}})
    assert [f["id"] for f in updated["schema"]["fields"]] == ["my-number-field", "colour"]
    marked = sandbox.ok("DELETE", f"/customObjects/schemas/{sid}/fields/colour", status=202)
    path = "/customObjects/schemas/{schemaId}/fields/{fieldId}"
    assert_conforms(marked, "DELETE", path, 202, "Result")
    assert marked["schema"]["fields"][1]["status"] == "marked_for_deletion"

    deleted = sandbox.delete(f"/customObjects/schemas/{sid}")
    assert (deleted.status_code, deleted.content) == (200, b"")
    checked("DELETE", "/customObjects/schemas/{id}", 200)
    gone = sandbox.get(f"/customObjects/schemas/{sid}")
    assert gone.status_code == 404
    assert_conforms(gone.json(), "GET", "/customObjects/schemas/{id}", 404)


def test_schema_update_as_the_reference_shows_it(sandbox):
    """The reference's update example, applied to a schema of the same fields."""
    change = request("PUT", "/customObjects/schemas/{schemaId}")
    sandbox.ok("POST", "/customObjects/schemas", change, status=201)
    sid = sandbox.ok("GET", "/customObjects/schemas")["schemas"][0]["id"]
    updated = sandbox.ok("PUT", f"/customObjects/schemas/{sid}", change)
    assert_conforms(updated, "PUT", "/customObjects/schemas/{schemaId}", 200)
    options = updated["schema"]["fields"][2]["options"]
    assert options[0]["value"] == "Processed" and len(options[0]["id"]) == 36


def test_public_and_child_schemas(sandbox):
    public = sandbox.ok(
        "POST", "/customObjects/schemas/public", request("POST", "/customObjects/schemas/public")
    )
    assert_conforms(public, "POST", "/customObjects/schemas/public", 200)
    assert public["schema"]["visibility"] == "public"
    assert public["schema"]["slug"] == f"app-{public['schema']['id']}-event-tickets"
    child = sandbox.ok("POST", f"/customObjects/schemas/{public['schema']['id']}/child")
    assert_conforms(child, "POST", "/customObjects/schemas/{id}/child", 200)
    assert child["schema"]["parentId"] == public["schema"]["id"]
    assert all(f["inherited"] for f in child["schema"]["fields"])


def test_record_round_trip(sandbox):
    schema = request(
        "POST", "/customObjects/schemas", "A single field with a relationship to the contact"
    )
    account = request(
        "POST", "/customObjects/schemas", "A single field with a relationship to an account"
    )
    schema["schema"]["fields"] += account["schema"]["fields"]
    schema["schema"]["relationships"] += account["schema"]["relationships"]
    sid = sandbox.ok("POST", "/customObjects/schemas", schema, status=201)["schema"]["id"]
    path = "/customObjects/records/{schemaId}"

    with_account = sandbox.ok(
        "POST",
        f"/customObjects/records/{sid}",
        request("POST", path, "Create with Account"),
        status=201,
    )
    assert_conforms(with_account, "POST", path, 201)
    assert with_account["record"]["id"] == "test-obj-1X"
    body = {
        "record": {
            "externalId": "test-obj-2",
            "fields": [{"id": "my-number-field", "value": 100}],
            "relationships": {"primary-contact": ["14"]},
        }
    }
    rid = sandbox.ok("POST", f"/customObjects/records/{sid}", body, status=201)["record"]["id"]
    read = sandbox.ok("GET", f"/customObjects/records/{sid}/{rid}")
    assert_conforms(read, "GET", "/customObjects/records/{schemaId}/{recordId}", 200, "Success")
    by_external = sandbox.ok("GET", f"/records/{sid}/external/test-obj-2")
    assert_conforms(by_external, "GET", "/records/{schemdId}/external/{externalId}", 200)
    assert by_external["record"]["id"] == rid

    body["record"]["fields"][0]["value"] = 250  # the same externalId: an update
    sandbox.ok("POST", f"/customObjects/records/{sid}", body, status=200)
    listed = sandbox.ok(
        "GET", f"/customObjects/records/{sid}?filters[relationships.primary-contact][eq]=14"
    )
    assert_conforms(listed, "GET", path, 200, "200")
    assert [(r["id"], r["fields"][0]["value"]) for r in listed["records"]] == [(rid, 250)]
    assert sandbox.ok("GET", f"/customObjects/records/{sid}")["meta"]["total"] == 2

    unknown = {"record": {"fields": [{"id": "nope", "value": 1}]}}
    refused = sandbox.post(f"/customObjects/records/{sid}", unknown)
    assert refused.status_code == 422
    assert_conforms(refused.json(), "POST", path, 422, "invalid field value")

    deleted = sandbox.delete(f"/customObjects/records/{sid}/{rid}")
    assert (deleted.status_code, deleted.content) == (202, b"")
    checked("DELETE", "/customObjects/records/{schemaId}/{recordId}", 202)
    assert sandbox.get(f"/customObjects/records/{sid}/{rid}").status_code == 404
    by_external_delete = sandbox.delete(f"/customObjects/records/{sid}/external/test-obj-1")
    assert by_external_delete.status_code == 202
    checked("DELETE", "/customObjects/records/{schemaId}/external/{externalId}", 202)
    assert sandbox.ok("GET", f"/customObjects/records/{sid}")["records"] == []


def test_seeded_schema_has_records(seeded):
    schemas = seeded.ok("GET", "/customObjects/schemas")["schemas"]
    assert [s["slug"] for s in schemas] == ["subscription"]
    records = seeded.ok("GET", f"/customObjects/records/{schemas[0]['id']}")
    assert records["meta"]["total"] >= 3
