"""Custom fields over HTTP against the sandbox: every type of each family created, edited
and deleted; the list shows what the API holds; bad input is refused by its field and
changes nothing; every write audited."""

from html import unescape

import pytest

from acdash.audit.models import AuditEntry

from . import form_values
from .conftest import records

CONTACT_TYPES = ["text", "textarea", "date", "datetime", "dropdown", "multiselect"]
CONTACT_TYPES += ["listbox", "radio", "checkbox", "hidden"]
CUSTOM_TYPES = ["text", "textarea", "date", "datetime", "dropdown", "multiselect", "radio"]
CUSTOM_TYPES += ["checkbox", "hidden", "number", "currency"]
CHOICE = {"dropdown", "multiselect", "listbox", "radio", "checkbox"}
MULTI = {"multiselect", "listbox", "checkbox"}
DEFAULTS = {
    "text": "Hello",
    "textarea": "Two\nlines",
    "hidden": "utm",
    "date": "2026-05-19",
    "datetime": "2026-05-19T09:30:00+02:00",
    "number": "12.5",
    "currency": "99.95",
}
KIND = {"contact": "field", "deal": "dealCustomFieldMeta", "account": "accountCustomFieldMeta"}
LABEL = {"contact": "title", "deal": "fieldLabel", "account": "fieldLabel"}
CASES = [("contact", t) for t in CONTACT_TYPES]
CASES += [(f, t) for f in ("deal", "account") for t in CUSTOM_TYPES]


def _stored(family: str, label: str):
    found = [r for r in records(KIND[family]) if r.data[LABEL[family]] == label]
    return found[0] if found else None


def _options(family: str, field) -> list[str]:
    if family != "contact":
        return field.data["fieldOptions"] or []
    rows = [r for r in records("fieldOption") if r.parent == field.rid]
    return [r.data["value"] for r in sorted(rows, key=lambda r: (int(r.data["orderid"]), r.rid))]


def _create(client, family: str, field_type: str, label: str, **extra):
    data = {"label": label, "field_type": field_type, "visible": "on", **extra}
    if field_type in CHOICE:
        data.setdefault("options", "Red\nGreen\nBlue")
        data.setdefault("default", "Red, Blue" if field_type in MULTI else "Green")
    else:
        data.setdefault("default", DEFAULTS.get(field_type, ""))
    if family == "contact":
        data.setdefault("lists", ["0"])
    return client.post(f"/a/acme/fields/{family}/new/", data, follow=True)


@pytest.mark.parametrize(("family", "field_type"), CASES)
def test_create_edit_and_delete_a_field_of_every_type(acme, admin_client, family, field_type):
    response = _create(admin_client, family, field_type, f"New {field_type}")
    html = response.content.decode()
    assert f"Created {family} field “New {field_type}”." in html
    stored = _stored(family, f"New {field_type}")
    assert stored is not None
    type_key = "type" if family == "contact" else "fieldType"
    assert stored.data[type_key] == field_type
    if field_type in CHOICE:
        assert _options(family, stored) == ["Red", "Green", "Blue"]
    assert f'data-field-id="{stored.rid}"' in html

    edit = f"/a/acme/fields/{family}/{stored.rid}/"
    data = form_values(admin_client.get(edit).content.decode())
    data["label"] = f"Renamed {field_type}"
    data.pop("required", None)
    response = admin_client.post(edit, data, follow=True)
    assert f"Edited {family} field “New {field_type}”: label." in response.content.decode()
    assert _stored(family, f"Renamed {field_type}").rid == stored.rid

    page = admin_client.get(f"{edit}delete/").content.decode()
    assert f"<strong>“Renamed {field_type}”</strong>" in page
    response = admin_client.post(f"{edit}delete/", follow=True)
    assert f"Deleted {family} field “Renamed {field_type}” with its values." in (
        response.content.decode()
    )
    assert _stored(family, f"Renamed {field_type}") is None
    actions = [e.action for e in AuditEntry.objects.order_by("id")]
    assert actions == ["create", "update", "delete"]
    assert {e.object_type for e in AuditEntry.objects.all()} == {f"{family}_field"}


