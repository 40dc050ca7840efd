"""The contact page over real HTTP against a seeded sandbox account: what it shows, what it
costs, and the writes of its side panels (tags, lists, notes) with their audit entries.

The fixtures here are shared by test_inline_edit.py and the browser test.
"""

import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.cache import cache

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import (
    Client,
    activity,
    contact_detail,
    contacts,
    count_api_calls,
    fields,
    lists,
    notes,
    pipelines,
    tags,
    users,
)
from acdash.audit.models import AuditEntry
from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount
from tests.conftest import SandboxClient

HTMX = {"HX-Request": "true"}
MULTI_OPTIONS = ["Red", "Green", "Blue"]


@pytest.fixture
def acme(live_server, transactional_db) -> Iterator[ConnectedAccount]:
    """A small seeded sandbox account (every contact field type but multiselect, which is
    added), connected in acdash."""
    cache.clear()
    faults.reset()
    seed.seed_account("acme", "Acme", 12, 5)
    sandbox = SandboxAccount.objects.get(slug="acme")
    sandbox.rate_limit = 1000
    sandbox.save()
    api = SandboxClient(live_server.url, sandbox)
    field = api.ok("POST", "/fields", {"field": {"title": "Colours", "type": "multiselect"}})
    options = [{"field": field["field"]["id"], "value": v, "label": v} for v in MULTI_OPTIONS]
    api.ok("POST", "/fieldOption/bulk", {"fieldOptions": options})
    account = ConnectedAccount(slug="acme", name="Acme", api_url=api.api_url)
    account.set_token(sandbox.api_token)
    account.save()
    yield account
    faults.reset()


@pytest.fixture
def api(acme, live_server) -> SandboxClient:
    """The sandbox account's API, as another client changing things behind acdash's back."""
    return SandboxClient(live_server.url, SandboxAccount.objects.get(slug="acme"))


@pytest.fixture
def ac(acme) -> Client:
    """The service module's client of the account: how tests read back what was saved."""
    return client_for_account(acme)


def field_ids(ac: Client) -> dict[str, int]:
    """Custom field ids by type (one field of each)."""
    found: dict[str, int] = {}
    for field in fields.list_fields(ac):
        found.setdefault(field.type, field.id)
    return found


@pytest.fixture
def person(ac) -> contacts.Contact:
    """A contact of our own with known values."""
    ids = field_ids(ac)
    return contacts.create_contact(
        ac,
        "ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        phone="+44 20 7946 0000",
        field_values={
            ids["text"]: "London",
            ids["dropdown"]: "Finance",
            ids["date"]: date(1815, 12, 10),
            ids["multiselect"]: ["Red", "Blue"],
        },
    )


def page_url(contact_id: int) -> str:
    return f"/a/acme/contacts/{contact_id}/"


def contact_with_deals(account: str = "acme") -> int:
    deal = SandboxAccount.objects.get(slug=account).records.filter(kind="deal").first()
    return deal.parent


def warm_metadata(ac: Client) -> None:
    """Fill the metadata cache as earlier pages would have."""
    contacts.account_names(ac)
    fields.list_fields(ac)
    lists.list_lists(ac)
    tags.tag_catalog(ac)
    pipelines.list_pipelines(ac)
    users.list_users(ac)


