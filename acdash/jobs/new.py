"""The preview of a bulk action (``jobs:new``): what the selection toolbar of the contact,
deal and task lists opens, and where a job is started.

GET ``?type=<object type>&action=<key>`` with ``ids`` (the rows ticked, repeated or comma
separated) or ``query`` (the list's own query string: its filter is run again here and when
the job starts). Without the action's parameters it shows their form; with valid ones, the
engine's plan. Nothing is written until the POST that confirms it.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client
from acdash.activecampaign.errors import DeadlineExceeded
from acdash.contacts.forms import ContactFilterForm
from acdash.contacts.listing import _filter_choices
from acdash.contacts.writes import audit

from . import engine
from .actions import Action, ActionForm, actions_for, find_action
from .contract import KINDS, Plan, Selection
from .kinds.deal import QueryProblem, deal_filters, filter_problems
from .kinds.task import task_filters

MAX_IDS = 10_000  # far more than a page shows; a longer list is not a selection from a page
MAX_ID = 2**31 - 1
MAX_QUERY = 2000
LIST_PAGES = {"contact": "contacts:list", "deal": "deals:list", "task": "tasks:list"}
# How the preview names the bulk path of each kind that has one.
BULK_PATHS = {"contact": "bulk import", "deal": "bulk update"}
# The preview reads every selected record: past what a page may wait for at the account's
# 5 calls a second (some thousands of records), it cannot be shown.
TOO_SLOW = (
    "Reading that many records for the preview takes longer than a page may wait: narrow "
    "the filter, or tick fewer rows, and run the action on each part."
)


class Refused(ValueError):
    """The request names no valid selection or action: the message says why."""


def _contact_query_problems(client: Client, query: str) -> None:
    """The contact list's own filter parsing: QueryProblem names each value it would ignore
    (the contact kind, like the list, would then widen the selection)."""
    lists, tags = _filter_choices(client)
    form = ContactFilterForm(QueryDict(query), action="", lists=lists, tags=tags)
    form.is_valid()
    if problems := filter_problems(form):
        raise QueryProblem("; ".join(problems))


CHECK_QUERY = {
    "contact": _contact_query_problems,
    "deal": deal_filters,
    "task": task_filters,
}


def _ids(values: list[str]) -> tuple[str, ...]:
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if len(ids) > MAX_IDS:
        raise Refused(f"Select at most {MAX_IDS:,} records, or select all matching the filter.")
    for text in ids:
        if not (text.isascii() and text.isdigit()) or not 0 < int(text[:12]) <= MAX_ID:
            raise Refused(f"“{text[:20]}” is not a record id.")
    return tuple(dict.fromkeys(str(int(text)) for text in ids))


def _selection(params: QueryDict, client: Client) -> tuple[Selection, Action]:
    """The selection and action the parameters name, checked; Refused says what is wrong."""
    object_type = params.get("type", "")
    if object_type not in KINDS:
        raise Refused("Choose contacts, deals or tasks from their list first.")
    action = find_action(object_type, params.get("action", ""))
    if action is None:
        raise Refused(f"There is no such action for {KINDS[object_type].plural}.")
    ids, query = _ids(params.getlist("ids")), params.get("query", "")
    if ids:
        return Selection(object_type, ids=ids), action
    if not query.strip():
        raise Refused(f"Select some {KINDS[object_type].plural} first.")
    if len(query) > MAX_QUERY:
        raise Refused("That filter is too long to be a list's filter.")
    if not query.isprintable():
        raise Refused("That is not a list's filter: it holds control characters.")
    try:
        CHECK_QUERY[object_type](client, query)
    except QueryProblem as exc:
        raise Refused(f"The filter cannot be applied: {exc}") from None
    return Selection(object_type, query=query), action


@dataclass(frozen=True)
class Row:
    """One record of the preview's sample, in words."""

    label: str
    before: str
    after: str
    skip: str


def _rows(plan: Plan, form: ActionForm, client: Client, object_type: str) -> list[Row]:
    kind = KINDS[object_type]

    def words(key: str, value: Any) -> str:
        return form.describe(key, value) or kind.describe(client, key, value)

    return [
        Row(
            label=change.record.label,
            before=", ".join(words(k, change.record.values.get(k)) for k in change.after),
            after=", ".join(words(k, v) for k, v in change.after.items()),
            skip=change.skip,
        )
        for change in plan.changes
    ]


