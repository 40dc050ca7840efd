"""Lists and list subscriptions in the sandbox behave as the API reference documents."""

import copy

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from acdash.sandbox import store
from acdash.sandbox.resources.lists import set_subscription
from acdash.sandbox.routing import Ctx
from tests.conformance.shapes import assert_conforms, example, mismatches
from tests.sandbox import assert_422

OLD = "2000-01-01T00:00:00-06:00"
ZERO_DATES = ("bounced_date", "ua", "socialdata_lastcheck", "rating_tstamp", "adate", "deleted_at")
LIST_REQUEST = {
    "name": "Name of List",
    "stringid": "Name-of-list",
    "sender_url": "http://activecampaign.com",
    "sender_reminder": "You are receiving this email as you subscribed to a newsletter.",
    "send_last_broadcast": 0,
    "carboncopy": "",
    "subscription_notify": "",
    "unsubscription_notify": "",
    "user": 1,
}


def make_list(sandbox, name: str = "Name of List") -> str:
    payload = {"list": {**LIST_REQUEST, "name": name, "stringid": name.lower().replace(" ", "-")}}
    return sandbox.ok("POST", "/lists", payload, status=200)["list"]["id"]


def make_contact(sandbox, email: str = "john@example.com", **names: str) -> str:
    body = sandbox.ok("POST", "/contacts", {"contact": {"email": email, **names}})
    return body["contact"]["id"]


def subscribe(sandbox, contact: str, list_id: str, status: int = 1):
    return sandbox.post(
        "/contactLists", {"contactList": {"list": list_id, "contact": contact, "status": status}}
    )


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["lists"]]


def assert_subscription_conforms(body: dict) -> None:
    """POST /contactLists against its example, with the contact's unset dates as null.

    That example shows unset dates as MySQL zero dates ("0000-00-00"), where the reference's
    newer contact examples (GET /contacts/{id}, POST /notes) and the sandbox give null.
    """
    reference = copy.deepcopy(example("POST", "/contactLists", 200))
    for key in ZERO_DATES:
        reference["contacts"][0][key] = None
    problems = mismatches(body, reference)
    assert not problems, "\n".join(problems)


@pytest.fixture
def ctx(sandbox) -> Ctx:
    return Ctx(sandbox.account, RequestFactory().get("/"), sandbox.base, QueryDict(), b"")


def test_list_operations_match_reference_shapes(sandbox):
    created = sandbox.post("/lists", {"list": LIST_REQUEST})
    assert created.status_code == 200  # as the reference shows, not 201
    assert_conforms(created.json(), "POST", "/lists", 200)
    list_id = created.json()["list"]["id"]
    assert created.json()["list"]["stringid"] == "Name-of-list"

    assert_conforms(sandbox.ok("GET", "/lists"), "GET", "/lists", 200)
    detail = sandbox.ok("GET", f"/lists/{list_id}")
    assert_conforms(detail, "GET", "/lists/{id}", 200)
    stored = detail["list"]
    assert (stored["name"], stored["user"], stored["userid"]) == ("Name of List", "1", "1")
    assert stored["sender_url"] == LIST_REQUEST["sender_url"]
    assert stored["links"]["user"] == f"{sandbox.base}/lists/{list_id}/user"

    deleted = sandbox.delete(f"/lists/{list_id}")
    assert deleted.status_code == 200
    assert_conforms(deleted.json(), "DELETE", "/lists/{id}", 200)

    missing = sandbox.get(f"/lists/{list_id}")
    assert missing.status_code == 404
    assert_conforms(missing.json(), "GET", "/lists/{id}", 404)
    assert missing.json() == {"message": f"No Result found for _List with id {list_id}"}
    # The reference files this body under 403; a missing list is a 404 like every other.
    gone = sandbox.delete(f"/lists/{list_id}")
    assert gone.status_code == 404
    assert_conforms(gone.json(), "DELETE", "/lists/{id}", 403)


def test_create_list_requires_its_attributes(sandbox):
    for attribute in ("name", "sender_url", "sender_reminder"):
        payload = {k: v for k, v in LIST_REQUEST.items() if k != attribute}
        response = sandbox.post("/lists", {"list": payload})
        assert_422(response, f"/data/attributes/{attribute}", "field_missing")
    assert sandbox.ok("GET", "/lists")["meta"]["total"] == "0"


def test_a_list_created_without_stringid_gets_one_made_of_its_name(sandbox):
    payload = {k: v for k, v in LIST_REQUEST.items() if k != "stringid"}
    created = sandbox.ok("POST", "/lists", {"list": {**payload, "name": "Spring Offers 2026!"}})
    assert created["list"]["stringid"] == "spring-offers-2026"


