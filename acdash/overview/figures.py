"""Each account's overview figures: fetched from the API (three calls, in parallel), kept
in ``AccountFigures`` so the overview renders, sorts and filters from the database."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError
from django.utils import timezone

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, contacts, deals, tasks
from acdash.activecampaign.concurrency import gather

from .models import AccountFigures

# Figures younger than this are shown as they are; older ones are fetched again when their
# row is shown. An account that failed this recently waits for its Retry instead.
FRESH_FOR = timedelta(minutes=5)
FIELDS = [
    "contacts", "open_deals", "open_value_cents", "open_values", "overdue_tasks", "fetched_at"
]  # fmt: skip
BATCH_SIZE = 10  # rows loaded by one request: 30 calls, every account on its own budget


@dataclass(frozen=True)
class Fetched:
    """One account's fetch: its new figures, or the API's error."""

    account: ConnectedAccount
    figures: AccountFigures | None = None
    error: str | None = None


def stale(account: ConnectedAccount, now: datetime) -> bool:
    """Figures missing, or older than the freshness window."""
    figures = getattr(account, "figures", None)
    return figures is None or figures.fetched_at <= now - FRESH_FOR


def needs_fetch(account: ConnectedAccount, now: datetime) -> bool:
    """Stale figures, unless the account failed within the window: its row then shows the
    error with a Retry, rather than every page view calling a broken account again."""
    failing = account.last_error_at and not account.healthy
    return stale(account, now) and not (failing and account.last_error_at > now - FRESH_FOR)


def _fetch(account: ConnectedAccount) -> Fetched:
    """Three calls at once on the account's own budget; an ApiError is the outcome, not raised."""
    try:
        client = client_for_account(account)
        now = timezone.now()
        counted, summary, overdue = gather(
            lambda: contacts.count_contacts(client),
            lambda: deals.open_deals_summary(client),
            lambda: tasks.overdue_task_count(client, now),
        )
    except ApiError as exc:
        return Fetched(account, error=exc.message)
    figures = AccountFigures(
        account=account,
        contacts=counted,
        open_deals=summary.count,
        open_value_cents=summary.by_currency[0].value_cents if summary.by_currency else 0,
        open_values=[asdict(total) for total in summary.by_currency],
        overdue_tasks=overdue,
        fetched_at=now,
    )
    return Fetched(account, figures=figures)


def refresh(accounts: list[ConnectedAccount]) -> list[ConnectedAccount]:
    """Fetch the accounts' figures (independent accounts in parallel, within the request's
    one deadline), store them and each account's success or error; the accounts as now
    stored, with ``figures`` set (still the previous figures after an error)."""
    outcomes = gather(*(partial(_fetch, account) for account in accounts), workers=BATCH_SIZE)
    # Written here, on the request's thread and connection, not by the pool's threads, in
    # as few statements as a batch allows: each holds SQLite's one write lock.
    for outcome in outcomes:
        if outcome.error is not None:
            outcome.account.record_error(outcome.error)
    fetched = [outcome.figures for outcome in outcomes if outcome.figures is not None]
    try:
        _upsert(fetched)
    except IntegrityError:  # an account disconnected meanwhile: the others one by one
        for figures in fetched:
            try:
                _upsert([figures])
            except IntegrityError:
                continue
    ids = [figures.account_id for figures in fetched]
    ConnectedAccount.objects.filter(pk__in=ids).update(last_success_at=timezone.now())
    return _reloaded(accounts)


def _upsert(fetched: list[AccountFigures]) -> None:
    """Insert or update the accounts' figures in one statement."""
    if fetched:
        AccountFigures.objects.bulk_create(
            fetched, update_conflicts=True, unique_fields=["account"], update_fields=FIELDS
        )


def _reloaded(accounts: list[ConnectedAccount]) -> list[ConnectedAccount]:
    """The accounts again with their figures, in the same order (one query)."""
    found = ConnectedAccount.objects.select_related("figures").in_bulk([a.pk for a in accounts])
    return [found[a.pk] for a in accounts if a.pk in found]
