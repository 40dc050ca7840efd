"""Hostile text from the API (or typed by a user) renders as text everywhere on the contact
screens: each custom field type's title, value and options, in the page, its read-only
sections and its editors; phone, organization, list, tag and deal names; notes and
activity; the account's name; toasts and confirmation texts.

Every string carries a ``<script>`` element and an attribute break (``"'>``) followed by an
``<img onerror>``: the raw markup must never reach the page, and its escaped form must (so
the test knows the text was rendered at all).
"""

import re

import pytest
from django.core.cache import cache

from acdash.activecampaign import contacts, fields, lists, notes, organizations, tags
from acdash.activecampaign.fields import to_api

from . import test_detail as shared
from .test_detail import HTMX, page_url, section
from .test_inline_edit import hidden_inputs, open_editor

acme, api, ac = shared.acme, shared.api, shared.ac

RAW = ("<script>alert(", "<img src=x", "\"'>", "'><script", '"><script')
OPTION_TYPES = {"dropdown", "radio", "multiselect", "checkbox", "listbox"}


def evil(where: str) -> str:
    return f"\"'><script>alert('{where}')</script><img src=x onerror=alert('{where}')>"


def escaped(where: str) -> str:
    return f"&quot;&#x27;&gt;&lt;script&gt;alert(&#x27;{where}&#x27;)&lt;/script&gt;"


def assert_text_only(html: str, *shown: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r} in:\n{html[html.find(raw) - 300 :][:600]}"
    for where in shown:
        assert escaped(where) in html, f"{where} not shown (escaped) in:\n{html[:3000]}"


@pytest.fixture
def hostile(acme, api, ac) -> dict:
    """A contact whose every piece of text is hostile, in an account named hostilely."""
    by_type = {}
    for field in fields.list_fields(ac):
        by_type.setdefault(field.type, field)
    for kind, field in by_type.items():
        api.ok("PUT", f"/fields/{field.id}", {"field": {"title": evil(f"title-{kind}")}})
        if kind in OPTION_TYPES:
            option = {"field": field.id, "value": evil(f"value-{kind}"), "label": evil(kind)}
            api.ok("POST", "/fieldOption/bulk", {"fieldOptions": [option]})
    cache.clear()  # acdash learns the new titles and options
    values = {
        by_type[kind].id: evil(kind) for kind in ("text", "textarea", "hidden") if kind in by_type
    }
    for kind in OPTION_TYPES & by_type.keys():
        value = evil(f"value-{kind}")
        values[by_type[kind].id] = [value] if by_type[kind].multiple else value
    person = contacts.create_contact(
        ac,
        "evil@example.com",
        first_name=evil("first"),
        last_name=evil("last"),
        phone=evil("phone"),
        field_values=values,
    )
    organization = organizations.create_organization(ac, evil("organization"))
    organizations.link_contact(ac, organization.id, person.id)
    created = api.ok(
        "POST",
        "/lists",
        {
            "list": {
                "name": evil("list"),
                "stringid": "evil",
                "sender_url": "https://example.com",
                "sender_reminder": "You signed up",
            }
        },
    )
    list_id = int(created["list"]["id"])
    lists.subscribe(ac, person.id, list_id)
    tag = tags.create_tag(ac, evil("tag"))
    tags.add_tag(ac, person.id, tag.id)
    notes.add_note(ac, person.id, evil("note"))
    stage = api.ok("GET", "/dealStages")["dealStages"][0]
    api.ok(
        "POST",
        "/deals",
        {
            "deal": {
                "title": evil("deal"),
                "contact": str(person.id),
                "value": 100,
                "currency": "usd",
                "group": stage["group"],
                "stage": stage["id"],
                "owner": "1",
            }
        },
    )
    acme.name = evil("account")
    acme.save()
    cache.clear()
    return {"person": person, "fields": by_type, "list_id": list_id, "tag": tag}


def test_the_contact_page_shows_every_hostile_text_as_text(hostile, admin_client):
    html = admin_client.get(page_url(hostile["person"].id)).content.decode()
    shown = ["first", "last", "phone", "organization", "list", "tag", "deal", "account"]
    shown += [f"title-{kind}" for kind in hostile["fields"]]
    shown += [kind for kind in hostile["fields"] if kind in OPTION_TYPES | {"text", "textarea"}]
    assert_text_only(html, *shown)


def test_each_fields_section_and_editor_show_its_title_value_and_options_as_text(
    hostile, admin_client
):
    person = hostile["person"]
    page = admin_client.get(page_url(person.id)).content.decode()
    for kind, field in hostile["fields"].items():
        url = f"/a/acme/contacts/{person.id}/fields/{field.id}/"
        shown = hidden_inputs(section(page, f"field-{field.id}"))
        read_only = admin_client.get(url, shown, headers=HTMX).content.decode()
        editor = admin_client.get(url, {**shown, "edit": "1"}, headers=HTMX).content.decode()
        has_value = kind in OPTION_TYPES | {"text", "textarea", "hidden"}
        assert_text_only(read_only, f"title-{kind}", *([kind] if has_value else []))
        options = [kind, f"value-{kind}"] if kind in OPTION_TYPES else []
        assert_text_only(editor, f"title-{kind}", *options)


