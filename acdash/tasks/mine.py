"""My tasks: the signed-in staff member's open tasks in every account they can see, each
completable in place. In each account they are the tasks assigned to the ActiveCampaign
user with the staff member's email (from the cached users)."""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from acdash.accounts.access import accesses
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, deals
from acdash.activecampaign import tasks as task_api
from acdash.activecampaign.concurrency import gather
from acdash.activecampaign.dealboard import contact_names

from .forms import day_start
from .rows import Row, RowContext, task_row, task_rows
from .writes import Metadata, load_metadata

MAX_TASKS = 100  # per account: one page (the most the API gives in one call)
BUCKETS = ("Overdue", "Today", "This week", "Later")


@dataclass
class AccountTasks:
    account: ConnectedAccount
    can_edit: bool = False
    user_name: str = ""
    no_user: bool = False
    error: str | None = None
    total: int = 0
    buckets: dict[str, list[Row]] = field(default_factory=dict)
    rows_html: dict[str, list[SafeString]] = field(default_factory=dict)  # non-empty buckets

    def render_rows(self, csrf_token: str) -> None:
        context = RowContext(self.account, self.can_edit, csrf_token)
        self.rows_html = {
            name: task_rows(rows, context) for name, rows in self.buckets.items() if rows
        }


def bucket_of(due: datetime | None, now: datetime) -> str:
    """Overdue (due before now), today, the rest of this week (to Sunday), later; UTC days."""
    today = day_start(now.astimezone(UTC).date())
    if due is None or due >= today + timedelta(days=7 - today.weekday()):
        return "Later"
    if due < now:
        return "Overdue"
    return "Today" if due < today + timedelta(days=1) else "This week"


def _row(task: task_api.Task, meta: Metadata, names: dict) -> Row:
    kind = meta.type_names.get(task.task_type_id or 0, "")
    name = names.get((task.related_type, task.related_id), "")
    return Row(task, kind, meta.setup.outcomes_for(task.task_type_id or 0), name)


def _related_names(client: Client, tasks: list[task_api.Task]) -> dict:
    """The deals' titles and the contacts' names, one call for each kind, at once. A nicety:
    when the lookup fails the rows name their deal or contact by id."""
    wanted = {
        kind: [t.related_id for t in tasks if t.related_type == kind and t.related_id]
        for kind in task_api.RelatedType
    }
    titles: dict[int, str] = {}
    names: dict[int, str] = {}
    with suppress(ApiError):
        titles, names = gather(
            lambda: deals.deal_titles(client, wanted[task_api.RelatedType.DEAL]),
            lambda: contact_names(client, wanted[task_api.RelatedType.CONTACT]),
        )
    return {
        **{(task_api.RelatedType.DEAL, i): t for i, t in titles.items()},
        **{(task_api.RelatedType.CONTACT, i): n for i, n in names.items()},
    }


def _one_account(
    account: ConnectedAccount, email: str, now: datetime, can_edit: bool
) -> AccountTasks:
    """Cached users and task types, one call for the user's open tasks, then one for the
    titles of their deals and one for the names of their contacts, at once."""
    found = AccountTasks(account, can_edit=can_edit)
    try:
        client = client_for_account(account)
        meta = load_metadata(client)
        user = next((u for u in meta.users if email and u.email.lower() == email), None)
        if user is None:
            found.no_user = True
            return found
        page = task_api.list_tasks(
            client, assignee_id=user.id, done=False, sort="duedate", limit=MAX_TASKS
        )
    except ApiError as exc:
        found.error = exc.message
        return found
    found.user_name, found.total = user.name, page.total
    found.buckets = {name: [] for name in BUCKETS}
    names = _related_names(client, page.items)
    for task in page.items:
        found.buckets[bucket_of(task.due, now)].append(_row(task, meta, names))
    return found


@login_required
@require_safe
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Every accessible account at once (``gather``): about one call each, metadata cached."""
    email = (request.user.email or "").strip().lower()
    now = timezone.now()
    accounts = accesses(request.user)  # one query for the accounts and roles
    found = (
        gather(*(partial(_one_account, a.account, email, now, a.can_edit) for a in accounts))
        if email
        else []
    )
    csrf_token = get_token(request)
    for group in found:
        group.render_rows(csrf_token)
    counts = {name: sum(len(a.buckets.get(name, [])) for a in found) for name in BUCKETS}
    context = {
        "email": email,
        "accounts": found,
        "counts": counts,
        "no_accounts": not accounts,
        "group_limit": MAX_TASKS,
    }
    return render(request, "tasks/mine.html", context)


def completed_row(
    request: HttpRequest,
    account: ConnectedAccount,
    task: task_api.Task,
    summary: str,
    form: forms.Form | None = None,
) -> HttpResponse:
    """A task's row in My tasks after completing it in place, or with why it was not."""
    context = RowContext(account, can_edit=True, csrf_token=get_token(request))
    row = Row(task, "", getattr(form, "offered", []))
    return HttpResponse(task_row(row, context, summary=summary, form=form))
