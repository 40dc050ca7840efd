"""Creating and deleting contacts over HTTP against a seeded sandbox account: messages by the
field that caused them, nothing written on bad input, confirmations, audit, roles."""

import pytest
from django.contrib.messages import get_messages

from acdash.accounts.models import Membership
from acdash.activecampaign import count_api_calls
from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxAccount
from tests.contacts import SIZE, sandbox_records

NEW = "/a/acme/contacts/new/"


@pytest.fixture
def as_role(acme, client, django_user_model):
    """A client logged in as a member of the account with the given role."""

    def login(role: str):
        user = django_user_model.objects.create_user(f"{role}-user", password="pw")
        Membership.objects.create(user=user, account=acme, role=role)
        client.force_login(user)
        return client

    return login


def _emails() -> set[str]:
    return {r.data["email"] for r in sandbox_records("contact")}


def _field_block(html: str, name: str) -> str:
    """The markup of one form field: its label, input and the messages by it."""
    start = html.index(f'<div class="field" id="field-{name}">')
    end = html.find('<div class="field"', start + 1)
    return html[start : end if end != -1 else html.index("</form>", start)]


def _toasts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Create ---------------------------------------------------------------------------------


def test_the_create_form_labels_every_field(acme, admin_client):
    html = admin_client.get(NEW).content.decode()
    for name, label in (
        ("email", "Email"),
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("phone", "Phone"),
    ):
        assert f'<label for="id_{name}">{label}' in _field_block(html, name)


def test_an_editor_creates_a_contact_audited_with_a_toast_and_lands_on_its_page(acme, as_role):
    client = as_role("editor")
    data = {"email": "new.person@example.com", "first_name": "New", "last_name": "Person"}
    response = client.post(NEW, {**data, "phone": "+1 555 0100"})
    created = next(r for r in sandbox_records("contact") if r.data["email"] == data["email"])
    assert response.status_code == 302
    assert response["Location"] == f"/a/acme/contacts/{created.rid}/"
    assert (created.data["firstName"], created.data["phone"]) == ("New", "+1 555 0100")
    entry = AuditEntry.objects.get(action="create")
    assert (entry.user.username, entry.account, entry.object_type) == (
        "editor-user",
        acme,
        "contact",
    )
    assert entry.object_id == str(created.rid) and entry.before is None
    assert entry.after["email"] == data["email"] and entry.after["last_name"] == "Person"
    assert _toasts(response) == ["Contact new.person@example.com created."]


def test_an_invalid_email_is_refused_by_its_field_and_nothing_is_created(acme, admin_client):
    with count_api_calls() as calls:
        response = admin_client.post(NEW, {"email": "not-an-email", "first_name": "Ann"})
    html = response.content.decode()
    assert response.status_code == 200 and calls.count == 0
    assert "Enter a valid email address." in _field_block(html, "email")
    assert 'value="Ann"' in _field_block(html, "first_name")  # what was typed is kept
    assert len(_emails()) == SIZE and not AuditEntry.objects.exists()


def test_an_email_the_api_refuses_gets_the_apis_message_by_the_field(acme, admin_client):
    # Django accepts "localhost" addresses; the API answers 422 on the email attribute.
    response = admin_client.post(NEW, {"email": "someone@localhost"})
    assert response.status_code == 200
    assert "Contact Email Address is not valid." in _field_block(response.content.decode(), "email")
    assert len(_emails()) == SIZE and not AuditEntry.objects.exists()


def test_a_duplicate_email_links_to_the_contact_that_has_it(acme, admin_client):
    existing = sandbox_records("contact")[4]
    response = admin_client.post(NEW, {"email": existing.data["email"].upper(), "first_name": "X"})
    email_block = _field_block(response.content.decode(), "email")
    assert response.status_code == 200
    assert "A contact with this email already exists." in email_block
    assert f'href="/a/acme/contacts/{existing.rid}/"' in email_block
    assert existing.data["email"] in email_block
    assert len(_emails()) == SIZE and not AuditEntry.objects.exists()


def test_an_unavailable_api_is_a_message_not_a_server_error(acme, admin_client):
    SandboxAccount.objects.filter(slug="acme").update(fail_next_count=1, fail_next_status=500)
    response = admin_client.post(NEW, {"email": "later@example.com"})
    assert response.status_code == 200
    assert "ActiveCampaign did not confirm the new contact" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_viewers_may_not_create(acme, as_role):
    client = as_role("viewer")
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"email": "sneaky@example.com"}).status_code == 403
    assert "sneaky@example.com" not in _emails()


# Delete ---------------------------------------------------------------------------------


def _a_contact():
    return next(r for r in sandbox_records("contact") if r.data["firstName"])


def test_the_confirmation_names_the_contact_and_says_it_cannot_be_undone(acme, admin_client):
    person = _a_contact()
    html = admin_client.get(f"/a/acme/contacts/{person.rid}/delete/").content.decode()
    name = f"{person.data['firstName']} {person.data['lastName']}"
    assert f"Delete <strong>{name}</strong> (<strong>{person.data['email']}</strong>)" in html
    assert "This cannot be undone." in html
    assert '<button class="btn btn-danger" type="submit">' in html
    assert len(_emails()) == SIZE  # asking deletes nothing


def test_posting_the_confirmation_deletes_audits_and_returns_to_the_list(acme, as_role):
    client = as_role("editor")
    person = _a_contact()
    response = client.post(f"/a/acme/contacts/{person.rid}/delete/", follow=True)
    assert response.redirect_chain == [("/a/acme/contacts/", 302)]
    assert person.data["email"] not in _emails()
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.user.username, entry.object_type, entry.object_id) == (
        "editor-user",
        "contact",
        str(person.rid),
    )
    assert entry.before["email"] == person.data["email"] and entry.after is None
    toast = (
        f"Deleted {person.data['firstName']} {person.data['lastName']} ({person.data['email']})."
    )
    assert toast in response.content.decode()  # shown on the list


def test_viewers_may_not_delete(acme, as_role):
    client = as_role("viewer")
    person = _a_contact()
    assert client.get(f"/a/acme/contacts/{person.rid}/delete/").status_code == 403
    assert client.post(f"/a/acme/contacts/{person.rid}/delete/").status_code == 403
    assert person.data["email"] in _emails() and not AuditEntry.objects.exists()


def test_deleting_a_contact_that_is_gone_says_so(acme, admin_client):
    response = admin_client.post("/a/acme/contacts/99999/delete/")
    assert response.status_code == 302 and response["Location"] == "/a/acme/contacts/"
    assert _toasts(response) == ["Contact 99999 does not exist (any more)."]
    assert len(_emails()) == SIZE and not AuditEntry.objects.exists()
