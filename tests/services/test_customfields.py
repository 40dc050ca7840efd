"""Deal and account custom fields and deal field values over HTTP against the sandbox."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from acdash.activecampaign import (
    NON_FIELD,
    NotFound,
    ValidationError,
    assert_api_calls,
    count_api_calls,
)
from acdash.activecampaign.customfields import (
    FIELD_TYPES,
    CustomField,
    create_custom_field,
    custom_fields_by_id,
    delete_custom_field,
    list_custom_fields,
    to_api,
    to_python,
    update_custom_field,
)
from acdash.activecampaign.dealfieldvalues import (
    DealFieldValue,
    DealFieldWrite,
    bulk_create_deal_field_values,
    bulk_update_deal_field_values,
    deal_field_values,
    set_deal_field_value,
)
from tests.services import new_contact


def api_deals(sandbox, count: int) -> list[int]:
    contact = new_contact(sandbox, "jane@example.com")
    group = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": "S", "currency": "usd"}})
    deal = {"title": "D", "contact": contact, "value": 1, "currency": "usd", "owner": 1}
    deal["stage"] = group["dealGroup"]["stages"][0]
    return [int(sandbox.ok("POST", "/deals", {"deal": deal})["deal"]["id"]) for _ in range(count)]


def api_field(sandbox, owner: str, label: str, field_type: str, **attrs: Any) -> int:
    key = f"{owner}CustomFieldMetum"
    body = {key: {"fieldLabel": label, "fieldType": field_type, **attrs}}
    return int(sandbox.ok("POST", f"/{owner}CustomFieldMeta", body)[key]["id"])


# Definitions -------------------------------------------------------------------------------


@pytest.mark.parametrize("owner", ["deal", "account"])
def test_list_custom_fields_is_typed_ordered_and_cached(sandbox, client, owner):
    api_field(sandbox, owner, "Plan", "dropdown", fieldOptions=["Basic", "Pro"], displayOrder=2)
    api_field(sandbox, owner, "Seats", "number", fieldDefault="10.5", isRequired=1, displayOrder=1)
    api_field(
        sandbox,
        owner,
        "Budget",
        "currency",
        fieldDefault="10099",
        fieldDefaultCurrency="aud",
        displayOrder=3,
    )
    with count_api_calls() as calls:
        fields = list_custom_fields(client, owner)
    assert calls.count == 1
    assert [f.label for f in fields] == ["Seats", "Plan", "Budget"]
    seats, plan, budget = fields
    assert isinstance(seats, CustomField) and seats.owner == owner
    assert (seats.type, seats.default, seats.required, seats.order) == (
        "number",
        Decimal("10.5"),
        True,
        1,
    )
    assert (plan.options, plan.default, plan.required, plan.multiple) == (
        ["Basic", "Pro"],
        "",
        False,
        False,
    )
    assert (budget.default, budget.default_currency) == (10099, "AUD")
    with assert_api_calls(max=0):
        assert list_custom_fields(client, owner) == fields
        assert custom_fields_by_id(client, owner)[plan.id] == plan
    other = "account" if owner == "deal" else "deal"
    assert list_custom_fields(client, other) == []  # each family has its own cache entry


@pytest.mark.parametrize("field_type", FIELD_TYPES)
def test_create_custom_field_of_every_type(client, field_type):
    options = ["One", "Two", "Three"] if field_type in ("dropdown", "multiselect") else None
    if field_type in ("radio", "checkbox"):
        options = ["One", "Two", "Three"]
    defaults: dict[str, Any] = {
        "date": date(2026, 12, 31),
        "datetime": datetime(2026, 5, 19, 7, 45, tzinfo=UTC),
        "dropdown": "Two",
        "radio": "Two",
        "multiselect": ["Two", "Three"],
        "checkbox": ["Two", "Three"],
        "number": Decimal("100.99"),
        "currency": 10099,
    }
    default = defaults.get(field_type, "Hello")
    list_custom_fields(client, "deal")
    with assert_api_calls(max=1):
        field = create_custom_field(
            client,
            "deal",
            label=f"A {field_type}",
            field_type=field_type,
            options=options,
            default=default,
            default_currency="eur" if field_type == "currency" else None,
            required=True,
            form_visible=True,
            order=4,
        )
    assert (field.label, field.type, field.default, field.required, field.order) == (
        f"A {field_type}",
        field_type,
        default,
        True,
        4,
    )
    assert field.options == (options or [])
    assert field.form_visible
    with count_api_calls() as calls:
        assert list_custom_fields(client, "deal") == [field]
    assert calls.count == 1  # the create invalidated the cache


def test_bad_definitions_are_validation_errors_without_a_field_name(client):
    with pytest.raises(ValidationError) as caught:
        create_custom_field(client, "deal", label="Plan", field_type="dropdown")
    assert list(caught.value.field_errors) == [NON_FIELD]
    assert "options" in caught.value.field_errors[NON_FIELD][0]
    with pytest.raises(ValidationError) as caught:
        create_custom_field(client, "account", label="Odd", field_type="colour")
    assert list(caught.value.field_errors) == [NON_FIELD]
    with pytest.raises(TypeError):
        create_custom_field(client, "deal", label="When", field_type="date", default="tomorrow")


def test_update_and_delete_custom_fields_invalidate(client):
    field = create_custom_field(
        client, "account", label="Tier", field_type="radio", options=["Gold", "Silver"]
    )
    list_custom_fields(client, "account")
    with assert_api_calls(max=1):
        changed = update_custom_field(
            client, field, label="Level", options=["Gold", "Silver", "Bronze"], default="Gold"
        )
    assert (changed.id, changed.label, changed.type, changed.default) == (
        field.id,
        "Level",
        "radio",
        "Gold",
    )
    assert changed.options == ["Gold", "Silver", "Bronze"]
    assert list_custom_fields(client, "account") == [changed]

    with assert_api_calls(max=1):
        delete_custom_field(client, "account", field.id)
    with count_api_calls() as calls:
        assert list_custom_fields(client, "account") == []
    assert calls.count == 1
    with pytest.raises(NotFound):
        update_custom_field(client, field, label="Gone")

    budget = create_custom_field(
        client, "deal", label="Budget", field_type="currency", default_currency="aud"
    )
    assert budget.default_currency == "AUD"
    assert update_custom_field(client, budget, label="Spend").default_currency == "AUD"
    assert list_custom_fields(client, "deal")[0].default_currency == "AUD"
    with pytest.raises(NotFound):
        delete_custom_field(client, "account", field.id)


# Deal field values -------------------------------------------------------------------------


def test_values_convert_both_ways():
    moment = datetime(2020, 5, 19, 7, 45, tzinfo=UTC)
    for field_type, python, api in [
        ("text", "Blue", "Blue"),
        ("multiselect", ["a", "b"], ["a", "b"]),
        ("checkbox", [], []),
        ("number", Decimal("100.99"), "100.99"),
        ("currency", 9999, 9999),
        ("date", date(2018, 12, 31), "2018-12-31"),
        ("datetime", moment, "2020-05-19T07:45:00+00:00"),
    ]:
        assert to_api(field_type, python) == api
        assert to_python(field_type, api) == python
    assert to_python("multiselect", "||a||b||") == ["a", "b"]
    assert to_python("date", "2018-12-31 00:00:00") == date(2018, 12, 31)
    assert to_python("number", "") is None and to_python("currency", None) is None
    assert to_api("text", None) == "" and to_api("multiselect", None) == []
    for field_type, wrong in [
        ("multiselect", "a"),
        ("number", 1.5),
        ("currency", Decimal("1.5")),
        ("date", datetime(2020, 1, 1)),
        ("datetime", datetime(2020, 1, 1)),
        ("text", 3),
    ]:
        with pytest.raises(TypeError):
            to_api(field_type, wrong)


def test_set_deal_field_value_creates_then_replaces(sandbox, client):
    (deal,) = api_deals(sandbox, 1)
    budget = create_custom_field(client, "deal", label="Budget", field_type="currency")
    closes = create_custom_field(client, "deal", label="Closes", field_type="datetime")
    list_custom_fields(client, "deal")

    with assert_api_calls(max=1):
        value = set_deal_field_value(client, DealFieldWrite(deal, budget.id, 5000, "eur"))
    assert isinstance(value, DealFieldValue)
    assert (value.deal_id, value.field_id, value.value, value.currency) == (
        deal,
        budget.id,
        5000,
        "EUR",
    )
    with assert_api_calls(max=1):
        replaced = set_deal_field_value(
            client, DealFieldWrite(deal, budget.id, 7500, "eur", value_id=value.id)
        )
    assert (replaced.id, replaced.value) == (value.id, 7500)

    moment = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)
    set_deal_field_value(client, DealFieldWrite(deal, closes.id, moment))
    values = {v.field_id: v.value for v in deal_field_values(client, deal)}
    assert values == {budget.id: 7500, closes.id: moment}

    with pytest.raises(ValidationError) as caught:  # a second value of one field
        set_deal_field_value(client, DealFieldWrite(deal, budget.id, 1))
    assert list(caught.value.field_errors) == [NON_FIELD]
    with pytest.raises(NotFound):
        set_deal_field_value(client, DealFieldWrite(deal, budget.id, 1, value_id=999))


def test_a_field_defined_since_the_cache_was_filled_is_loaded_once(sandbox, client):
    (deal,) = api_deals(sandbox, 1)
    list_custom_fields(client, "deal")
    seats = api_field(sandbox, "deal", "Seats", "number")  # by another session
    with count_api_calls() as calls:
        value = set_deal_field_value(client, DealFieldWrite(deal, seats, Decimal("2.5")))
    assert calls.count == 2
    assert value.value == Decimal("2.5")
    with assert_api_calls(max=1):
        assert deal_field_values(client, deal) == [value]


def test_bulk_create_and_update_take_one_call_for_many_deals(sandbox, client):
    deals = api_deals(sandbox, 30)
    tier = create_custom_field(
        client, "deal", label="Tier", field_type="multiselect", options=["A", "B"]
    )
    seats = create_custom_field(client, "deal", label="Seats", field_type="number")
    list_custom_fields(client, "deal")

    writes = [DealFieldWrite(d, tier.id, ["A"]) for d in deals]
    writes += [DealFieldWrite(d, seats.id, Decimal(n)) for n, d in enumerate(deals)]
    with count_api_calls() as calls:
        bulk_create_deal_field_values(client, writes)
    assert calls.count == 1
    values = deal_field_values(client, deals[3])
    assert [(v.field_id, v.value) for v in values] == [(tier.id, ["A"]), (seats.id, Decimal(3))]

    existing = [deal_field_values(client, d)[0] for d in deals]
    updates = [DealFieldWrite(v.deal_id, tier.id, ["A", "B"], value_id=v.id) for v in existing]
    with count_api_calls() as calls:
        bulk_update_deal_field_values(client, updates)
    assert calls.count == 1
    assert deal_field_values(client, deals[-1])[0].value == ["A", "B"]

    with assert_api_calls(max=0):
        bulk_create_deal_field_values(client, [])
        bulk_update_deal_field_values(client, [])
        with pytest.raises(ValueError):
            bulk_update_deal_field_values(client, [DealFieldWrite(deals[0], tier.id, ["A"])])
    with pytest.raises(ValidationError) as caught:  # the values exist already
        bulk_create_deal_field_values(client, writes[:1])
    assert list(caught.value.field_errors) == [NON_FIELD]
