"""Inline editing on the contact page, over real HTTP against the sandbox: each custom field
type round-trips exactly, bad input is refused by the field that caused it with nothing
saved, and a concurrent change is shown before it is overwritten.

Each test drives the editors as the page does: it reads the page's version and the values a
section shows, opens the editor with them, and posts the editor's own hidden inputs back.
"""

import html as htmllib
import re
from datetime import UTC, date, datetime

import pytest

from acdash.activecampaign import contact_detail, contacts, count_api_calls
from acdash.activecampaign.fields import to_python
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxAccount

from . import test_detail as shared
from .test_detail import HTMX, field_ids, page_url, section

# The fixtures of test_detail.py (the seeded account, its API, our own contact).
acme, api, ac, person = shared.acme, shared.api, shared.ac, shared.person

OLD_VERSION = "2020-01-01T00:00:00-06:00"


def hidden_inputs(html: str) -> dict[str, str]:
    found = re.finditer(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?', html)
    return {m.group(1): htmllib.unescape(m.group(2) or "") for m in found}


def version_of(page: str) -> str:
    return htmllib.unescape(
        re.search(r'id="contact-version" name="version" value="([^"]*)"', page)[1]
    )


def open_editor(client, url: str, page: str, section_id: str) -> dict[str, str]:
    """Open a section's editor as its Edit button does; the editor's hidden inputs."""
    shown = hidden_inputs(section(page, section_id))
    editor = client.get(url, {**shown, "version": version_of(page), "edit": "1"}, headers=HTMX)
    assert editor.status_code == 200
    return hidden_inputs(editor.content.decode())


def backdate(contact_id: int) -> None:
    """Make the contact's last change an old one, so that a change made now moves its version
    (the API keeps whole seconds: changes within one second would look alike)."""
    record = SandboxAccount.objects.get(slug="acme").records.get(kind="contact", rid=contact_id)
    record.data["udate"] = OLD_VERSION
    record.save()


# Custom fields -----------------------------------------------------------------------------

ROUND_TRIPS = [
    ("text", "Zürich <b>&</b> 'quoted'", "Zürich <b>&</b> 'quoted'"),
    ("textarea", "Line one\r\nLine <i>two</i>", "Line one\nLine <i>two</i>"),
    ("date", "2024-02-29", date(2024, 2, 29)),
    ("datetime", "2025-03-04T05:06:07", datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)),
    ("dropdown", "Education", "Education"),
    ("radio", "SMS", "SMS"),
    ("multiselect", ["Green", "Red"], ["Green", "Red"]),
    ("checkbox", ["Events", "Tips & tutorials"], ["Events", "Tips & tutorials"]),
    ("listbox", ["CRM", "SMS"], ["CRM", "SMS"]),
    ("hidden", "spring_promo", "spring_promo"),
]


@pytest.mark.parametrize(
    ("kind", "posted", "expected"), ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS]
)
def test_each_field_type_round_trips_exactly(
    acme, ac, admin_client, person, kind, posted, expected
):
    field_id = field_ids(ac)[kind]
    url = f"/a/acme/contacts/{person.id}/fields/{field_id}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field_id}")
    response = admin_client.post(url, {**editor, "value": posted}, headers=HTMX)
    html = response.content.decode()

    saved = contact_detail.get_contact(ac, person.id).values[field_id].value
    assert saved == expected
    assert "Saved " in html and 'id="contact-head" class="contact-head" hx-swap-oob="true"' in html
    row = section(html, f"field-{field_id}")
    assert 'hx-get="' in row and "<form" not in row  # back to read-only
    assert to_python(kind, hidden_inputs(row)["orig"]) == expected  # what the next edit starts from
    entry = AuditEntry.objects.get(account=acme, action="field.update")
    assert entry.user.username == "admin" and entry.object_id == str(person.id)
    assert entry.after["field_id"] == field_id


def test_values_show_escaped_after_saving(acme, ac, admin_client, person):
    field_id = field_ids(ac)["text"]
    url = f"/a/acme/contacts/{person.id}/fields/{field_id}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field_id}")
    html = admin_client.post(
        url, {**editor, "value": "<script>alert(1)</script>"}, headers=HTMX
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_field_opens_on_the_value_the_page_shows_and_cancel_goes_back(
    acme, ac, admin_client, person
):
    field_id = field_ids(ac)["multiselect"]
    url = f"/a/acme/contacts/{person.id}/fields/{field_id}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    shown = hidden_inputs(section(page, f"field-{field_id}"))
    editor = admin_client.get(url, {**shown, "edit": "1"}, headers=HTMX).content.decode()
    assert '<option value="Red" selected>' in editor and '<option value="Blue" selected>' in editor
    assert '<option value="Green">' in editor
    assert "editor-escape from:closest form" in editor  # Escape cancels (app.js)
    back = admin_client.get(url, hidden_inputs(editor), headers=HTMX).content.decode()
    assert '<span class="chip">Red</span><span class="chip">Blue</span>' in back


def test_an_invalid_date_is_refused_by_its_field(acme, ac, admin_client, person):
    field_id = field_ids(ac)["date"]
    url = f"/a/acme/contacts/{person.id}/fields/{field_id}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field_id}")
    html = admin_client.post(url, {**editor, "value": "2024-13-45"}, headers=HTMX).content.decode()
    assert "Enter a valid date." in section(html, f"field-{field_id}")
    assert contact_detail.get_contact(ac, person.id).values[field_id].value == date(1815, 12, 10)
    assert not AuditEntry.objects.exists()


