"""A contact's activity (``GET /activities``), derived by the sandbox from the contact's
records, behaves as the API reference documents."""

from typing import Any

import pytest

from acdash.sandbox import store
from tests.conformance.shapes import assert_conforms, checked, mismatches

# The reference's 200 example (List_contactActivities) is not valid JSON: its keys are
# unquoted and the activityRecipients item's `recipient` object is never closed. This is
# the same example with the keys quoted and that one brace added, nothing else changed.
EXAMPLE_200: dict[str, Any] = {
    "contacts": [
        {
            "cdate": "2018-02-13T13:25:54-06:00",
            "email": "test@example.com",
            "firstName": "Test",
            "lastName": "Contact",
            "created_timestamp": "2019-11-13 16:18:00",
            "updated_timestamp": "2021-04-06 11:25:59",
            "id": "4",
        }
    ],
    "activityRecipients": [
        {
            "reltype": "Subscriber",
            "relid": "4",
            "activityid": "865",
            "recipient": {"type": "contact", "id": "4"},
        }
    ],
    "activities": [
        {
            "tstamp": "2019-01-03T12:16:19-06:00",
            "subscriberid": "4",
            "reference_type": "SubscriberEmail",
            "reference_id": "13",
            "reference_action": "",
            "jsonData": None,
            "userid": "1",
            "permission": "",
            "referenceModelName": "contact-email",
            "notes": [],
            "recipients": ["1496"],
            "reference": {"type": "contact-email", "id": "13"},
            "user": "1",
            "id": "865",
        }
    ],
    "meta": {"total": "1"},
}


def make_contact(sandbox, email: str = "ada@example.com") -> str:
    return sandbox.ok("POST", "/contacts", {"contact": {"email": email}})["contact"]["id"]


def add_note(sandbox, contact: str, text: str = "Called about the renewal.") -> str:
    note = {"note": text, "relid": contact, "reltype": "Subscriber"}
    return sandbox.ok("POST", "/notes", {"note": note}, status=201)["note"]["id"]


def add_tag(sandbox, contact: str, name: str = "VIP") -> str:
    tag = sandbox.ok("POST", "/tags", {"tag": {"tag": name, "tagType": "contact"}})["tag"]["id"]
    link = {"contactTag": {"contact": contact, "tag": tag}}
    return sandbox.ok("POST", "/contactTags", link, status=201)["contactTag"]["id"]


def make_list(sandbox, name: str) -> str:
    attributes = {
        "name": name,
        "stringid": name.lower(),
        "sender_url": "https://example.com",
        "sender_reminder": "You signed up.",
    }
    return sandbox.ok("POST", "/lists", {"list": attributes})["list"]["id"]


def set_list_status(sandbox, contact: str, list_id: str, status: int) -> str:
    body = {"contactList": {"list": list_id, "contact": contact, "status": status}}
    return sandbox.ok("POST", "/contactLists", body)["contactList"]["id"]


def activities(sandbox, contact: str, query: str = "") -> dict[str, Any]:
    return sandbox.ok("GET", f"/activities?contact={contact}{query}")


def events(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (a["reference_type"], a["reference_action"], a["reference_id"]) for a in body["activities"]
    ]


def set_stamp(sandbox, kind: str, rid: str, **stamps: str) -> None:
    """Give a record the timestamps of an earlier event (the tests run within one second)."""
    record = store.find(sandbox.account, kind, rid)
    store.update(record, **stamps)