@pytest.mark.parametrize("family", ["contact", "deal", "account"])
def test_the_list_shows_every_field_with_its_type_and_options(acme, admin_client, family):
    html = admin_client.get(f"/a/acme/fields/{family}/").content.decode()
    for field in records(KIND[family]):
        row = unescape(html.split(f'data-field-id="{field.rid}"')[1].split("</tr>")[0])
        assert field.data[LABEL[family]] in row
        assert all(option in row for option in _options(family, field))


def test_defaults_are_checked_against_the_type_and_options(acme, admin_client):
    html = _create(admin_client, "deal", "dropdown", "Colour", default="Purple").content.decode()
    assert "Not an option of this field: Purple." in html.split('id="field-default"')[1]
    html = _create(admin_client, "contact", "date", "Start", default="next week").content.decode()
    assert "Not a valid default for a date field" in html.split('id="field-default"')[1]
    html = _create(admin_client, "account", "radio", "Tier", options="").content.decode()
    assert "A radio field needs at least one option." in html.split('id="field-options"')[1]
    assert _stored("deal", "Colour") is None and _stored("contact", "Start") is None
    assert not AuditEntry.objects.exists()


def test_a_label_in_use_is_refused_by_the_label(acme, admin_client):
    taken = records("field")[0].data["title"]
    html = _create(admin_client, "contact", "text", taken.upper()).content.decode()
    assert "There is already a field with this label." in html.split('id="field-label"')[1]
    assert len([r for r in records("field") if r.data["title"].lower() == taken.lower()]) == 1


def test_the_delete_confirmation_says_how_many_contacts_hold_a_value(acme, admin_client):
    field = next(r for r in records("field") if r.data["title"] == "Industry")
    held = len([v for v in records("fieldValue") if v.key == field.id_str])
    assert held
    page = admin_client.get(f"/a/acme/fields/contact/{field.rid}/delete/").content.decode()
    assert f"<strong>{held} contacts</strong> hold a value of it" in page
    deal_field = records("dealCustomFieldMeta")[0]
    page = admin_client.get(f"/a/acme/fields/deal/{deal_field.rid}/delete/").content.decode()
    assert "ActiveCampaign does not say how many deals hold one." in page


def test_a_contact_field_moves_to_the_lists_chosen(acme, admin_client):
    lists = records("list")
    chosen = [lists[0].id_str, lists[1].id_str]
    _create(admin_client, "contact", "text", "Shown on two", lists=chosen)
    field = _stored("contact", "Shown on two")
    related = {r.data["relid"] for r in records("fieldRel") if r.parent == field.rid}
    assert related == {lists[0].id_str, lists[1].id_str}
    edit = f"/a/acme/fields/contact/{field.rid}/"
    data = form_values(admin_client.get(edit).content.decode())
    data["lists"] = ["0"]
    response = admin_client.post(edit, data, follow=True)
    assert "Edited contact field “Shown on two”: lists." in response.content.decode()
    assert {r.data["relid"] for r in records("fieldRel") if r.parent == field.rid} == {"0"}


def test_the_apis_refusal_is_shown_by_the_label_and_nothing_stays_behind(acme, admin_client):
    # A different label, the same personalization tag (FAVOURITE_COLOUR): the API refuses.
    _create(admin_client, "contact", "text", "Favourite Colour")
    html = _create(admin_client, "contact", "text", "Favourite_Colour").content.decode()
    label = html.split('id="field-label"')[1].split('id="field-')[0]
    assert "There is already a field with this personalization tag" in label
    assert _stored("contact", "Favourite_Colour") is None
    assert [e.action for e in AuditEntry.objects.all()] == ["create"]
