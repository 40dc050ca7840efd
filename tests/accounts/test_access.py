"""The one access check, case by case: who reaches an account view, with which role, and
what a read-only role may send. (test_authorization walks every real URL with it.)"""

from dataclasses import FrozenInstanceError

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from acdash.accounts.access import (
    AccountAccess,
    accessible_accounts,
    account_view,
    get_access,
    switcher_accounts,
)
from acdash.accounts.models import ConnectedAccount, Membership

WRITES = ["post", "put", "patch", "delete"]
READS = ["get", "head", "options"]


@account_view
def echo(request, account, *args, **kwargs):
    """Says who it let in."""
    access = request.access
    return HttpResponse(f"{account.slug} {access.role} {args} {kwargs}")


def make_account(slug: str) -> ConnectedAccount:
    account = ConnectedAccount(slug=slug, name=slug.title(), api_url=f"https://{slug}.api-us1.com")
    account.set_token("token-" + slug)
    account.save()
    return account


@pytest.fixture
def accounts(db) -> tuple[ConnectedAccount, ConnectedAccount]:
    return make_account("acme"), make_account("northwind")


def user(name: str, account: ConnectedAccount | None = None, role: str = "", **extra):
    created = get_user_model().objects.create_user(name, **extra)  # no password: no slow hashing
    if account is not None:
        Membership.objects.create(user=created, account=account, role=role)
    return created


def call(who, method: str = "get", slug: str = "acme", *args, **kwargs) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/a/x/")
    request.user = who
    return echo(request, slug, *args, **kwargs)


@pytest.mark.parametrize("method", READS + WRITES)
@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_may_read_and_write(accounts, role, method):
    member = user("m", accounts[0], role)
    response = call(member, method)
    assert response.status_code == 200
    if method != "head":
        assert response.content.decode().startswith(f"acme {role} ")


@pytest.mark.parametrize("method", READS)
def test_viewers_may_read(accounts, method):
    assert call(user("v", accounts[0], "viewer"), method).status_code == 200


@pytest.mark.parametrize("method", WRITES)
def test_viewers_may_not_write(accounts, method):
    with pytest.raises(PermissionDenied, match="read-only"):
        call(user("v", accounts[0], "viewer"), method)


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_a_membership_opens_only_its_own_account(accounts, role):
    member = user("m", accounts[1], role)
    for method in ("get", "post"):
        with pytest.raises(Http404):
            call(member, method, "acme")
    assert call(member, "get", "northwind").status_code == 200


def test_no_membership_and_no_account_are_the_same_404(accounts):
    stranger = user("s")
    with pytest.raises(Http404, match="No such account"):
        call(stranger)
    with pytest.raises(Http404, match="No such account"):
        call(stranger, slug="nowhere")


def test_superusers_are_admins_of_every_existing_account(accounts):
    boss = user("boss", is_superuser=True)
    assert get_access(boss, "northwind") == AccountAccess(accounts[1], "admin")
    assert call(boss, "post").status_code == 200
    with pytest.raises(Http404):
        call(boss, slug="nowhere")


def test_anonymous_visitors_are_sent_to_log_in(accounts):
    response = call(AnonymousUser())
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "can_edit", "can_admin"),
    [("viewer", False, False), ("editor", True, False), ("admin", True, True), ("", False, False)],
)
def test_roles_say_what_they_allow(role, can_edit, can_admin):
    access = AccountAccess(ConnectedAccount(slug="a"), role)
    assert (access.can_edit, access.can_admin) == (can_edit, can_admin)  # unknown: nothing


def test_a_view_cannot_raise_its_own_role():
    access = AccountAccess(ConnectedAccount(slug="a"), "viewer")
    with pytest.raises(FrozenInstanceError):
        access.role = "admin"


def test_the_view_gets_the_account_and_its_other_arguments(accounts):
    response = call(user("e", accounts[0], "editor"), "get", "acme", 7, contact_id=42)
    assert response.content.decode() == "acme editor (7,) {'contact_id': 42}"
    assert echo.__name__ == "echo" and echo.__doc__ == "Says who it let in."


def test_accessible_accounts_are_the_users_memberships_or_all_for_superusers(accounts):
    acme, northwind = accounts
    member = user("m", northwind, "viewer")
    assert list(accessible_accounts(member)) == [northwind]
    assert list(accessible_accounts(user("s"))) == []
    assert list(accessible_accounts(user("boss", is_superuser=True))) == [acme, northwind]


def test_the_switcher_lists_the_users_own_accounts_by_name(accounts):
    northwind = accounts[1]
    zeta = make_account("zeta")
    zeta.name = "Aardvark Ltd"
    zeta.save()
    member = user("m", northwind, "viewer")
    Membership.objects.create(user=member, account=zeta, role="editor")
    assert switcher_accounts(member) == [("zeta", "Aardvark Ltd"), ("northwind", "Northwind")]
    assert switcher_accounts(user("s")) == []
    everyone = [("zeta", "Aardvark Ltd"), ("acme", "Acme"), ("northwind", "Northwind")]
    assert switcher_accounts(user("boss", is_superuser=True)) == everyone
