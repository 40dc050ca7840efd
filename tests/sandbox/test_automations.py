"""Automations and the contacts in them: add, list, read and remove a contact's automation."""

from tests.conformance.shapes import assert_conforms, checked


def test_seeded_automations_count_the_contacts_in_them(seeded):
    body = seeded.ok("GET", "/automations")
    assert_conforms(body, "GET", "/automations", 200)
    automations = body["automations"]
    assert len(automations) == 4 and body["meta"]["total"] == "4"
    for automation in automations:
        inside = seeded.ok(
            "GET", f"/contactAutomations?filters[seriesid]={automation['id']}&limit=100"
        )
        assert int(automation["entered"]) == int(inside["meta"]["total"])
        done = [ca for ca in inside["contactAutomations"] if ca["status"] == "2"]
        assert int(automation["exited"]) == len(done)
    assert sum(int(a["entered"]) for a in automations) > 0
    named = seeded.ok("GET", "/automations?filters[name]=welcome")["automations"]
    assert [a["name"] for a in named] == ["Welcome series"]


def test_contact_automation_round_trip(seeded):
    contact = seeded.ok("POST", "/contacts", {"contact": {"email": "new.person@example.com"}})[
        "contact"
    ]
    before = seeded.ok("GET", "/automations?filters[name]=Re-engagement")["automations"][0]

    created = seeded.ok(
        "POST",
        "/contactAutomations",
        {"contactAutomation": {"contact": contact["id"], "automation": before["id"]}},
        status=201,
    )
    assert_conforms(created, "POST", "/contactAutomations", 201)
    link = created["contactAutomation"]
    assert (link["contact"], link["automation"], link["seriesid"]) == (
        contact["id"],
        before["id"],
        before["id"],
    )
    assert [c["id"] for c in created["contacts"]] == [contact["id"]]

    read = seeded.ok("GET", f"/contactAutomations/{link['id']}")
    assert_conforms(read, "GET", "/contactAutomations/{id}", 200)
    mine = seeded.ok("GET", f"/contacts/{contact['id']}/contactAutomations")
    assert_conforms(mine, "GET", "/contacts/{id}/contactAutomations", 200)
    assert [ca["id"] for ca in mine["contactAutomations"]] == [link["id"]]
    listed = seeded.ok("GET", f"/contactAutomations?filters[subscriberid]={contact['id']}")
    assert_conforms(listed, "GET", "/contactAutomations", 200)
    assert [ca["id"] for ca in listed["contactAutomations"]] == [link["id"]]
    detail = seeded.ok("GET", f"/contacts/{contact['id']}")
    assert_conforms(detail, "GET", "/contacts/{id}", 200)
    assert detail["contact"]["contactAutomations"] == [link["id"]]
    assert [ca["id"] for ca in detail["contactAutomations"]] == [link["id"]]
    after = seeded.ok("GET", "/automations?filters[name]=Re-engagement")["automations"][0]
    assert int(after["entered"]) == int(before["entered"]) + 1

    assert seeded.ok("DELETE", f"/contactAutomations/{link['id']}") == {}
    checked("DELETE", "/contactAutomations/{id}", 200)
    assert (
        seeded.ok("GET", f"/contacts/{contact['id']}/contactAutomations")["contactAutomations"]
        == []
    )
    gone = seeded.get(f"/contactAutomations/{link['id']}")
    assert gone.status_code == 404
    assert_conforms(gone.json(), "GET", "/contactAutomations/{id}", 404)
    again = seeded.delete(f"/contactAutomations/{link['id']}")
    assert again.status_code == 403
    assert_conforms(again.json(), "DELETE", "/contactAutomations/{id}", 403)


def test_adding_an_unknown_contact_or_automation_is_refused(seeded):
    for body in ({"contact": "99999", "automation": "1"}, {"contact": "1", "automation": "99"}):
        response = seeded.post("/contactAutomations", {"contactAutomation": body})
        assert response.status_code == 403
        assert_conforms(response.json(), "POST", "/contactAutomations", 403)
