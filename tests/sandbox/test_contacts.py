"""Contacts in the sandbox behave as the API reference documents."""

from tests.conformance.shapes import assert_conforms


def make_contacts(sandbox, count: int) -> list[str]:
    ids = []
    for n in range(count):
        body = sandbox.ok(
            "POST",
            "/contacts",
            {"contact": {"email": f"person{n:02}@example.com", "firstName": f"P{n:02}"}},
        )
        ids.append(body["contact"]["id"])
    return ids


def test_create_then_read_matches_reference_shapes(sandbox):
    created = sandbox.ok(
        "POST",
        "/contacts",
        {"contact": {"email": "jane@example.com", "firstName": "Jane", "phone": "555"}},
        status=201,
    )
    assert_conforms(created, "POST", "/contacts", 201)
    contact_id = created["contact"]["id"]
    assert_conforms(sandbox.ok("GET", f"/contacts/{contact_id}"), "GET", "/contacts/{id}", 200)
    assert_conforms(sandbox.ok("GET", "/contacts"), "GET", "/contacts", 200)
    updated = sandbox.ok("PUT", f"/contacts/{contact_id}", {"contact": {"lastName": "Doe"}})
    assert_conforms(updated, "PUT", "/contacts/{id}", 200)
    assert updated["contact"]["lastName"] == "Doe"


def test_duplicate_email_is_422_on_the_email_attribute(sandbox):
    sandbox.ok("POST", "/contacts", {"contact": {"email": "dup@example.com"}})
    response = sandbox.post("/contacts", {"contact": {"email": "DUP@example.com"}})
    assert response.status_code == 422
    assert_conforms(response.json(), "POST", "/contacts", 422)
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/email"
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "1"


def test_paging_limit_offset_and_total_as_string(sandbox):
    make_contacts(sandbox, 25)
    first = sandbox.ok("GET", "/contacts")
    assert len(first["contacts"]) == 20 and first["meta"]["total"] == "25"
    rest = sandbox.ok("GET", "/contacts?limit=10&offset=20")
    assert [c["email"] for c in rest["contacts"]] == [
        f"person{n:02}@example.com" for n in range(20, 25)
    ]


def test_missing_token_is_403_and_unknown_contact_404(sandbox):
    response = sandbox.session.get(sandbox.base + "/contacts", headers={"Api-Token": "wrong"})
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}
    missing = sandbox.get("/contacts/999")
    assert missing.status_code == 404
    assert missing.json() == {"message": "No Result found for Subscriber with id 999"}
