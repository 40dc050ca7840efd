"""Option edits round-trip: renamed, moved, removed and added in one save, then read back
from the API in the new order (contact fields: option records; deal and account fields:
the field's list); a bad edit changes nothing."""

import pytest

from . import form_values
from .conftest import records
from .test_fields import _create, _options, _stored


def _rows(data: dict) -> dict[str, int]:
    """The option rows of an edit form, by the option they show."""
    count = int(data["options-TOTAL_FORMS"])
    return {data[f"options-{i}-value"]: i for i in range(count) if data[f"options-{i}-value"]}


def _edit(client, family: str, field_id: int) -> tuple[str, dict]:
    url = f"/a/acme/fields/{family}/{field_id}/"
    return url, form_values(client.get(url).content.decode())


@pytest.mark.parametrize("family", ["contact", "deal", "account"])
def test_rename_move_remove_and_add_options_in_one_save(acme, admin_client, family):
    _create(admin_client, family, "dropdown", "Colour", default="")
    field = _stored(family, "Colour")
    url, data = _edit(admin_client, family, field.rid)
    rows = _rows(data)
    data[f"options-{rows['Green']}-value"] = "Lime"
    data.pop(f"options-{rows['Green']}-label", None)
    data[f"options-{rows['Blue']}-order"] = "0"
    data[f"options-{rows['Red']}-remove"] = "on"
    data["options-3-value"], data["options-3-order"] = "Black", "9"
    response = admin_client.post(url, data, follow=True)
    assert f"Edited {family} field “Colour”: options." in response.content.decode()
    field = _stored(family, "Colour")
    assert _options(family, field) == ["Blue", "Lime", "Black"]
    # Read back: the form shows them in that order, and the list too.
    _, again = _edit(admin_client, family, field.rid)
    assert list(_rows(again)) == ["Blue", "Lime", "Black"]
    row = admin_client.get(f"/a/acme/fields/{family}/").content.decode()
    assert "Blue, Lime, Black" in row.split(f'data-field-id="{field.rid}"')[1].split("</tr>")[0]


def test_contact_option_labels_change_apart_from_their_values(acme, admin_client):
    _create(admin_client, "contact", "radio", "Size", default="")
    field = _stored("contact", "Size")
    url, data = _edit(admin_client, "contact", field.rid)
    data[f"options-{_rows(data)['Red']}-label"] = "Rouge"
    admin_client.post(url, data)
    labels = {r.data["value"]: r.data["label"] for r in _option_records(field.rid)}
    assert labels == {"Red": "Rouge", "Green": "Green", "Blue": "Blue"}


def _option_records(field_id: int):
    return [r for r in records("fieldOption") if r.parent == field_id]


@pytest.mark.parametrize("family", ["contact", "deal"])
def test_a_bad_option_edit_changes_nothing(acme, admin_client, family):
    _create(admin_client, family, "checkbox", "Flags", default="")
    field = _stored(family, "Flags")
    url, data = _edit(admin_client, family, field.rid)
    rows = _rows(data)
    data[f"options-{rows['Green']}-value"] = "red"  # the same as Red, any case
    data["label"] = "Renamed flags"
    html = admin_client.post(url, data).content.decode()
    assert "Each option must be different." in html
    data = _edit(admin_client, family, field.rid)[1]
    for name in rows:
        data[f"options-{rows[name]}-remove"] = "on"
    html = admin_client.post(url, data).content.decode()
    assert "A checkbox field needs at least one option." in html
    assert _options(family, _stored(family, "Flags")) == ["Red", "Green", "Blue"]
    assert _stored(family, "Renamed flags") is None
