"""Contact custom fields: definitions from the cache, and values typed both ways."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from acdash.activecampaign import assert_api_calls
from acdash.activecampaign.contact_detail import get_contact
from acdash.activecampaign.contacts import clear_field_value, set_field_value, update_contact
from acdash.activecampaign.fields import FieldOption, list_fields, to_api, to_python

from . import new_contact, new_field

PARIS = ZoneInfo("Europe/Paris")

# (type, typed value, the API's text for it, the unset value)
ROUND_TRIPS = [
    ("text", "Blue", "Blue", ""),
    ("textarea", "line 1\nline 2", "line 1\nline 2", ""),
    ("hidden", "crm-123", "crm-123", ""),
    ("dropdown", "b", "b", ""),
    ("radio", "c", "c", ""),
    ("date", date(2018, 12, 31), "2018-12-31", None),
    (
        "datetime",
        datetime(2020, 5, 19, 2, 45, tzinfo=timezone(timedelta(hours=-5))),
        "2020-05-19T02:45:00-05:00",
        None,
    ),
    ("multiselect", ["a", "c"], "||a||c||", []),
    ("checkbox", ["b"], "||b||", []),
    ("listbox", ["a", "b", "c"], "||a||b||c||", []),
]
OPTIONS = ("a", "b", "c")
CHOICES = {"dropdown", "radio", "multiselect", "checkbox", "listbox"}


@pytest.mark.parametrize(("kind", "value", "text", "unset"), ROUND_TRIPS)
def test_each_type_converts_both_ways(kind, value, text, unset):
    assert to_api(kind, value) == text
    assert to_python(kind, text) == value
    assert to_python(kind, "") == unset
    assert to_python(kind, None) == unset
    assert to_api(kind, unset) == ""
    assert to_api(kind, None) == ""


def test_values_in_other_forms_the_api_gives():
    assert to_python("multiselect", "single") == ["single"]
    assert to_python("date", "2018-12-31 00:00:00") == date(2018, 12, 31)
    assert to_python("date", "0000-00-00") is None
    assert to_python("datetime", "2020-05-19 07:45:00") == datetime(2020, 5, 19, 7, 45, tzinfo=UTC)
    assert to_python("", "anything") == "anything"  # a field without a known type is text
    # Another timezone is the same moment; microseconds go (the API keeps seconds).
    paris = datetime(2020, 5, 19, 9, 45, 0, 123, tzinfo=PARIS)
    assert to_python("datetime", to_api("datetime", paris)) == paris.replace(microsecond=0)


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        ("text", 5, TypeError),
        ("dropdown", ["a"], TypeError),
        ("multiselect", "a", TypeError),
        ("checkbox", ["a||b"], ValueError),
        ("listbox", [""], ValueError),
        ("date", "2018-12-31", TypeError),
        ("date", datetime(2018, 12, 31, tzinfo=UTC), TypeError),
        ("datetime", date(2018, 12, 31), TypeError),
        ("datetime", datetime(2018, 12, 31, 8, 0), ValueError),  # naive: which 8 o'clock?
    ],
)
def test_values_of_the_wrong_type_are_refused(kind, value, error):
    with pytest.raises(error):
        to_api(kind, value)


def test_list_fields_is_typed_ordered_and_cached(sandbox, client):
    colour = new_field(sandbox, "Colour", "dropdown", ["red", "green"], ordernum=2, defval="green")
    since = new_field(sandbox, "Since", "date", ordernum=1, defval="2019-01-01", isrequired=1)
    topics = new_field(sandbox, "Topics", "checkbox", ["x", "y"], ordernum=3)
    with assert_api_calls(max=1):
        fields = list_fields(client)
    assert [f.id for f in fields] == [since, colour, topics]
    first, second, third = fields
    assert (first.title, first.type, first.default, first.required) == (
        "Since",
        "date",
        date(2019, 1, 1),
        True,
    )
    assert second.default == "green"
    assert second.options == [
        FieldOption(second.options[0].id, "red", "Red", False, 1),
        FieldOption(second.options[1].id, "green", "Green", False, 2),
    ]
    assert third.multiple and third.default == [] and not second.multiple
    with assert_api_calls(max=0):
        assert list_fields(client) == fields


def test_default_of_a_choice_field_comes_from_its_default_options(sandbox, client):
    field_id = new_field(sandbox, "Topics", "listbox")
    options = [
        {"orderid": 1, "value": "x", "label": "X", "isdefault": True, "field": field_id},
        {"orderid": 2, "value": "y", "label": "Y", "isdefault": False, "field": field_id},
        {"orderid": 3, "value": "z", "label": "Z", "isdefault": True, "field": field_id},
    ]
    sandbox.ok("POST", "/fieldOption/bulk", {"fieldOptions": options})
    assert list_fields(client)[0].default == ["x", "z"]


def test_every_type_round_trips_through_the_api(sandbox, client):
    ids = {
        kind: new_field(sandbox, kind.title(), kind, OPTIONS if kind in CHOICES else ())
        for kind, *_ in ROUND_TRIPS
    }
    contact_id = new_contact(sandbox, "types@example.com")
    for kind, value, _, _ in ROUND_TRIPS:
        with assert_api_calls(max=2):  # the write; the fields metadata on the first
            saved = set_field_value(client, contact_id, ids[kind], value)
        assert saved.value.field_id == ids[kind]
        assert saved.value.value == value, kind
        assert saved.contact.id == contact_id
    # Stored as the API documents each type.
    stored = sandbox.ok("GET", f"/contacts/{contact_id}/fieldValues")["fieldValues"]
    texts = {int(v["field"]): v["value"] for v in stored}
    assert texts[ids["multiselect"]] == "||a||c||"
    assert texts[ids["date"]] == "2018-12-31"
    # And read back typed, equal to what was written.
    detail = get_contact(client, contact_id)
    for kind, value, _, _ in ROUND_TRIPS:
        assert detail.values[ids[kind]].value == value, kind
    assert [f.type for f, _ in detail.custom_fields] == [kind for kind, *_ in ROUND_TRIPS]


def test_clearing_and_setting_several_values_at_once(sandbox, client):
    city = new_field(sandbox, "City", "text")
    when = new_field(sandbox, "When", "datetime")
    topics = new_field(sandbox, "Topics", "checkbox", OPTIONS)
    contact_id = new_contact(sandbox, "many@example.com")
    moment = datetime(2024, 2, 29, 23, 30, tzinfo=PARIS)
    with assert_api_calls(max=2):
        update_contact(client, contact_id, field_values={city: "Lyon", when: moment, topics: ["a"]})
    detail = get_contact(client, contact_id)
    assert {f.id: v for f, v in detail.custom_fields} == {city: "Lyon", when: moment, topics: ["a"]}

    for field_id in (city, when, topics):
        saved = clear_field_value(client, contact_id, field_id)
        assert saved.value.value in ("", None, [])
    unset = {f.id: v for f, v in get_contact(client, contact_id).custom_fields}
    assert unset == {city: "", when: None, topics: []}


def test_an_unknown_field_is_refused_before_any_call(sandbox, client):
    contact_id = new_contact(sandbox, "unknown@example.com")
    list_fields(client)
    with assert_api_calls(max=0), pytest.raises(ValueError):
        set_field_value(client, contact_id, 999, "x")
