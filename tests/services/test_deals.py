"""Deals (and customer organisations) over HTTP against the sandbox: typed results, typed
errors, and the call budgets of the overview."""

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from acdash.activecampaign import (
    NON_FIELD,
    NotFound,
    ValidationError,
    assert_api_calls,
    count_api_calls,
)
from acdash.activecampaign.contacts import account_names
from acdash.activecampaign.customfields import list_custom_fields
from acdash.activecampaign.deals import (
    CurrencyTotal,
    Deal,
    DealDetail,
    DealsSummary,
    DealStatus,
    add_deal_note,
    bulk_update_owners,
    create_deal,
    delete_deal,
    get_deal,
    list_deals,
    move_deal,
    open_deals_summary,
    update_deal,
    update_deal_note,
)
from acdash.activecampaign.organizations import (
    ContactLink,
    Organization,
    contact_links,
    create_organization,
    delete_organization,
    get_organization,
    link_contact,
    list_organizations,
    unlink_contact,
    update_organization,
)
from tests.services import new_contact


def new_user(sandbox, username: str) -> int:
    user = {"username": username, "email": f"{username}@example.com", "password": "pw", "group": 1}
    return int(
        sandbox.ok("POST", "/users", {"user": {**user, "firstName": username}})["user"]["id"]
    )


@pytest.fixture
def board(sandbox, client) -> dict[str, Any]:
    """A contact, a second user and a pipeline with its three default stages, via the API."""
    pipeline = {"title": "Sales", "currency": "usd", "allusers": 1}  # auto-assign among all
    body = sandbox.ok("POST", "/dealGroups", {"dealGroup": pipeline})
    return {
        "contact": new_contact(sandbox, "jane@example.com", firstName="Jane", lastName="Roe"),
        "user": new_user(sandbox, "sam"),
        "pipeline": int(body["dealGroup"]["id"]),
        "stages": [int(s) for s in body["dealGroup"]["stages"]],
    }


def api_deal(sandbox, board: dict[str, Any], **attrs: Any) -> int:
    deal = {"title": "Deal", "contact": board["contact"], "value": 1000, "currency": "usd"}
    deal |= {"stage": board["stages"][0], "owner": 1} | attrs
    return int(sandbox.ok("POST", "/deals", {"deal": deal})["deal"]["id"])


# The overview card -------------------------------------------------------------------------


def test_open_deals_summary_is_one_call_with_totals_per_currency(sandbox, board, client):
    api_deal(sandbox, board, value=1000)
    api_deal(sandbox, board, value=2500)
    api_deal(sandbox, board, value=50000, currency="eur")
    api_deal(sandbox, board, value=7000, status=1)  # won: not counted
    with count_api_calls() as calls:
        summary = open_deals_summary(client)
    assert calls.count == 1
    assert summary == DealsSummary(
        count=3,
        by_currency=[CurrencyTotal("EUR", 1, 50000), CurrencyTotal("USD", 2, 3500)],
    )


def test_open_deals_summary_of_an_account_without_deals(client):
    with count_api_calls() as calls:
        assert open_deals_summary(client) == DealsSummary(count=0, by_currency=[])
    assert calls.count == 1


# Listing and reading -----------------------------------------------------------------------


def test_list_deals_filters_sorts_and_pages_in_one_call_each(sandbox, board, client):
    first, second, third = board["stages"]
    cheap = api_deal(sandbox, board, title="Cheap", value=100)
    big = api_deal(sandbox, board, title="Big", value=90000, stage=second, owner=board["user"])
    won = api_deal(sandbox, board, title="Won one", value=500, stage=third, status=1)

    with count_api_calls() as calls:
        page = list_deals(client, sort="-value", limit=2)
    assert calls.count == 1
    assert [d.id for d in page.items] == [big, won]
    assert (page.total, page.offset, page.limit, page.has_more) == (3, 0, 2, True)
    assert page.by_currency == [CurrencyTotal("USD", 3, 90600)]
    deal = page.items[0]
    assert isinstance(deal, Deal)
    assert (deal.title, deal.value_cents, deal.currency, deal.status) == (
        "Big",
        90000,
        "USD",
        DealStatus.OPEN,
    )
    assert (deal.pipeline_id, deal.stage_id, deal.owner_id, deal.contact_id) == (
        board["pipeline"],
        second,
        board["user"],
        board["contact"],
    )
    assert deal.created is not None and deal.created.tzinfo is not None
    assert not deal.disabled and deal.account_id is None

    def ids(**filters: Any) -> list[int]:
        with assert_api_calls(max=1):
            return [d.id for d in list_deals(client, sort="title", **filters).items]

    assert ids(offset=2, limit=2) == [won]
    assert ids(stage_id=first) == [cheap]
    assert ids(pipeline_id=board["pipeline"]) == [big, cheap, won]
    assert ids(status=DealStatus.WON) == [won]
    assert ids(owner_id=board["user"]) == [big]
    assert ids(search="cheap") == [cheap]
    assert ids(search="Jane Roe") == [big, cheap, won]
    assert ids(pipeline_id=999) == []
    with assert_api_calls(max=0), pytest.raises(ValueError):
        list_deals(client, sort="owner")


