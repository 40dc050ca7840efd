"""Notes on contacts, deals and accounts in the sandbox behave as the API reference documents."""

from acdash.sandbox import store
from tests.conformance.shapes import assert_conforms
from tests.sandbox import assert_422


def make_contact(sandbox, email: str = "jane@example.com") -> str:
    return sandbox.ok("POST", "/contacts", {"contact": {"email": email}})["contact"]["id"]


def make_deal(sandbox, contact: str) -> str:
    """A deal row as the deals module stores it (attributes of the reference's deal examples)."""
    now = store.iso(sandbox.account)
    data = {
        "owner": "1",
        "contact": contact,
        "organization": None,
        "group": "1",
        "stage": "1",
        "title": "New Deal",
        "description": "",
        "percent": "0",
        "cdate": now,
        "mdate": now,
        "nextdate": None,
        "nexttaskid": None,
        "value": "10000",
        "currency": "usd",
        "status": "0",
        "activitycount": "0",
        "nextdealid": "1",
        "edate": None,
        "hash": "e42436fc",
    }
    return store.create(sandbox.account, "deal", data, parent=int(contact)).id_str


def make_account(sandbox, name: str = "Example Account") -> str:
    body = sandbox.ok("POST", "/accounts", {"account": {"name": name, "accountUrl": "www.msi.com"}})
    return body["account"]["id"]


def note_body(text: str, **attrs) -> dict:
    return {"note": {"note": text, **attrs}}


def test_contact_note_operations_match_reference_shapes(sandbox):
    contact = make_contact(sandbox)
    request = note_body("This is the text of the note", relid=int(contact), reltype="Subscriber")
    created = sandbox.post("/notes", request)
    assert created.status_code == 201
    assert_conforms(created.json(), "POST", "/notes", 201)
    note = created.json()["note"]
    assert created.json()["contacts"][0]["id"] == contact
    assert note["relid"] == int(contact)  # echoed as the request gave it
    assert note["owner"] == {"type": "contact", "id": int(contact)}
    assert note["links"]["owner"] == f"{sandbox.base}/notes/{note['id']}/owner"

    assert_conforms(sandbox.ok("GET", "/notes"), "GET", "/notes", 200)
    detail = sandbox.ok("GET", f"/notes/{note['id']}")
    assert_conforms(detail, "GET", "/notes/{id}", 200)
    assert detail["note"]["relid"] == contact
    assert detail["note"]["owner"] == {"type": "contact", "id": contact}

    updated = sandbox.ok("PUT", f"/notes/{note['id']}", note_body("Changed"))
    assert_conforms(updated, "PUT", "/notes/{id}", 200)
    assert (updated["note"]["note"], updated["note"]["relid"]) == ("Changed", contact)

    listed = sandbox.ok("GET", f"/contacts/{contact}/notes")
    assert_conforms(listed, "GET", "/contacts/{id}/notes", 200)
    assert [n["note"] for n in listed["notes"]] == ["Changed"]
    missing_contact = sandbox.get("/contacts/999/notes")
    assert missing_contact.status_code == 404
    assert_conforms(missing_contact.json(), "GET", "/contacts/{id}/notes", 404)

    deleted = sandbox.delete(f"/notes/{note['id']}")
    assert deleted.status_code == 200
    assert_conforms(deleted.json(), "DELETE", "/notes/{id}", 200)
    # The reference files the "No Result found" body under 403; it is a 404 here.
    for method in ("GET", "DELETE"):
        gone = sandbox.request(method, f"/notes/{note['id']}")
        assert gone.status_code == 404
        assert_conforms(gone.json(), "DELETE", "/notes/{id}", 403)
        assert gone.json() == {"message": f"No Result found for Note with id {note['id']}"}


def test_create_note_validation_writes_nothing(sandbox):
    contact = make_contact(sandbox)
    cases = [
        (note_body("", relid=contact, reltype="Subscriber"), "note", "field_missing"),
        (note_body("text", relid=contact), "reltype", "field_missing"),
        (note_body("text", relid=contact, reltype="Campaign"), "reltype", "field_invalid"),
        (note_body("text", reltype="Subscriber"), "relid", "field_missing"),
    ]
    for payload, attribute, code in cases:
        assert_422(sandbox.post("/notes", payload), f"/data/attributes/{attribute}", code)
    unknown = sandbox.post("/notes", note_body("text", relid=999, reltype="Subscriber"))
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "No Result found for Subscriber with id 999"}
    assert sandbox.ok("GET", "/notes")["meta"]["total"] == "0"


