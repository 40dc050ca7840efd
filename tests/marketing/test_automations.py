"""Automations over HTTP against a seeded sandbox account: the list with contact counts,
the contacts in one, and the contact page's panel adding a contact to an automation and
removing it (audited; viewers refused)."""

from html import unescape

from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxRecord
from tests.contacts import table_links, table_rows

LIST = "/a/acme/automations/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _records(kind: str, **data) -> list[SandboxRecord]:
    found = SandboxRecord.objects.filter(account__slug="acme", kind=kind).order_by("rid")
    return [r for r in found if all(r.data.get(k) == v for k, v in data.items())]


def _panel_url(contact: int) -> str:
    return f"/a/acme/contacts/{contact}/automations/"


def test_the_list_shows_each_automation_with_its_contact_counts(as_role):
    rows = table_rows(as_role("viewer").get(LIST).content.decode())
    expected = sorted(_records("automation"), key=lambda r: r.data["name"].lower())
    assert [row["name"] for row in rows] == [r.data["name"] for r in expected]
    for row, record in zip(rows, expected, strict=True):
        entered, exited = int(record.data["entered"]), int(record.data["exited"])
        in_now = len(_records("contactAutomation", seriesid=record.id_str, status="1"))
        assert (row["entered"], row["exited"]) == (str(entered), str(exited))
        assert row["in_now"] == str(entered - exited) == str(in_now)


def test_the_list_sorts_by_name_either_way(as_role):
    rows = table_rows(as_role("viewer").get(LIST, {"sort": "-name"}).content.decode())
    names = [row["name"] for row in rows]
    assert names == sorted(names, key=str.lower, reverse=True)


def test_an_automation_lists_the_contacts_in_it_by_name(as_role):
    automation = max(_records("automation"), key=lambda r: int(r.data["entered"]))
    client = as_role("viewer")
    links = table_links(client.get(LIST).content.decode())
    url = next(link["name"] for link in links if link["name"].endswith(f"/{automation.rid}/"))
    html = client.get(url).content.decode()
    rows = table_rows(html)
    members = _records("contactAutomation", seriesid=automation.id_str)
    assert len(rows) == min(20, len(members))
    contact = SandboxRecord.objects.get(
        account__slug="acme", kind="contact", rid=int(members[0].data["contact"])
    )
    full = f"{contact.data['firstName']} {contact.data['lastName']}".strip()
    assert rows[0]["contact"] == (full or contact.data["email"])
    assert as_role("editor").get(f"{LIST}99999/").status_code == 404


def test_the_contact_page_loads_the_automations_panel_when_it_is_opened(as_role):
    """Closed, it costs the contact page nothing: the page's load already spends the
    five calls of the API's one-second window."""
    member = _records("contactAutomation")[0]
    contact = int(member.data["contact"])
    client = as_role("viewer")
    with count_api_calls() as calls:
        page = client.get(f"/a/acme/contacts/{contact}/").content.decode()
    assert not any("contactAutomations" in call.path for call in calls.calls)
    assert f'hx-get="{_panel_url(contact)}" hx-trigger="toggle once"' in page
    panel = unescape(client.get(_panel_url(contact), **HTMX).content.decode())
    name = _records("automation")[int(member.data["seriesid"]) - 1].data["name"]
    assert panel.lstrip().startswith('<section id="automations"') and name in panel
    assert "Add to automation" not in panel and "Remove" not in panel  # a viewer's panel
    alone = unescape(client.get(_panel_url(contact)).content.decode())  # without JS
    assert "<!doctype html>" in alone and name in alone


def test_an_editor_adds_a_contact_to_an_automation_and_removes_it(as_role):
    inside = {int(r.data["contact"]) for r in _records("contactAutomation")}
    contact = next(r.rid for r in _records("contact") if r.rid not in inside)
    automation = _records("automation")[0]
    client = as_role("editor")
    panel = unescape(client.get(_panel_url(contact), **HTMX).content.decode())
    assert "Not in any automation." in panel
    assert f'<option value="{automation.rid}">{automation.data["name"]}</option>' in panel

    added = client.post(_panel_url(contact), {"automation": automation.rid}, **HTMX)
    html = unescape(added.content.decode())
    assert f"Added to “{automation.data['name']}”." in html
    link = _records("contactAutomation", contact=str(contact))
    assert len(link) == 1 and link[0].data["seriesid"] == automation.id_str
    assert "Not in any automation." not in html and automation.data["name"] in html
    remove_url = f"{_panel_url(contact)}{link[0].rid}/remove/"
    assert f'hx-post="{remove_url}"' in html

    confirm = unescape(client.get(remove_url).content.decode())
    assert f"from “{automation.data['name']}”?" in confirm
    removed = unescape(client.post(remove_url, **HTMX).content.decode())
    assert f"Removed from “{automation.data['name']}”." in removed
    assert "Not in any automation." in removed
    assert not _records("contactAutomation", contact=str(contact))
    trail = list(
        AuditEntry.objects.order_by("pk").values_list("object_type", "action", "object_id")
    )
    assert trail == [("contactAutomation", a, str(link[0].rid)) for a in ("create", "delete")]


def test_a_choice_outside_the_accounts_automations_is_refused_and_nothing_is_sent(as_role):
    contact = _records("contact")[0].rid
    before = len(_records("contactAutomation"))
    html = as_role("editor").post(_panel_url(contact), {"automation": "99999"}, **HTMX)
    assert "Select a valid choice" in unescape(html.content.decode())
    assert len(_records("contactAutomation")) == before and not AuditEntry.objects.exists()


def test_viewers_may_not_add_or_remove(as_role):
    member = _records("contactAutomation")[0]
    contact = int(member.data["contact"])
    client = as_role("viewer")
    assert client.post(_panel_url(contact), {"automation": "1"}).status_code == 403
    assert client.post(f"{_panel_url(contact)}{member.rid}/remove/").status_code == 403
    assert _records("contactAutomation", contact=str(contact))


def test_removing_through_another_contacts_url_is_a_404(as_role):
    member = _records("contactAutomation")[0]
    other = next(r.rid for r in _records("contact") if str(r.rid) != member.data["contact"])
    response = as_role("editor").post(f"{_panel_url(other)}{member.rid}/remove/")
    assert response.status_code == 404
    assert SandboxRecord.objects.filter(pk=member.pk).exists()
