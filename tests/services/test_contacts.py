"""Contacts: the list page (P1), the contact page (P2), edits, versions, search and counts."""

from datetime import date, timedelta

import pytest

from acdash.activecampaign import NotFound, ValidationError, assert_api_calls, count_api_calls
from acdash.activecampaign.contact_detail import get_contact
from acdash.activecampaign.contacts import (
    Contact,
    ContactChanged,
    account_names,
    contact_version,
    count_contacts,
    create_contact,
    delete_contact,
    find_contact_by_email,
    form_errors,
    list_contacts,
    search_contacts,
    update_contact,
)
from acdash.activecampaign.fields import list_fields
from acdash.activecampaign.lists import ListStatus, list_lists
from acdash.activecampaign.tags import list_tags

from . import new_contact, new_list, new_tag, seed_demo


@pytest.fixture
def people(sandbox):
    """alice (on the list, tagged), bob (unsubscribed from it), carol (neither)."""
    ids = {
        "alice": new_contact(sandbox, "alice@example.com", firstName="Alice", lastName="Zed"),
        "bob": new_contact(sandbox, "bob@example.org", firstName="Bob", lastName="Young"),
        "carol": new_contact(sandbox, "carol@example.com", firstName="Carol", phone="555-0199"),
    }
    ids["list"] = new_list(sandbox, "Newsletter")
    ids["tag"] = new_tag(sandbox, "VIP")
    for name, status in (("alice", 1), ("bob", 2)):
        body = {"contactList": {"list": ids["list"], "contact": ids[name], "status": status}}
        sandbox.ok("POST", "/contactLists", body)
    sandbox.ok("POST", "/contactTags", {"contactTag": {"contact": ids["alice"], "tag": ids["tag"]}})
    return ids


def emails(page_or_list) -> list[str]:
    items = getattr(page_or_list, "items", page_or_list)
    return [c.email for c in items]


# P1: the contact list page -------------------------------------------------------------


def test_p1_a_page_of_100_contacts_with_its_dropdowns_takes_one_call(sandbox, client):
    seed_demo(sandbox, 300)
    list_lists(client), list_tags(client), account_names(client)  # metadata cached
    with assert_api_calls(max=2) as stats:
        page = list_contacts(client, limit=100)
        lists, tags = list_lists(client), list_tags(client)
    assert stats.count == 1
    assert len(page.items) == 100 and page.total == 300 and page.has_more
    assert lists and tags
    first = sandbox.ok("GET", "/contacts?orders[cdate]=DESC&limit=1")["contacts"][0]
    assert page.items[0].id == int(first["id"]) and page.items[0].email == first["email"]
    # Organization names come from the cache, not one call per row.
    with_org = [c for c in page.items if c.organization_id]
    assert with_org and all(c.organization_name for c in with_org)
    org = sandbox.ok("GET", f"/accounts/{with_org[0].organization_id}")["account"]
    assert with_org[0].organization_name == org["name"]


def test_the_list_page_with_a_cold_cache(sandbox, client):
    seed_demo(sandbox, 150)
    with count_api_calls() as stats:
        page = list_contacts(client, offset=100, limit=100)
        list_lists(client), list_tags(client)
    # The page, plus one call each for organizations, lists and tags.
    assert stats.count == 4
    assert len(page.items) == 50 and page.offset == 100 and not page.has_more


def test_filters(people, client):
    everyone = {"alice@example.com", "bob@example.org", "carol@example.com"}
    assert set(emails(list_contacts(client))) == everyone
    assert set(emails(list_contacts(client, list_id=people["list"]))) == {
        "alice@example.com",
        "bob@example.org",
    }
    on_list = list_contacts(client, list_id=people["list"], status=ListStatus.UNSUBSCRIBED)
    assert emails(on_list) == ["bob@example.org"]
    assert emails(list_contacts(client, tag_id=people["tag"])) == ["alice@example.com"]
    assert emails(list_contacts(client, search="555-0199")) == ["carol@example.com"]
    assert emails(list_contacts(client, search="  bob ")) == ["bob@example.org"]
    assert list_contacts(client, created_before=date(2000, 1, 1)).total == 0
    assert list_contacts(client, created_after=date(2000, 1, 1)).total == 3
    assert list_contacts(client, updated_after=date.today() + timedelta(days=2)).total == 0


def test_sorting(people, client):
    assert emails(list_contacts(client, sort="email")) == [
        "alice@example.com",
        "bob@example.org",
        "carol@example.com",
    ]
    assert emails(list_contacts(client, sort="-first_name"))[0] == "carol@example.com"
    assert emails(list_contacts(client, sort="last_name"))[-1] == "alice@example.com"
    assert [c.id for c in list_contacts(client, sort="-id").items] == sorted(
        (people["alice"], people["bob"], people["carol"]), reverse=True
    )
    with pytest.raises(ValueError):
        list_contacts(client, sort="score; drop")


def test_a_page_is_typed(people, client):
    (alice,) = list_contacts(client, tag_id=people["tag"]).items
    assert alice.id == people["alice"]
    assert (alice.first_name, alice.last_name, alice.name) == ("Alice", "Zed", "Alice Zed")
    assert alice.organization_id is None and alice.organization_name == ""
    assert alice.created is not None and alice.created.tzinfo is not None
    assert alice.updated is not None


# P2: the contact page ----------------------------------------------------------------------


def _seeded_contact(sandbox, with_deals: bool) -> int:
    """A demo contact with field values, lists and tags, and deals or none."""
    for contact_id in range(1, 300):
        body = sandbox.ok("GET", f"/contacts/{contact_id}")
        tags = sandbox.ok("GET", f"/contacts/{contact_id}/contactTags")["contactTags"]
        complete = body["fieldValues"] and body["contactLists"] and tags
        if complete and bool(body["deals"]) == with_deals:
            return contact_id
    raise AssertionError("the demo data has no such contact")


