"""Ids no contact has (unknown, or beyond any integer the database holds) are answered like
a missing contact, never a 500: its page and the delete confirmation are 404, and a delete
says the contact is gone and changes nothing."""

import pytest
from django.test import Client

from acdash.audit.models import AuditEntry

from . import HUGE, fingerprint
from .conftest import SLUG


@pytest.mark.parametrize("contact_id", ["777", HUGE])
def test_a_contact_id_nobody_has_is_404_and_deleting_it_changes_nothing(world, contact_id):
    client = Client()
    client.force_login(world.users["editor"])
    before = fingerprint(SLUG)
    assert client.get(f"/a/acme/contacts/{contact_id}/").status_code == 404
    assert client.get(f"/a/acme/contacts/{contact_id}/delete/").status_code == 404
    response = client.post(f"/a/acme/contacts/{contact_id}/delete/", follow=True)
    assert response.redirect_chain == [("/a/acme/contacts/", 302)]
    assert f"Contact {contact_id} does not exist (any more)." in response.content.decode()
    assert fingerprint(SLUG) == before and not AuditEntry.objects.exists()