@pytest.fixture
def history(sandbox) -> dict[str, Any]:
    """A contact with one record of every kind that makes activity, made through the API."""
    contact = make_contact(sandbox)
    made: dict[str, Any] = {"contact": contact}
    made["note"] = add_note(sandbox, contact)
    made["contactTag"] = add_tag(sandbox, contact)
    news, offers = make_list(sandbox, "News"), make_list(sandbox, "Offers")
    made["subscribed"] = set_list_status(sandbox, contact, news, 1)
    set_list_status(sandbox, contact, offers, 1)
    made["left"] = set_list_status(sandbox, contact, offers, 2)
    pipeline = sandbox.ok(
        "POST", "/dealGroups", {"dealGroup": {"title": "Sales", "currency": "usd"}}
    )
    owner = sandbox.ok("GET", "/users/me")["user"]["id"]
    deal = {
        "title": "Renewal",
        "contact": contact,
        "value": 1000,
        "currency": "usd",
        "owner": owner,
    }
    deal_id = sandbox.ok("POST", "/deals", {"deal": {**deal, "group": pipeline["dealGroup"]["id"]}})
    made["deal"] = deal_id["deal"]["id"]
    sandbox.ok("PUT", f"/deals/{made['deal']}", {"deal": {"status": 1}})
    tasktype = sandbox.ok("POST", "/dealTasktypes", {"dealTasktype": {"title": "Call"}})
    task = {"dealTasktype": tasktype["dealTasktype"]["id"], "duedate": "2030-01-01T09:00:00"}
    on_contact = {**task, "relid": contact, "ownerType": "contact", "title": "Call back"}
    on_deal = {**task, "relid": made["deal"], "ownerType": "deal", "title": "Send quote"}
    made["task"] = sandbox.ok("POST", "/dealTasks", {"dealTask": on_contact}, status=201)
    made["task"] = made["task"]["dealTask"]["id"]
    made["deal_task"] = sandbox.ok("POST", "/dealTasks", {"dealTask": on_deal}, status=201)
    made["deal_task"] = made["deal_task"]["dealTask"]["id"]
    sandbox.ok("PUT", f"/dealTasks/{made['task']}", {"dealTask": {"status": 1}})
    # Another contact's records make none of this contact's activity.
    other = make_contact(sandbox, "bob@example.com")
    add_note(sandbox, other, "Not Ada's.")
    add_tag(sandbox, other, "Other")
    return made


# Conformance -----------------------------------------------------------------------------


def test_list_matches_the_repaired_example(sandbox, history):
    body = activities(sandbox, history["contact"])
    assert mismatches(body, EXAMPLE_200) == []
    checked("GET", "/activities", 200)
    contact = body["contacts"][0]
    assert contact["id"] == history["contact"] and contact["email"] == "ada@example.com"
    activity_ids = [a["id"] for a in body["activities"]]
    assert len(set(activity_ids)) == len(activity_ids)
    assert [r["activityid"] for r in body["activityRecipients"]] == activity_ids
    for activity in body["activities"]:
        assert activity["subscriberid"] == history["contact"]
        assert activity["reference"] == {
            "type": activity["referenceModelName"],
            "id": activity["reference_id"],
        }


def test_without_a_contact_the_answer_is_the_references_400(sandbox):
    for query in ("", "?contact=", "?contact=4,5"):
        response = sandbox.get(f"/activities{query}")
        assert response.status_code == 400
        assert_conforms(response.json(), "GET", "/activities", 400)


def test_an_unknown_contact_is_404_with_the_contacts_body(sandbox):
    response = sandbox.get("/activities?contact=999")
    assert response.status_code == 404
    assert response.json() == {"message": "No Result found for Subscriber with id 999"}


# Behaviour -------------------------------------------------------------------------------


def test_every_kind_of_event_appears_once(sandbox, history):
    body = activities(sandbox, history["contact"], "&limit=100")
    h = history
    assert sorted(events(body)) == sorted(
        [
            ("Subscriber", "", h["contact"]),
            ("Note", "", h["note"]),
            ("SubscriberTag", "", h["contactTag"]),
            ("SubscriberList", "subscribe", h["subscribed"]),
            ("SubscriberList", "subscribe", h["left"]),
            ("SubscriberList", "unsubscribe", h["left"]),
            ("Deal", "", h["deal"]),
            ("Deal", "won", h["deal"]),
            ("DealTask", "", h["task"]),
            ("DealTask", "", h["deal_task"]),
            ("DealTask", "complete", h["task"]),
        ]
    )
    assert body["meta"] == {"total": "11"}
    names = {a["reference_type"]: a["referenceModelName"] for a in body["activities"]}
    assert names == {
        "Subscriber": "contact",
        "Note": "note",
        "SubscriberTag": "contact-tag",
        "SubscriberList": "contact-list",
        "Deal": "deal",
        "DealTask": "deal-task",
    }
    by_type = {a["reference_type"]: a for a in body["activities"]}
    assert by_type["Note"]["userid"] == by_type["Note"]["user"] == "1"