def test_p2_the_contact_page_takes_three_calls(sandbox, client):
    seed_demo(sandbox, 300)
    contact_id = _seeded_contact(sandbox, with_deals=True)
    list_fields(client), list_lists(client), list_tags(client), account_names(client)
    with assert_api_calls(max=3):
        detail = get_contact(client, contact_id)

    raw = sandbox.ok("GET", f"/contacts/{contact_id}")
    assert detail.contact.id == contact_id and detail.contact.email == raw["contact"]["email"]
    assert {v.field_id for v in detail.values.values()} == {
        int(v["field"]) for v in raw["fieldValues"]
    }
    assert len(detail.custom_fields) == len(list_fields(client)) == 10
    names = {lst.id: lst.name for lst in list_lists(client)}
    assert detail.lists and all(m.list_name == names[m.list_id] for m in detail.lists)
    assert all(m.status in (ListStatus.ACTIVE, ListStatus.UNSUBSCRIBED) for m in detail.lists)
    assert detail.tags and all(t.name and t.contact_id == contact_id for t in detail.tags)
    deals = sandbox.ok("GET", f"/contacts/{contact_id}/deals")["deals"]
    assert [d.id for d in detail.deals] == [int(d["id"]) for d in deals]
    deal, raw_deal = detail.deals[0], deals[0]
    assert deal.value_cents == int(raw_deal["value"]) and deal.stage_id == int(raw_deal["stage"])
    assert deal.currency == raw_deal["currency"].upper() and deal.status in (0, 1, 2)


def test_a_contact_without_deals_has_none_for_the_same_three_calls(sandbox, client):
    seed_demo(sandbox, 300)
    contact_id = _seeded_contact(sandbox, with_deals=False)
    list_fields(client), list_lists(client), list_tags(client), account_names(client)
    # Its deals are asked for alongside the contact (one round trip), before it is known
    # whether it has any.
    with assert_api_calls(max=3):
        detail = get_contact(client, contact_id)
    assert detail.deals == []


def test_an_unknown_contact_is_not_found(sandbox, client):
    with pytest.raises(NotFound):
        get_contact(client, 404)
    with pytest.raises(NotFound):
        contact_version(client, 404)


# Writes ---------------------------------------------------------------------------------


def test_create_and_the_duplicate_email(sandbox, client):
    with assert_api_calls(max=1):
        created = create_contact(
            client, "dana@example.com", first_name="Dana", last_name="Lee", phone="123"
        )
    assert isinstance(created, Contact)
    assert (created.email, created.name, created.phone) == ("dana@example.com", "Dana Lee", "123")
    assert created.created is not None and created.updated is not None

    with pytest.raises(ValidationError) as caught:
        create_contact(client, "dana@example.com")
    assert list(caught.value.field_errors) == ["email"]
    assert form_errors(caught.value) == {"email": caught.value.field_errors["email"]}
    with assert_api_calls(max=1):
        assert find_contact_by_email(client, "dana@example.com") == created
    assert find_contact_by_email(client, "nobody@example.com") is None


def test_update_returns_the_contact_and_errors_name_the_form_fields(people, client):
    with assert_api_calls(max=1):
        updated = update_contact(client, people["bob"], first_name="Robert", phone="999")
    assert (updated.first_name, updated.last_name, updated.phone) == ("Robert", "Young", "999")
    assert get_contact(client, people["bob"]).contact == updated

    with pytest.raises(ValidationError) as caught:
        update_contact(client, people["bob"], email="carol@example.com")
    assert form_errors(caught.value) == {"email": caught.value.field_errors["email"]}
    with pytest.raises(ValidationError) as caught:
        update_contact(client, people["bob"], last_name="x" * 256)
    assert list(form_errors(caught.value)) == ["last_name"]
    with pytest.raises(NotFound):
        update_contact(client, 404, first_name="Nobody")


def test_versions_detect_a_change_since_the_page_was_loaded(people, client):
    shown = get_contact(client, people["alice"]).contact
    with assert_api_calls(max=1):
        assert contact_version(client, people["alice"]) == shown.updated
    with assert_api_calls(max=2):
        update_contact(client, people["alice"], first_name="Al", expected_version=shown.updated)

    stale = shown.updated - timedelta(seconds=1)
    with pytest.raises(ContactChanged) as caught:
        update_contact(client, people["alice"], first_name="Ally", expected_version=stale)
    assert caught.value.current.first_name == "Al"  # nothing written, the current shown
    assert get_contact(client, people["alice"]).contact.first_name == "Al"


def test_delete(people, client):
    with assert_api_calls(max=1):
        delete_contact(client, people["carol"])
    with pytest.raises(NotFound):
        get_contact(client, people["carol"])
    with pytest.raises(NotFound):
        delete_contact(client, people["carol"])


# Search and counts ------------------------------------------------------------------------


def test_search_by_email_or_text_in_one_call(people, client):
    with assert_api_calls(max=1):
        assert emails(search_contacts(client, "bob@example.org")) == ["bob@example.org"]
    # An email is matched whole, not as a substring.
    assert emails(search_contacts(client, "ob@example.org")) == []
    assert emails(search_contacts(client, "example.com")) == [
        "alice@example.com",
        "carol@example.com",
    ]
    first_two = search_contacts(client, "example", limit=2)
    assert len(first_two.items) == 2 and first_two.total == 3 and first_two.has_more
    assert emails(search_contacts(client, "   ")) == []


def test_count(people, client):
    with assert_api_calls(max=1):
        assert count_contacts(client) == 3
