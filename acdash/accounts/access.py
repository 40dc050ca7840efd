"""The one place that decides who may see or change an account.

Every view under /a/<account>/ is wrapped in ``account_view``: a non-member gets
404 (the account's existence is not revealed), a viewer gets 403 on any write.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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


def accessible_accounts(user) -> QuerySet[ConnectedAccount]:
    if user.is_superuser:
        return ConnectedAccount.objects.all()
    return ConnectedAccount.objects.filter(memberships__user=user)


def get_access(user, slug: str) -> AccountAccess:
    """The account and the user's role in it, or 404 for a non-member: one query. get(),
    not first(): both are unique, and first() would sort by the models' default orderings
    (a membership's joins the user's table), on every account page."""
    try:
        if user.is_superuser:
            return AccountAccess(ConnectedAccount.objects.get(slug=slug), Role.ADMIN)
        membership = Membership.objects.select_related("account").get(user=user, account__slug=slug)
    except (ConnectedAccount.DoesNotExist, Membership.DoesNotExist):
        raise Http404("No such account") from None
    return AccountAccess(membership.account, membership.role)


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
