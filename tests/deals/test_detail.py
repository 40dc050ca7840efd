# ruff: noqa: F401, F811 (fixtures imported from deal_fixtures)
"""The deal page over HTTP against a seeded sandbox account: what it shows, what it costs
(≤ 3 calls with metadata cached), its lazy panels (contacts, notes, tasks) and their writes
with audit entries, the missing and error states, and what viewers may do."""

import re

import pytest

from acdash.activecampaign import count_api_calls, deals, tasks
from acdash.activecampaign.contacts import read_contact
from acdash.activecampaign.customfields import list_custom_fields
from acdash.activecampaign.pipelines import list_pipelines
from acdash.activecampaign.users import users_by_id
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxAccount, SandboxRecord
from tests.contacts import SLUG
from tests.deals.deal_fixtures import HTMX, ac, acme, api, deal_records, viewer_client

HTMX_HEADERS = {"HX-Request": "true"}


def _page(client, deal_id: int, part: str = "", **headers) -> str:
    response = client.get(f"/a/acme/deals/{deal_id}/{part}", **headers)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


@pytest.fixture
def deal(ac) -> deals.Deal:
    """An open deal with a primary contact, field values and at least one task."""
    for record in deal_records():
        if record.data["status"] == "0" and record.data["nexttaskid"] not in ("0", None):
            return deals.read_deal(ac, record.rid)
    raise AssertionError("the seed has no open deal with a task")


def test_the_page_shows_the_deal_with_names_for_its_ids(acme, admin_client, ac, deal):
    html = _page(admin_client, deal.id)
    pipeline = next(p for p in list_pipelines(ac) if p.id == deal.pipeline_id)
    cents = deal.value_cents
    assert f"<h1>{deal.title}</h1>" in html
    assert f"{deal.currency} {cents // 100:,}.{cents % 100:02d}" in html
    assert pipeline.title in html and pipeline.stage(deal.stage_id).title in html
    assert users_by_id(ac)[deal.owner_id].name in html
    assert "Open" in html
    for field in list_custom_fields(ac, "deal"):
        assert f'id="field-{field.id}"' in html and field.label in html
    assert "Edit details" in html and f"/a/acme/deals/{deal.id}/delete/" in html


def test_custom_field_values_show_typed(acme, admin_client, ac):
    currency_field = next(f for f in list_custom_fields(ac, "deal") if f.type == "currency")
    datum = SandboxRecord.objects.filter(
        account__slug=SLUG, kind="dealCustomFieldDatum", key=str(currency_field.id)
    ).first()
    cents = int(datum.data["fieldValue"])
    html = _page(admin_client, datum.parent)
    assert f"{cents // 100:,}.{cents % 100:02d}" in html


def test_the_page_costs_at_most_three_calls_with_metadata_cached(acme, admin_client, deal):
    _page(admin_client, deal.id)  # pipelines, users and deal fields cached
    with count_api_calls() as calls:
        _page(admin_client, deal.id)
    assert calls.count <= 3, calls.summary()
    _page(admin_client, deal.id, "tasks/", **HTMX)  # task types cached
    for part in ("notes/", "tasks/"):
        with count_api_calls() as panel_calls:
            _page(admin_client, deal.id, part, **HTMX)
        assert panel_calls.count <= 1, panel_calls.summary()


def test_an_unknown_deal_is_a_clear_404(acme, admin_client):
    response = admin_client.get("/a/acme/deals/999999/")
    assert response.status_code == 404 and b"Deal not found" in response.content


def test_an_unavailable_api_shows_an_error_with_retry(acme, admin_client, deal):
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    html = _page(admin_client, deal.id)
    assert "Could not load this deal from ActiveCampaign." in html and "Retry" in html
    panel = _page(admin_client, deal.id, "notes/", **HTMX)
    assert "Could not load the notes." in panel and "Retry" in panel


def test_the_contacts_panel_links_primary_and_secondary_contacts(acme, admin_client, ac, api, deal):
    other = next(r for r in deal_records() if r.data["contact"] != str(deal.contact_id))
    api.ok(
        "POST",
        "/contactDeals",
        {"contactDeal": {"deal": deal.id, "contact": int(other.data["contact"])}},
    )
    html = _page(admin_client, deal.id, "contacts/", **HTMX)
    primary = read_contact(ac, deal.contact_id)
    assert f'href="/a/acme/contacts/{primary.id}/"' in html
    assert f'href="/a/acme/contacts/{other.data["contact"]}/"' in html


def _links(deal_id: int) -> set[int]:
    rows = SandboxRecord.objects.filter(account__slug=SLUG, kind="contactDeal", parent=deal_id)
    return {int(r.key) for r in rows}