# Core fields -------------------------------------------------------------------------------


def core_url(contact_id: int) -> str:
    return f"/a/acme/contacts/{contact_id}/core/"


def test_core_fields_save_and_show_the_new_values(acme, ac, admin_client, person):
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    assert editor["orig_email"] == "ada@example.com" and editor["version"] == version_of(page)
    changes = {
        "email": "ada.king@example.com",
        "first_name": "Augusta Ada",
        "last_name": "King",
        "phone": "",
    }
    html = admin_client.post(core_url(person.id), {**editor, **changes}, headers=HTMX)
    html = html.content.decode()
    saved = contact_detail.get_contact(ac, person.id).contact
    assert (saved.email, saved.first_name, saved.last_name, saved.phone) == tuple(changes.values())
    assert "<dd>ada.king@example.com</dd>" in section(html, "core")
    assert "<h1>Augusta Ada King</h1>" in html  # the page's heading, out of band
    assert version_of(html) == saved.updated.isoformat()
    assert "Saved Augusta Ada King." in html
    entry = AuditEntry.objects.get(account=acme, action="update")
    assert entry.before["email"] == "ada@example.com"
    assert entry.after == {**changes}
    assert entry.summary == "Edited Email, First name, Last name, Phone"


def test_an_invalid_email_is_refused_by_the_email_field(acme, ac, admin_client, person):
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    data = {
        **editor,
        "email": "not-an-email",
        "first_name": "Changed",
        "last_name": "",
        "phone": "",
    }
    html = admin_client.post(core_url(person.id), data, headers=HTMX).content.decode()
    email = section(html, "core")
    email = email[email.index("field-email") : email.index("field-first_name")]
    assert "Enter a valid email address." in email
    assert contact_detail.get_contact(ac, person.id).contact.first_name == "Ada"
    assert not AuditEntry.objects.exists()


def test_the_apis_422_shows_by_the_field_that_caused_it(acme, ac, admin_client, person):
    contacts.create_contact(ac, "taken@example.com")
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    data = {**editor, "email": "taken@example.com", "first_name": "Changed"}
    data |= {"last_name": "Lovelace", "phone": ""}
    html = admin_client.post(core_url(person.id), data, headers=HTMX).content.decode()
    email = section(html, "core")
    email = email[email.index("field-email") : email.index("field-first_name")]
    assert "Email address already exists in the system" in email
    saved = contact_detail.get_contact(ac, person.id).contact
    assert (saved.email, saved.first_name) == ("ada@example.com", "Ada")
    assert not AuditEntry.objects.exists()


def test_a_concurrent_change_lists_and_overwrites_only_the_fields_i_changed(
    acme, ac, api, admin_client, person
):
    backdate(person.id)
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    # Meanwhile someone renames the contact in ActiveCampaign (first and last name).
    api.ok("PUT", f"/contacts/{person.id}", {"contact": {"firstName": "Augusta", "lastName": "K"}})
    # I change the first name and the phone, and leave the last name as the page showed it.
    mine = {"email": "ada@example.com", "first_name": "Ada B", "last_name": "Lovelace"}
    mine["phone"] = "+44 1"
    html = admin_client.post(core_url(person.id), {**editor, **mine}, headers=HTMX)
    html = html.content.decode()

    assert "Changed in ActiveCampaign since you opened this." in html
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', html, re.S)
    assert [label for label, _ in rows] == ["First name"]  # not their last name, not my phone
    assert re.findall(r"<td>(.*?)</td>", rows[0][1]) == ["Ada", "Augusta", "Ada B"]
    assert 'name="overwrite" value="1"' in html
    saved = contact_detail.get_contact(ac, person.id).contact
    assert (saved.first_name, saved.last_name, saved.phone) == ("Augusta", "K", "+44 20 7946 0000")
    assert not AuditEntry.objects.exists()

    conflict = hidden_inputs(section(html, "core"))
    assert conflict["orig_first_name"] == "Augusta" and conflict["version"] != OLD_VERSION
    assert 'name="last_name" value="K"' in section(html, "core")  # theirs, kept on overwrite
    posted = {**conflict, **mine, "last_name": "K", "overwrite": "1"}
    again = admin_client.post(core_url(person.id), posted, headers=HTMX).content.decode()
    assert "Saved Ada B K." in again
    saved = contact_detail.get_contact(ac, person.id).contact
    assert (saved.first_name, saved.last_name, saved.phone) == ("Ada B", "K", "+44 1")
    assert "<dd>K</dd>" in section(again, "core")  # what the API holds now
    entry = AuditEntry.objects.get(account=acme, action="update")
    assert entry.before["first_name"] == "Augusta" and entry.after["first_name"] == "Ada B"
    assert entry.summary == "Edited First name, Phone"


