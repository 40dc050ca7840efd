"""Account admins manage who may see or change their account."""

from acdash.accounts.models import Membership


def test_account_admin_adds_changes_and_removes_members(connected, make_user, client):
    admin = make_user("ada", connected, "admin")
    sam = make_user("sam")
    client.force_login(admin)
    response = client.post(
        f"/a/{connected.slug}/members/", {"username": "sam", "role": "editor"}, follow=True
    )
    assert "sam is now editor of Acme" in response.content.decode()
    client.post(f"/a/{connected.slug}/members/", {"username": "sam", "role": "viewer"})
    membership = Membership.objects.get(user=sam)
    assert membership.role == "viewer"
    client.post(f"/a/{connected.slug}/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(user=sam).exists()


def test_unknown_user_gets_a_clear_message(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    response = client.post(f"/a/{connected.slug}/members/", {"username": "nobody"})
    assert "No staff user named nobody." in response.content.decode()
    assert Membership.objects.count() == 1


def test_editors_see_but_cannot_change_members(connected, make_user, client):
    make_user("sam", connected, "viewer")
    client.force_login(make_user("eve", connected, "editor"))
    page = client.get(f"/a/{connected.slug}/members/").content.decode()
    assert "Only the account's admins" in page
    response = client.post(f"/a/{connected.slug}/members/", {"username": "sam", "role": "admin"})
    assert response.status_code == 403
    assert Membership.objects.get(user__username="sam").role == "viewer"
