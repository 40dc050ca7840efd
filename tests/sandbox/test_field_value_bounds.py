"""Ids and values at the ends of their ranges: answered as the API would, never a 500."""

import pytest


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-12:00"])
def test_a_datetime_the_accounts_timezone_cannot_show_is_stored_as_sent(sandbox, value):
    field = sandbox.ok("POST", "/fields", {"field": {"title": "When", "type": "datetime"}})
    contact = sandbox.ok("POST", "/contacts", {"contact": {"email": "t@example.com"}})
    attrs = {"contact": contact["contact"]["id"], "field": field["field"]["id"], "value": value}
    created = sandbox.post("/fieldValues", {"fieldValue": attrs})
    assert created.status_code == 201, created.text
    assert created.json()["fieldValue"]["value"] == value


def test_a_contact_id_past_64_bits_matches_no_contact(sandbox):
    sandbox.ok("POST", "/contacts", {"contact": {"email": "t@example.com"}})
    listed = sandbox.get("/contacts", params={"ids[]": "9" * 30})
    assert listed.status_code == 200, listed.text
    assert listed.json()["contacts"] == []
