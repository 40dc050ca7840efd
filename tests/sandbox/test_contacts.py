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


def emails(body) -> list[str]:
    return [c["email"] for c in body["contacts"]]


def test_delete_contact_and_its_404(sandbox):
    contact_id = make_contacts(sandbox, 1)[0]
    deleted = sandbox.ok("DELETE", f"/contacts/{contact_id}")
    assert_conforms(deleted, "DELETE", "/contacts/{id}", 200)
    missing = sandbox.delete(f"/contacts/{contact_id}")
    assert missing.status_code == 404
    assert_conforms(missing.json(), "DELETE", "/contacts/{id}", 404)
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "0"


def test_activity_sub_resources_exist_and_are_empty(sandbox):
    contact_id = make_contacts(sandbox, 1)[0]
    for name in (
        "contactAutomations",
        "scoreValues",
        "bounceLogs",
        "contactGoals",
        "contactLogs",
        "geoIps",
        "trackingLogs",
        "automationEntryCounts",
    ):
        body = sandbox.ok("GET", f"/contacts/{contact_id}/{name}")
        assert body == {name: []}
        assert_conforms(body, "GET", f"/contacts/{{id}}/{name}", 200)
        assert sandbox.get(f"/contacts/999/{name}").status_code == 404


def test_id_based_paging_walks_every_contact_once(sandbox):
    ids = [int(i) for i in make_contacts(sandbox, 12)]
    seen, last = [], 0
    while True:
        page = sandbox.ok("GET", f"/contacts?orders[id]=ASC&id_greater={last}&limit=5")
        if not page["contacts"]:
            break
        seen += [int(c["id"]) for c in page["contacts"]]
        last = seen[-1]
    assert seen == ids
    assert page["meta"]["total"] == "0"


def test_limit_is_capped_at_100(sandbox):
    make_contacts(sandbox, 3)
    assert len(sandbox.ok("GET", "/contacts?limit=500")["contacts"]) == 3
    assert sandbox.ok("GET", "/contacts?limit=1")["meta"]["total"] == "3"


def test_id_email_and_search_filters(sandbox):
    ids = make_contacts(sandbox, 6)
    sandbox.ok("PUT", f"/contacts/{ids[2]}", {"contact": {"lastName": "Zebra", "phone": "+44 777"}})
    both = sandbox.ok("GET", f"/contacts?ids[]={ids[0]}&ids[]={ids[3]}")
    assert emails(both) == ["person00@example.com", "person03@example.com"]
    assert emails(sandbox.ok("GET", "/contacts?email=PERSON04@example.com")) == [
        "person04@example.com"
    ]
    assert len(sandbox.ok("GET", "/contacts?email_like=person0")["contacts"]) == 6
    assert emails(sandbox.ok("GET", "/contacts?search=zebra")) == ["person02@example.com"]
    assert emails(sandbox.ok("GET", "/contacts?search=777")) == ["person02@example.com"]
    assert emails(sandbox.ok("GET", "/contacts?search=P05")) == ["person05@example.com"]
    excluded = sandbox.ok("GET", f"/contacts?exclude={ids[0]}")
    assert "person00@example.com" not in emails(excluded) and excluded["meta"]["total"] == "5"
    window = sandbox.ok("GET", f"/contacts?id_greater={ids[1]}&id_less={ids[4]}")
    assert emails(window) == ["person02@example.com", "person03@example.com"]


def test_list_status_and_tag_filters(sandbox):
    ids = make_contacts(sandbox, 4)
    newsletter = sandbox.ok(
        "POST",
        "/lists",
        {
            "list": {
                "name": "News",
                "stringid": "news",
                "sender_url": "https://x.example",
                "sender_reminder": "You asked",
            }
        },
    )
    list_id = newsletter["list"]["id"]
    for contact_id, status in ((ids[0], 1), (ids[1], 2)):
        sandbox.ok(
            "POST",
            "/contactLists",
            {"contactList": {"list": list_id, "contact": contact_id, "status": status}},
        )
    tag = sandbox.ok("POST", "/tags", {"tag": {"tag": "VIP", "tagType": "contact"}})["tag"]
    sandbox.ok("POST", "/contactTags", {"contactTag": {"contact": ids[3], "tag": tag["id"]}})
    on_list = sandbox.ok("GET", f"/contacts?listid={list_id}")
    assert emails(on_list) == ["person00@example.com", "person01@example.com"]
    subscribed = sandbox.ok("GET", f"/contacts?listid={list_id}&status=1")
    assert emails(subscribed) == ["person00@example.com"]
    assert emails(sandbox.ok("GET", "/contacts?status=2")) == ["person01@example.com"]
    assert len(sandbox.ok("GET", "/contacts?status=-1")["contacts"]) == 4
    assert emails(sandbox.ok("GET", f"/contacts?tagid={tag['id']}")) == ["person03@example.com"]
    # Filters for what the sandbox does not model match nothing rather than everything.
    assert sandbox.ok("GET", "/contacts?formid=3")["meta"]["total"] == "0"


