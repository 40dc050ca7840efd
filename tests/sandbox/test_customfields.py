"""Deal and account custom fields (meta and data) behave as the API reference documents."""

import json
from dataclasses import dataclass

import pytest
from django.http import QueryDict

from acdash.sandbox import store
from acdash.sandbox.resources import customfields
from acdash.sandbox.resources.customfielddata import deal_field_data, set_fields
from acdash.sandbox.resources.customfieldmeta import new_meta_data
from acdash.sandbox.routing import Ctx
from tests.conformance.shapes import assert_conforms, example, mismatches, operations


@dataclass(frozen=True)
class Names:
    """What differs between the deal and the account flavour, as a client sees it."""

    owner: str
    meta: str
    metum: str
    data: str
    datum: str
    owner_key: str  # how create requests name the owner
    owner_out: str  # how responses name it
    owner_filter: str


DEAL = Names(
    "deal",
    "/dealCustomFieldMeta",
    "dealCustomFieldMetum",
    "/dealCustomFieldData",
    "dealCustomFieldDatum",
    "dealId",
    "dealId",
    "filters[dealId]",
)
ACCOUNT = Names(
    "account",
    "/accountCustomFieldMeta",
    "accountCustomFieldMetum",
    "/accountCustomFieldData",
    "accountCustomFieldDatum",
    "customerAccountId",
    "accountId",
    "filters[customerAccountId]",
)


@pytest.fixture(params=[DEAL, ACCOUNT], ids=["deal", "account"])
def names(request) -> Names:
    return request.param


def make_owner(sandbox, names: Names, n: int = 1) -> int:
    if names.owner == "account":
        body = sandbox.ok("POST", "/accounts", {"account": {"name": f"Acme {n}"}})
        return int(body["account"]["id"])
    contact = sandbox.ok("POST", "/contacts", {"contact": {"email": f"deal{n}@example.com"}})
    contact_id = int(contact["contact"]["id"])
    # Deals belong to another family; create them in storage as the seed generator does.
    deal = store.create(
        sandbox.account, "deal", {"title": f"Deal {n}", "contact": str(contact_id)}, contact_id
    )
    return deal.rid


def make_field(sandbox, names: Names, field_type: str = "text", **attrs) -> int:
    attrs = {"fieldLabel": f"A {field_type} field", "fieldType": field_type, **attrs}
    if field_type in customfields.OPTION_TYPES:
        attrs.setdefault("fieldOptions", ["option 1", "option 2", "option 3"])
    body = sandbox.ok("POST", names.meta, {names.metum: attrs}, status=200)
    return int(body[names.metum]["id"])


def make_value(sandbox, names: Names, owner: int, field: int, value, **extra) -> dict:
    item = {names.owner_key: str(owner), "customFieldId": str(field), "fieldValue": value, **extra}
    return sandbox.ok("POST", names.data, {names.datum: item}, status=200)[names.datum]


# Meta --------------------------------------------------------------------------------


def test_meta_create_read_update_delete_match_reference(sandbox, names):
    created = sandbox.ok(
        "POST",
        names.meta,
        {names.metum: {"fieldLabel": "title", "fieldType": "text", "fieldDefault": "Default"}},
        status=200,
    )
    assert_conforms(created, "POST", names.meta, 200)
    field_id = created[names.metum]["id"]
    assert created[names.metum]["links"] == {
        names.data[1:]: f"{sandbox.base}{names.meta}/{field_id}{names.data}"
    }
    path = f"{names.meta}/{field_id}"
    assert_conforms(sandbox.ok("GET", path), "GET", f"{names.meta}/{{id}}", 200)
    updated = sandbox.ok(
        "PUT",
        path,
        {names.metum: {"fieldLabel": "New Title", "isRequired": 1, "fieldType": "date"}},
    )
    assert_conforms(updated, "PUT", f"{names.meta}/{{id}}", 200)
    assert updated[names.metum]["fieldLabel"] == "New Title"
    assert updated[names.metum]["isRequired"] == 1
    assert updated[names.metum]["fieldType"] == "text"  # the type of a field is fixed
    deleted = sandbox.ok("DELETE", path)
    assert_conforms(deleted, "DELETE", f"{names.meta}/{{id}}", 200)
    label = names.owner.capitalize()
    assert deleted == {"message": f"{label}CustomFieldMeta deleted."}
    for method in ("GET", "PUT", "DELETE"):
        response = sandbox.request(method, path, json={names.metum: {"fieldLabel": "x"}})
        assert response.status_code == 404
        assert_conforms(response.json(), method, f"{names.meta}/{{id}}", 404)
        assert response.json() == {"errors": [{"status": 404, "title": "Not Found"}]}