def _duration(seconds: float) -> str:
    if seconds < 90:
        whole = max(1, round(seconds))
        return f"about {whole} second{'s' if whole != 1 else ''}"
    if seconds < 5400:
        return f"about {round(seconds / 60)} minutes"
    return f"about {seconds / 3600:.1f} hours"


def _count_typed(params: QueryDict, expected: int) -> str | None:
    """Why the typed count does not confirm a destructive action, or None when it does."""
    typed = params.get("confirm_count", "").strip().replace(",", "")
    if typed == str(expected):
        return None
    return f"Type the number of records, {expected}, to confirm: “{typed[:20]}” is not it."


@account_view
@require_http_methods(["GET", "POST"])
def new_job(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The action's form, then its preview (the engine's plan: reading the selection, about
    one call per 100 records), then on POST the job. API calls: the metadata the form's
    choices need (cached), the plan's, and on POST the selection expanded once more."""
    if not request.access.can_edit:
        raise PermissionDenied("Your role in this account is read-only.")
    params = request.POST if request.method == "POST" else request.GET
    context: dict[str, Any] = {"account": account, "section": "jobs"}
    try:
        client = client_for_account(account)
        selection, action = _selection(params, client)
    except Refused as exc:
        return render(request, "jobs/new.html", {**context, "refused": str(exc)}, status=400)
    except ApiError as exc:
        return render(request, "jobs/new.html", {**context, "error": exc.message}, status=502)
    kind = KINDS[selection.object_type]
    context |= {
        "kind": kind,
        "action": action,
        "actions": actions_for(selection.object_type),
        "selection": selection,
        "ids": ",".join(selection.ids),
        "list_url": LIST_PAGES[selection.object_type],
    }
    try:
        # The parameters shown were another action's when the picker changed: its form first.
        shown = params.get("shown", action.key) == action.key
        bound = request.method == "POST" or ("preview" in params and shown)
        bound = bound or not action.form.base_fields
        form = action.form(params if bound else None, client=client)
        context["form"] = form
        if not bound or not form.is_valid():
            return render(request, "jobs/new.html", context, status=400 if bound else 200)
        if request.method == "POST":
            return _start(request, account, client, selection, action, form, context)
        plan = engine.plan(client, selection.object_type, selection=selection, target=form.target())
    except DeadlineExceeded:
        return render(request, "jobs/new.html", {**context, "error": TOO_SLOW}, status=503)
    except ApiError as exc:
        return render(request, "jobs/new.html", {**context, "error": exc.message}, status=502)
    context |= {
        "plan": plan,
        "rows": _rows(plan, form, client, selection.object_type),
        "duration": _duration(plan.estimate_seconds),
        "path": BULK_PATHS[selection.object_type] if plan.path == engine.BULK else plan.path,
        "changing": plan.total - plan.skipped,
        "notes": form.notes(),
    }
    return render(request, "jobs/new.html", context)


def _start(
    request: HttpRequest,
    account: ConnectedAccount,
    client: Client,
    selection: Selection,
    action: Action,
    form: ActionForm,
    context: dict[str, Any],
) -> HttpResponse:
    """Check the typed count of a destructive action against the selection as it is now,
    then create what the target needs (a new tag) and start the job."""
    if action.destructive:
        expected = len(KINDS[selection.object_type].expand(client, selection))
        if problem := _count_typed(request.POST, expected):
            context |= {"count_refused": problem, "expected": expected}
            return render(request, "jobs/new.html", context, status=400)
    target = form.confirm()
    if form.created:
        noun, made = form.created
        audit(request, noun, made.id, "create", after=made, summary=f"Created {noun} {made.name}")
    kind = KINDS[selection.object_type]
    words = ", ".join(kind.describe(client, key, value) for key, value in target.items())
    job = engine.start_job(
        account=account,
        user=request.user,
        kind=selection.object_type,
        description=f"{action.label} ({kind.plural}): {words}",
        selection=selection,
        target=target,
    )
    return redirect(job.get_absolute_url())
