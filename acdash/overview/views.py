"""The all-accounts overview and the cross-account contact search."""

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from acdash.accounts.access import accessible_accounts, account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, contacts, deals, tasks
from acdash.activecampaign.concurrency import gather

CARD_CACHE_SECONDS = 60
SEARCH_RESULTS_PER_ACCOUNT = 10


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    accounts = accessible_accounts(request.user)
    return render(request, "overview/overview.html", {"accounts": accounts})


@dataclass(frozen=True)
class CardFigures:
    contacts: int
    open_deals: deals.DealsSummary
    overdue_tasks: int


def _card_figures(account: ConnectedAccount) -> CardFigures:
    client = client_for_account(account)
    now = timezone.now()
    counted, summary, overdue = gather(
        lambda: contacts.count_contacts(client),
        lambda: deals.open_deals_summary(client),
        lambda: tasks.overdue_task_count(client, now),
    )
    return CardFigures(contacts=counted, open_deals=summary, overdue_tasks=overdue)


@account_view
def card(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """One account's card, loaded by its own htmx request so a slow account blocks nobody."""
    key = f"overview:card:{account.pk}"
    figures = cache.get(key)
    error = None
    if figures is None or request.GET.get("refresh"):
        try:
            figures = _card_figures(account)
        except ApiError as exc:
            account.record_error(exc.message)
            error = exc.message
        else:
            account.record_success()
            cache.set(key, figures, CARD_CACHE_SECONDS)
    account.refresh_from_db()
    return render(
        request,
        "overview/overview.html#card",
        {"account": account, "figures": figures, "error": error},
    )


@dataclass
class AccountResults:
    account: ConnectedAccount
    found: contacts.ContactPage | None = None
    error: str | None = None

    @property
    def contacts(self) -> list[contacts.Contact]:
        return self.found.items if self.found else []

    @property
    def more(self) -> bool:
        """More matches than shown: the group links to the account's own contact list."""
        return bool(self.found) and (self.found.has_more or self.found.capped)


def _search_one(account: ConnectedAccount, query: str) -> AccountResults:
    try:
        found = contacts.search_contacts(
            client_for_account(account), query, limit=SEARCH_RESULTS_PER_ACCOUNT
        )
    except ApiError as exc:
        return AccountResults(account, error=exc.message)
    return AccountResults(account, found=found)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find a person by email or name (several words: each must match) in every accessible
    account at once: per account one call, up to contacts.SEARCH_PAGES for several words."""
    query = request.GET.get("q", "").strip()
    results: list[AccountResults] = []
    if query:
        accounts = accessible_accounts(request.user)
        results = gather(*(partial(_search_one, account, query) for account in accounts))
    context = {
        "query": query,
        "global_query": query,
        "results": results,
        "found": sum(r.found.total for r in results if r.found),
    }
    return render(request, "overview/search.html", context)