def test_get_deal_has_typed_field_values_in_two_calls(sandbox, board, client):
    meta = [
        {"fieldLabel": "Source", "fieldType": "text"},
        {"fieldLabel": "Closes", "fieldType": "date"},
        {"fieldLabel": "Budget", "fieldType": "currency"},
        {"fieldLabel": "Tools", "fieldType": "multiselect", "fieldOptions": ["CRM", "ERP"]},
    ]
    fields = [
        int(
            sandbox.ok("POST", "/dealCustomFieldMeta", {"dealCustomFieldMetum": m})[
                "dealCustomFieldMetum"
            ]["id"]
        )
        for m in meta
    ]
    deal_id = api_deal(
        sandbox,
        board,
        fields=[
            {"customFieldId": fields[0], "fieldValue": "Referral"},
            {"customFieldId": fields[1], "fieldValue": "2026-03-31"},
            {"customFieldId": fields[2], "fieldValue": 99900, "fieldCurrency": "eur"},
            {"customFieldId": fields[3], "fieldValue": ["CRM", "ERP"]},
        ],
    )
    other = api_deal(sandbox, board, fields=[{"customFieldId": fields[0], "fieldValue": "Ad"}])

    list_custom_fields(client, "deal")
    with count_api_calls() as calls:
        deal = get_deal(client, deal_id)
    assert calls.count == 2
    assert isinstance(deal, DealDetail) and deal.id == deal_id and deal.title == "Deal"
    values = {v.field_id: v for v in deal.field_values}
    assert {v.deal_id for v in deal.field_values} == {deal_id}
    assert values[fields[0]].value == "Referral"
    assert values[fields[1]].value == date(2026, 3, 31)
    assert (values[fields[2]].value, values[fields[2]].currency) == (99900, "EUR")
    assert values[fields[3]].value == ["CRM", "ERP"]
    assert [v.value for v in get_deal(client, other).field_values] == ["Ad"]

    cache.clear()
    with count_api_calls() as calls:
        get_deal(client, deal_id)
    assert calls.count == 3  # the field definitions, when not cached

    with pytest.raises(NotFound):
        get_deal(client, 999)


# Writing -----------------------------------------------------------------------------------


def test_create_update_move_and_delete_a_deal(sandbox, board, client):
    first, second, _ = board["stages"]
    with assert_api_calls(max=1):
        deal = create_deal(
            client,
            title="Renewal",
            value_cents=125000,
            currency="EUR",
            contact_id=board["contact"],
            stage_id=first,
            owner_id=board["user"],
            description="Yearly",
        )
    assert (deal.title, deal.value_cents, deal.currency, deal.description) == (
        "Renewal",
        125000,
        "EUR",
        "Yearly",
    )
    assert (deal.pipeline_id, deal.stage_id, deal.owner_id) == (board["pipeline"], first, 2)

    with assert_api_calls(max=1):
        updated = update_deal(
            client, deal.id, title="Renewal 2027", value_cents=130000, status=DealStatus.WON
        )
    assert (updated.title, updated.value_cents, updated.status) == (
        "Renewal 2027",
        130000,
        DealStatus.WON,
    )
    assert updated.stage_id == first and updated.currency == "EUR"

    with assert_api_calls(max=1):
        moved = move_deal(client, deal.id, second)
    assert moved.stage_id == second and moved.title == "Renewal 2027"

    with pytest.raises(ValidationError) as caught:
        move_deal(client, deal.id, 999)
    assert list(caught.value.field_errors) == ["stage"]
    other = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": "B", "currency": "usd"}})
    with pytest.raises(ValidationError) as caught:
        move_deal(client, deal.id, int(other["dealGroup"]["stages"][0]))
    assert list(caught.value.field_errors) == ["stage"]
    # Moving to another pipeline's stage needs that pipeline too.
    elsewhere = int(other["dealGroup"]["stages"][1])
    moved = update_deal(
        client, deal.id, pipeline_id=int(other["dealGroup"]["id"]), stage_id=elsewhere
    )
    assert (moved.pipeline_id, moved.stage_id) == (int(other["dealGroup"]["id"]), elsewhere)

    with assert_api_calls(max=1):
        delete_deal(client, deal.id)
    with pytest.raises(NotFound):
        get_deal(client, deal.id)
    with pytest.raises(NotFound):
        update_deal(client, deal.id, title="Gone")
    with pytest.raises(NotFound):
        delete_deal(client, deal.id)


