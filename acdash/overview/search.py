"""The cross-account contact search of the top bar."""

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from acdash.accounts.access import accessible_accounts
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, contacts
from acdash.activecampaign.concurrency import gather
from acdash.activecampaign.errors import DeadlineExceeded

RESULTS_PER_ACCOUNT = 10
# Accounts searched at once: each has its own 5 req/s budget, so the bound is this
# server's threads and connections. With the request's one deadline, 200 accounts answer
# (or are named as late) within it.
PARALLEL_ACCOUNTS = 32
MAX_QUERY = 200
UNMATCHED_NAMED = 5  # more accounts without a match than this are counted, not listed


@dataclass
class AccountResults:
    account: ConnectedAccount
    found: contacts.ContactPage | None = None
    error: str | None = None
    late: bool = False  # the search's deadline passed before the account answered

    @property
    def contacts(self) -> list[contacts.Contact]:
        return self.found.items if self.found else []

    @property
    def more(self) -> bool:
        """More matches than shown: the group links to the account's own contact list."""
        return bool(self.found) and (self.found.has_more or self.found.capped)


def _search_one(account: ConnectedAccount, query: str) -> AccountResults:
    try:
        client = client_for_account(account)
        found = contacts.search_contacts(client, query, limit=RESULTS_PER_ACCOUNT)
    except DeadlineExceeded:
        return AccountResults(account, late=True)
    except ApiError as exc:
        return AccountResults(account, error=exc.message)
    return AccountResults(account, found=found)


@login_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Find a person by email or name (several words: each must match) in every accessible
    account at once, PARALLEL_ACCOUNTS at a time, all within the request's one API deadline:
    per account one call, up to contacts.SEARCH_PAGES for several words. Accounts with
    matches come first, one group each; those that failed or did not answer in time, and
    those without a match, are each summed up in one line."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results: list[AccountResults] = []
    if query:
        accounts = list(accessible_accounts(request.user))
        calls = (partial(_search_one, account, query) for account in accounts)
        results = gather(*calls, workers=PARALLEL_ACCOUNTS)
    unmatched = [r.account for r in results if r.found is not None and not r.contacts]
    context = {
        "query": query,
        "global_query": query,
        "searched": len(results),
        "matched": [r for r in results if r.contacts],
        "failed": [r for r in results if r.error],
        "late": [r.account for r in results if r.late],
        "unmatched": unmatched,
        "unmatched_named": unmatched if len(unmatched) <= UNMATCHED_NAMED else [],
        "found": sum(r.found.total for r in results if r.found),
    }
    return render(request, "overview/search.html", context)
