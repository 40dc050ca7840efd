"""Disconnecting asks first, names what changes, and keeps the account's audit trail."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.audit.log import record
from acdash.audit.models import AuditEntry


@pytest.fixture
def audited(connected, admin_user) -> ConnectedAccount:
    for number in (1, 2):
        record(
            user=admin_user,
            account=connected,
            object_type="contact",
            object_id=number,
            action="update",
            before={"firstName": "Ada"},
            after={"firstName": "Grace"},
            summary=f"Renamed contact {number}",
        )
    return connected


def test_the_confirmation_names_the_account_and_says_the_audit_trail_stays(
    audited, make_user, admin_client
):
    make_user("sam", audited, "editor")
    edit_page = admin_client.get(f"/manage/accounts/{audited.slug}/").content.decode()
    assert f'href="/manage/accounts/{audited.slug}/disconnect/"' in edit_page
    page = admin_client.get(f"/manage/accounts/{audited.slug}/disconnect/").content.decode()
    assert "Disconnect <strong>Acme</strong>" in page
    assert "Its 1 member loses access" in page
    assert "The audit trail stays:</strong> its 2 entries keep the account" in page
    assert ConnectedAccount.objects.filter(pk=audited.pk).exists()  # a GET changes nothing


def test_disconnecting_keeps_every_audit_entry_with_the_accounts_name(
    audited, make_user, admin_client
):
    make_user("sam", audited, "editor")
    response = admin_client.post(f"/manage/accounts/{audited.slug}/disconnect/", follow=True)
    assert "Acme disconnected; its token was deleted, its audit trail kept." in (
        response.content.decode()
    )
    assert not ConnectedAccount.objects.exists() and not Membership.objects.exists()
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.account_id, e.account_name, e.account_slug) for e in entries] == [
        (None, "Acme", "acme"),
        (None, "Acme", "acme"),
    ]
    assert entries[0].summary == "Renamed contact 1" and entries[0].after == {"firstName": "Grace"}


def test_only_superusers_disconnect(audited, make_user, client):
    client.force_login(make_user("ada", audited, "admin"))
    assert client.get(f"/manage/accounts/{audited.slug}/disconnect/").status_code == 302
    assert client.post(f"/manage/accounts/{audited.slug}/disconnect/").status_code == 302
    assert ConnectedAccount.objects.filter(pk=audited.pk).exists()


def test_the_migration_names_the_account_on_entries_written_before_it(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    old = executor.loader.project_state([("audit", "0001_initial")]).apps
    account = old.get_model("accounts", "ConnectedAccount").objects.create(
        slug="north", name="Northwind", api_url="https://north.api-us1.com"
    )
    old.get_model("audit", "AuditEntry").objects.create(
        account=account, object_type="contact", object_id="7", action="delete"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    entry = AuditEntry.objects.get()
    assert (entry.account_name, entry.account_slug) == ("Northwind", "north")
    ConnectedAccount.objects.all().delete()
    assert AuditEntry.objects.get().account_id is None
