"""The deals list of one account (search, filters, sort, paging), creating and deleting
deals. Every API call goes through acdash.activecampaign; every write is audited."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import push_url

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, ValidationError, deals
from acdash.activecampaign.pipelines import Pipeline, list_pipelines
from acdash.activecampaign.users import User, list_users
from acdash.contacts.writes import audit, confirm_delete

from .editors import checked_form, deal_errors
from .forms import CreateDealForm, DealFilterForm
from .tables import DealSource, DealTable

MAX_PAGE = 100_000


def _metadata(client: Client) -> tuple[list[Pipeline], list[User]]:
    """Pipelines and users (cached) for the filters and the names in the rows."""
    return list_pipelines(client), list_users(client)


def _page_number(text: str) -> tuple[int, str | None]:
    text = text.strip()
    if not text:
        return 1, None
    if not (text.isascii() and text.isdigit()) or int(text[:9]) == 0:
        return 1, f"There is no page “{text[:40]}”: showing page 1."
    return min(int(text[:9]), MAX_PAGE), None


def _paginate(table: DealTable, page: int, per_page: int) -> str | None:
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:
        last = table.paginator.num_pages
        table.page = table.paginator.page(last)
        return f"There is no page {page}: showing the last page, {last}."
    return None


@account_view
@require_safe
def deal_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The list page, or for htmx only its results (#results), which the toolbar, sort
    headers and pager swap in place; the URL they push reproduces the view.

    Two API calls with pipelines and users cached: the page of deals, then its primary
    contacts' names (by ids, one call). Values that cannot apply are named and ignored."""
    action = reverse("deals:list", args=[account.slug])
    table, rows, error = None, "", None
    pipelines: list[Pipeline] = []
    users: list[User] = []
    try:
        client = client_for_account(account)
        pipelines, users = _metadata(client)
    except ApiError as exc:
        error = exc.message
    form = DealFilterForm(request.GET, action=action, pipelines=pipelines, users=users)
    form.is_valid()
    notices = form.problems()
    if error is None:
        per_page, (page, page_notice) = (
            form.value("per_page"),
            _page_number(request.GET.get("page", "")),
        )
        source = DealSource(
            client, form.api_filters(), offset=(page - 1) * per_page, limit=per_page
        )
        table = DealTable(
            source,
            sort=request.GET.get("sort", ""),
            account_slug=account.slug,
            can_edit=request.access.can_edit,
            pipelines=pipelines,
            users=users,
        )
        try:
            page_notice = _paginate(table, page, per_page) or page_notice
            rows = table.html_rows(client)
        except ApiError as exc:
            table, error = None, exc.message
        notices += [page_notice] if page_notice else []
    query = urlencode([(key, value) for key, value in request.GET.items() if value])
    context = {
        "account": account,
        "section": "deal-list",
        "filters": form,
        "filtered_by": form.descriptions(),
        "filters_active": len(form.descriptions()) - bool(form.value("q")),
        "notices": notices,
        "table": table,
        "rows": rows,
        "error": error,
        "sort": ",".join(table.order_by) if table and request.GET.get("sort") else "",
        "query": query,  # what "select all matching" sends to a bulk action
    }
    if not request.htmx or request.htmx.history_restore_request:
        response = render(request, "deals/list.html", context)
    else:
        response = render(request, "deals/list.html#results", context)
        push_url(response, f"{action}?{query}" if query else action)
    patch_vary_headers(response, ("HX-Request",))
    return response


@account_view
@require_http_methods(["GET", "POST"])
def create_deal(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """New deal (``?contact=<id>`` fills in its primary contact, as the contact page's
    Deals panel links here). Pipelines and users from the cache."""
    require_editor(request)
    context = {"account": account, "section": "deal-list"}
    try:
        client = client_for_account(account)
        pipelines, users = _metadata(client)
    except ApiError as exc:
        return render(request, "deals/create.html", {**context, "error": exc.message})
    initial = {"currency": pipelines[0].currency if pipelines else "USD", "status": 0}
    contact = request.GET.get("contact", "")
    if contact.isascii() and contact.isdigit():
        initial["contact"] = int(contact[:18])
    if request.method == "POST":
        try:
            form, pipelines, users = checked_form(
                CreateDealForm, request.POST, client, pipelines, users
            )
        except ApiError as exc:
            return render(request, "deals/create.html", {**context, "error": exc.message})
    else:
        form = CreateDealForm(initial=initial, pipelines=pipelines, users=users, auto_id="deal_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = deals.create_deal(
                client,
                title=data["title"],
                value_cents=data["value"],
                currency=data["currency"],
                contact_id=data["contact"],
                pipeline_id=form.pipeline_of(data["stage"]),
                stage_id=data["stage"],
                owner_id=data["owner"],
                status=deals.DealStatus(data["status"]),
            )
        except ValidationError as exc:
            deal_errors(form, exc)
        except ApiError as exc:
            form.add_error(
                None,
                f"ActiveCampaign did not confirm the new deal ({exc.message}). "
                "Look for it in the deals list before trying again.",
            )
        else:
            audit(
                request,
                "deal",
                created.id,
                "create",
                after=created,
                summary=f"Created deal {created.title}",
            )
            messages.success(request, f"Deal “{created.title}” created.")
            return redirect("deals:detail", account.slug, created.id)
    return render(request, "deals/create.html", {**context, "form": form})


@account_view
@require_http_methods(["GET", "POST"])
def delete_deal(request: HttpRequest, account: ConnectedAccount, deal_id: int) -> HttpResponse:
    """GET: a confirmation naming the deal. POST: delete it, audited with the deal as it
    was (read first, one call, to name and audit it)."""
    require_editor(request)
    return confirm_delete(
        request,
        object_type="deal",
        object_id=deal_id,
        template="deals/delete.html",
        context={"account": account, "section": "deal-list", "deal_id": deal_id},
        done_url=reverse("deals:list", args=[account.slug]),
        read=lambda client: deals.read_deal(client, deal_id),
        delete=lambda client: deals.delete_deal(client, deal_id),
        name=lambda deal: deal.title,
        done=lambda deal: f"Deleted deal “{deal.title}”.",
    )
