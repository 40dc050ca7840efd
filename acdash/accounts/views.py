from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import account_view
from .forms import ConnectAccountForm, MembershipForm
from .models import ConnectedAccount, Membership
from .verification import verify_credentials

superuser_required = user_passes_test(lambda user: user.is_superuser)


@superuser_required
def manage(request: HttpRequest) -> HttpResponse:
    accounts = ConnectedAccount.objects.prefetch_related("memberships__user")
    return render(request, "accounts/manage.html", {"accounts": accounts})


@superuser_required
def connect(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    instance = get_object_or_404(ConnectedAccount, slug=slug) if slug else None
    form = ConnectAccountForm(request.POST or None, instance=instance, verify=verify_credentials)
    if request.method == "POST" and form.is_valid():
        account = form.save()
        account.record_success()
        verb = "updated" if instance else "connected"
        messages.success(request, f"{account.name} {verb}: the API answered with this token.")
        return redirect("accounts:manage")
    return render(request, "accounts/connect.html", {"form": form, "instance": instance})


@superuser_required
@require_POST
def disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    account = get_object_or_404(ConnectedAccount, slug=slug)
    account.delete()
    messages.success(request, f"{account.name} disconnected; its token was deleted.")
    return redirect("accounts:manage")


@account_view
def home(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    return render(request, "accounts/home.html", {"account": account, "section": "home"})


@account_view
def members(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    if not request.access.can_admin:
        if request.method == "POST":
            raise PermissionDenied("Only the account's admins manage its members.")
        return render(request, "accounts/members.html", {"account": account, "readonly": True})
    form = MembershipForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, f"{membership.user} is now {membership.role} of {account.name}.")
        return redirect("accounts:members", account.slug)
    memberships = account.memberships.select_related("user")
    return render(
        request,
        "accounts/members.html",
        {"account": account, "form": form, "memberships": memberships, "section": "members"},
    )


@account_view
@require_POST
def remove_member(request: HttpRequest, account: ConnectedAccount, member: int) -> HttpResponse:
    if not request.access.can_admin:
        raise PermissionDenied("Only the account's admins manage its members.")
    membership = get_object_or_404(Membership, pk=member, account=account)
    membership.delete()
    messages.success(request, f"{membership.user} no longer has access to {account.name}.")
    return redirect("accounts:members", account.slug)
