"""Before → after in words, for each shape the writes record."""

import pytest

from acdash.audit.diff import Change, changes

SHAPES = [
    (
        "core fields",
        {"email": "a@x.io", "first_name": "Ada", "phone": ""},
        {"email": "b@x.io", "first_name": "Ada", "phone": "+1"},
        [Change("email", "a@x.io", "b@x.io"), Change("phone", "", "+1")],
    ),
    (
        "a custom field",
        {"field_id": 4, "field": "Industry", "value": "Retail"},
        {"field_id": 4, "field": "Industry", "value": ["Food", "Retail"]},
        [Change("Industry", "Retail", "Food, Retail")],
    ),
    (
        "a tag added",
        None,
        {"tag_id": 3, "tag": "VIP", "contact_tag_id": 40},
        [Change("tag", "", "VIP")],
    ),
    ("a tag removed", {"tag_id": "3", "tag": "VIP"}, None, [Change("tag", "VIP", "")]),
    (
        "a list subscription",
        {"list_id": 2, "list": "News", "status": "unsubscribed"},
        {"list_id": 2, "list": "News", "status": "subscribed"},
        [Change("News status", "unsubscribed", "subscribed")],
    ),
    (
        "a whole object, camel case, with its bookkeeping",
        {"id": 9, "stageId": 1, "updated": "2026-01-01", "isDone": False},
        {"id": 9, "stageId": 2, "updated": "2026-03-01", "isDone": True},
        [Change("stage id", "1", "2"), Change("is done", "no", "yes")],
    ),
    (
        "a job's targets",
        {"tag:12": False, "field:3": ""},
        {"tag:12": True, "field:3": "x"},
        [Change("tag:12", "no", "yes"), Change("field:3", "", "x")],
    ),
    ("nothing changed", {"email": "a@x.io"}, {"email": "a@x.io"}, []),
    ("a plain value", "old", "new", [Change("value", "old", "new")]),
]


@pytest.mark.parametrize(
    ("before", "after", "expected"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES]
)
def test_each_shape_reads_as_its_changed_keys(before, after, expected):
    assert changes(before, after) == expected


def test_long_values_are_cut_for_the_table_and_whole_for_the_export():
    long = "x" * 500
    (short,) = changes(None, {"note": long})
    assert len(short.after) == 200 and short.after.endswith("…")
    assert changes(None, {"note": long}, short=False)[0].after == long
