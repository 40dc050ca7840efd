"""The jobs of one account, and of every account the user may see: newest first, kept after
they finish. No API calls."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from acdash.accounts.access import accessible_accounts, account_view
from acdash.accounts.models import ConnectedAccount

from .models import Job

PER_PAGE = 50


def _page(request: HttpRequest, jobs) -> object:
    paginator = Paginator(jobs.select_related("account", "created_by"), PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


@account_view
@require_safe
def account_jobs(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    page = _page(request, Job.objects.filter(account=account))
    context = {"account": account, "section": "jobs", "page": page, "all_accounts": False}
    return render(request, "jobs/list.html", context)


@require_safe
@login_required
def all_jobs(request: HttpRequest) -> HttpResponse:
    page = _page(request, Job.objects.filter(account__in=accessible_accounts(request.user)))
    return render(request, "jobs/list.html", {"page": page, "all_accounts": True})