def test_saving_a_field_toasts_its_title_as_text(hostile, admin_client):
    person, field = hostile["person"], hostile["fields"]["text"]
    url = f"/a/acme/contacts/{person.id}/fields/{field.id}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field.id}")
    saved = admin_client.post(url, {**editor, "value": evil("typed")}, headers=HTMX)
    html = saved.content.decode()
    assert "toast" in html
    assert_text_only(html, "title-text", "typed")


def test_the_core_editor_and_its_toast_show_names_and_phone_as_text(hostile, admin_client):
    person = hostile["person"]
    url = f"/a/acme/contacts/{person.id}/core/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, "core")
    opened = admin_client.get(url, {**editor, "edit": "1"}, headers=HTMX).content.decode()
    assert_text_only(opened, "first", "last", "phone")
    data = {"email": "evil@example.com", "first_name": evil("first2"), "last_name": evil("last")}
    saved = admin_client.post(url, {**editor, **data, "phone": evil("phone")}, headers=HTMX)
    assert_text_only(saved.content.decode(), "first2", "last", "phone")


def test_tag_and_list_confirmations_and_toasts_name_them_as_text(hostile, ac, admin_client):
    person = hostile["person"]
    page = admin_client.get(page_url(person.id)).content.decode()
    confirms = re.findall(r'hx-confirm="([^"]*)"', page)
    assert any(escaped("tag") in c for c in confirms) and any(
        escaped("list") in c for c in confirms
    )

    base = f"/a/acme/contacts/{person.id}"
    typed = evil("new-tag")
    added = admin_client.post(f"{base}/tags/", {"tag": typed}, headers=HTMX).content.decode()
    assert_text_only(added, "new-tag", "tag")  # the toast and the chips
    suggestions = admin_client.get(
        f"{base}/tags/suggest/", {"tag": "\"'><"}, headers=HTMX
    ).content.decode()
    assert_text_only(suggestions, "tag", "new-tag")
    nothing = admin_client.get(f"{base}/tags/suggest/", {"tag": evil("typed")}, headers=HTMX)
    assert_text_only(nothing.content.decode(), "typed")

    link = next(t for t in tags.contact_tags(ac, person.id) if t.tag_id == hostile["tag"].id)
    removed = admin_client.post(
        f"{base}/tags/{link.id}/remove/",
        {"tag_name": evil("tag"), "tag_id": hostile["tag"].id},
        headers=HTMX,
    ).content.decode()
    assert_text_only(removed, "tag")

    gone = admin_client.post(
        f"{base}/lists/",
        {"list": hostile["list_id"], "action": "unsubscribe", "status_before": evil("status")},
        headers=HTMX,
    ).content.decode()
    assert_text_only(gone, "list")


def test_notes_and_activity_show_as_text(hostile, admin_client):
    base = f"/a/acme/contacts/{hostile['person'].id}"
    panel = admin_client.get(f"{base}/notes/", headers=HTMX).content.decode()
    assert_text_only(panel, "note")
    added = admin_client.post(f"{base}/notes/", {"text": evil("new-note")}, headers=HTMX)
    assert_text_only(added.content.decode(), "new-note", "note")
    activity = admin_client.get(f"{base}/activity/", headers=HTMX).content.decode()
    assert_text_only(activity, "note", "tag")


def test_the_contact_list_and_the_delete_confirmation_show_names_as_text(hostile, admin_client):
    listed = admin_client.get("/a/acme/contacts/", {"search": "evil@"}).content.decode()
    assert_text_only(listed, "first", "last", "account", "list", "tag")  # + the filters' options
    filtered = admin_client.get(
        "/a/acme/contacts/", {"list": hostile["list_id"], "tag": hostile["tag"].id}
    ).content.decode()
    assert_text_only(filtered, "first", "list", "tag")
    confirm = admin_client.get(f"/a/acme/contacts/{hostile['person'].id}/delete/")
    assert_text_only(confirm.content.decode(), "first", "account")


def test_field_values_sent_back_to_the_editor_stay_attribute_safe(hostile, admin_client):
    # The read-only sections carry each value back to the editor in a hidden input.
    person = hostile["person"]
    page = admin_client.get(page_url(person.id)).content.decode()
    for kind, field in hostile["fields"].items():
        if kind in OPTION_TYPES | {"text", "textarea", "hidden"}:
            shown = hidden_inputs(section(page, f"field-{field.id}"))["orig"]
            value = evil(f"value-{kind}") if kind in OPTION_TYPES else evil(kind)
            expected = [value] if field.multiple else value
            assert shown == to_api(kind, expected)