def test_created_and_updated_date_filters(sandbox):
    from acdash.sandbox import store

    ids = make_contacts(sandbox, 3)
    for contact_id, day in zip(ids, ("2024-01-10", "2024-02-10", "2024-03-10"), strict=True):
        record = store.find(sandbox.account, "contact", contact_id)
        store.update(record, cdate=f"{day}T09:00:00-06:00", udate=f"{day}T12:00:00-06:00")
    before = sandbox.ok("GET", "/contacts?filters[created_before]=2024-02-01")
    assert emails(before) == ["person00@example.com"]
    after = sandbox.ok("GET", "/contacts?filters[created_after]=2024-02-01")
    assert emails(after) == ["person01@example.com", "person02@example.com"]
    updated = sandbox.ok(
        "GET", "/contacts?filters[updated_after]=2024-02-01&filters[updated_before]=2024-03-01"
    )
    assert emails(updated) == ["person01@example.com"]


def test_every_documented_order(sandbox):
    from acdash.sandbox import store

    ids = make_contacts(sandbox, 3)
    names = [
        ("Cleo", "Adams", "2024-03-01"),
        ("Abe", "Cole", "2024-01-01"),
        ("Bea", "Bell", "2024-02-01"),
    ]
    for contact_id, (first, last, day) in zip(ids, names, strict=True):
        record = store.find(sandbox.account, "contact", contact_id)
        store.update(record, firstName=first, lastName=last, cdate=f"{day}T09:00:00-06:00")

    def firsts(query: str) -> list[str]:
        return [c["firstName"] for c in sandbox.ok("GET", f"/contacts?{query}")["contacts"]]

    assert firsts("orders[id]=DESC") == ["Bea", "Abe", "Cleo"]
    assert firsts("orders[email]=ASC") == ["Cleo", "Abe", "Bea"]
    assert firsts("orders[first_name]=ASC") == ["Abe", "Bea", "Cleo"]
    assert firsts("orders[last_name]=DESC") == ["Abe", "Bea", "Cleo"]
    assert firsts("orders[name]=DESC") == ["Cleo", "Bea", "Abe"]
    assert firsts("orders[cdate]=ASC") == ["Abe", "Bea", "Cleo"]
    assert sandbox.get("/contacts?orders[email]=sideways").status_code == 400


def test_sync_creates_then_updates_by_email(sandbox):
    first = sandbox.post("/contact/sync", json={"contact": {"email": "sync@example.com"}})
    assert first.status_code == 201
    assert_conforms(first.json(), "POST", "/contact/sync", 201)
    second = sandbox.ok(
        "POST",
        "/contact/sync",
        {"contact": {"email": "SYNC@example.com", "firstName": "Synced"}},
        status=200,
    )
    assert second["contact"]["id"] == first.json()["contact"]["id"]
    assert second["contact"]["firstName"] == "Synced"
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "1"


def test_invalid_email_is_422_and_nothing_is_written(sandbox):
    response = sandbox.post("/contacts", {"contact": {"email": "not-an-email", "firstName": "X"}})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["source"]["pointer"] == "/data/attributes/email"
    assert set(error) == {"title", "detail", "code", "source"}
    assert sandbox.ok("GET", "/contacts")["meta"]["total"] == "0"


def test_datetime_filters_compare_instants_whatever_the_offset(sandbox):
    from acdash.sandbox import store

    ids = make_contacts(sandbox, 2)
    for contact_id, moment in zip(ids, ("10:00", "12:00"), strict=True):
        record = store.find(sandbox.account, "contact", contact_id)
        store.update(record, cdate=f"2024-01-10T{moment}:00-06:00")
    # 11:00 in Chicago is 17:00 UTC: only the 10:00 contact was created before it.
    before = sandbox.ok("GET", "/contacts?filters[created_before]=2024-01-10T17:00:00%2B00:00")
    assert emails(before) == ["person00@example.com"]