def test_their_change_to_a_field_i_did_not_edit_is_kept_and_shown(
    acme, ac, api, admin_client, person
):
    backdate(person.id)
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    api.ok("PUT", f"/contacts/{person.id}", {"contact": {"firstName": "Augusta"}})
    mine = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    html = admin_client.post(
        core_url(person.id), {**editor, **mine, "phone": "+44 3"}, headers=HTMX
    )
    html = html.content.decode()
    assert "Saved Augusta Lovelace." in html
    saved = contact_detail.get_contact(ac, person.id).contact
    assert (saved.first_name, saved.phone) == ("Augusta", "+44 3")
    assert "<dd>Augusta</dd>" in section(html, "core")


def test_saving_nothing_over_a_newer_value_shows_the_newer_value(
    acme, ac, api, admin_client, person
):
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    api.ok("PUT", f"/contacts/{person.id}", {"contact": {"lastName": "King"}})
    same = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    same["phone"] = "+44 20 7946 0000"
    with count_api_calls() as calls:
        html = admin_client.post(core_url(person.id), {**editor, **same}, headers=HTMX)
    html = html.content.decode()
    assert "No changes." not in html
    assert "<dd>King</dd>" in section(html, "core")
    assert "changed in ActiveCampaign" in html
    assert not [c for c in calls.calls if c.method == "PUT"], calls.summary()
    assert not AuditEntry.objects.exists()

    city = field_ids(ac)["text"]
    url = f"/a/acme/contacts/{person.id}/fields/{city}/"
    editor = open_editor(admin_client, url, page, f"field-{city}")
    api.ok(
        "PUT",
        f"/contacts/{person.id}",
        {"contact": {"fieldValues": [{"field": str(city), "value": "Paris"}]}},
    )
    html = admin_client.post(url, {**editor, "value": "London"}, headers=HTMX).content.decode()
    assert "No changes." not in html and "Paris" in section(html, f"field-{city}")
    assert hidden_inputs(section(html, f"field-{city}"))["orig"] == "Paris"
    assert contact_detail.get_contact(ac, person.id).values[city].value == "Paris"


def test_saving_nothing_says_no_changes(acme, ac, admin_client, person):
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    same = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    same["phone"] = "+44 20 7946 0000"
    html = admin_client.post(core_url(person.id), {**editor, **same}, headers=HTMX)
    assert "No changes." in html.content.decode()
    assert not AuditEntry.objects.exists()


def test_changes_to_what_an_editor_does_not_edit_do_not_block_it(
    acme, ac, api, admin_client, person
):
    backdate(person.id)
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, core_url(person.id), page, "core")
    city = field_ids(ac)["text"]
    api.ok(
        "PUT",
        f"/contacts/{person.id}",
        {"contact": {"fieldValues": [{"field": str(city), "value": "Paris"}]}},
    )
    data = {**editor, "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    html = admin_client.post(core_url(person.id), {**data, "phone": "+44 2"}, headers=HTMX)
    assert "Saved Ada Lovelace." in html.content.decode()
    detail = contact_detail.get_contact(ac, person.id)
    assert detail.contact.phone == "+44 2" and detail.values[city].value == "Paris"


def test_a_concurrent_field_change_is_shown_before_overwriting(acme, ac, api, admin_client, person):
    backdate(person.id)
    industry = field_ids(ac)["dropdown"]
    url = f"/a/acme/contacts/{person.id}/fields/{industry}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{industry}")
    api.ok(
        "PUT",
        f"/contacts/{person.id}",
        {"contact": {"fieldValues": [{"field": str(industry), "value": "Retail"}]}},
    )
    html = admin_client.post(url, {**editor, "value": "Education"}, headers=HTMX).content.decode()
    assert "Changed in ActiveCampaign since you opened this." in html
    row = re.search(r"<tr><th scope=\"row\">Industry</th>.*?</tr>", html, re.S)[0]
    assert re.findall(r"<td>(.*?)</td>", row) == ["Finance", "Retail", "Education"]
    assert contact_detail.get_contact(ac, person.id).values[industry].value == "Retail"

    conflict = hidden_inputs(section(html, f"field-{industry}"))
    assert conflict["orig"] == "Retail"
    admin_client.post(url, {**conflict, "value": "Education", "overwrite": "1"}, headers=HTMX)
    assert contact_detail.get_contact(ac, person.id).values[industry].value == "Education"
    entry = AuditEntry.objects.get(account=acme, action="field.update")
    assert (entry.before["value"], entry.after["value"]) == ("Retail", "Education")
