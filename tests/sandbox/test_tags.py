"""Tags and contact tags in the sandbox behave as the API reference documents."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from acdash.sandbox import store
from acdash.sandbox.resources.tags import add_contact_tag, ensure_tag
from acdash.sandbox.routing import Ctx
from tests.conformance.shapes import assert_conforms
from tests.sandbox import assert_422

OLD = "2000-01-01T00:00:00-06:00"


def make_tag(sandbox, name: str, tag_type: str = "contact") -> str:
    body = sandbox.ok("POST", "/tags", {"tag": {"tag": name, "tagType": tag_type}}, status=201)
    return body["tag"]["id"]


def make_contact(sandbox, email: str = "jane@example.com") -> str:
    return sandbox.ok("POST", "/contacts", {"contact": {"email": email}})["contact"]["id"]


def age_contact(sandbox, contact_id: str) -> None:
    """Backdate the contact, so a later touch is visible without waiting."""
    record = store.find(sandbox.account, "contact", contact_id)
    store.update(record, udate=OLD)


def udate(sandbox, contact_id: str) -> str:
    return sandbox.ok("GET", f"/contacts/{contact_id}")["contact"]["udate"]


def names(body: dict) -> list[str]:
    return [t["tag"] for t in body["tags"]]


@pytest.fixture
def ctx(sandbox) -> Ctx:
    request = RequestFactory().get("/")
    return Ctx(sandbox.account, request, sandbox.base, QueryDict(), b"")


def test_tag_operations_match_reference_shapes(sandbox):
    created = sandbox.post(
        "/tags", {"tag": {"tag": "My Tag", "description": "Description", "tagType": "contact"}}
    )
    assert created.status_code == 201
    assert_conforms(created.json(), "POST", "/tags", 201)
    tag = created.json()["tag"]
    assert (tag["tag"], tag["description"], tag["tagType"]) == ("My Tag", "Description", "contact")
    assert tag["links"]["contactGoalTags"] == f"{sandbox.base}/tags/{tag['id']}/contactGoalTags"

    assert_conforms(sandbox.ok("GET", "/tags"), "GET", "/tags", 200)
    detail = sandbox.ok("GET", f"/tags/{tag['id']}")
    assert_conforms(detail, "GET", "/tags/{id}", 200)
    assert detail["tag"]["subscriber_count"] == "0"

    updated = sandbox.ok("PUT", f"/tags/{tag['id']}", {"tag": {"description": "Changed"}})
    assert_conforms(updated, "PUT", "/tags/{id}", 200)
    assert (updated["tag"]["tag"], updated["tag"]["description"]) == ("My Tag", "Changed")

    deleted = sandbox.delete(f"/tags/{tag['id']}")
    assert deleted.status_code == 200
    assert_conforms(deleted.json(), "DELETE", "/tags/{id}", 200)

    for method in ("GET", "DELETE"):
        response = sandbox.request(method, f"/tags/{tag['id']}")
        assert response.status_code == 404
        assert_conforms(response.json(), method, "/tags/{id}", 404)
        assert response.json() == {"message": f"No Result found for Tag with id {tag['id']}"}


def test_duplicate_tag_name_is_422_and_writes_nothing(sandbox):
    make_tag(sandbox, "VIP")
    response = sandbox.post("/tags", {"tag": {"tag": "vip", "description": "again"}})
    assert_422(response, "/data/attributes/tag", "duplicate")
    assert sandbox.ok("GET", "/tags")["meta"]["total"] == "1"
    # Names are unique per tag type, as in the API.
    make_tag(sandbox, "VIP", "template")

    other = make_tag(sandbox, "Lead")
    renamed = sandbox.put(f"/tags/{other}", {"tag": {"tag": "Vip", "description": "x"}})
    assert_422(renamed, "/data/attributes/tag", "duplicate")
    assert sandbox.ok("GET", f"/tags/{other}")["tag"]["description"] == ""
    assert sandbox.ok("GET", f"/tags/{other}")["tag"]["tag"] == "Lead"


def test_missing_or_invalid_tag_attributes_are_422(sandbox):
    assert_422(
        sandbox.post("/tags", {"tag": {"tag": " "}}), "/data/attributes/tag", "field_missing"
    )
    assert_422(
        sandbox.post("/tags", {"tag": {"tag": "x", "tagType": "deal"}}),
        "/data/attributes/tagType",
        "field_invalid",
    )
    assert sandbox.ok("GET", "/tags")["meta"]["total"] == "0"
    assert sandbox.post("/tags", {"nothing": {}}).status_code == 400


def test_search_filters_and_orders(sandbox):
    for name in ("beta", "Alpha", "alphabet", "gamma alpha", "delta"):
        make_tag(sandbox, name)

    assert names(sandbox.ok("GET", "/tags?search=ALPHA")) == ["Alpha", "alphabet", "gamma alpha"]
    expected = {
        "eq": ["Alpha"],
        "neq": ["beta", "alphabet", "gamma alpha", "delta"],
        "lt": ["beta", "Alpha", "alphabet"],
        "lte": ["beta", "Alpha", "alphabet", "delta"],
        "gt": ["gamma alpha"],
        "gte": ["gamma alpha", "delta"],
        "contains": ["Alpha", "alphabet", "gamma alpha"],
        "starts_with": ["Alpha", "alphabet"],
    }
    for operator, value in (
        ("eq", "alpha"),
        ("neq", "ALPHA"),
        ("lt", "c"),
        ("lte", "delta"),
        ("gt", "delta"),
        ("gte", "delta"),
        ("contains", "alpha"),
        ("starts_with", "Alp"),
    ):
        body = sandbox.ok("GET", f"/tags?filters[search][{operator}]={value}")
        assert names(body) == expected[operator], operator
        assert body["meta"]["total"] == str(len(expected[operator]))

    weighted = sandbox.ok("GET", "/tags?search=alphabet&orders[search]=weight")
    assert names(weighted) == ["alphabet"]
    weighted = sandbox.ok("GET", "/tags?filters[search][contains]=alpha&orders[search]=weight")
    assert names(weighted) == ["Alpha", "alphabet", "gamma alpha"]
    weighted = sandbox.ok("GET", "/tags?search=a&orders[search]=weight")
    assert names(weighted)[:2] == ["Alpha", "alphabet"]
    assert names(sandbox.ok("GET", "/tags?orders[search]=asc")) == [
        "Alpha",
        "alphabet",
        "beta",
        "delta",
        "gamma alpha",
    ]
    assert names(sandbox.ok("GET", "/tags?orders[search]=DESC"))[0] == "gamma alpha"
    assert sandbox.get("/tags?orders[search]=sideways").status_code == 400


def test_paging(sandbox):
    for n in range(25):
        make_tag(sandbox, f"tag{n:02}")
    first = sandbox.ok("GET", "/tags")
    assert len(first["tags"]) == 20 and first["meta"]["total"] == "25"
    rest = sandbox.ok("GET", "/tags?limit=10&offset=20")
    assert names(rest) == [f"tag{n:02}" for n in range(20, 25)]


def test_contact_tag_add_list_remove(sandbox):
    contact = make_contact(sandbox)
    tag = make_tag(sandbox, "Customer")
    age_contact(sandbox, contact)

    response = sandbox.post("/contactTags", {"contactTag": {"contact": contact, "tag": tag}})
    assert response.status_code == 201
    assert_conforms(response.json(), "POST", "/contactTags", 201)
    link = response.json()["contactTag"]
    assert (link["contact"], link["tag"]) == (contact, tag)
    assert link["links"]["tag"] == f"{sandbox.base}/contactTags/{link['id']}/tag"
    assert udate(sandbox, contact) != OLD

    # Adding it again gives back the same contactTag, as the API does.
    again = sandbox.ok(
        "POST", "/contactTags", {"contactTag": {"contact": int(contact), "tag": tag}}
    )
    assert again["contactTag"]["id"] == link["id"]
    assert sandbox.ok("GET", f"/tags/{tag}")["tag"]["subscriber_count"] == "1"
    assert sandbox.ok("GET", f"/contacts?tagid={tag}")["meta"]["total"] == "1"

    # No reference example for this list: its items have POST /contactTags's contactTag shape.
    listed = sandbox.ok("GET", f"/contacts/{contact}/contactTags")
    assert [t["id"] for t in listed["contactTags"]] == [link["id"]]
    assert_conforms({"contactTag": listed["contactTags"][0]}, "POST", "/contactTags", 201)

    age_contact(sandbox, contact)
    removed = sandbox.delete(f"/contactTags/{link['id']}")
    assert removed.status_code == 200
    assert_conforms(removed.json(), "DELETE", "/contactTags/{id}", 200)
    assert sandbox.ok("GET", f"/contacts/{contact}/contactTags") == {"contactTags": []}
    assert udate(sandbox, contact) != OLD

    missing = sandbox.delete(f"/contactTags/{link['id']}")
    assert missing.status_code == 404
    assert_conforms(missing.json(), "DELETE", "/contactTags/{id}", 404)
    assert missing.json() == {"message": f"No Result found for SubscriberTag with id {link['id']}"}


def test_contact_tag_errors(sandbox):
    contact = make_contact(sandbox)
    tag = make_tag(sandbox, "Customer")

    no_contact = sandbox.post("/contactTags", {"contactTag": {"tag": tag}})
    assert no_contact.status_code == 422
    assert_conforms(no_contact.json(), "POST", "/contactTags", 422)
    assert no_contact.json()["errors"][0]["source"]["pointer"] == "/data/attributes/contact"
    no_tag = sandbox.post("/contactTags", {"contactTag": {"contact": contact}})
    assert no_tag.status_code == 422
    assert no_tag.json()["errors"][0]["source"]["pointer"] == "/data/attributes/tag"

    unknown_contact = sandbox.post("/contactTags", {"contactTag": {"contact": "999", "tag": tag}})
    assert unknown_contact.status_code == 404
    assert_conforms(unknown_contact.json(), "POST", "/contactTags", 404)
    assert unknown_contact.json()["errors"][0]["detail"] == "Contact not found"
    unknown_tag = sandbox.post("/contactTags", {"contactTag": {"contact": contact, "tag": "999"}})
    assert unknown_tag.status_code == 404
    assert unknown_tag.json()["errors"][0]["detail"] == "Tag not found"

    assert sandbox.ok("GET", f"/contacts/{contact}/contactTags") == {"contactTags": []}


def test_deleting_a_tag_removes_its_contact_tags(sandbox):
    contact = make_contact(sandbox)
    keep, drop = make_tag(sandbox, "Keep"), make_tag(sandbox, "Drop")
    for tag in (keep, drop):
        sandbox.ok("POST", "/contactTags", {"contactTag": {"contact": contact, "tag": tag}})
    sandbox.ok("DELETE", f"/tags/{drop}")
    tags = sandbox.ok("GET", f"/contacts/{contact}/contactTags")["contactTags"]
    assert [t["tag"] for t in tags] == [keep]


def test_ensure_tag_and_add_contact_tag_for_the_importer(sandbox, ctx):
    existing = make_tag(sandbox, "Newsletter")
    make_tag(sandbox, "Promo", "template")
    assert ensure_tag(ctx, " newsLETTER ").id_str == existing
    created = ensure_tag(ctx, "Promo")  # only a template tag has that name
    assert created.id_str != existing and created.data["tagType"] == "contact"
    assert ensure_tag(ctx, "promo").id_str == created.id_str

    contact = int(make_contact(sandbox))
    first = add_contact_tag(ctx, contact, created)
    assert add_contact_tag(ctx, contact, created).pk == first.pk
    tags = sandbox.ok("GET", f"/contacts/{contact}/contactTags")["contactTags"]
    assert [(t["contact"], t["tag"]) for t in tags] == [(str(contact), created.id_str)]
