"""Contact datetime values at the ends of the calendar: stored, not a 500."""

import pytest


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-12:00"])
def test_a_datetime_the_accounts_timezone_cannot_show_is_stored_as_sent(sandbox, value):
    field = sandbox.ok("POST", "/fields", {"field": {"title": "When", "type": "datetime"}})
    contact = sandbox.ok("POST", "/contacts", {"contact": {"email": "t@example.com"}})
    attrs = {"contact": contact["contact"]["id"], "field": field["field"]["id"], "value": value}
    created = sandbox.post("/fieldValues", {"fieldValue": attrs})
    assert created.status_code == 201, created.text
    assert created.json()["fieldValue"]["value"] == value
