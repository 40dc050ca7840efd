"""The audit trail: across every account the user may read (/audit/), per account
(/a/<account>/audit/), as CSV, and one object's history on its page. Database only: no
page here calls the API. Who reads what: ``scope.py``."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from acdash.accounts.access import account_view
from acdash.accounts.models import ConnectedAccount

from .diff import changes
from .export import csv_response
from .filters import AuditFilterForm, account_choices
from .models import AuditEntry
from .scope import reads_trail, trail_accounts, visible_entries
from .tables import AuditTable, change_list, who

TEMPLATE = "audit/trail.html"
MAX_PAGE = 100_000
HISTORY_SIZE = 10  # entries on an object's page; "see all" opens the rest


def _page_number(text: str) -> tuple[int, str | None]:
    """The page asked for, or page 1 and why, for what is not a page number."""
    text = text.strip()
    if not text:
        return 1, None
    if not (text.isascii() and text.isdigit()) or int(text[:9]) == 0:
        return 1, f"“{text[:40]}” is not a page number: showing page 1."
    return min(int(text[:9]), MAX_PAGE), None


def _paginate(table: AuditTable, page: int, per_page: int) -> str | None:
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:  # past the end: the last page, and say so
        last = table.paginator.num_pages
        table.page = table.paginator.page(last)
        return f"There is no page {page}: showing the last page, {last}."
    return None


def _query(request: HttpRequest, *, without: tuple[str, ...] = ()) -> str:
    """The parameters in use, without the form's empty fields: what the address bar shows."""
    return urlencode([(k, v) for k, v in request.GET.items() if v and k not in without])


def _trail(
    request: HttpRequest,
    entries: QuerySet[AuditEntry],
    *,
    account: ConnectedAccount | None,
    accounts: list[tuple[str, str]] | None,
) -> HttpResponse:
    """The page, or for htmx only its results (#audit-results), which the filters, sort
    headers and pager swap in place; the URL they push reproduces the view. Refused filter
    values are named above the results and not applied."""
    here = reverse("audit:account", args=[account.slug]) if account else reverse("audit:all")
    form = AuditFilterForm(request.GET, entries=entries, accounts=accounts)
    form.is_valid()
    table = AuditTable(
        form.apply(entries).select_related("user"),
        sort=request.GET.get("sort", ""),
        show_account=account is None,
    )
    page, notice = _page_number(request.GET.get("page", ""))
    notice = _paginate(table, page, form.value("per_page")) or notice
    export = (
        reverse("audit:account_export", args=[account.slug]) if account else reverse("audit:export")
    )
    export_query = _query(request, without=("page", "sort", "per_page"))
    query = _query(request)
    context = {
        "account": account,
        "section": "audit",
        "filters": form,
        "filtered_by": form.descriptions(),
        "notices": [*form.problems(), *([notice] if notice else [])],
        "table": table,
        "here": here,
        "export_url": f"{export}?{export_query}" if export_query else export,
        "sort": ",".join(table.order_by) if request.GET.get("sort") else "",
    }
    if not request.htmx or request.htmx.history_restore_request:
        response = render(request, TEMPLATE, context)
    else:
        response = render(request, f"{TEMPLATE}#results", context)
        push_url(response, f"{here}?{query}" if query else here)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _export(
    request: HttpRequest,
    entries: QuerySet[AuditEntry],
    *,
    back: str,
    accounts: list[tuple[str, str]] | None,
    name: str,
) -> HttpResponse:
    """The filtered entries as CSV, newest first. A refused filter exports nothing (the
    file would hold more than was asked for): back to the page, which names the problem."""
    form = AuditFilterForm(request.GET, entries=entries, accounts=accounts)
    if not form.is_valid():
        messages.error(
            request, "Nothing was exported: a filter is not valid (see above the table)."
        )
        query = _query(request)
        return redirect(f"{back}?{query}" if query else back)
    return csv_response(form.apply(entries), f"audit-{name}.csv")


def _own_trail(request: HttpRequest, account: ConnectedAccount) -> QuerySet[AuditEntry]:
    if not reads_trail(request.access):
        raise Http404("No such account")  # as for a stranger: the trail is for admins
    return AuditEntry.objects.filter(account=account)


@login_required
@require_safe
def all_trail(request: HttpRequest) -> HttpResponse:
    """Every entry of the accounts whose trail the user reads (superusers: of every account,
    disconnected ones too). Three queries for the filters' choices, two for the page."""
    accounts = account_choices(request.user, trail_accounts(request.user))
    return _trail(request, visible_entries(request.user), account=None, accounts=accounts)


@login_required
@require_safe
def all_export(request: HttpRequest) -> HttpResponse:
    accounts = account_choices(request.user, trail_accounts(request.user))
    entries = visible_entries(request.user)
    return _export(request, entries, back=reverse("audit:all"), accounts=accounts, name="all")


@account_view
@require_safe
def account_trail(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """One account's trail, for its admins (others: 404)."""
    return _trail(request, _own_trail(request, account), account=account, accounts=None)


@account_view
@require_safe
def account_export(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    back = reverse("audit:account", args=[account.slug])
    entries = _own_trail(request, account)
    return _export(request, entries, back=back, accounts=None, name=account.slug)


def _history(
    request: HttpRequest, account: ConnectedAccount, object_type: str, object_id: int, page: str
) -> HttpResponse:
    """The history panel of an object's page, loaded lazily by it (one query, no API call):
    its latest entries, newest first, and for those who read the trail a link to all."""
    if not request.htmx:
        return redirect(page, account.slug, object_id)
    entries = AuditEntry.objects.filter(
        account=account, object_type=object_type, object_id=str(object_id)
    ).select_related("user")
    shown = list(entries[: HISTORY_SIZE + 1])
    rows = [(e, who(e), change_list(e, changes(e.before, e.after))) for e in shown[:HISTORY_SIZE]]
    see_all = ""
    if reads_trail(request.access):
        filters = urlencode({"object_type": object_type, "object_id": object_id})
        see_all = f"{reverse('audit:account', args=[account.slug])}?{filters}"
    context = {
        "account": account,
        "object_type": object_type,
        "rows": rows,
        "more": len(shown) > HISTORY_SIZE,
        "see_all": see_all,
        "panel_url": request.path,
    }
    return render(request, "audit/history.html#panel", context)


@account_view
@require_safe
def contact_history(request: HttpRequest, account: ConnectedAccount, contact_id: int):
    return _history(request, account, "contact", contact_id, "contacts:detail")


@account_view
@require_safe
def deal_history(request: HttpRequest, account: ConnectedAccount, deal_id: int):
    return _history(request, account, "deal", deal_id, "deals:detail")