def test_meta_list_matches_reference_and_pages_with_default_limit_100(sandbox, names):
    # The reference's list example has numeric defaults; the API answers a default as it was sent.
    make_field(sandbox, names, "text", fieldDefault=1)
    make_field(sandbox, names, "multiselect", fieldDefault=1)
    listed = sandbox.ok("GET", names.meta)
    assert_conforms(listed, "GET", names.meta, 200)
    plural = names.meta[1:]
    assert [f["fieldType"] for f in listed[plural]] == ["text", "multiselect"]
    assert listed[plural][1]["fieldOptions"] == ["option 1", "option 2", "option 3"]
    assert "meta" not in listed
    kind = f"{names.owner}CustomFieldMeta"
    for n in range(101):
        data = new_meta_data("text", n + 3, "2019-04-23 15:34:00", fieldLabel=f"F{n}")
        store.create(sandbox.account, kind, data)
    assert len(sandbox.ok("GET", names.meta)[plural]) == 100
    page = sandbox.ok("GET", f"{names.meta}?limit=2&offset=1")[plural]
    assert [f["fieldType"] for f in page] == ["multiselect", "text"]


def reference_meta_requests(names: Names) -> dict[str, dict]:
    """The reference's create examples of every field type (given for the account flavour)."""
    requests = operations()[("POST", "/accountCustomFieldMeta")]["requests"]
    return {name: {names.metum: body["accountCustomFieldMetum"]} for name, body in requests.items()}


def test_meta_every_field_type_of_the_reference_examples(sandbox, names):
    requests = reference_meta_requests(names)
    assert len(requests) == len(customfields.TYPES)
    for request in requests.values():
        sent = request[names.metum]
        body = sandbox.ok("POST", names.meta, request, status=200)
        problems = mismatches(body, example("POST", names.meta, 200))
        # The reference's example is a text field; multi-value fields answer their default
        # as the list they were sent.
        if sent["fieldType"] in customfields.MULTI_TYPES:
            assert problems == [f"$.{names.metum}.fieldDefault: array, reference has string"]
        else:
            assert problems == []
        got = body[names.metum]
        assert got["fieldType"] == sent["fieldType"]
        assert got["fieldOptions"] == sent.get("fieldOptions")
        assert got["fieldDefault"] == sent["fieldDefault"]
        assert (got["isFormVisible"], got["displayOrder"]) == (1, sent["displayOrder"])
    listed = sandbox.ok("GET", names.meta)[names.meta[1:]]
    assert {f["fieldType"] for f in listed} == set(customfields.TYPES)
    currency = next(f for f in listed if f["fieldType"] == "currency")
    assert currency["fieldDefaultCurrency"] == "aud"


# The reference's 422 example is not valid JSON (key/value pairs inside [] with no {}); this
# is it repaired.
MISSING_TYPE_422 = {
    "errors": [{"title": "The field type field is required.", "detail": "", "code": 422}]
}


@pytest.mark.parametrize(
    ("attrs", "title"),
    [
        ({"fieldLabel": "No type"}, "The field type field is required."),
        ({"fieldLabel": "Bad", "fieldType": "colour"}, "The selected field type is invalid."),
        ({"fieldType": "text"}, "The field label field is required."),
        (
            {"fieldLabel": "Pick", "fieldType": "dropdown"},
            "The field options field is required when field type is dropdown.",
        ),
        (
            {"fieldLabel": "Pick", "fieldType": "radio", "fieldOptions": []},
            "The field options field is required when field type is radio.",
        ),
        (
            {"fieldLabel": "Order", "fieldType": "text", "displayOrder": "first"},
            "The display order field must be an integer.",
        ),
    ],
)
def test_meta_invalid_create_is_422_and_writes_nothing(sandbox, names, attrs, title):
    response = sandbox.post(names.meta, {names.metum: attrs})
    assert response.status_code == 422
    assert response.json() == {"errors": [{"title": title, "detail": "", "code": 422}]}
    assert sandbox.ok("GET", names.meta)[names.meta[1:]] == []


