"""A seeded sandbox account connected in acdash, and clients of staff in each role."""

import pytest
from django.core.cache import cache

from acdash.accounts.models import Membership
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxRecord
from tests.tasks.conftest import connect

SLUG = "acme"


def records(kind: str, slug: str = SLUG) -> list[SandboxRecord]:
    """The sandbox's own rows: the oracle the pages are checked against."""
    return list(SandboxRecord.objects.filter(account__slug=slug, kind=kind).order_by("rid"))


def record(kind: str, **data) -> SandboxRecord:
    """The one record of ``kind`` whose data has these values."""
    found = [r for r in records(kind) if all(r.data.get(k) == v for k, v in data.items())]
    assert len(found) == 1, f"{len(found)} {kind} records with {data}"
    return found[0]


@pytest.fixture
def acme(live_server, transactional_db):
    cache.clear()
    faults.reset()
    yield connect(live_server.url, SLUG, "Acme", size=40)
    faults.reset()


@pytest.fixture
def as_role(acme, client, django_user_model):
    """A client logged in as a member of Acme with the given role."""

    def login(role: str):
        user = django_user_model.objects.create_user(f"{role}-user", password="pw")
        Membership.objects.create(user=user, account=acme, role=role)
        client.force_login(user)
        return client

    return login
