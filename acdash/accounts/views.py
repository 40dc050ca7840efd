"""Connected accounts: the list, the connect/edit form, disconnecting, an account's home."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from .access import account_view
from .forms import ConnectAccountForm
from .models import ConnectedAccount
from .verification import verify_credentials

superuser_required = user_passes_test(lambda user: user.is_superuser)


@superuser_required
def manage(request: HttpRequest) -> HttpResponse:
    accounts = ConnectedAccount.objects.prefetch_related("memberships__user")
    return render(request, "accounts/manage.html", {"accounts": accounts})


@superuser_required
@sensitive_post_parameters("api_token")
@sensitive_variables()  # error reports hide every local below this view (the token's path)
def connect(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Connect an account, or edit one; the token is verified live (1 API call) first."""
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
def disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: a confirmation that names the account and what changes; POST: disconnect it.

    The audit trail stays: its entries keep the account's name and slug.
    """
    account = get_object_or_404(ConnectedAccount, slug=slug)
    if request.method == "POST":
        account.delete()
        messages.success(
            request, f"{account.name} disconnected; its token was deleted, its audit trail kept."
        )
        return redirect("accounts:manage")
    context = {
        "account": account,
        "members": account.memberships.count(),
        "audit_entries": account.audit_entries.count(),
    }
    return render(request, "accounts/disconnect.html", context)


@account_view
def home(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    return render(request, "accounts/home.html", {"account": account, "section": "home"})