def test_meta_missing_type_matches_repaired_reference_example(sandbox, names):
    with pytest.raises(AssertionError, match="not valid JSON"):
        example("POST", names.meta, 422)
    response = sandbox.post(names.meta, {names.metum: {"fieldLabel": "No type"}})
    assert response.status_code == 422
    assert response.json() == MISSING_TYPE_422


def test_meta_invalid_update_is_422_and_changes_nothing(sandbox, names):
    field_id = make_field(sandbox, names, "dropdown")
    path = f"{names.meta}/{field_id}"
    response = sandbox.put(path, {names.metum: {"fieldLabel": "", "fieldOptions": ["x"]}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["title"] == "The field label field is required."
    response = sandbox.put(path, {names.metum: {"fieldLabel": "Renamed", "fieldOptions": "x"}})
    assert response.status_code == 422
    got = sandbox.ok("GET", path)[names.metum]
    assert (got["fieldLabel"], got["fieldOptions"]) == (
        "A dropdown field",
        ["option 1", "option 2", "option 3"],
    )


# Data --------------------------------------------------------------------------------


def test_data_create_read_update_delete_match_reference(sandbox, names):
    owner = make_owner(sandbox, names)
    field = make_field(sandbox, names)
    created = sandbox.ok(
        "POST",
        names.data,
        {
            names.datum: {
                names.owner_key: str(owner),
                "customFieldId": str(field),
                "fieldValue": "t",
            }
        },
        status=200,
    )
    assert_conforms(created, "POST", names.data, 200)
    value = created[names.datum]
    assert (value[names.owner_out], value["customFieldId"], value["fieldValue"]) == (
        owner,
        field,
        "t",
    )
    assert value["links"] == {
        names.owner: f"{sandbox.base}{names.data}/{value['id']}/{names.owner}",
        names.metum: f"{sandbox.base}{names.data}/{value['id']}/{names.metum}",
    }
    path = f"{names.data}/{value['id']}"
    one = f"{names.data}/{{id}}"
    assert_conforms(sandbox.ok("GET", path), "GET", one, 200)
    assert_conforms(sandbox.ok("GET", names.data), "GET", names.data, 200)
    updated = sandbox.ok("PUT", path, {names.datum: {"fieldValue": "New title"}})
    assert_conforms(updated, "PUT", one, 200)
    assert updated[names.datum]["fieldValue"] == "New title"
    deleted = sandbox.ok("DELETE", path)
    assert_conforms(deleted, "DELETE", one, 200)
    assert deleted == {"message": f"{names.owner.capitalize()}CustomFieldData deleted."}
    for method in ("GET", "PUT", "DELETE"):
        response = sandbox.request(method, path, json={names.datum: {"fieldValue": "x"}})
        assert response.status_code == 404
        assert_conforms(response.json(), method, one, 404)


def test_data_type_errors_match_the_reference_examples(sandbox, names):
    owner = make_owner(sandbox, names)
    date_field = make_field(sandbox, names, "date")
    number_field = make_field(sandbox, names, "number")
    response = sandbox.post(
        names.data,
        {names.datum: {names.owner_key: owner, "customFieldId": date_field, "fieldValue": "abc"}},
    )
    assert response.status_code == 422
    assert response.json() == example("POST", "/dealCustomFieldData", 422)
    value = make_value(sandbox, names, owner, number_field, "100.99")
    path = f"{names.data}/{value['id']}"
    response = sandbox.put(path, {names.datum: {"fieldValue": "a lot"}})
    assert response.status_code == 422
    assert response.json() == example("PUT", "/dealCustomFieldData/{id}", 422)
    assert sandbox.ok("GET", path)[names.datum]["fieldValue"] == "100.99"
    assert len(sandbox.ok("GET", names.data)[names.data[1:]]) == 1


@pytest.mark.parametrize(
    ("field_type", "sent", "stored"),
    [
        ("text", "test title", "test title"),
        ("textarea", 42, "42"),
        ("hidden", "h", "h"),
        ("dropdown", "option 2", "option 2"),
        ("radio", "option 1", "option 1"),
        ("multiselect", ["option 1", "option 3"], ["option 1", "option 3"]),
        ("checkbox", ["option 1"], ["option 1"]),
        ("multiselect", "||option 1||option 2||", ["option 1", "option 2"]),
        ("number", "100.99", "100.99"),
        ("date", "2018-12-31", "2018-12-31"),
        ("date", "2018-12-31 00:00:00", "2018-12-31"),
        ("date", "12/31/2018", "2018-12-31"),
        ("date", "2018/12/31", "2018-12-31"),
        ("datetime", "2020-05-19T02:45:00-05:00", "2020-05-19T02:45:00-05:00"),
        ("text", "", ""),
    ],
)
def test_values_are_stored_as_their_field_type_reads_them(sandbox, names, field_type, sent, stored):
    owner = make_owner(sandbox, names)
    field = make_field(sandbox, names, field_type)
    value = make_value(sandbox, names, owner, field, sent)
    assert value["fieldValue"] == stored
    assert "fieldCurrency" not in value
    assert sandbox.ok("GET", f"{names.data}/{value['id']}")[names.datum]["fieldValue"] == stored


@pytest.mark.parametrize(
    ("field_type", "sent"),
    [
        ("number", "abc"),
        ("currency", 99.5),
        ("currency", "ten"),
        ("date", "2018-13-45"),
        ("datetime", "tomorrow"),
        ("multiselect", [1, 2]),
        ("text", ["a"]),
    ],
)
def test_values_that_do_not_fit_the_type_are_422(sandbox, names, field_type, sent):
    owner = make_owner(sandbox, names)
    field = make_field(sandbox, names, field_type)
    item = {names.owner_key: owner, "customFieldId": field, "fieldValue": sent}
    response = sandbox.post(names.data, {names.datum: item})
    assert response.status_code == 422
    shown = sent if isinstance(sent, str) else json.dumps(sent)
    assert response.json() == {
        "errors": [
            {
                "detail": f"The custom field value `{shown}` could not be saved "
                f"to the custom field of type `{field_type}`."
            }
        ]
    }


def test_currency_values_are_cents_with_a_currency(sandbox, names):
    owner = make_owner(sandbox, names)
    field = make_field(sandbox, names, "currency", fieldDefaultCurrency="eur")
    value = make_value(sandbox, names, owner, field, 9999, fieldCurrency="cad")
    assert (value["fieldValue"], value["fieldCurrency"]) == (9999, "cad")
    path = f"{names.data}/{value['id']}"
    updated = sandbox.ok("PUT", path, {names.datum: {"fieldValue": "12345"}})[names.datum]
    assert (updated["fieldValue"], updated["fieldCurrency"]) == (12345, "eur")
    other = make_owner(sandbox, names, 2)
    assert make_value(sandbox, names, other, field, 100)["fieldCurrency"] == "eur"


def test_account_values_accept_either_owner_attribute(sandbox):
    account = make_owner(sandbox, ACCOUNT)
    field = make_field(sandbox, ACCOUNT)
    item = {"accountId": str(account), "customFieldId": str(field), "fieldValue": "x"}
    body = sandbox.ok("POST", ACCOUNT.data, {ACCOUNT.datum: item}, status=200)
    assert body[ACCOUNT.datum]["accountId"] == account
    # GET and PUT of one account value leave out the metum id (as in the reference).
    one = sandbox.ok("GET", f"{ACCOUNT.data}/{body[ACCOUNT.datum]['id']}")[ACCOUNT.datum]
    assert "accountCustomFieldMetumId" not in one


@pytest.mark.parametrize(
    ("item", "title"),
    [
        ({"customFieldId": "FIELD", "fieldValue": "x"}, "The {owner} field is required."),
        ({"owner": "OWNER", "fieldValue": "x"}, "The custom field id field is required."),
        (
            {"owner": "999", "customFieldId": "FIELD", "fieldValue": "x"},
            "The selected {owner} is invalid.",
        ),
        (
            {"owner": "OWNER", "customFieldId": "999", "fieldValue": "x"},
            "The selected custom field id is invalid.",
        ),
        ({"owner": "OWNER", "customFieldId": "FIELD"}, "The field value field is required."),
    ],
)
def test_invalid_value_create_is_422_and_writes_nothing(sandbox, names, item, title):
    owner, field = make_owner(sandbox, names), make_field(sandbox, names)
    replace = {"OWNER": str(owner), "FIELD": str(field)}
    item = {(names.owner_key if k == "owner" else k): replace.get(v, v) for k, v in item.items()}
    response = sandbox.post(names.data, {names.datum: item})
    assert response.status_code == 422
    owner_title = "deal id" if names.owner == "deal" else "customer account id"
    expected = title.format(owner=owner_title)
    assert response.json() == {"errors": [{"title": expected, "detail": "", "code": 422}]}
    assert sandbox.ok("GET", names.data)[names.data[1:]] == []


def test_a_second_value_for_the_same_owner_and_field_is_422(sandbox, names):
    owner, field = make_owner(sandbox, names), make_field(sandbox, names)
    first = make_value(sandbox, names, owner, field, "one")
    item = {names.owner_key: owner, "customFieldId": field, "fieldValue": "two"}
    response = sandbox.post(names.data, {names.datum: item})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == 422
    listed = sandbox.ok("GET", names.data)[names.data[1:]]
    assert [v["fieldValue"] for v in listed] == [first["fieldValue"]]


def test_list_filters_by_owner_and_pages(sandbox, names):
    first, second = make_owner(sandbox, names, 1), make_owner(sandbox, names, 2)
    fields = [make_field(sandbox, names, "text", fieldLabel=f"F{n}") for n in range(3)]
    for field in fields:
        make_value(sandbox, names, first, field, f"first {field}")
    make_value(sandbox, names, second, fields[0], "second")
    plural = names.data[1:]
    assert len(sandbox.ok("GET", names.data)[plural]) == 4
    mine = sandbox.ok("GET", f"{names.data}?{names.owner_filter}={first}")[plural]
    assert [v[names.owner_out] for v in mine] == [first] * 3
    theirs = sandbox.ok("GET", f"{names.data}?{names.owner_filter}={second}")[plural]
    assert [v["fieldValue"] for v in theirs] == ["second"]
    page = sandbox.ok("GET", f"{names.data}?limit=2&offset=2")
    assert [v["fieldValue"] for v in page[plural]] == [f"first {fields[2]}", "second"]
    assert "meta" not in page


def test_deleting_a_field_deletes_its_values(sandbox, names):
    owner, field = make_owner(sandbox, names), make_field(sandbox, names)
    kept = make_field(sandbox, names, "number")
    make_value(sandbox, names, owner, field, "gone")
    make_value(sandbox, names, owner, kept, 7)
    sandbox.ok("DELETE", f"{names.meta}/{field}")
    listed = sandbox.ok("GET", names.data)[names.data[1:]]
    assert [v["customFieldId"] for v in listed] == [kept]


# Bulk ----------------------------------------------------------------------------------


def bulk_items(sandbox, names: Names, owner: int) -> list[dict]:
    """The reference's bulkCreate example, pointed at fields of the types its values fit."""
    request = operations()[("POST", f"{names.data}/bulkCreate")]["requests"]["Request Example"]
    types = ["text", "text", "multiselect", "currency", "number", "date", "datetime"]
    items = []
    for item, field_type in zip(request, types, strict=True):
        options = ["option 1", "option 3", "option 4"]
        field = make_field(
            sandbox, names, field_type, fieldLabel=f"F {len(items)}", fieldOptions=options
        )
        item = {k: v for k, v in item.items() if k not in ("dealId", "accountId")}
        items.append({**item, names.owner_out: str(owner), "customFieldId": str(field)})
    return items


def test_bulk_create_from_the_reference_example(sandbox, names):
    owner = make_owner(sandbox, names)
    items = bulk_items(sandbox, names, owner)
    body = sandbox.ok("POST", f"{names.data}/bulkCreate", items, status=200)
    assert_conforms(body, "POST", f"{names.data}/bulkCreate", 200)
    assert body == {"message": "the bulk insert was successful"}
    listed = sandbox.ok("GET", f"{names.data}?{names.owner_filter}={owner}")[names.data[1:]]
    assert [v["fieldValue"] for v in listed] == [
        "test title",
        "test title",
        ["option 1", "option 3", "option 4"],
        9999,
        "100.99",
        "2018-12-31",
        "2020-05-19T02:45:00-05:00",
    ]
    assert listed[3]["fieldCurrency"] == "cad"


@pytest.mark.parametrize("bad", ["value", "field", "duplicate"])
def test_bulk_create_is_all_or_nothing(sandbox, names, bad):
    owner = make_owner(sandbox, names)
    items = bulk_items(sandbox, names, owner)
    if bad == "value":
        items[5]["fieldValue"] = "not a date"
    elif bad == "field":
        items[5]["customFieldId"] = "999"
    else:
        items.append(items[0])
    response = sandbox.post(f"{names.data}/bulkCreate", items)
    assert response.status_code == 422
    assert sandbox.ok("GET", names.data)[names.data[1:]] == []


def test_bulk_update_from_the_reference_example(sandbox, names):
    owner = make_owner(sandbox, names)
    sandbox.ok("POST", f"{names.data}/bulkCreate", bulk_items(sandbox, names, owner))
    ids = [v["id"] for v in sandbox.ok("GET", names.data)[names.data[1:]]]
    request = operations()[("PATCH", f"{names.data}/bulkUpdate")]["requests"]["Request Example"]
    # The example's updates, in order, fit the created values 1, 3, 4, 5, 6, 7.
    targets = [ids[0], ids[2], ids[3], ids[4], ids[5], ids[6]]
    items = [{**item, "id": rid} for item, rid in zip(request, targets, strict=True)]
    items[0]["fieldValue"] = "changed"
    body = sandbox.ok("PATCH", f"{names.data}/bulkUpdate", items)
    assert_conforms(body, "PATCH", f"{names.data}/bulkUpdate", 200)
    label = names.owner.capitalize()
    listed_ids = ", ".join(targets)
    assert body == {
        "message": f"{label}CustomFieldDatas with ID(s): {listed_ids} successfully bulk updated."
    }
    got = {v["id"]: v for v in sandbox.ok("GET", names.data)[names.data[1:]]}
    assert got[ids[0]]["fieldValue"] == "changed"
    assert got[ids[1]]["fieldValue"] == "test title"
    assert (got[ids[3]]["fieldValue"], got[ids[3]]["fieldCurrency"]) == (9999, "cad")


@pytest.mark.parametrize(("bad", "status"), [("unknown id", 404), ("bad value", 422)])
def test_bulk_update_is_all_or_nothing(sandbox, names, bad, status):
    field = make_field(sandbox, names, "number")
    values = [make_value(sandbox, names, make_owner(sandbox, names, n), field, n) for n in (2, 3)]
    items = [{"id": v["id"], "fieldValue": 100} for v in values]
    items.append({"id": "999", "fieldValue": 1} if bad == "unknown id" else {**items[0]})
    if bad == "bad value":
        items[-1]["fieldValue"] = "lots"
    response = sandbox.patch(f"{names.data}/bulkUpdate", items)
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"errors": [{"status": 404, "title": "Not Found"}]}
    listed = sandbox.ok("GET", names.data)[names.data[1:]]
    assert [v["fieldValue"] for v in listed] == [2, 3]


def test_bulk_bodies_must_be_non_empty_arrays(sandbox, names):
    for path, method in (("bulkCreate", "POST"), ("bulkUpdate", "PATCH")):
        response = sandbox.request(method, f"{names.data}/{path}", json={"items": []})
        assert response.status_code == 400
        assert sandbox.request(method, f"{names.data}/{path}", json=[]).status_code == 400


# Helpers for the deal and account families ---------------------------------------------


def test_deal_field_data_side_loads_a_deals_values(sandbox):
    deal = make_owner(sandbox, DEAL)
    other = make_owner(sandbox, DEAL, 2)
    text = make_field(sandbox, DEAL)
    money = make_field(sandbox, DEAL, "currency")
    make_value(sandbox, DEAL, deal, text, "First field value")
    make_value(sandbox, DEAL, deal, money, 8800, fieldCurrency="USD")
    make_value(sandbox, DEAL, other, text, "not this deal")
    ctx = Ctx(sandbox.account, None, "http://testserver/api/3", QueryDict(), b"")
    records = deal_field_data(ctx, deal)
    assert [store.present(ctx, r, "field") for r in records] == [
        {"customFieldId": text, "fieldValue": "First field value", "dealId": str(deal)},
        {"customFieldId": money, "fieldValue": 8800, "fieldCurrency": "USD", "dealId": str(deal)},
    ]
    default = store.present(ctx, records[0])
    assert default["id"] == records[0].id_str and default["dealId"] == deal


def test_set_fields_creates_then_replaces_values(sandbox):
    deal = make_owner(sandbox, DEAL)
    field = make_field(sandbox, DEAL, "date")
    ctx = Ctx(sandbox.account, None, "http://testserver/api/3", QueryDict(), b"")
    first = set_fields(ctx, "deal", deal, [{"customFieldId": field, "fieldValue": "2008-01-20"}])
    again = set_fields(ctx, "deal", deal, [{"customFieldId": field, "fieldValue": "01/21/2008"}])
    assert [r.rid for r in again] == [r.rid for r in first]
    assert [r.data["fieldValue"] for r in deal_field_data(ctx, deal)] == ["2008-01-21"]
