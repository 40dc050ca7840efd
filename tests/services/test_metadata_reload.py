"""Metadata the cache lacks: looked up by name (tags), reloaded once when an object names an
id or option the cache does not have. Over real HTTP against an empty sandbox account."""

import pytest

from acdash.activecampaign import (
    NotFound,
    assert_api_calls,
    count_api_calls,
    fields,
    metadata,
    tags,
)

from . import new_contact, new_field, new_tag


def test_find_tag_matches_a_whole_name_in_any_case(sandbox, client):
    vip = new_tag(sandbox, "VIP")
    new_tag(sandbox, "VIP lounge")
    new_tag(sandbox, "vip", "template")
    with assert_api_calls(1):
        found = tags.find_tag(client, " vip ")
    assert found is not None and found.id == vip and found.name == "VIP"
    assert tags.find_tag(client, "VI") is None


def test_get_tag_of_an_unknown_id_is_not_found(sandbox, client):
    assert tags.get_tag(client, new_tag(sandbox, "Partner")).name == "Partner"
    with pytest.raises(NotFound):
        tags.get_tag(client, 4242)


def test_a_missing_id_reloads_the_cache_once_per_request(sandbox, client):
    contact = new_contact(sandbox, "ann@example.com")
    tags.tag_catalog(client)  # cached while empty
    tag = new_tag(sandbox, "Late")
    sandbox.ok("POST", "/contactTags", {"contactTag": {"contact": str(contact), "tag": str(tag)}})
    with metadata.request_scope(), count_api_calls() as calls:
        assert [t.name for t in tags.contact_tags(client, contact)] == ["Late"]
        assert tags.tag_catalog(client, [4242]).names() == {tag: "Late"}  # not again
    assert [c.path for c in calls.calls].count("/tags") == 1, calls.summary()
    with metadata.request_scope(), count_api_calls() as calls:  # the next one reloads again
        tags.tag_catalog(client, [4242])
    assert [c.path for c in calls.calls] == ["/tags"]


def test_an_option_added_since_reloads_the_fields_once(sandbox, client):
    colour = new_field(sandbox, "Colour", "dropdown", ["red"])
    assert [o.value for o in fields.fields_by_id(client)[colour].options] == ["red"]
    sandbox.ok("POST", "/fieldOption/bulk", {"fieldOptions": [{"field": colour, "value": "teal"}]})
    with metadata.request_scope():
        with assert_api_calls(0):
            fields.field_with_options(client, colour, ["red"])
        with assert_api_calls(1):
            found = fields.field_with_options(client, colour, ["teal"])
        assert {o.value for o in found.options} == {"red", "teal"}
        with assert_api_calls(0):  # an option that is not there does not reload twice
            assert fields.field_with_options(client, colour, ["mauve"]) is not None


def test_contact_values_reads_what_the_api_holds_in_one_call(sandbox, client):
    colour = new_field(sandbox, "Colours", "multiselect", ["red", "blue"])
    contact = new_contact(
        sandbox, "bo@example.com", fieldValues=[{"field": str(colour), "value": "||red||x||"}]
    )
    fields.list_fields(client)
    with assert_api_calls(1):
        values = fields.contact_values(client, contact)
    assert values[colour].value == ["red", "x"]
    with pytest.raises(NotFound):
        fields.contact_values(client, 9999)
