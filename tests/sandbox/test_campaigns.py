"""Campaigns with their send and open/click figures, links, and messages."""

from tests.conformance.shapes import assert_conforms, checked


def test_seeded_campaigns_have_figures_links_and_messages(seeded):
    body = seeded.ok("GET", "/campaigns?orders[sdate]=DESC")
    assert_conforms(body, "GET", "/campaigns", 200)
    campaigns = body["campaigns"]
    assert len(campaigns) == 6
    assert [c["sdate"] for c in campaigns] == sorted((c["sdate"] for c in campaigns), reverse=True)
    for campaign in campaigns:
        assert (
            int(campaign["send_amt"])
            >= int(campaign["uniqueopens"])
            >= int(campaign["uniquelinkclicks"])
        )
    first = campaigns[0]
    detail = seeded.ok("GET", f"/campaigns/{first['id']}")
    assert_conforms(detail, "GET", "/campaigns/{id}", 200)
    assert detail["campaign"]["name"] == first["name"]
    links = seeded.ok("GET", f"/campaigns/{first['id']}/links")
    assert_conforms(links, "GET", "/campaigns/{id}/links", 200)
    assert {link["campaign"] for link in links["links"]} == {first["id"]}
    assert links["links"][0]["link"] == "open"
    missing = seeded.get("/campaigns/999/links")
    assert missing.status_code == 404
    assert missing.json() == {"message": "No Result found for Campaign with id 999"}
    checked("GET", "/campaigns/{id}/links", 404)
    assert_conforms(seeded.ok("GET", "/messages"), "GET", "/messages", 200)


def test_message_round_trip(sandbox):
    request = {
        "message": {
            "fromname": "AC Admin",
            "fromemail": "noreply@example.com",
            "reply2": "hello@example.com",
            "subject": "You are subscribing to %LISTNAME%",
            "preheader_text": "Pre-header Text",
        }
    }
    created = sandbox.ok("POST", "/messages", request, status=201)
    assert_conforms(created, "POST", "/messages", 201)
    rid = created["message"]["id"]
    updated = sandbox.ok("PUT", f"/messages/{rid}", {"message": {"subject": "Changed"}})
    assert_conforms(updated, "PUT", "/messages/{id}", 200)
    read = sandbox.ok("GET", f"/messages/{rid}")
    assert_conforms(read, "GET", "/messages/{id}", 200)
    assert (read["message"]["subject"], read["message"]["fromname"]) == ("Changed", "AC Admin")
    assert sandbox.ok("DELETE", f"/messages/{rid}") == {}
    checked("DELETE", "/messages/{id}", 200)
    gone = sandbox.get(f"/messages/{rid}")
    assert gone.status_code == 404
    assert_conforms(gone.json(), "GET", "/messages/{id}", 404)
