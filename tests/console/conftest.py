"""A seeded sandbox account connected in acdash, and clients of its members in each role."""

import pytest
from django.core.cache import cache
from django.test import Client

from acdash.accounts.models import Membership
from acdash.sandbox import faults
from tests.contacts import connect_seeded_account


@pytest.fixture
def acme(live_server, transactional_db):
    cache.clear()
    faults.reset()
    yield connect_seeded_account(live_server.url)
    faults.reset()


@pytest.fixture
def as_role(acme, django_user_model):
    """A new client logged in as a member of Acme with the given role."""

    def login(role: str) -> Client:
        user = django_user_model.objects.create_user(f"{role}-user", password="pw")
        Membership.objects.create(user=user, account=acme, role=role)
        client = Client()
        client.force_login(user)
        return client

    return login
