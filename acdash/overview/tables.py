"""The overview's table of accounts: django-tables2 for the columns, headers and sort (in
SQL, over ``AccountFigures``), rows built in one pass of plain string building (as the
contact list does: a template per cell would cost ~1 ms a row at 200 rows)."""

from collections.abc import Iterable
from datetime import datetime, tzinfo
from functools import cache
from html import escape
from urllib.parse import urlencode

import django_tables2 as tables
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from acdash.accounts.models import ConnectedAccount

from .figures import BATCH_SIZE, needs_fetch
from .templatetags.money import money

FAILING = Q(last_error_at__isnull=False) & (
    Q(last_success_at__isnull=True) | Q(last_success_at__lte=F("last_error_at"))
)
UNCHECKED = Q(last_error_at__isnull=True, last_success_at__isnull=True)
EMPTY = "—"
PLACEHOLDER = "slug-placeholder"
# A batch loads when it comes into view (rows never looked at cost nothing). It inherits
# nothing from the results around it: their target, pushed URL and the filters' request
# sync (which would cancel the batches); "this": never twice at once.
BATCH_REQUEST = (
    'hx-trigger="revealed" hx-target="this" hx-swap="outerHTML" hx-push-url="false" '
    'hx-sync="this" hx-indicator="#loading" aria-busy="true"'
)
SPINNER = (
    '<span class="spinner" aria-hidden="true"></span><span class="visually-hidden">Loading</span>'
)


@cache
def with_sort_keys() -> QuerySet[ConnectedAccount]:
    """Every account with its figures (one query) and the values the table filters and
    sorts by: ``health`` is "error" (failing now), "unknown" (never checked) or "ok".
    Built once (resolving these expressions cost ~0.5 ms a page); filters clone it."""
    return ConnectedAccount.objects.select_related("figures").annotate(
        health=Case(
            When(FAILING, then=Value("error")), When(UNCHECKED, then=Value("unknown")),
            default=Value("ok"),
        ),
        health_rank=Case(When(FAILING, then=0), When(UNCHECKED, then=1), default=2),
        sort_name=Lower("name"),
    )  # fmt: skip