def test_adding_and_removing_a_secondary_contact(acme, admin_client, ac, deal):
    candidate = next(
        int(r.data["contact"])
        for r in deal_records()
        if int(r.data["contact"]) not in _links(deal.id) | {deal.contact_id}
    )
    url = f"/a/acme/deals/{deal.id}/contacts/"
    html = admin_client.post(url, {"contact": candidate}, **HTMX).content.decode()
    assert candidate in _links(deal.id) and "Added" in html
    assert f'href="/a/acme/contacts/{candidate}/"' in html
    assert AuditEntry.objects.filter(action="contact.add", object_id=str(deal.id)).exists()
    # The API's refusal (already linked) shows by the field; nothing changes.
    linked = _links(deal.id)
    html = admin_client.post(url, {"contact": candidate}, **HTMX).content.decode()
    assert "already associated" in html and _links(deal.id) == linked
    for bad, message in (("abc", "Enter a contact"), ("99999999", "has no contact #99999999")):
        before = _links(deal.id)
        html = admin_client.post(url, {"contact": bad}, **HTMX).content.decode()
        assert message in html and _links(deal.id) == before
    link = SandboxRecord.objects.get(
        account__slug=SLUG, kind="contactDeal", parent=deal.id, key=str(candidate)
    )
    html = admin_client.post(url, {"remove": link.rid, "label": "Someone"}, **HTMX).content.decode()
    assert candidate not in _links(deal.id) and "Removed Someone" in html
    assert AuditEntry.objects.filter(action="contact.remove").exists()


def test_notes_list_and_add(acme, admin_client, deal):
    url = f"/a/acme/deals/{deal.id}/notes/"
    html = admin_client.post(url, {"text": "Called, wants a quote"}, **HTMX).content.decode()
    assert "Note added." in html and "Called, wants a quote" in html
    stored = SandboxRecord.objects.filter(
        account__slug=SLUG, kind="note", parent=deal.id, data__reltype="Deal"
    )
    assert "Called, wants a quote" in [r.data["note"] for r in stored]
    assert AuditEntry.objects.filter(action="note.create").exists()
    html = admin_client.post(url, {"text": "   "}, **HTMX).content.decode()
    assert "This field is required." in html


def test_tasks_panel_lists_the_deals_tasks(acme, admin_client, ac, deal):
    page = tasks.list_tasks(ac, related_type=tasks.RelatedType.DEAL, related_id=deal.id)
    html = _page(admin_client, deal.id, "tasks/", **HTMX)
    assert page.items and html.count("<li class=") >= len(page.items)
    for task in page.items:
        assert f'href="/a/acme/tasks/{task.id}/"' in html
    assert f'href="/a/acme/tasks/?deal={deal.id}"' in html
    assert (
        f'href="/a/acme/tasks/new/?deal={deal.id}&amp;next=/a/acme/tasks/%3Fdeal%3D{deal.id}"'
        in html
    )


def test_viewers_see_everything_and_change_nothing(acme, viewer_client, deal):
    html = _page(viewer_client, deal.id)
    assert deal.title in html and "Edit details" not in html and "/delete/" not in html
    assert ">Edit<" not in html
    for part in ("contacts/", "notes/"):
        panel = _page(viewer_client, deal.id, part, **HTMX)
        assert "<form" not in panel
    for part, data in (
        ("core/", {"title": "Hacked"}),
        ("contacts/", {"contact": 1}),
        ("notes/", {"text": "x"}),
        ("delete/", {}),
        ("fields/1/", {"value": "x"}),
    ):
        assert viewer_client.post(f"/a/acme/deals/{deal.id}/{part}", data).status_code == 403
    assert viewer_client.get(f"/a/acme/deals/{deal.id}/core/?edit=1", **HTMX).status_code == 403
    assert viewer_client.get("/a/acme/deals/new/").status_code == 403
    assert next(r for r in deal_records() if r.rid == deal.id).data["title"] == deal.title


def test_the_contact_pages_deals_panel_links_here_and_offers_a_new_deal(acme, admin_client, deal):
    html = admin_client.get(f"/a/acme/contacts/{deal.contact_id}/").content.decode()
    assert f'href="/a/acme/deals/{deal.id}/"' in html
    assert f'href="/a/acme/deals/new/?contact={deal.contact_id}"' in html


def test_editing_a_note(acme, admin_client, deal):
    admin_client.post(f"/a/acme/deals/{deal.id}/notes/", {"text": "First draft"}, **HTMX)
    note = SandboxRecord.objects.get(account__slug=SLUG, kind="note", data__note="First draft")
    url = f"/a/acme/deals/{deal.id}/notes/{note.rid}/"
    editor = admin_client.get(url, **HTMX).content.decode()
    assert "First draft</textarea>" in editor
    assert re.search(r'<input type="hidden" name="orig_text" value="First draft"', editor)
    html = admin_client.post(url, {"text": "Final", "orig_text": "First draft"}, **HTMX)
    assert "Note saved." in html.content.decode()
    note.refresh_from_db()
    assert note.data["note"] == "Final"
    entry = AuditEntry.objects.get(action="note.update")
    assert (entry.before["text"], entry.after["text"]) == ("First draft", "Final")
    html = admin_client.post(url, {"text": ""}, **HTMX).content.decode()
    assert "This field is required." in html
    note.refresh_from_db()
    assert note.data["note"] == "Final"
