"""The overview: every accessible account in one sortable, filterable table rendered from
the figures the database keeps (0 API calls), and the requests that fetch figures for the
rows that need them (a batch as it scrolls into view, or one row's Refresh)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from acdash.accounts.access import accessible_accounts, account_view
from acdash.accounts.models import ConnectedAccount

from . import figures
from .forms import OverviewFilterForm, SavedViewForm
from .models import SavedView
from .tables import AccountTable, accounts_in_order, batch_html, column_labels, row_html
from .tables import with_sort_keys as with_keys

MAX_PAGE_DIGITS = 6


def _page(table: AccountTable, asked: str, per_page: int) -> str | None:
    """Paginate ``table`` at the page asked for; page 1 or the last one, and why, for a
    page that is not a number or is past the end."""
    text = asked.strip()
    number, notice = 1, None
    if text and not (text.isascii() and text.isdigit() and 0 < len(text) <= MAX_PAGE_DIGITS):
        notice = f"“{text[:40]}” is not a page number: showing page 1."
    elif text and int(text) >= 1:
        number = int(text)
    elif text:
        notice = f"There is no page {text[:40]}: showing page 1."
    try:
        table.paginate(page=number, per_page=per_page)
    except EmptyPage:
        last = table.paginator.num_pages
        table.page = table.paginator.page(last)
        notice = f"There is no page {text[:40]}: showing the last page, {last}."
    return notice


def canonical_query(data: QueryDict) -> str:
    """The query string that reproduces this view (valid filters and sort, no page)."""
    form = OverviewFilterForm(data)
    return form.query(_sort(data.get("sort", "")))


def _sort(asked: str) -> str:
    """The sort asked for when it names a sortable column (else none: by name)."""
    name = asked.strip().removeprefix("-")
    column = AccountTable.base_columns.get(name)
    return asked.strip() if column is not None and column.orderable is not False else ""


def overview_context(request: HttpRequest, data: QueryDict) -> dict:
    """The page's context for the view ``data`` describes (the query string, or what a
    failed save sent back)."""
    form = OverviewFilterForm(data)
    accounts = accessible_accounts(request.user, among=with_keys())
    sort = _sort(data.get("sort", ""))
    table = AccountTable(form.apply(accounts), sort=sort)
    notices = form.problems()
    if notice := _page(table, data.get("page", ""), form.value("per_page")):
        notices.append(notice)
    query = form.query(sort)
    views = list(SavedView.objects.filter(user=request.user))
    here = [query] if query else []
    here += [f"page={table.page.number}"] if table.page.number > 1 else []
    refresh_url = f"{reverse('overview')}?{'&'.join([*here, 'refresh=1'])}"
    return {
        "filters": form,
        "table": table,
        "rows": table.html_batches(refresh=bool(data.get("refresh"))),
        "any_account": table.paginator.count > 0 or accounts.exists(),
        "filtered_by": form.described(),
        "notices": notices,
        "sort": sort,
        "query": query,
        "saved_views": views,
        "current_view": next((v for v in views if v.query == query), None),
        "save_form": SavedViewForm(initial={"query": query}, user=request.user),
        "refresh_url": refresh_url,
        "filters_active": form.active_count(),
    }


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The table of accounts, or for htmx only its results (#overview-results), which the
    filters, sort headers and pager swap in place; the URL they push reproduces the view.

    0 API calls and a fixed number of queries whatever the number of accounts: figures come
    from ``AccountFigures``; the rows that lack fresh ones fetch them in batches."""
    context = overview_context(request, request.GET)
    if not request.htmx or request.htmx.history_restore_request:
        response = render(request, "overview/overview.html", context)
    else:
        context["swap"] = True
        response = render(request, "overview/overview.html#results", context)
        url = reverse("overview")
        push_url(response, f"{url}?{context['query']}" if context["query"] else url)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_safe
def figures_batch(request: HttpRequest) -> HttpResponse:
    """A batch of rows (``a``: the accounts' slugs, at most BATCH_SIZE; ``refresh``: fetch
    all, not only those without fresh figures) as one ``<tbody>``. Three API calls per
    account fetched, every account on its own budget and in parallel, within the request's
    one deadline. Slugs the user may not see are left out, as if they did not exist."""
    slugs = list(dict.fromkeys(request.GET.getlist("a")))[: figures.BATCH_SIZE]
    found = accessible_accounts(request.user, among=with_keys()).filter(slug__in=slugs)
    accounts = accounts_in_order(found, slugs)
    refresh = bool(request.GET.get("refresh"))
    now = timezone.now()
    if stale := [a for a in accounts if refresh or figures.needs_fetch(a, now)]:
        renewed = {a.pk: a for a in figures.refresh(stale)}
        accounts = [renewed.get(a.pk, a) for a in accounts]
    response = render(
        request, "overview/overview.html#batch", {"batch": batch_html(accounts, column_labels())}
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


@account_view
@require_safe
def card(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """One account's row (what its Refresh and Retry swap): its stored figures, fetched
    first (three calls at once) when missing or stale, or always with ``refresh``; after a
    failure, a Retry of this same URL, which fetches again (the figures are still stale)."""
    account = with_keys().get(pk=account.pk)
    failed = None
    if request.GET.get("refresh") or figures.stale(account, timezone.now()):
        renewed = figures.refresh([account])
        if not renewed:
            raise Http404("No such account")  # disconnected meanwhile
        account = renewed[0]
        if not account.healthy:
            failed = account.last_error
    row = row_html(account, column_labels(), failed=failed, retry_url=request.get_full_path())
    return render(request, "overview/overview.html#row", {"row": row})
