"""Records' labels (contacts' names, deals' titles) over HTTP against the sandbox: read
once, then named without a call; acdash's own writes keep them right."""

from unittest.mock import patch

from django.core.cache import cache

from acdash.activecampaign import count_api_calls
from acdash.activecampaign.contacts import delete_contact, list_contacts, update_contact
from acdash.activecampaign.dealboard import contact_names
from acdash.activecampaign.deals import deal_titles, update_deal
from tests.services import new_contact


def test_a_name_read_once_is_named_again_without_a_call(sandbox, client):
    ada = new_contact(sandbox, "ada@example.com", firstName="Ada")
    with count_api_calls() as calls:
        assert contact_names(client, [ada]) == {ada: "Ada"}
        assert contact_names(client, [ada]) == {ada: "Ada"}
    assert calls.count == 1


def test_renaming_in_acdash_renames_at_once_and_a_deleted_contact_is_asked_again(sandbox, client):
    ada = new_contact(sandbox, "ada@example.com", firstName="Ada")
    contact_names(client, [ada])
    update_contact(client, ada, first_name="Ada", last_name="Lovelace")
    with count_api_calls() as calls:
        assert contact_names(client, [ada]) == {ada: "Ada Lovelace"}
    assert calls.count == 0
    delete_contact(client, ada)
    assert contact_names(client, [ada]) == {}  # asked, and the API no longer has it


def test_a_deal_title_changed_in_acdash_is_the_one_shown(sandbox, client):
    contact = new_contact(sandbox, "b@example.com")
    group = sandbox.ok("POST", "/dealGroups", {"dealGroup": {"title": "P", "currency": "usd"}})
    stage = int(group["dealStages"][0]["id"])
    deal = {"title": "Old", "value": 100, "currency": "usd", "contact": contact, "stage": stage}
    deal_id = int(sandbox.ok("POST", "/deals", {"deal": deal | {"owner": 1}})["deal"]["id"])
    assert deal_titles(client, [deal_id]) == {deal_id: "Old"}
    update_deal(client, deal_id, title="New")
    with count_api_calls() as calls:
        assert deal_titles(client, [deal_id]) == {deal_id: "New"}
    assert calls.count == 0


def test_a_list_shown_again_writes_no_names_and_a_cleared_cache_is_filled_again(sandbox, client):
    ada = new_contact(sandbox, "ada@example.com", firstName="Ada")
    list_contacts(client)
    with patch.object(cache, "set_many", wraps=cache.set_many) as writes:
        list_contacts(client)  # the same names: nothing to write
        assert writes.call_count == 0
        cache.clear()  # the cache lost them (a restart, an eviction): written again
        list_contacts(client)
        assert writes.call_count == 1
    with count_api_calls() as calls:
        assert contact_names(client, [ada]) == {ada: "Ada"}
    assert calls.count == 0
