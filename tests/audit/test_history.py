# ruff: noqa: F811 (fixtures imported from the contact and deal tests)
"""The history panels of the contact page and the deal page, after real edits over HTTP
against the sandbox: the object's own entries, newest first, loaded lazily, with "see all"
for those who read the account's trail."""

import pytest

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import Membership
from acdash.activecampaign import deals
from acdash.audit.models import AuditEntry
from tests.contacts import sandbox_records
from tests.contacts.conftest import acme  # noqa: F401 (a seeded sandbox account, connected)
from tests.contacts.test_detail import section
from tests.contacts.test_inline_edit import open_editor

from .conftest import HTMX


@pytest.fixture
def contact_id(acme) -> int:
    return sandbox_records("contact")[0].rid


def history(client, url: str) -> str:
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_the_contact_page_loads_its_history_panel_lazily(acme, admin_client, contact_id):
    page = admin_client.get(f"/a/acme/contacts/{contact_id}/").content.decode()
    panel = section(page, "history")
    assert (
        f'hx-get="/a/acme/audit/contacts/{contact_id}/"' in panel and 'hx-trigger="load"' in panel
    )
    assert "<time" not in panel  # nothing but the heading until it loads


def test_a_contacts_edits_show_in_its_history_newest_first(acme, admin_client, contact_id):
    url = f"/a/acme/contacts/{contact_id}/"
    admin_client.post(f"{url}tags/", {"tag": "Audited"}, headers=HTMX)
    page = admin_client.get(url).content.decode()
    editor = open_editor(admin_client, f"{url}core/", page, "core")
    changes = {
        "email": "renamed@example.com",
        "first_name": "Renamed",
        "last_name": "",
        "phone": "",
    }
    saved = admin_client.post(f"{url}core/", {**editor, **changes}, headers=HTMX)
    assert saved.status_code == 200 and "Saved" in saved.content.decode()
    html = history(admin_client, f"/a/acme/audit/contacts/{contact_id}/")
    assert html.index(">update<") < html.index(">tag.add<")  # newest first
    assert "<del>" + editor["orig_email"] + "</del>" in html
    assert "<ins>renamed@example.com</ins>" in html and "<ins>Audited</ins>" in html
    link = f'href="/a/acme/audit/?object_type=contact&amp;object_id={contact_id}"'
    assert link in html and "See all" in html
    # The panel reloads itself after a save on the page (which says contact-changed).
    assert 'hx-trigger="contact-changed from:body"' in html


def test_see_all_opens_the_objects_entries_in_the_accounts_trail(acme, admin_client, contact_id):
    other = sandbox_records("contact")[1].rid
    for target in (contact_id, other):
        admin_client.post(f"/a/acme/contacts/{target}/tags/", {"tag": "Seen"}, headers=HTMX)
    html = admin_client.get(
        "/a/acme/audit/", {"object_type": "contact", "object_id": contact_id}
    ).content.decode()
    assert f">contact {contact_id}</a>" in html and f">contact {other}<" not in html


def test_members_see_the_history_but_not_the_trail(acme, client, django_user_model, contact_id):
    AuditEntry.objects.create(
        account=acme,
        account_name="Acme",
        account_slug="acme",
        object_type="contact",
        object_id=str(contact_id),
        action="update",
        before={"phone": "1"},
        after={"phone": "2"},
    )
    viewer = django_user_model.objects.create_user("vic", password="pw")
    Membership.objects.create(user=viewer, account=acme, role="viewer")
    client.force_login(viewer)
    html = history(client, f"/a/acme/audit/contacts/{contact_id}/")
    assert "<del>1</del>" in html and "<ins>2</ins>" in html and "See all" not in html
    page = client.get(f"/a/acme/contacts/{contact_id}/").content.decode()
    assert "/a/acme/audit/" not in section(page, "sidenav-links")  # no "Audit" for a viewer
    assert client.get("/a/acme/audit/").status_code == 404


def test_an_admin_has_audit_in_the_side_navigation(acme, admin_client, contact_id):
    page = admin_client.get(f"/a/acme/contacts/{contact_id}/").content.decode()
    assert '<a href="/a/acme/audit/">Audit</a>' in section(page, "sidenav-links")


def test_a_history_without_entries_says_so(acme, admin_client, contact_id):
    html = history(admin_client, f"/a/acme/audit/contacts/{contact_id}/")
    assert "No changes made through acdash yet." in html and "See all" not in html


def test_opened_without_htmx_the_panel_sends_to_its_page(acme, admin_client, contact_id):
    response = admin_client.get(f"/a/acme/audit/contacts/{contact_id}/")
    assert response.status_code == 302 and response["Location"] == f"/a/acme/contacts/{contact_id}/"


def test_strangers_get_404(acme, client, django_user_model, contact_id):
    client.force_login(django_user_model.objects.create_user("outsider", password="pw"))
    assert client.get(f"/a/acme/audit/contacts/{contact_id}/", headers=HTMX).status_code == 404


def test_a_deals_edit_shows_in_its_history(acme, admin_client):
    deal_id = sandbox_records("deal")[0].rid
    page = admin_client.get(f"/a/acme/deals/{deal_id}/").content.decode()
    assert f'hx-get="/a/acme/audit/deals/{deal_id}/"' in section(page, "history")
    deal = deals.read_deal(client_for_account(acme), deal_id)
    form = {
        "title": "Renamed deal",
        "value": f"{deal.value_cents / 100:.2f}",
        "currency": deal.currency,
        "stage": deal.stage_id,
        "owner": deal.owner_id,
        "status": int(deal.status),
    }
    saved = admin_client.post(f"/a/acme/deals/{deal_id}/core/", form, headers=HTMX)
    assert "Saved Renamed deal." in saved.content.decode()
    html = history(admin_client, f"/a/acme/audit/deals/{deal_id}/")
    assert f"<del>{deal.title}</del>" in html and "<ins>Renamed deal</ins>" in html
    assert f'href="/a/acme/audit/?object_type=deal&amp;object_id={deal_id}"' in html
    assert "hx-trigger" not in section(html, "history")  # no reload event on the deal page
