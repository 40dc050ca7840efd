"""The deal tasks of one account: a table sorted by due date with the API's filters, and
deleting a task. Every API call goes through acdash.activecampaign; every write is audited."""

from datetime import UTC
from urllib.parse import urlencode

from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import push_url

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError
from acdash.activecampaign import tasks as task_api

from .forms import PRIMARY_FILTERS, TaskFilterForm
from .tables import TaskSource, TaskTable
from .writes import Metadata, confirm_delete, load_metadata


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10**6))
    except ValueError:
        return 1


def _paginate(table: TaskTable, page: int, per_page: int) -> None:
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:  # past the end (tasks were deleted meanwhile): the last page
        table.page = table.paginator.page(table.paginator.num_pages)


@account_view
@require_safe
def task_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The list page, or for htmx only its results (#task-results); the URL they push
    reproduces the view. One call with metadata cached (types, outcomes, users: 4 more on
    a cold cache, at once), one more when the page asked for is past the end; then the
    page's deal titles and contact names, one call each kind, at once."""
    action = reverse("tasks:list", args=[account.slug])
    now = timezone.now()
    table, error, meta = None, None, None
    try:
        client = client_for_account(account)
        meta = load_metadata(client)
    except ApiError as exc:
        error = exc.message
    form = TaskFilterForm(
        request.GET,
        action=action,
        setup=meta.setup if meta else None,
        users=meta.user_choices if meta else [],
    )
    form.is_valid()  # an invalid filter shows its error by the field and is not applied
    if meta is not None:
        per_page, page = form.value("per_page"), _page_number(request)
        source = TaskSource(
            client, form.api_filters(now), offset=(page - 1) * per_page, limit=per_page
        )
        table = TaskTable(
            source,
            sort=request.GET.get("sort", ""),
            account_slug=account.slug,
            can_edit=request.access.can_edit,
            types=meta.type_names,
            users=meta.user_names,
            now=now,
        )
        try:
            _paginate(table, page, per_page)
            table.name_related(client)
        except ApiError as exc:
            table, error = None, exc.message
    query = urlencode([(key, value) for key, value in request.GET.items() if value])
    context = {
        "account": account,
        "section": "tasks",
        "query": query,  # what "select all matching" sends to a bulk action
        "filters": form,
        "primary_filters": PRIMARY_FILTERS,
        "filtered_by": form.descriptions(),
        "table": table,
        "error": error,
        "sort": ",".join(table.order_by) if table and request.GET.get("sort") else "",
    }
    if not request.htmx or request.htmx.history_restore_request:
        response = render(request, "tasks/list.html", context)
    else:
        response = render(request, "tasks/list.html#results", context)
        push_url(response, f"{action}?{query}" if query else action)
    patch_vary_headers(response, ("HX-Request",))
    return response


def task_name(task: task_api.Task, meta: Metadata | None = None) -> str:
    """How a confirmation or a toast names a task: its title, type and due date."""
    kind = meta.type_names.get(task.task_type_id or 0, "") if meta else ""
    title = task.title or kind or f"Task {task.id}"
    due = f", due {task.due.astimezone(UTC):%Y-%m-%d %H:%M}" if task.due else ""
    return f"“{title}”{due}"


@account_view
@require_http_methods(["GET", "POST"])
def delete_task(request: HttpRequest, account: ConnectedAccount, task_id: int) -> HttpResponse:
    """GET: a confirmation naming the task. POST: delete it, audited with the task as it
    was. The task is read first (one call) to name and audit it."""
    require_editor(request)
    return confirm_delete(
        request,
        object_type="task",
        object_id=task_id,
        template="tasks/delete.html",
        context={"account": account, "section": "tasks", "task_id": task_id},
        done_url=reverse("tasks:list", args=[account.slug]),
        read=lambda client: task_api.get_task(client, task_id),
        delete=lambda client: task_api.delete_task(client, task_id),
        name=task_name,
        done=lambda task: f"Deleted task {task_name(task)}.",
    )
