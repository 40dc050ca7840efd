"""The list's selects (``QuickSelect``) offer and mark the options Django's Select would."""

import re
from html import escape

import pytest

from acdash.contacts.forms import QuickSelect

CHOICES = [
    ("", "Any tag"),
    (1, "<b>first</b> & co"),
    (1, "the same id again"),
    ("Group", [(2, "two"), (3, "three")]),
    (None, "none"),
]


@pytest.mark.parametrize("value", [None, "", "1", 3, "nope", ["2", "3"]])
def test_each_option_is_djangos_with_the_first_match_selected(value):
    widget = QuickSelect(choices=CHOICES)
    html = widget.render("tag", value, attrs={"id": "id_tag", "hx-get": "/a?b&c"})
    assert html.startswith('<select name="tag" hx-get="/a?b&amp;c" id="id_tag">\n  <option ')
    shown = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    groups = widget.get_context("tag", value, None)["widget"]["optgroups"]
    expected = [
        (escape(str(o["value"])), " selected" if o["selected"] else "", escape(str(o["label"])))
        for _name, options, _index in groups
        for o in options
    ]
    assert shown == expected