class SortColumn(tables.Column):
    """Sorted in SQL by ``key``; accounts without figures last either way, then by name."""

    def __init__(self, verbose_name: str, key: str) -> None:
        super().__init__(verbose_name=verbose_name, empty_values=())
        self.key = key

    def order(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        key = F(self.key)
        first = key.desc(nulls_last=True) if is_descending else key.asc(nulls_last=True)
        return queryset.order_by(first, "sort_name", "pk"), True


class AccountTable(tables.Table):
    name = SortColumn("Account", "sort_name")
    health = SortColumn("Health", "health_rank")
    contacts = SortColumn("Contacts", "figures__contacts")
    open_deals = SortColumn("Open deals", "figures__open_deals")
    open_value = SortColumn("Open value", "figures__open_value_cents")
    overdue_tasks = SortColumn("Overdue tasks", "figures__overdue_tasks")
    last_error = SortColumn("Last error", "last_error_at")
    actions = tables.Column(verbose_name="Figures", orderable=False, empty_values=())

    class Meta:
        order_by = ("name",)
        order_by_field = "sort"
        page_field = "page"

    def __init__(self, data: QuerySet, *, sort: str) -> None:
        super().__init__(data, order_by=sort.split(",")[:1])  # one sort at a time
        if not self.order_by:  # an unknown column: by name
            self.order_by = self._meta.order_by

    def html_batches(self, *, refresh: bool = False) -> SafeString:
        """The page's rows, BATCH_SIZE per ``<tbody>``; a batch with rows to fetch loads
        them in one request for its accounts (BATCH_REQUEST), so 200 rows never fire 200
        requests. ``refresh``: every batch fetches all its rows again."""
        rows = [row.record for row in self.page.object_list]
        labels = column_labels()
        return mark_safe(
            "".join(
                batch_html(rows[i : i + BATCH_SIZE], labels, refresh=refresh)
                for i in range(0, len(rows), BATCH_SIZE)
            )
        )


@cache
def column_labels() -> dict[str, str]:
    """Each cell's label (``data-label``), which the phone layout shows beside its value."""
    return {name: escape(str(c.verbose_name)) for name, c in AccountTable.base_columns.items()}


@cache
def _figures_url() -> str:
    return reverse("overview_figures")


@cache
def _url_pattern(name: str) -> str:
    return reverse(name, args=[PLACEHOLDER])


def url_of(name: str, slug: str) -> str:
    """An account URL without a ``reverse`` per row (the hottest loop of the page)."""
    return _url_pattern(name).replace(PLACEHOLDER, slug)


def batch_html(
    accounts: list[ConnectedAccount],
    labels: dict[str, str],
    *,
    refresh: bool = False,
) -> SafeString:
    """One ``<tbody>`` of rows; with ``hx-get`` to the batch's figures when some are to fetch."""
    now = timezone.now()
    loading = {a.pk for a in accounts if refresh or needs_fetch(a, now)}
    rows = "".join(row_html(a, labels, loading=a.pk in loading) for a in accounts)
    if not loading:
        return mark_safe(f"<tbody>{rows}</tbody>")  # every value is escaped (row_html)
    query = [("a", a.slug) for a in accounts] + ([("refresh", "1")] if refresh else [])
    url = escape(f"{_figures_url()}?{urlencode(query)}")
    return mark_safe(f'<tbody hx-get="{url}" {BATCH_REQUEST}>{rows}</tbody>')


def row_html(
    account: ConnectedAccount,
    labels: dict[str, str],
    *,
    loading: bool = False,
    failed: str | None = None,
    retry_url: str = "",
) -> SafeString:
    """One account's row (``id="card-<slug>"``, what its Refresh swaps), every value
    escaped. ``loading``: its figures are on their way; ``failed``: the fetch just made
    failed with this message (shown with a Retry of ``retry_url``)."""
    slug = account.slug
    name = escape(account.name)
    zone = timezone.get_current_timezone()
    figures = getattr(account, "figures", None)
    contacts_url = escape(url_of("contacts:list", slug))
    cells = {
        "name": f'<a href="{contacts_url}">{name}</a> '
        f'<span class="small muted">{escape(slug)}</span>',
        "health": _health(account, zone),
        **(_figures(figures, name, slug, contacts_url) if figures else _no_figures(loading)),
        "last_error": _last_error(account, zone),
        "actions": _actions(account, figures, zone, loading, failed, retry_url),
    }
    error = " error" if failed else ""
    html = [f'<tr id="card-{escape(slug)}" class="account-row{error}">']
    html += [
        f'<td class="col-{key}" data-label="{labels[key]}">{value or EMPTY}</td>'
        for key, value in cells.items()
    ]
    html.append("</tr>")
    return mark_safe("".join(html))  # every value is escaped above


def _figures(figures, name: str, slug: str, contacts_url: str) -> dict[str, str]:
    """Each figure links to what it counts (status 0: the deals list's "Open" filter)."""
    count = f"{figures.contacts:,}"
    deals = f"{figures.open_deals:,}"
    overdue = figures.overdue_tasks
    values = "<br>".join(
        f'<span class="nowrap">{escape(money(total["value_cents"], total["currency"]))}</span>'
        for total in figures.open_values
    )
    return {
        "contacts": f'<a href="{contacts_url}" aria-label="{count} contacts">{count}</a>',
        "open_deals": f'<a href="{escape(url_of("deals:list", slug))}?status=0" '
        f'aria-label="{deals} open deals in {name}">{deals}</a>',
        "open_value": values or "0",
        "overdue_tasks": (
            f'<a href="{escape(url_of("tasks:list", slug))}?due=overdue" '
            f'aria-label="{overdue:,} overdue deal tasks in {name}">'
            f'<span class="badge badge-error">{overdue:,}</span></a>'
            if overdue
            else "0"
        ),
    }


def _no_figures(loading: bool) -> dict[str, str]:
    shown = SPINNER
    return dict.fromkeys(
        ("contacts", "open_deals", "open_value", "overdue_tasks"), shown if loading else ""
    )


def _health(account: ConnectedAccount, zone: tzinfo) -> str:
    if account.last_error_at and not account.healthy:
        since = f"Failing since {_when(account.last_error_at, zone)}"
        return f'<span class="badge badge-error" title="{since}">Failing</span>'
    if account.last_success_at:
        when = _when(account.last_success_at, zone)
        return f'<span class="badge badge-ok" title="Last answered {when}">OK</span>'
    return '<span class="badge badge-muted">Not checked</span>'


def _last_error(account: ConnectedAccount, zone: tzinfo) -> str:
    if not account.last_error:
        return ""
    message = account.last_error
    short = message if len(message) <= 90 else f"{message[:89]}…"
    when = _when(account.last_error_at, zone) if account.last_error_at else ""
    return (  # one element: the phone layout's grid puts each child on a line of its own
        f'<span><span class="last-error" title="{escape(message)}">{escape(short)}</span>'
        f' <span class="small muted nowrap">{when}</span></span>'
    )


def _actions(account, figures, zone, loading: bool, failed: str | None, retry_url: str) -> str:
    """Refresh (or, right after a failure, Retry) and how old the figures are."""
    url = escape(f"{url_of('overview_card', account.slug)}?refresh=1")
    target = f"#card-{escape(account.slug)}"
    if failed is not None:
        retry = escape(retry_url or url)
        return (
            '<div class="row-error" role="alert"><strong>Could not load this account.</strong> '
            f'<span class="small">{escape(failed)}</span> <a class="btn btn-secondary btn-small" '
            f'href="{retry}" hx-push-url="false" hx-sync="this" hx-get="{retry}" '
            f'hx-target="{target}" hx-swap="outerHTML">Retry</a></div>'
        )
    refresh = (
        f'<a class="small" href="{url}" hx-push-url="false" hx-sync="this" hx-get="{url}" '
        f'hx-target="{target}" hx-swap="outerHTML" data-focus-after-swap>Refresh'
        f'<span class="visually-hidden"> {escape(account.name)}</span></a>'
    )
    if loading:
        return f'<span><span class="small muted">Loading…</span> {refresh}</span>'
    if not figures:
        return refresh
    age = f'<span class="small muted nowrap">as of {_when(figures.fetched_at, zone)}</span>'
    return f"<span>{age} {refresh}</span>"  # one element, as in _last_error


def _when(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    today = timezone.now().astimezone(zone).date()
    return f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"


def accounts_in_order(
    found: Iterable[ConnectedAccount], slugs: list[str]
) -> list[ConnectedAccount]:
    """``found`` in the order of ``slugs`` (the batch's order on the page)."""
    by_slug = {account.slug: account for account in found}
    return [by_slug[slug] for slug in slugs if slug in by_slug]
