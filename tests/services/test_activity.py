"""A contact's recent activity, typed, in one call."""

from datetime import datetime

import pytest

from acdash.activecampaign import NotFound, count_api_calls
from acdash.activecampaign.activity import Activity, recent_activity

from . import new_contact, new_list, new_tag


@pytest.fixture
def busy(sandbox) -> int:
    """A contact with a note, a tag, a list joined and one left, a won deal and a task done,
    all made through the API."""
    contact_id = new_contact(sandbox, "busy@example.com")
    note = {"note": "Prefers <b>email</b>.", "relid": contact_id, "reltype": "Subscriber"}
    sandbox.ok("POST", "/notes", {"note": note})
    tag = {"contactTag": {"contact": contact_id, "tag": new_tag(sandbox, "VIP")}}
    sandbox.ok("POST", "/contactTags", tag)
    news, offers = new_list(sandbox, "News"), new_list(sandbox, "Offers")
    for list_id, status in ((news, 1), (offers, 1), (offers, 2)):
        membership = {"contact": contact_id, "list": list_id, "status": status}
        sandbox.ok("POST", "/contactLists", {"contactList": membership})
    pipeline = sandbox.ok(
        "POST", "/dealGroups", {"dealGroup": {"title": "Sales", "currency": "usd"}}
    )
    owner = sandbox.ok("GET", "/users/me")["user"]["id"]
    deal = {"title": "Renewal", "contact": contact_id, "value": 5000, "currency": "usd"}
    deal |= {"group": pipeline["dealGroup"]["id"], "owner": owner}
    deal_id = sandbox.ok("POST", "/deals", {"deal": deal})["deal"]["id"]
    sandbox.ok("PUT", f"/deals/{deal_id}", {"deal": {"status": 1}})
    tasktype = sandbox.ok("POST", "/dealTasktypes", {"dealTasktype": {"title": "Call"}})
    task = {"relid": contact_id, "ownerType": "contact", "title": "Call back"}
    task |= {"dealTasktype": tasktype["dealTasktype"]["id"], "duedate": "2030-01-01T09:00:00"}
    task_id = sandbox.ok("POST", "/dealTasks", {"dealTask": task})["dealTask"]["id"]
    sandbox.ok("PUT", f"/dealTasks/{task_id}", {"dealTask": {"status": 1}})
    return contact_id


def test_recent_activity_in_one_call_with_summaries(client, busy):
    with count_api_calls() as calls:
        found = recent_activity(client, busy)
    assert calls.count == 1 and calls.calls[0].path == "/activities"
    assert all(isinstance(a, Activity) and isinstance(a.when, datetime) for a in found)
    assert sorted((a.kind, a.summary) for a in found) == sorted(
        [
            ("contact", "Contact created"),
            ("note", "Note: Prefers <b>email</b>."),  # raw text: the page escapes it
            ("tag", "Tagged “VIP”"),
            ("list", "Subscribed to “News”"),
            ("list", "Subscribed to “Offers”"),
            ("list", "Unsubscribed from “Offers”"),
            ("deal", "Deal created: Renewal"),
            ("deal", "Deal won: Renewal"),
            ("task", "Task created: Call back"),
            ("task", "Task completed: Call back"),
        ]
    )
    when = [a.when for a in found]
    assert when == sorted(when, reverse=True)  # newest first
    note = next(a for a in found if a.kind == "note")
    assert note.reference_type == "Note" and isinstance(note.reference_id, int)
    assert len({a.id for a in found}) == len(found)


def test_limit_caps_the_activity_returned(client, busy):
    latest = recent_activity(client, busy, limit=3)
    assert latest == recent_activity(client, busy)[:3]


def test_a_new_contact_has_only_its_creation(client, sandbox):
    contact_id = new_contact(sandbox, "new@example.com")
    (created,) = recent_activity(client, contact_id)
    assert (created.kind, created.reference_type, created.reference_id) == (
        "contact",
        "Subscriber",
        contact_id,
    )


def test_an_unknown_contact_is_not_found(client):
    with pytest.raises(NotFound):
        recent_activity(client, 999_999)
