"""Tags (cached, type-ahead, too many to cache) and list memberships."""

import pytest

from acdash.activecampaign import (
    NotFound,
    TooManyItems,
    ValidationError,
    assert_api_calls,
)
from acdash.activecampaign import tags as tags_module
from acdash.activecampaign.contact_detail import get_contact
from acdash.activecampaign.lists import (
    ListMembership,
    ListStatus,
    list_lists,
    subscribe,
    unsubscribe,
)
from acdash.activecampaign.tags import (
    add_tag,
    contact_tags,
    create_tag,
    list_tags,
    remove_tag,
    search_tags,
)

from . import new_contact, new_list, new_tag


@pytest.fixture
def tag_ids(sandbox):
    names = ["Customer", "cold lead", "Conference 2025", "Partner", "VIP"]
    ids = {name: new_tag(sandbox, name) for name in names}
    ids["Contract template"] = new_tag(sandbox, "Contract template", "template")
    return ids


# Tags -------------------------------------------------------------------------------------


def test_list_tags_is_cached_and_create_tag_invalidates_it(sandbox, client, tag_ids):
    with assert_api_calls(max=1):
        tags = list_tags(client)
    assert [t.id for t in tags] == sorted(tag_ids.values())
    template = next(t for t in tags if t.name == "Contract template")
    assert template.type == "template" and template.created is not None
    with assert_api_calls(max=0):
        assert list_tags(client) == tags

    with assert_api_calls(max=1):
        created = create_tag(client, "Webinar", "Came to a webinar")
    assert (created.name, created.type, created.description) == (
        "Webinar",
        "contact",
        "Came to a webinar",
    )
    assert created in list_tags(client)


def test_a_tag_name_in_use_is_a_validation_error_on_tag(tag_ids, client):
    with pytest.raises(ValidationError) as caught:
        create_tag(client, "vip")
    assert list(caught.value.field_errors) == ["tag"]


def test_search_tags_by_prefix_from_the_cache(tag_ids, client):
    list_tags(client)
    with assert_api_calls(max=0):
        found = search_tags(client, "co")
    # Any case, by name, contact tags only (not the "Contract template" template tag).
    assert [t.name for t in found] == ["cold lead", "Conference 2025"]
    assert [t.name for t in search_tags(client, "c", limit=2)] == ["cold lead", "Conference 2025"]
    assert search_tags(client, "zzz") == []
    assert len(search_tags(client, "")) == 5


def test_an_account_with_too_many_tags_to_cache(tag_ids, sandbox, client, monkeypatch):
    monkeypatch.setattr(tags_module, "MAX_CACHED_TAGS", 3)
    with pytest.raises(TooManyItems):
        list_tags(client)
    # Type-ahead asks the API instead: one call, the same answer.
    with assert_api_calls(max=1):
        found = search_tags(client, "co")
    assert [t.name for t in found] == ["cold lead", "Conference 2025"]
    # Tags beyond the cached ones have no name.
    contact_id = new_contact(sandbox, "many@example.com")
    cached = add_tag(client, contact_id, tag_ids["Customer"])
    beyond = add_tag(client, contact_id, tag_ids["VIP"])
    assert (cached.name, beyond.name) == ("Customer", "")


def test_tag_and_untag_a_contact(sandbox, client, tag_ids):
    contact_id = new_contact(sandbox, "tagged@example.com")
    list_tags(client)
    with assert_api_calls(max=1):
        tagged = add_tag(client, contact_id, tag_ids["VIP"])
    assert (tagged.contact_id, tagged.tag_id, tagged.name) == (contact_id, tag_ids["VIP"], "VIP")
    assert tagged.created is not None
    # Tagging twice gives back the same link.
    assert add_tag(client, contact_id, tag_ids["VIP"]).id == tagged.id
    add_tag(client, contact_id, tag_ids["Partner"])

    with assert_api_calls(max=1):
        tags = contact_tags(client, contact_id)
    assert [t.name for t in tags] == ["VIP", "Partner"]
    assert get_contact(client, contact_id).tags == tags

    with assert_api_calls(max=1):
        remove_tag(client, tagged.id)
    assert [t.name for t in contact_tags(client, contact_id)] == ["Partner"]
    with pytest.raises(NotFound):
        remove_tag(client, tagged.id)


def test_tagging_an_unknown_contact_or_tag_is_not_found(sandbox, client, tag_ids):
    contact_id = new_contact(sandbox, "someone@example.com")
    with pytest.raises(NotFound):
        add_tag(client, 404, tag_ids["VIP"])
    with pytest.raises(NotFound):
        add_tag(client, contact_id, 404)
    with pytest.raises(NotFound):
        contact_tags(client, 404)


# Lists ------------------------------------------------------------------------------------


def test_list_lists_is_cached_and_by_name(sandbox, client):
    zebra, alpha = new_list(sandbox, "Zebra news"), new_list(sandbox, "alpha updates")
    with assert_api_calls(max=1):
        lists = list_lists(client)
    assert [(lst.id, lst.name) for lst in lists] == [
        (alpha, "alpha updates"),
        (zebra, "Zebra news"),
    ]
    assert lists[0].stringid == "alpha-updates" and lists[0].created is not None
    with assert_api_calls(max=0):
        assert list_lists(client) == lists


def test_subscribe_and_unsubscribe(sandbox, client):
    contact_id = new_contact(sandbox, "reader@example.com")
    list_id = new_list(sandbox, "Newsletter")
    list_lists(client)
    with assert_api_calls(max=1):
        joined = subscribe(client, contact_id, list_id)
    assert isinstance(joined, ListMembership)
    assert (joined.contact_id, joined.list_id, joined.list_name) == (
        contact_id,
        list_id,
        "Newsletter",
    )
    assert joined.status is ListStatus.ACTIVE and joined.subscribed is not None
    assert get_contact(client, contact_id).lists == [joined]

    left = unsubscribe(client, contact_id, list_id)
    assert (left.id, left.status) == (joined.id, ListStatus.UNSUBSCRIBED)
    # The write's answer has no date of the change (as the reference shows); the page's has.
    (shown,) = get_contact(client, contact_id).lists
    assert shown.status is ListStatus.UNSUBSCRIBED and shown.updated is not None


def test_subscribing_to_an_unknown_list_or_contact(sandbox, client):
    contact_id = new_contact(sandbox, "reader@example.com")
    list_id = new_list(sandbox, "Newsletter")
    with pytest.raises(ValidationError) as caught:
        subscribe(client, contact_id, 404)
    assert list(caught.value.field_errors) == ["list"]
    with pytest.raises(ValidationError) as caught:
        subscribe(client, 404, list_id)
    assert list(caught.value.field_errors) == ["contact"]
