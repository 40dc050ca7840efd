"""Choice fields are validated on the server against the field's options as the API reports
them, never against what the browser sends (the editor's hidden ``orig`` once decided them).
Over real HTTP against the sandbox; what the sandbox holds is the oracle.
"""

import pytest

from acdash.activecampaign import contact_detail, count_api_calls, fields
from acdash.audit.models import AuditEntry

from . import test_detail as shared
from .test_detail import HTMX, field_ids, page_url, section
from .test_inline_edit import hidden_inputs, open_editor

acme, api, ac, person = shared.acme, shared.api, shared.ac, shared.person

CHOICE_TYPES = ["dropdown", "radio", "listbox", "multiselect", "checkbox"]


def field_url(contact_id: int, field_id: int) -> str:
    return f"/a/acme/contacts/{contact_id}/fields/{field_id}/"


def stored(ac, contact_id: int, field_id: int):
    return contact_detail.get_contact(ac, contact_id).values.get(field_id)


@pytest.mark.parametrize("kind", CHOICE_TYPES)
def test_a_value_that_is_not_an_option_is_refused_whatever_the_browser_says(
    acme, ac, admin_client, person, kind
):
    field_id = field_ids(ac)[kind]
    field = fields.fields_by_id(ac)[field_id]
    url = field_url(person.id, field_id)
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field_id}")
    before = stored(ac, person.id, field_id)
    forged = "Forged <value>"
    # The hidden original claims the contact holds the forged value: it must not matter.
    posted = [field.options[0].value, forged] if field.multiple else forged
    data = {**editor, "orig": f"||{forged}||" if field.multiple else forged, "value": posted}
    with count_api_calls() as calls:
        response = admin_client.post(url, data, headers=HTMX)

    assert response.status_code == 200
    form = section(response.content.decode(), f"field-{field_id}")
    assert f"“Forged &lt;value&gt;” is not an option of {field.title}" in form
    assert "<form" in form  # the editor stays open with the message by the field
    assert not any(c.method in {"PUT", "POST"} for c in calls.calls), calls.summary()
    assert stored(ac, person.id, field_id) == before
    assert not AuditEntry.objects.exists()


def test_each_option_of_the_field_is_accepted(acme, ac, admin_client, person):
    field_id = field_ids(ac)["listbox"]
    field = fields.fields_by_id(ac)[field_id]
    chosen = [o.value for o in field.options[:2]]
    url = field_url(person.id, field_id)
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field_id}")
    html = admin_client.post(url, {**editor, "value": chosen}, headers=HTMX).content.decode()
    assert f"Saved {field.title}." in html
    assert stored(ac, person.id, field_id).value == chosen


def test_an_option_added_in_activecampaign_since_the_cache_was_filled_is_accepted(
    acme, ac, api, admin_client, person
):
    industry = field_ids(ac)["dropdown"]
    url = field_url(person.id, industry)
    page = admin_client.get(page_url(person.id)).content.decode()  # options now cached
    editor = open_editor(admin_client, url, page, f"field-{industry}")
    option = {"field": str(industry), "value": "Aerospace", "label": "Aerospace"}
    api.ok("POST", "/fieldOption/bulk", {"fieldOptions": [option]})

    with count_api_calls() as calls:
        html = admin_client.post(url, {**editor, "value": "Aerospace"}, headers=HTMX)
    assert "Saved Industry." in html.content.decode()
    assert stored(ac, person.id, industry).value == "Aerospace"
    assert [c.path for c in calls.calls].count("/fields") == 1  # reloaded once


def test_a_held_value_that_is_no_longer_an_option_survives_an_edit(
    acme, ac, api, admin_client, person
):
    colours = field_ids(ac)["multiselect"]
    # Set behind acdash's back: the API stores values that are not options.
    body = {"fieldValues": [{"field": str(colours), "value": "||Red||Mauve||"}]}
    api.ok("PUT", f"/contacts/{person.id}", {"contact": body})
    url = field_url(person.id, colours)
    page = admin_client.get(page_url(person.id)).content.decode()
    editor_html = admin_client.get(
        url, {**hidden_inputs(section(page, f"field-{colours}")), "edit": "1"}, headers=HTMX
    ).content.decode()
    assert "Mauve (not an option)" in editor_html
    editor = open_editor(admin_client, url, page, f"field-{colours}")

    data = {**editor, "value": ["Red", "Mauve", "Green"]}
    html = admin_client.post(url, data, headers=HTMX).content.decode()
    assert "Saved Colours." in html
    assert stored(ac, person.id, colours).value == ["Red", "Mauve", "Green"]
