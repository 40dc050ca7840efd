"""Fixtures of the pipelines page and deal board tests: the seeded sandbox account
("acme": pipelines of 6, 4 and 5 stages with deals) connected in acdash, and clients logged
in with a role in it."""

import pytest

from acdash.accounts.models import Membership
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxRecord
from tests.contacts import SLUG, connect_seeded_account


@pytest.fixture
def deal_account(live_server, transactional_db):
    faults.reset()
    yield connect_seeded_account(live_server.url)
    faults.reset()


@pytest.fixture
def deal_role(deal_account, client, django_user_model):
    """A client logged in as a member of the account with the given role."""

    def login(role: str):
        user = django_user_model.objects.create_user(f"{role}-user", password="pw")
        Membership.objects.create(user=user, account=deal_account, role=role)
        client.force_login(user)
        return client

    return login


def records(kind: str, **data: str) -> list[SandboxRecord]:
    """The sandbox's own rows of a kind, optionally with the given data values."""
    found = SandboxRecord.objects.filter(account__slug=SLUG, kind=kind)
    if data:
        found = found.filter(**{f"data__{k}": v for k, v in data.items()})
    return list(found.order_by("rid"))


def pipeline(title: str) -> SandboxRecord:
    return next(p for p in records("dealGroup") if p.data["title"] == title)


def stages(group: SandboxRecord) -> list[SandboxRecord]:
    found = SandboxRecord.objects.filter(account__slug=SLUG, kind="dealStage", parent=group.rid)
    return sorted(found, key=lambda s: (int(s.data["order"]), s.rid))
