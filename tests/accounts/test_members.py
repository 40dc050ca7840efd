"""Account admins manage who may see or change their account; everyone else reads the list."""

import re

from acdash.accounts.models import ConnectedAccount, Membership


def members_url(account) -> str:
    return f"/a/{account.slug}/members/"


def test_account_admin_adds_changes_and_removes_members(connected, make_user, client):
    admin = make_user("ada", connected, "admin")
    sam = make_user("sam")
    client.force_login(admin)
    response = client.post(
        members_url(connected), {"username": "sam", "role": "editor"}, follow=True
    )
    assert "sam is now editor of Acme" in response.content.decode()
    membership = Membership.objects.get(user=sam)
    response = client.post(
        f"{members_url(connected)}{membership.pk}/role/", {"role": "viewer"}, follow=True
    )
    assert "sam is now viewer of Acme (was editor)." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "viewer"
    client.post(f"{members_url(connected)}{membership.pk}/remove/")
    assert not Membership.objects.filter(user=sam).exists()


def test_the_type_ahead_suggests_existing_users_who_are_not_members(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    make_user("sam")
    make_user("zoe", connected, "viewer")
    page = client.get(members_url(connected)).content.decode()
    datalist = re.search(r'<datalist id="member-candidates">(.*?)</datalist>', page, re.S)
    assert re.findall(r'<option value="([^"]+)">', datalist.group(1)) == ["sam"]
    assert 'list="member-candidates"' in page  # the user field offers them as you type


def test_each_row_changes_its_role_in_place(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    zoe = Membership.objects.get(user=make_user("zoe", connected, "viewer"))
    page = client.get(members_url(connected)).content.decode()
    assert f'action="{members_url(connected)}{zoe.pk}/role/"' in page
    assert '<label class="visually-hidden" for="role-' in page  # each select has a label
    response = client.post(
        f"{members_url(connected)}{zoe.pk}/role/", {"role": "admin"}, follow=True
    )
    assert "zoe is now admin of Acme (was viewer)." in response.content.decode()
    response = client.post(
        f"{members_url(connected)}{zoe.pk}/role/", {"role": "admin"}, follow=True
    )
    assert "zoe already is admin; nothing changed." in response.content.decode()


def test_an_unknown_role_is_refused_and_changes_nothing(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    zoe = Membership.objects.get(user=make_user("zoe", connected, "viewer"))
    for role in ("owner", "", "admin\x00"):
        response = client.post(
            f"{members_url(connected)}{zoe.pk}/role/", {"role": role}, follow=True
        )
        assert "Choose viewer, editor or admin for zoe." in response.content.decode()
    zoe.refresh_from_db()
    assert zoe.role == "viewer"


def test_unknown_user_gets_a_clear_message(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    response = client.post(members_url(connected), {"username": "nobody", "role": "viewer"})
    assert response.status_code == 400
    assert "No staff user named nobody." in response.content.decode()
    assert Membership.objects.count() == 1


def test_adding_someone_who_is_already_a_member_points_to_their_row(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    make_user("zoe", connected, "viewer")
    response = client.post(members_url(connected), {"username": "zoe", "role": "admin"})
    assert "zoe is already viewer of Acme; change the role in the list above." in (
        response.content.decode()
    )
    assert Membership.objects.get(user__username="zoe").role == "viewer"


def test_editors_see_a_read_only_list_and_cannot_change_it(connected, make_user, client):
    sam = Membership.objects.get(user=make_user("sam", connected, "viewer"))
    client.force_login(make_user("eve", connected, "editor"))
    page = client.get(members_url(connected)).content.decode()
    assert "Only the account's admins" in page
    assert "sam" in page and "Viewer" in page
    assert "<select" not in page and "member-candidates" not in page
    assert (
        client.post(members_url(connected), {"username": "sam", "role": "admin"}).status_code == 403
    )
    response = client.post(f"{members_url(connected)}{sam.pk}/role/", {"role": "admin"})
    assert response.status_code == 403
    assert client.post(f"{members_url(connected)}{sam.pk}/remove/").status_code == 403
    sam.refresh_from_db()
    assert sam.role == "viewer"


def test_a_member_of_another_account_cannot_be_changed_from_this_one(connected, make_user, client):
    other = ConnectedAccount(slug="other", name="Other", api_url="https://other.api-us1.com")
    other.set_token("token-of-other")
    other.save()
    elsewhere = Membership.objects.get(user=make_user("zoe", other, "viewer"))
    client.force_login(make_user("ada", connected, "admin"))
    response = client.post(f"{members_url(connected)}{elsewhere.pk}/role/", {"role": "admin"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == "viewer"


def test_a_member_id_that_does_not_exist_is_404(connected, make_user, client):
    client.force_login(make_user("ada", connected, "admin"))
    for member in ("9999", "9" * 30):
        for action in ("role", "remove"):
            url = f"{members_url(connected)}{member}/{action}/"
            assert client.post(url, {"role": "admin"}).status_code == 404, url


def test_an_admin_cannot_lock_themselves_out(connected, make_user, client):
    ada = Membership.objects.get(user=make_user("ada", connected, "admin"))
    client.force_login(ada.user)
    page = client.get(members_url(connected)).content.decode()
    assert 'ada <span class="muted">(you)</span>' in page
    assert f'id="role-{ada.pk}"' not in page  # their own row is read-only
    for url, data in ((f"{ada.pk}/role/", {"role": "viewer"}), (f"{ada.pk}/remove/", {})):
        response = client.post(members_url(connected) + url, data, follow=True)
        assert "You cannot change your own role or remove yourself" in response.content.decode()
    ada.refresh_from_db()
    assert ada.role == "admin"