def section(html: str, element_id: str) -> str:
    """The HTML of the element with this id (up to its closing tag of the same name)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"', html)
    assert match, f"no element #{element_id}"
    tag, start = match.group(1), match.start()
    depth, pos = 0, start
    for m in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            pos = start + m.end()
            break
    return html[start:pos]


# The page --------------------------------------------------------------------------------


def test_page_costs_three_calls_with_metadata_cached(acme, ac, admin_client):
    contact_id = contact_with_deals()
    warm_metadata(ac)
    with count_api_calls() as calls:
        response = admin_client.get(page_url(contact_id))
    assert response.status_code == 200
    assert calls.count == 3, calls.summary()
    assert sorted(c.path for c in calls.calls) == [  # made at once (test_parallel.py)
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/contactTags",
        f"/contacts/{contact_id}/deals",
    ]
    assert 'desc="3 calls"' in response["Server-Timing"]
    assert f'href="/a/acme/contacts/{contact_id}/delete/"' in response.content.decode()


def test_page_shows_deals_with_value_stage_and_status(acme, ac, admin_client):
    contact_id = contact_with_deals()
    detail = contact_detail.get_contact(ac, contact_id)
    html = admin_client.get(page_url(contact_id)).content.decode()
    stages = {s.id: s.title for p in pipelines.list_pipelines(ac) for s in p.stages}
    for deal in detail.deals:
        row = html[html.index(deal.title) :]
        row = row[: row.index("</tr>")]
        dollars, cents = divmod(deal.value_cents, 100)
        assert f"USD {dollars:,}.{cents:02d}" in row
        assert stages[deal.stage_id] in row
        assert {0: "Open", 1: "Won", 2: "Lost"}[deal.status] in row


def test_notes_load_lazily_in_one_call(acme, ac, admin_client, person):
    notes.add_note(ac, person.id, "Prefers <b>email</b>.")
    warm_metadata(ac)
    html = admin_client.get(page_url(person.id)).content.decode()
    notes_panel = section(html, "notes")
    assert f'hx-get="/a/acme/contacts/{person.id}/notes/"' in notes_panel
    assert 'hx-trigger="intersect once"' in notes_panel
    assert "Prefers" not in html  # not part of the page itself
    with count_api_calls() as calls:
        panel = admin_client.get(f"/a/acme/contacts/{person.id}/notes/", headers=HTMX)
    assert calls.count == 1, calls.summary()
    text = panel.content.decode()
    assert "Prefers &lt;b&gt;email&lt;/b&gt;." in text
    assert "Alex Morgan" in text  # the API token's user wrote it
    assert "by " not in section(text, "notes")  # not added in acdash: no acdash author


def test_a_note_added_in_acdash_shows_the_acdash_user_who_wrote_it(
    acme, ac, admin_client, django_user_model, person
):
    Membership.objects.create(
        user=django_user_model.objects.create_user("sam", first_name="Sam", last_name="Reyes"),
        account=acme,
        role="editor",
    )
    sam = django_user_model.objects.get(username="sam")
    url = f"/a/acme/contacts/{person.id}/notes/"
    admin_client.force_login(sam)
    added = admin_client.post(url, {"text": "Called back."}, headers=HTMX).content.decode()
    (note,) = notes.contact_notes(ac, person.id)
    assert "by Sam Reyes" in section(added, f"note-{note.id}")
    # The API credits the token's owner; the audit entry names the acdash user.
    assert note.user_id is not None
    entry = AuditEntry.objects.get(object_type="note", object_id=str(note.id), action="create")
    assert entry.user == sam and entry.after["by"] == "Sam Reyes"

    panel = admin_client.get(url, headers=HTMX).content.decode()
    assert "by Sam Reyes" in section(panel, f"note-{note.id}")
    sam.delete()  # the name recorded with the entry stays
    admin_client.force_login(django_user_model.objects.get(username="admin"))
    panel = admin_client.get(url, headers=HTMX).content.decode()
    assert "by Sam Reyes" in section(panel, f"note-{note.id}")


def test_page_shows_core_fields_and_each_custom_field(acme, ac, admin_client, person):
    html = admin_client.get(page_url(person.id)).content.decode()
    core = section(html, "core")
    for value in ("ada@example.com", "Ada", "Lovelace", "+44 20 7946 0000"):
        assert f"<dd>{value}</dd>" in core
    assert "Created" in html and "updated" in html
    ids = field_ids(ac)
    assert "London" in section(html, f"field-{ids['text']}")
    assert "Finance" in section(html, f"field-{ids['dropdown']}")
    assert "1815-12-10" in section(html, f"field-{ids['date']}")
    colours = section(html, f"field-{ids['multiselect']}")
    assert (
        '<span class="chip">Red</span>' in colours and '<span class="chip">Blue</span>' in colours
    )
    hidden = section(html, f"field-{ids['hidden']}")
    assert "hidden field" in hidden
    # Every custom field is on the page, with its editor one click away.
    for field in fields.list_fields(ac):
        assert f'hx-get="/a/acme/contacts/{person.id}/fields/{field.id}/?edit=1"' in html


@pytest.mark.parametrize(
    ("kind", "widget"),
    [
        ("text", 'type="text"'),
        ("textarea", "<textarea"),
        ("date", 'type="date"'),
        ("datetime", 'type="datetime-local"'),
        ("dropdown", "<select"),
        ("radio", "<select"),
        ("multiselect", '<select name="value" size="3"'),
        ("checkbox", "multiple"),
        ("listbox", "multiple"),
        ("hidden", "(hidden field)"),
    ],
)
def test_each_field_type_gets_its_widget(acme, ac, admin_client, person, kind, widget):
    field_id = field_ids(ac)[kind]
    url = f"/a/acme/contacts/{person.id}/fields/{field_id}/?edit=1"
    html = admin_client.get(url, headers=HTMX).content.decode()
    assert widget in html
    assert "<label" in html
    if kind in {"multiselect", "checkbox", "listbox"}:
        assert re.search(r"<select[^>]*multiple", html)


def test_names_and_values_with_html_render_as_text(acme, ac, admin_client):
    ids = field_ids(ac)
    evil = contacts.create_contact(
        ac,
        "evil@example.com",
        first_name="<script>alert(1)</script>",
        last_name="<b>Bold</b>",
        field_values={ids["text"]: "<img src=x onerror=alert(2)>"},
    )
    tag = tags.create_tag(ac, "<i>tag</i>")
    tags.add_tag(ac, evil.id, tag.id)
    html = admin_client.get(page_url(evil.id)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<i>tag</i>" not in html and "&lt;i&gt;tag&lt;/i&gt;" in html


def test_viewers_see_everything_read_only(acme, ac, client, django_user_model, person):
    viewer = django_user_model.objects.create_user("vic", password="pw")
    Membership.objects.create(user=viewer, account=acme, role="viewer")
    client.force_login(viewer)
    html = client.get(page_url(person.id)).content.decode()
    assert "ada@example.com" in html and "London" in html
    controls = ("Edit details", "?edit=1", "hx-post", "Add a tag", "Unsubscribe", "Add note")
    for control in (*controls, "Delete contact"):
        assert control not in html, control
    panel = client.get(f"/a/acme/contacts/{person.id}/notes/", headers=HTMX).content.decode()
    assert "hx-post" not in panel and "Add a note" not in panel
    field_id = field_ids(ac)["text"]
    editor = f"/a/acme/contacts/{person.id}/fields/{field_id}/?edit=1"
    assert client.get(editor, headers=HTMX).status_code == 403
    post = client.post(f"/a/acme/contacts/{person.id}/fields/{field_id}/", {"value": "Paris"})
    assert post.status_code == 403
    assert contact_detail.get_contact(ac, person.id).values[field_id].value == "London"


def test_an_unknown_contact_and_an_api_outage_show_clear_states(acme, admin_client, person):
    missing = admin_client.get(page_url(999_999))
    assert missing.status_code == 404
    assert "Contact not found" in missing.content.decode()
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    down = admin_client.get(page_url(person.id))
    assert down.status_code == 200
    assert "Could not load this contact from ActiveCampaign" in down.content.decode()


# Tags ------------------------------------------------------------------------------------


def test_tag_suggestions_come_from_the_accounts_tags(acme, ac, admin_client, person):
    warm_metadata(ac)
    url = f"/a/acme/contacts/{person.id}/tags/suggest/"
    with count_api_calls() as calls:
        html = admin_client.get(url, {"tag": "web"}, headers=HTMX).content.decode()
    assert calls.count == 0
    options = re.findall(r'<li role="option"[^>]*data-tag-name="([^"]*)"', html)
    assert "webinar-attendee" in options and "webinar-no-show" in options
    assert "vip" not in html
    nothing = admin_client.get(url, {"tag": "zzz"}, headers=HTMX).content.decode()
    assert "No tag starts with “zzz”" in nothing


def test_add_and_remove_tags_with_audit(acme, ac, admin_client, person):
    url = f"/a/acme/contacts/{person.id}/tags/"
    vip = next(t for t in tags.search_tags(ac, "vip") if t.name == "vip")
    picked = admin_client.post(url, {"tag": "vi", "tag_id": vip.id}, headers=HTMX)
    assert picked["HX-Retarget"] == "#tags"
    assert "Added tag “vip”." in picked.content.decode()
    typed = admin_client.post(url, {"tag": "Brand-New"}, headers=HTMX).content.decode()
    assert "Added tag “Brand-New”." in typed
    names = {t.name: t for t in tags.contact_tags(ac, person.id)}
    assert set(names) == {"vip", "Brand-New"}
    assert ">Brand-New" in section(typed, "tags")

    link = names["vip"]
    remove = f"/a/acme/contacts/{person.id}/tags/{link.id}/remove/"
    html = admin_client.post(
        remove, {"tag_name": "vip", "tag_id": vip.id}, headers=HTMX
    ).content.decode()
    assert "Removed tag “vip”." in html
    assert [t.name for t in tags.contact_tags(ac, person.id)] == ["Brand-New"]

    entries = AuditEntry.objects.filter(account=acme).order_by("pk")
    assert [(e.object_type, e.action) for e in entries] == [
        ("contact", "tag.add"),
        ("tag", "create"),
        ("contact", "tag.add"),
        ("contact", "tag.remove"),
    ]
    assert all(e.user.username == "admin" for e in entries)
    assert entries[0].after["tag"] == "vip" and entries[3].before["tag"] == "vip"


def test_an_empty_tag_name_is_refused_by_the_field(acme, ac, admin_client, person):
    html = admin_client.post(
        f"/a/acme/contacts/{person.id}/tags/", {"tag": "  "}, headers=HTMX
    ).content.decode()
    assert "Type a tag name or pick a suggestion." in section(html, "tag-form")
    assert tags.contact_tags(ac, person.id) == []
    assert not AuditEntry.objects.exists()


# Lists -----------------------------------------------------------------------------------


def test_subscribe_and_unsubscribe_with_audit(acme, ac, admin_client, person):
    newsletter = next(lst for lst in lists.list_lists(ac) if lst.name == "Newsletter")
    url = f"/a/acme/contacts/{person.id}/lists/"
    page = admin_client.get(page_url(person.id)).content.decode()
    assert f'<option value="{newsletter.id}">Newsletter</option>' in section(page, "list-add")

    added = admin_client.post(
        url, {"list": newsletter.id, "action": "subscribe", "add": "1"}, headers=HTMX
    ).content.decode()
    assert "Subscribed to Newsletter." in added
    assert "Subscribed</span>" in section(added, f"list-{newsletter.id}")
    assert f'<option value="{newsletter.id}"' not in section(added, "list-add")
    status = {m.list_id: m.status for m in contact_detail.get_contact(ac, person.id).lists}
    assert status[newsletter.id] == lists.ListStatus.ACTIVE

    gone = admin_client.post(
        url,
        {"list": newsletter.id, "action": "unsubscribe", "status_before": "Subscribed"},
        headers=HTMX,
    ).content.decode()
    assert "Unsubscribed from Newsletter." in gone
    assert ">Subscribe</button>" in section(gone, f"list-{newsletter.id}")
    status = {m.list_id: m.status for m in contact_detail.get_contact(ac, person.id).lists}
    assert status[newsletter.id] == lists.ListStatus.UNSUBSCRIBED

    entries = AuditEntry.objects.filter(account=acme, object_id=str(person.id)).order_by("pk")
    assert [e.action for e in entries] == ["list.subscribe", "list.unsubscribe"]
    assert entries[1].before["status"] == "Subscribed"
    assert entries[1].after["status"] == "Unsubscribed"


# Notes -----------------------------------------------------------------------------------


def test_add_and_edit_notes_with_audit(acme, ac, admin_client, person):
    url = f"/a/acme/contacts/{person.id}/notes/"
    empty = admin_client.post(url, {"text": "   "}, headers=HTMX).content.decode()
    assert "This field is required." in section(empty, "note-add")
    assert notes.contact_notes(ac, person.id) == []

    added = admin_client.post(url, {"text": "Met at <the> booth."}, headers=HTMX)
    assert added["HX-Retarget"] == "#notes"
    assert added["HX-Trigger"] == "contact-changed"  # the activity panel reloads itself
    assert "Met at &lt;the&gt; booth." in added.content.decode()
    assert "Note added." in added.content.decode()
    (note,) = notes.contact_notes(ac, person.id)
    assert note.text == "Met at <the> booth."

    editor = admin_client.get(f"{url}{note.id}/?edit=1", headers=HTMX).content.decode()
    assert "<textarea" in editor and "Met at &lt;the&gt; booth." in editor
    saved = admin_client.post(
        f"{url}{note.id}/",
        {"text": "Met at the booth.\r\nWants a demo.", "orig_text": note.text},
        headers=HTMX,
    ).content.decode()
    assert "Note saved." in saved and "Wants a demo." in saved
    assert notes.contact_notes(ac, person.id)[0].text == "Met at the booth.\nWants a demo."

    entries = AuditEntry.objects.filter(account=acme, object_type="note").order_by("pk")
    assert [(e.action, e.object_id) for e in entries] == [
        ("create", str(note.id)),
        ("update", str(note.id)),
    ]
    assert entries[1].before == {"text": "Met at <the> booth."}
    assert entries[1].after["text"] == "Met at the booth.\nWants a demo."


def test_a_failing_notes_panel_says_so_in_place(acme, admin_client, person):
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    html = admin_client.get(f"/a/acme/contacts/{person.id}/notes/", headers=HTMX)
    assert html.status_code == 200
    assert "Could not load the notes" in html.content.decode()


def test_section_urls_opened_directly_lead_to_the_page(acme, admin_client, person):
    response = admin_client.get(f"/a/acme/contacts/{person.id}/notes/")
    assert response.status_code == 302 and response["Location"] == page_url(person.id)


# Recent activity -------------------------------------------------------------------------


def activity_url(contact_id: int) -> str:
    return f"/a/acme/contacts/{contact_id}/activity/"


def test_activity_loads_lazily_in_one_call_newest_first(acme, ac, admin_client, person):
    notes.add_note(ac, person.id, "Prefers <b>email</b>.")
    tag = tags.create_tag(ac, "<i>vip</i>")
    tags.add_tag(ac, person.id, tag.id)
    warm_metadata(ac)
    with count_api_calls() as calls:
        html = admin_client.get(page_url(person.id)).content.decode()
    assert calls.count <= 3, calls.summary()
    placeholder = section(html, "activity")
    assert f'hx-get="{activity_url(person.id)}"' in placeholder
    assert 'hx-trigger="intersect once"' in placeholder and "Loading activity" in placeholder
    assert "Tagged" not in html  # not part of the page itself

    with count_api_calls() as calls:
        panel = admin_client.get(activity_url(person.id), headers=HTMX).content.decode()
    assert calls.count == 1, calls.summary()
    assert [c.path for c in calls.calls] == ["/activities"]
    assert "Note: Prefers &lt;b&gt;email&lt;/b&gt;." in panel
    assert "Tagged “&lt;i&gt;vip&lt;/i&gt;”" in panel
    assert "Contact created" in panel
    assert "<b>email" not in panel and "<i>vip" not in panel
    times = re.findall(r'<time[^>]*datetime="([^"]+)"', panel)
    assert len(times) == 3 and times == sorted(times, reverse=True)
    assert 'hx-trigger="contact-changed from:body"' in section(panel, "activity")


def test_activity_panel_empty_and_failing_states(acme, admin_client, person, monkeypatch):
    monkeypatch.setattr(activity, "recent_activity", lambda client, contact_id: [])
    empty = admin_client.get(activity_url(person.id), headers=HTMX).content.decode()
    assert "No activity yet." in empty
    monkeypatch.undo()
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    failed = admin_client.get(activity_url(person.id), headers=HTMX)
    assert failed.status_code == 200
    panel = section(failed.content.decode(), "activity")
    assert "Could not load the activity" in panel
    assert f'hx-get="{activity_url(person.id)}"' in panel and ">Retry</a>" in panel


def test_activity_url_opened_directly_leads_to_the_page(acme, admin_client, person):
    response = admin_client.get(activity_url(person.id))
    assert response.status_code == 302 and response["Location"] == page_url(person.id)