def test_create_deal_errors_name_the_attributes(board, client):
    base = {"value_cents": 100, "currency": "usd", "contact_id": board["contact"]}
    with pytest.raises(ValidationError) as caught:
        create_deal(client, title="", stage_id=board["stages"][0], **base)
    assert list(caught.value.field_errors) == ["title"]
    with pytest.raises(ValidationError) as caught:
        create_deal(client, title="X", stage_id=999, **base)
    assert list(caught.value.field_errors) == ["stage"]
    with pytest.raises(ValidationError) as caught:
        create_deal(client, title="X", stage_id=board["stages"][0], **base | {"owner_id": 999})
    assert list(caught.value.field_errors) == ["owner"]
    with pytest.raises(ValidationError) as caught:
        create_deal(client, title="X", stage_id=board["stages"][0], **base | {"currency": "us"})
    assert list(caught.value.field_errors) == ["currency"]


def test_create_deal_in_a_pipeline_enters_its_first_stage(board, client):
    deal = create_deal(
        client,
        title="Auto",
        value_cents=0,
        currency="usd",
        contact_id=board["contact"],
        pipeline_id=board["pipeline"],
    )
    assert deal.stage_id == board["stages"][0] and deal.owner_id is not None


def test_bulk_update_owners_in_one_call(sandbox, board, client):
    one = api_deal(sandbox, board)
    two = api_deal(sandbox, board, owner=board["user"])
    with count_api_calls() as calls:
        result = bulk_update_owners(client, [(one, board["user"]), (two, board["user"]), (999, 1)])
    assert calls.count == 1
    assert (result.updated, result.unchanged, result.failed) == ([one], [two], [999])
    assert [d.owner_id for d in list_deals(client, sort="cdate").items] == [board["user"]] * 2

    with pytest.raises(ValidationError) as caught:
        bulk_update_owners(client, [(one, 999)])
    assert list(caught.value.field_errors) == [NON_FIELD]
    with assert_api_calls(max=0):
        assert bulk_update_owners(client, []).updated == []


def test_deal_notes_are_added_and_updated(sandbox, board, client):
    deal_id = api_deal(sandbox, board)
    with assert_api_calls(max=1):
        note = add_deal_note(client, deal_id, "Called, will decide Friday")
    assert (note.deal_id, note.text, note.user_id) == (deal_id, "Called, will decide Friday", 1)
    assert note.created is not None
    with assert_api_calls(max=1):
        changed = update_deal_note(client, deal_id, note.id, "Decided: yes")
    assert (changed.id, changed.text) == (note.id, "Decided: yes")
    with pytest.raises(NotFound):
        add_deal_note(client, 999, "Nobody")
    with pytest.raises(ValidationError) as caught:
        add_deal_note(client, deal_id, "")
    assert list(caught.value.field_errors) == ["note"]


# Customer organisations ----------------------------------------------------------------


def test_organizations_are_listed_searched_and_counted(sandbox, board, client):
    acme = create_organization(client, "Acme", "https://acme.example")
    create_organization(client, "Globex")
    assert isinstance(acme, Organization) and acme.url == "https://acme.example"
    link_contact(client, acme.id, board["contact"], "Buyer")
    api_deal(sandbox, board, account=acme.id)

    with count_api_calls() as calls:
        page = list_organizations(client, limit=1)
    assert calls.count == 1
    assert ([o.name for o in page.items], page.total, page.has_more) == (["Acme"], 2, True)
    assert page.items[0].contact_count is None
    found = list_organizations(client, search="glob").items
    assert [o.name for o in found] == ["Globex"]
    counted = list_organizations(client, counts=True).items
    assert [(o.contact_count, o.deal_count) for o in counted] == [(1, 1), (0, 0)]
    assert get_organization(client, acme.id).name == "Acme"


def test_organization_writes_and_errors(sandbox, client):
    acme = create_organization(client, "Acme")
    with pytest.raises(ValidationError) as caught:
        create_organization(client, "acme")
    assert list(caught.value.field_errors) == ["name"]
    assert account_names(client) == {acme.id: "Acme"}

    with assert_api_calls(max=1):
        renamed = update_organization(client, acme.id, name="Acme Inc", url="https://acme.example")
    assert (renamed.name, renamed.url) == ("Acme Inc", "https://acme.example")
    assert update_organization(client, acme.id, url="").url == ""
    with count_api_calls() as calls:
        assert account_names(client) == {acme.id: "Acme Inc"}
    assert calls.count == 1  # the write invalidated the contacts module's names

    delete_organization(client, acme.id)
    assert account_names(client) == {}
    with pytest.raises(NotFound):
        get_organization(client, acme.id)


def test_contacts_are_linked_and_unlinked(sandbox, client):
    acme = create_organization(client, "Acme")
    jane = new_contact(sandbox, "jane@example.com")
    with assert_api_calls(max=1):
        link = link_contact(client, acme.id, jane, "CTO")
    assert link == ContactLink(link.id, acme.id, jane, "CTO")
    assert contact_links(client, organization_id=acme.id) == [link]
    with pytest.raises(ValidationError) as caught:
        link_contact(client, acme.id, jane)
    assert set(caught.value.field_errors) == {"account", "contact"}

    with count_api_calls() as calls:
        unlink_contact(client, jane)
    assert calls.count == 2
    assert contact_links(client, contact_id=jane) == []
    with count_api_calls() as calls:
        unlink_contact(client, jane)
    assert calls.count == 1
