"""The one place that decides who may see or change an account.

Every view under /a/<account>/ is wrapped in ``account_view``: a non-member gets
404 (the account's existence is not revealed), a viewer gets 403 on any write.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from .models import ConnectedAccount, Membership, Role

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class AccountAccess:
    account: ConnectedAccount
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role in {Role.EDITOR, Role.ADMIN}

    @property
    def can_admin(self) -> bool:
        return self.role == Role.ADMIN


def require_editor(request: HttpRequest) -> None:
    """Editor-only pages and forms. ``account_view`` already refuses a viewer's writes;
    this also refuses the GETs that open an editor (a form, a confirmation)."""
    if not request.access.can_edit:
        raise PermissionDenied("Your role in this account is read-only.")


def accessible_accounts(
    user, among: QuerySet[ConnectedAccount] | None = None
) -> QuerySet[ConnectedAccount]:
    """The accounts ``user`` may see (of ``among``, by default all), as a new queryset."""
    accounts = ConnectedAccount.objects if among is None else among
    return accounts.all() if user.is_superuser else accounts.filter(memberships__user=user)


# Every page asks these two; the ORM took 3 to 5 times as long to build and compile their
# SQL as the database to answer it (~0.5 ms of a page's CPU each), so they are written out
# once, from the models' own table and column names.
@cache
def _sql() -> dict[str, str]:
    a, m = ConnectedAccount._meta, Membership._meta
    col = {name: m.get_field(name).column for name in ("user", "account", "role")}
    joined = (
        f"FROM {a.db_table} a JOIN {m.db_table} m ON m.{col['account']} = a.{a.pk.column} "
        f"WHERE m.{col['user']} = %s"
    )
    fields = ", ".join(f"a.{f.column}" for f in a.concrete_fields)
    slug, name = a.get_field("slug").column, a.get_field("name").column
    return {
        "membership": f"SELECT {fields}, m.{col['role']} AS member_role {joined} AND a.{slug} = %s",
        "switcher": f"SELECT a.{slug}, a.{name} {joined} ORDER BY a.{name}, a.{a.pk.column}",
    }


def get_access(user, slug: str) -> AccountAccess:
    """The account and the user's role in it, or 404 for a non-member: one query."""
    if user.is_superuser:
        try:
            return AccountAccess(ConnectedAccount.objects.get(slug=slug), Role.ADMIN)
        except ConnectedAccount.DoesNotExist:
            raise Http404("No such account") from None
    found = list(ConnectedAccount.objects.raw(_sql()["membership"], [user.pk, slug]))
    if not found:  # at most one: a membership is unique per user and account
        raise Http404("No such account")
    return AccountAccess(found[0], found[0].member_role)


def switcher_accounts(user) -> list[tuple[str, str]]:
    """(slug, name) of every account the user can see, by name: the switcher's menu."""
    if user.is_superuser:
        return list(ConnectedAccount.objects.values_list("slug", "name"))
    with connection.cursor() as cursor:
        cursor.execute(_sql()["switcher"], [user.pk])
        return cursor.fetchall()


def accesses(user) -> list[AccountAccess]:
    """Every account the user can see with their role in it, by name: one query."""
    if user.is_superuser:
        return [AccountAccess(a, Role.ADMIN) for a in ConnectedAccount.objects.order_by("name")]
    memberships = Membership.objects.filter(user=user).select_related("account")
    return [AccountAccess(m.account, m.role) for m in memberships.order_by("account__name")]


def account_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the ``account`` slug into ``request.access``: 404 non-members, 403 viewer writes."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, account: str, *args, **kwargs) -> HttpResponse:
        access = get_access(request.user, account)
        if request.method not in SAFE_METHODS and not access.can_edit:
            raise PermissionDenied("Your role in this account is read-only.")
        request.access = access
        return view(request, access.account, *args, **kwargs)

    return wrapper
