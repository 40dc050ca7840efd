"""Contact notes, and the account's users."""

import pytest

from acdash.activecampaign import AuthError, Client, NotFound, ValidationError, assert_api_calls
from acdash.activecampaign.notes import add_note, contact_notes, delete_note, update_note
from acdash.activecampaign.users import list_users, me, users_by_id

from . import new_contact

# Notes ------------------------------------------------------------------------------------


def test_add_list_update_and_delete_notes(sandbox, client):
    contact_id = new_contact(sandbox, "noted@example.com")
    other_id = new_contact(sandbox, "other@example.com")
    with assert_api_calls(max=1):
        first = add_note(client, contact_id, "Called, no answer.")
    assert (first.contact_id, first.text) == (contact_id, "Called, no answer.")
    assert first.created is not None and first.user_id == me(client).id
    second = add_note(client, contact_id, "Called back: wants a demo.")
    add_note(client, other_id, "Someone else's note.")

    with assert_api_calls(max=1):
        notes = contact_notes(client, contact_id)
    assert [n.id for n in notes] == [second.id, first.id]  # newest first
    assert notes[1] == first

    with assert_api_calls(max=1):
        changed = update_note(client, first.id, "Called twice.", contact_id=contact_id)
    assert (changed.id, changed.text, changed.contact_id) == (first.id, "Called twice.", contact_id)
    assert changed.updated is not None and changed.updated >= first.updated

    delete_note(client, second.id)
    assert [n.text for n in contact_notes(client, contact_id)] == ["Called twice."]
    with pytest.raises(NotFound):
        delete_note(client, second.id)


def test_note_errors(sandbox, client):
    contact_id = new_contact(sandbox, "noted@example.com")
    with pytest.raises(ValidationError) as caught:
        add_note(client, contact_id, "  ")
    assert list(caught.value.field_errors) == ["note"]
    with pytest.raises(NotFound):
        add_note(client, 404, "Nobody to note.")
    with pytest.raises(NotFound):
        contact_notes(client, 404)


# Users ------------------------------------------------------------------------------------


def test_list_users_is_cached_and_by_name(sandbox, client):
    group = sandbox.ok("GET", "/groups")["groups"][0]["id"]
    user = {"username": "zoe", "firstName": "Zoe", "lastName": "Adams", "email": "zoe@example.com"}
    sandbox.ok("POST", "/users", {"user": {**user, "password": "secret-1", "group": group}})
    with assert_api_calls(max=1):
        users = list_users(client)
    assert [u.name for u in users] == ["Admin", "Zoe Adams"]
    zoe = users[1]
    assert (zoe.username, zoe.email, zoe.first_name, zoe.last_name) == (
        "zoe",
        "zoe@example.com",
        "Zoe",
        "Adams",
    )
    with assert_api_calls(max=0):
        assert users_by_id(client)[zoe.id] == zoe


def test_me_is_the_tokens_user(sandbox, client):
    with assert_api_calls(max=1):
        user = me(client)
    assert user.username == "admin" and user.name == "Admin"
    assert user in list_users(client)
    with pytest.raises(AuthError):
        me(Client(sandbox.api_url, "not-the-token", limiter=client.limiter))
