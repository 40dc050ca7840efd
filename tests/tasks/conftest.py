"""Seeded sandbox accounts connected in acdash, and clients of staff in each role."""

import pytest

from acdash.accounts.models import ConnectedAccount, Membership
from acdash.sandbox import faults, seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord


def connect(live_server_url: str, slug: str, name: str, size: int = 60, rng: int = 7):
    """Seed a sandbox account (a generous rate limit) and connect it in acdash."""
    seed.seed_account(slug, name, size, rng)
    SandboxAccount.objects.filter(slug=slug).update(rate_limit=1000)
    sandbox = SandboxAccount.objects.get(slug=slug)
    account = ConnectedAccount(slug=slug, name=name, api_url=f"{live_server_url}/sandbox/{slug}")
    account.set_token(sandbox.api_token)
    account.save()
    return account


def records(kind: str, slug: str = "acme") -> list[SandboxRecord]:
    """The sandbox's own rows: the oracle the pages are checked against."""
    return list(SandboxRecord.objects.filter(account__slug=slug, kind=kind).order_by("rid"))


def task_record(task_id: int, slug: str = "acme") -> SandboxRecord | None:
    return SandboxRecord.objects.filter(account__slug=slug, kind="dealTask", rid=task_id).first()


@pytest.fixture
def acme(live_server, transactional_db):
    faults.reset()
    yield connect(live_server.url, "acme", "Acme")
    faults.reset()


@pytest.fixture
def as_role(acme, client, django_user_model):
    """A client logged in as a member of Acme with the given role."""

    def login(role: str, email: str = ""):
        user = django_user_model.objects.create_user(f"{role}-user", email=email, password="pw")
        Membership.objects.create(user=user, account=acme, role=role)
        client.force_login(user)
        return client

    return login