def test_update_note_to_unknown_owner_is_404_and_changes_nothing(sandbox):
    contact = make_contact(sandbox)
    note = sandbox.ok("POST", "/notes", note_body("Keep", relid=contact, reltype="Subscriber"))
    response = sandbox.put(
        f"/notes/{note['note']['id']}", note_body("Lost", relid=999, reltype="Subscriber")
    )
    assert response.status_code == 404
    assert_conforms(response.json(), "PUT", "/notes/{id}", 403)  # filed under 403, see above
    assert sandbox.ok("GET", f"/notes/{note['note']['id']}")["note"]["note"] == "Keep"
    blank = sandbox.put(f"/notes/{note['note']['id']}", note_body(" "))
    assert_422(blank, "/data/attributes/note", "field_missing")


def test_deal_notes(sandbox):
    contact = make_contact(sandbox)
    deal, other_deal = make_deal(sandbox, contact), make_deal(sandbox, contact)
    created = sandbox.post(f"/deals/{deal}/notes", note_body("Note for the deal"))
    assert created.status_code == 201
    assert_conforms(created.json(), "POST", "/deals/{id}/notes", 201)
    note = created.json()["note"]
    assert (note["relid"], note["reltype"], note["owner"]) == (
        deal,
        "Deal",
        {"type": "deal", "id": deal},
    )
    assert created.json()["deals"][0]["id"] == deal
    assert "nextTask" not in created.json()["deals"][0]

    # A deal with a next task side-loads it, as the update example shows.
    record = store.find(sandbox.account, "deal", deal)
    store.update(
        record, nexttaskid="1", nextdate=store.iso(sandbox.account), edate=record.data["cdate"]
    )
    updated = sandbox.put(f"/deals/{deal}/notes/{note['id']}", note_body("Update with more info"))
    assert updated.status_code == 200
    assert_conforms(updated.json(), "PUT", "/deals/{id}/notes/{noteId}", 200)
    assert updated.json()["note"]["note"] == "Update with more info"
    assert updated.json()["deals"][0]["nextTask"] == "1"

    assert sandbox.put(f"/deals/{other_deal}/notes/{note['id']}", note_body("x")).status_code == 404
    missing = sandbox.post("/deals/999/notes", note_body("x"))
    assert missing.status_code == 404
    assert missing.json() == {"message": "No Result found for Deal with id 999"}
    # Deal notes are not the contact's notes, even where ids coincide.
    assert sandbox.ok("GET", f"/contacts/{contact}/notes") == {"notes": []}
    assert [n["owner"]["type"] for n in sandbox.ok("GET", "/notes")["notes"]] == ["deal"]


def test_account_notes(sandbox):
    account = make_account(sandbox)
    created = sandbox.post(f"/accounts/{account}/notes", note_body("Note for the account"))
    assert created.status_code == 201
    assert_conforms(created.json(), "POST", "/accounts/{id}/notes", 201)
    note = created.json()["note"]
    assert (note["relid"], note["reltype"]) == (account, "CustomerAccount")
    assert note["owner"] == {"type": "account", "id": account}

    updated = sandbox.put(f"/accounts/{account}/notes/{note['id']}", note_body("More info"))
    assert updated.status_code == 200
    assert_conforms(updated.json(), "PUT", "/accounts/{id}/notes/{noteid}", 200)
    assert (
        updated.json()["accounts"][0]["links"]["notes"]
        == f"{sandbox.base}/accounts/{account}/notes"
    )

    missing = sandbox.post("/accounts/999/notes", note_body("x"))
    assert missing.status_code == 404
    assert missing.json() == {"message": "No Result found for CustomerAccount with id 999"}
    empty = sandbox.post(f"/accounts/{account}/notes", note_body(""))
    assert_422(empty, "/data/attributes/note", "field_missing")
    assert sandbox.ok("GET", "/notes")["meta"]["total"] == "1"


def test_notes_paging(sandbox):
    contact = make_contact(sandbox)
    for n in range(25):
        sandbox.ok("POST", "/notes", note_body(f"n{n:02}", relid=contact, reltype="Subscriber"))
    first = sandbox.ok("GET", "/notes")
    assert len(first["notes"]) == 20 and first["meta"]["total"] == "25"
    rest = sandbox.ok("GET", "/notes?limit=10&offset=20")
    assert [n["note"] for n in rest["notes"]] == [f"n{n:02}" for n in range(20, 25)]