def test_list_filters_orders_and_paging(sandbox):
    for name in ("Newsletter", "news", "Daily News", "Offers"):
        make_list(sandbox, name)

    assert names(sandbox.ok("GET", "/lists?filters[name]=NEWS")) == [
        "Newsletter",
        "news",
        "Daily News",
    ]
    cases = {
        "eq": ("News", ["news"]),
        "neq": ("news", ["Newsletter", "Daily News", "Offers"]),
        "lt": ("news", ["Daily News"]),
        "lte": ("news", ["news", "Daily News"]),
        "gt": ("news", ["Newsletter", "Offers"]),
        "gte": ("newsletter", ["Newsletter", "Offers"]),
        "contains": ("ew", ["Newsletter", "news", "Daily News"]),
        "starts_with": ("new", ["Newsletter", "news"]),
    }
    for operator, (value, expected) in cases.items():
        body = sandbox.ok("GET", f"/lists?filters[name][{operator}]={value}")
        assert names(body) == expected, operator
        assert body["meta"]["total"] == str(len(expected))

    weighted = sandbox.ok("GET", "/lists?filters[name]=news&orders[name]=weight")
    assert names(weighted) == ["news", "Newsletter", "Daily News"]
    assert names(sandbox.ok("GET", "/lists?orders[name]=ASC")) == [
        "Daily News",
        "news",
        "Newsletter",
        "Offers",
    ]
    assert names(sandbox.ok("GET", "/lists?orders[name]=desc"))[0] == "Offers"

    paged = sandbox.ok("GET", "/lists?limit=2&offset=1")
    assert names(paged) == ["news", "Daily News"] and paged["meta"]["total"] == "4"


def test_subscribe_and_unsubscribe(sandbox):
    contact = make_contact(sandbox, firstName="John", lastName="Doe")
    list_id = make_list(sandbox)
    store.update(store.find(sandbox.account, "contact", contact), udate=OLD)

    response = subscribe(sandbox, contact, list_id)
    assert response.status_code == 200
    body = response.json()
    assert_subscription_conforms(body)
    membership = body["contactList"]
    assert (membership["contact"], membership["list"], membership["status"]) == (
        contact,
        list_id,
        1,
    )
    assert (membership["first_name"], membership["last_name"]) == ("John", "Doe")
    assert body["contacts"][0]["id"] == contact
    assert body["contacts"][0]["udate"] != OLD

    listed = sandbox.ok("GET", f"/contacts/{contact}/contactLists")
    assert [(m["id"], m["status"]) for m in listed["contactLists"]] == [(membership["id"], "1")]
    assert listed["contactLists"][0]["udate"] is None
    detail = sandbox.ok("GET", f"/contacts/{contact}")
    assert_conforms(detail, "GET", "/contacts/{id}", 200)
    assert detail["contact"]["contactLists"] == [membership["id"]]
    assert detail["contactLists"][0]["status"] == "1"
    assert sandbox.ok("GET", f"/contacts?listid={list_id}&status=1")["meta"]["total"] == "1"

    unsubscribed = subscribe(sandbox, contact, list_id, status=2).json()["contactList"]
    assert unsubscribed["id"] == membership["id"] and unsubscribed["status"] == 2
    # udate (unsubscribe date) is set now, as in the example, whose contact left the list.
    listed = sandbox.ok("GET", f"/contacts/{contact}/contactLists")
    assert_conforms(listed, "GET", "/contacts/{id}/contactLists", 200)
    assert [m["status"] for m in listed["contactLists"]] == ["2"]
    assert sandbox.ok("GET", f"/contacts?listid={list_id}&status=1")["meta"]["total"] == "0"

    missing = sandbox.get("/contacts/999/contactLists")
    assert missing.status_code == 404
    assert_conforms(missing.json(), "GET", "/contacts/{id}/contactLists", 404)


def test_subscription_errors_write_nothing(sandbox):
    contact = make_contact(sandbox)
    list_id = make_list(sandbox)

    for attribute in ("list", "contact", "status"):
        payload = {"list": list_id, "contact": contact, "status": 1}
        del payload[attribute]
        response = sandbox.post("/contactLists", {"contactList": payload})
        assert_422(response, f"/data/attributes/{attribute}", "field_missing")
    assert_422(subscribe(sandbox, contact, list_id, 7), "/data/attributes/status", "field_invalid")
    assert_422(subscribe(sandbox, "999", list_id), "/data/attributes/contact", "related_missing")
    assert_422(subscribe(sandbox, contact, "999"), "/data/attributes/list", "related_missing")
    assert sandbox.ok("GET", f"/contacts/{contact}/contactLists") == {"contactLists": []}


def test_deleting_a_list_removes_its_subscriptions(sandbox):
    contact = make_contact(sandbox)
    keep, drop = make_list(sandbox, "Keep"), make_list(sandbox, "Drop")
    for list_id in (keep, drop):
        assert subscribe(sandbox, contact, list_id).status_code == 200
    sandbox.ok("DELETE", f"/lists/{drop}")
    listed = sandbox.ok("GET", f"/contacts/{contact}/contactLists")["contactLists"]
    assert [m["list"] for m in listed] == [keep]


def test_set_subscription_for_the_importer(sandbox, ctx):
    contact = int(make_contact(sandbox, firstName="Ann"))
    list_id = int(make_list(sandbox))
    first = set_subscription(ctx, contact, list_id, 1)
    again = set_subscription(ctx, contact, list_id, 2)
    assert again.pk == first.pk
    assert (again.data["status"], again.data["first_name"]) == ("2", "Ann")
    assert again.data["sdate"] is not None and again.data["udate"] is not None
