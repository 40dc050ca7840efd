"""Fixtures of the deals list and deal page tests (imported by their modules, so that the
pipelines tests in this package keep their own): a seeded sandbox account connected in
acdash, its API as another client, and the service client."""

from collections.abc import Iterator

import pytest

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount, Membership
from acdash.activecampaign import Client
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxAccount, SandboxRecord
from tests.conftest import SandboxClient
from tests.contacts import SLUG, connect_seeded_account

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def acme(live_server, transactional_db) -> Iterator[ConnectedAccount]:
    """A seeded sandbox account (120 contacts, 200 deals, every deal field type)."""
    faults.reset()
    yield connect_seeded_account(live_server.url)
    faults.reset()


@pytest.fixture
def api(acme, live_server) -> SandboxClient:
    """The sandbox account's API, as another client would use it."""
    return SandboxClient(live_server.url, SandboxAccount.objects.get(slug=SLUG))


@pytest.fixture
def ac(acme) -> Client:
    return client_for_account(acme)


@pytest.fixture
def viewer_client(acme, client, django_user_model):
    viewer = django_user_model.objects.create_user("vic", password="pw")
    Membership.objects.create(user=viewer, account=acme, role="viewer")
    client.force_login(viewer)
    return client


def deal_records() -> list[SandboxRecord]:
    return list(SandboxRecord.objects.filter(account__slug=SLUG, kind="deal").order_by("rid"))


def deal_record(deal_id: int) -> SandboxRecord | None:
    return SandboxRecord.objects.filter(account__slug=SLUG, kind="deal", rid=deal_id).first()


def deal_field_ids(ac: Client) -> dict[str, int]:
    """Deal custom field ids by type (the first field of each)."""
    from acdash.activecampaign.customfields import list_custom_fields

    found: dict[str, int] = {}
    for field in list_custom_fields(ac, "deal"):
        found.setdefault(field.type, field.id)
    return found


def held_values(ac: Client, deal_id: int) -> dict[int, object]:
    """What the API holds for the deal's custom fields, by field id (read fresh)."""
    from acdash.activecampaign.dealfieldvalues import deal_field_values

    return {v.field_id: v for v in deal_field_values(ac, deal_id)}
