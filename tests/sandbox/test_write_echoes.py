"""The ids a write's answer echoes have the JSON types of the reference's example, when the
request is the reference's own request example (same attributes, same JSON types) with ids
of this account: e.g. ``POST /fieldValues`` sent numbers and answers ``contact``, ``field``
and ``owner`` as numbers, ``POST /contactLists`` sent numbers and answers strings.

One row per write operation the contact page (and its sandbox fixtures) make; each row
builds its request from the reference's, so the table says only which ids to fill in.
"""

from typing import Any

import pytest

from tests.conformance.shapes import example, json_type, operations
from tests.conftest import SandboxClient


def request_example(method: str, path: str, name: str | None = None) -> dict[str, Any]:
    requests = operations()[(method, path)]["requests"]
    return requests[name] if name else next(iter(requests.values()))


def retyped(template: Any, value: int) -> Any:
    """``value`` with the JSON type of the reference's ``template`` (number or string)."""
    return str(value) if isinstance(template, str) else value


def fill(body: dict[str, Any], envelope: str, ids: dict[str, int]) -> dict[str, Any]:
    """The reference's request with ``ids`` in place of its ids, typed as it typed them."""
    attrs = dict(body[envelope])
    for key, value in ids.items():
        attrs[key] = retyped(attrs[key], value)
    return {**body, envelope: attrs}


def echoed(answer: Any, path: str) -> Any:
    for part in path.split("."):
        answer = answer[part]
    return answer


class Account:
    """Objects of the sandbox account the requests refer to, made on first use."""

    def __init__(self, sandbox: SandboxClient) -> None:
        self.sandbox = sandbox
        self.made: dict[str, int] = {}

    def __getitem__(self, name: str) -> int:
        if name not in self.made:
            path, envelope, attrs = self._recipe(name)
            body = self.sandbox.ok("POST", path, {envelope: attrs})
            self.made[name] = int(body[envelope]["id"])
        return self.made[name]

    def _recipe(self, name: str) -> tuple[str, str, dict[str, Any]]:
        match name:
            case "contact":
                return "/contacts", "contact", {"email": "echo@example.com"}
            case "field":
                return "/fields", "field", {"title": "Colour", "type": "text"}
            case "tag":
                return "/tags", "tag", {"tag": "echo", "tagType": "contact"}
            case "list":
                attrs = {"name": "Echo", "stringid": "echo", "sender_url": "https://x.example"}
                return "/lists", "list", {**attrs, "sender_reminder": "You signed up."}
            case "organization":
                return "/accounts", "account", {"name": "Echo Inc"}
            case "field_value":
                attrs = {"contact": self["contact"], "field": self["field"], "value": "x"}
                return "/fieldValues", "fieldValue", attrs
            case "note":
                attrs = {"note": "x", "relid": self["contact"], "reltype": "Subscriber"}
                return "/notes", "note", attrs
            case "account_contact":
                attrs = {"contact": self["contact"], "account": self["organization"]}
                return "/accountContacts", "accountContact", attrs
        raise KeyError(name)


# (method, reference path, envelope, {request attribute: object}, path of the object in the
# URL, the answer's echoed ids, the reference example's status)
WRITES = [
    (
        "POST",
        "/fieldValues",
        "fieldValue",
        {"contact": "contact", "field": "field"},
        None,
        ["fieldValue.contact", "fieldValue.field", "fieldValue.owner"],
        200,
    ),
    (
        "PUT",
        "/fieldValues/{id}",
        "fieldValue",
        {"contact": "contact", "field": "field"},
        "field_value",
        ["fieldValue.contact", "fieldValue.field", "fieldValue.owner"],
        200,
    ),
    (
        "POST",
        "/contactTags",
        "contactTag",
        {"contact": "contact", "tag": "tag"},
        None,
        ["contactTag.contact", "contactTag.tag"],
        201,
    ),
    (
        "POST",
        "/contactLists",
        "contactList",
        {"contact": "contact", "list": "list"},
        None,
        ["contactList.contact", "contactList.list", "contactList.status"],
        200,
    ),
    (
        "POST",
        "/notes",
        "note",
        {"relid": "contact"},
        None,
        ["note.relid", "note.owner.id", "note.userid"],
        201,
    ),
    (
        "PUT",
        "/notes/{id}",
        "note",
        {"relid": "contact"},
        "note",
        ["note.relid", "note.owner.id", "note.userid"],
        200,
    ),
    (
        "POST",
        "/accountContacts",
        "accountContact",
        {"contact": "contact", "account": "organization"},
        None,
        ["accountContact.contact", "accountContact.account"],
        201,
    ),
    (
        "PUT",
        "/accountContacts/{id}",
        "accountContact",
        {},
        "account_contact",
        ["accountContact.contact", "accountContact.account"],
        200,
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "envelope", "ids", "target", "keys", "status"),
    WRITES,
    ids=[f"{w[0]} {w[1]}" for w in WRITES],
)
def test_a_writes_answer_echoes_ids_typed_as_the_reference_shows(
    sandbox, method, path, envelope, ids, target, keys, status
):
    account = Account(sandbox)
    made = {attribute: account[name] for attribute, name in ids.items()}
    body = fill(request_example(method, path), envelope, made)
    url = path.replace("{id}", str(account[target])) if target else path
    response = sandbox.request(method, url, json=body)
    assert response.status_code in {200, 201}, response.text
    reference = example(method, path, status)
    for key in keys:
        got, expected = echoed(response.json(), key), echoed(reference, key)
        assert json_type(got) == json_type(expected), f"{key}: {got!r}, reference {expected!r}"