@pytest.fixture
def dated(sandbox) -> dict[str, str]:
    """A contact created, tagged and noted on three days (account time is UTC-6)."""
    contact = make_contact(sandbox)
    note, link = add_note(sandbox, contact), add_tag(sandbox, contact)
    set_stamp(sandbox, "contact", contact, cdate="2020-01-01T10:00:00-06:00")
    set_stamp(sandbox, "contactTag", link, cdate="2020-01-02T10:00:00-06:00")
    set_stamp(sandbox, "note", note, cdate="2020-01-03T10:00:00-06:00")
    return {"contact": contact, "note": note, "contactTag": link}


def test_newest_first_unless_asked_oldest_first(sandbox, dated):
    newest_first = [
        ("Note", "", dated["note"]),
        ("SubscriberTag", "", dated["contactTag"]),
        ("Subscriber", "", dated["contact"]),
    ]
    assert events(activities(sandbox, dated["contact"])) == newest_first
    assert events(activities(sandbox, dated["contact"], "&orders[tstamp]=DESC")) == newest_first
    oldest_first = events(activities(sandbox, dated["contact"], "&orders[tstamp]=ASC"))
    assert oldest_first == newest_first[::-1]
    stamps = [a["tstamp"] for a in activities(sandbox, dated["contact"])["activities"]]
    assert stamps[0] == "2020-01-03T10:00:00-06:00"
    bad = sandbox.get(f"/activities?contact={dated['contact']}&orders[tstamp]=sideways")
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("2020-01-02", ["Note", "SubscriberTag"]),  # a date: midnight, account time
        ("2020-01-02T10:00:00-06:00", ["Note"]),  # strictly after
        ("2020-01-02T15:59:59Z", ["Note", "SubscriberTag"]),  # instants, whatever the offset
        ("2020-01-02T16:00:00Z", ["Note"]),
        ("2020-01-04T00:00:00", []),  # no offset: account time
    ],
)
def test_after_keeps_only_newer_activity(sandbox, dated, after, expected):
    query = "&after=" + after.replace("+", "%2B")
    body = activities(sandbox, dated["contact"], query)
    assert [a["reference_type"] for a in body["activities"]] == expected
    assert body["meta"]["total"] == str(len(expected))
    assert len(body["contacts"]) == (1 if expected else 0)


def test_paging_with_limit_and_offset(sandbox, dated):
    first = activities(sandbox, dated["contact"], "&limit=2")
    rest = activities(sandbox, dated["contact"], "&limit=2&offset=2")
    assert first["meta"] == rest["meta"] == {"total": "3"}
    assert events(first) + events(rest) == events(activities(sandbox, dated["contact"]))
    assert len(first["activities"]) == len(first["activityRecipients"]) == 2


def test_include_side_loads_references_and_users(sandbox, history):
    plain = activities(sandbox, history["contact"], "&limit=100")
    assert {"notes", "users", "tags", "lists", "deals"}.isdisjoint(plain)
    body = activities(sandbox, history["contact"], "&limit=100&include=reference,user,notes")
    assert [n["note"] for n in body["notes"]] == ["Called about the renewal."]
    assert [t["tag"] for t in body["tags"]] == ["VIP"]
    assert [c["id"] for c in body["contactTags"]] == [history["contactTag"]]
    assert sorted(lst["name"] for lst in body["lists"]) == ["News", "Offers"]
    assert sorted(c["id"] for c in body["contactLists"]) == sorted(
        [history["subscribed"], history["left"]]
    )
    assert [d["title"] for d in body["deals"]] == ["Renewal"]
    assert sorted(t["title"] for t in body["dealTasks"]) == ["Call back", "Send quote"]
    assert [u["id"] for u in body["users"]] == ["1"]
    assert body["meta"] == plain["meta"]
    # Unknown include names and "emails" are accepted.
    assert activities(sandbox, history["contact"], "&include=reference.log&emails=true")["meta"]
