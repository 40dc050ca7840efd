"""Who may use an account: its members and their roles (only the account's admins change them).

No API calls: memberships live in acdash.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import account_view
from .forms import MembershipForm, RoleForm
from .models import ConnectedAccount, Membership, Role

MAX_SUGGESTIONS = 500  # a datalist beyond this is no help; the server validates any name
SELF_LOCKOUT = "You cannot change your own role or remove yourself: ask another admin."


def _require_admin(request: HttpRequest) -> None:
    if not request.access.can_admin:
        raise PermissionDenied("Only the account's admins manage its members.")


def _is_self(request: HttpRequest, membership: Membership) -> bool:
    """An admin's own row: changing it could lock them out (superusers are admins anyway)."""
    return membership.user_id == request.user.pk and not request.user.is_superuser


def _candidates(account: ConnectedAccount) -> list[str]:
    """User names the type-ahead suggests: active users who are not members yet."""
    users = get_user_model().objects.filter(is_active=True).exclude(memberships__account=account)
    return list(users.order_by("username").values_list("username", flat=True)[:MAX_SUGGESTIONS])


@account_view
def members(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The members with their roles; admins add members and change roles here."""
    if request.method == "POST":
        _require_admin(request)
    form = MembershipForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, f"{membership.user} is now {membership.role} of {account.name}.")
        return redirect("accounts:members", account.slug)
    context = {
        "account": account,
        "section": "members",
        "memberships": account.memberships.select_related("user"),
        "roles": Role.choices,
        "can_admin": request.access.can_admin,
        "form": form,
        "candidates": _candidates(account) if request.access.can_admin else [],
    }
    return render(request, "accounts/members.html", context, status=400 if form.errors else 200)


@account_view
@require_POST
def change_role(request: HttpRequest, account: ConnectedAccount, member: int) -> HttpResponse:
    """Set one member's role from the row's select; the message names the change."""
    _require_admin(request)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=member, account=account
    )
    form = RoleForm(request.POST)
    if _is_self(request, membership):
        messages.error(request, SELF_LOCKOUT)
    elif not form.is_valid():
        messages.error(request, f"Choose viewer, editor or admin for {membership.user}.")
    elif form.cleaned_data["role"] == membership.role:
        messages.info(request, f"{membership.user} already is {membership.role}; nothing changed.")
    else:
        before, membership.role = membership.role, form.cleaned_data["role"]
        membership.save(update_fields=["role"])
        messages.success(
            request, f"{membership.user} is now {membership.role} of {account.name} (was {before})."
        )
    return redirect("accounts:members", account.slug)


@account_view
@require_POST
def remove_member(request: HttpRequest, account: ConnectedAccount, member: int) -> HttpResponse:
    _require_admin(request)
    membership = get_object_or_404(Membership, pk=member, account=account)
    if _is_self(request, membership):
        messages.error(request, SELF_LOCKOUT)
        return redirect("accounts:members", account.slug)
    membership.delete()
    messages.success(request, f"{membership.user} no longer has access to {account.name}.")
    return redirect("accounts:members", account.slug)
