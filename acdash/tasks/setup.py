"""Task types and the outcomes they offer: list, create, edit, delete. A type with tasks is
deleted after moving its tasks to another type, as the API requires. Every write audited."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, ValidationError
from acdash.activecampaign import tasks as task_api

from .forms import DeleteTypeForm, OutcomeForm, TaskTypeForm
from .writes import audit

SECTION = "tasks"


def _setup_or_error(
    account: ConnectedAccount,
) -> tuple[Client | None, task_api.TaskSetup | None, str]:
    try:
        client = client_for_account(account)
        return client, task_api.task_setup(client), ""
    except ApiError as exc:
        return None, None, exc.message


def _refused(form: forms.Form, exc: ApiError) -> None:
    """The API's 422s by the field they name (title, sentiment…), the rest above the form."""
    if isinstance(exc, ValidationError):
        names = {"dealTasktype_ids": "task_types"}
        for attribute, found in exc.field_errors.items():
            name = names.get(attribute, attribute)
            form.add_error(name if name in form.fields else None, found)
    else:
        form.add_error(None, f"Nothing was saved: {exc.message}")


@account_view
@require_safe
def setup_page(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The task types with their outcomes, and every outcome (cached: no call when warm)."""
    _, setup, error = _setup_or_error(account)
    types, outcomes = (setup.types, setup.outcomes) if setup else ([], [])
    offered_by: dict[int, list[str]] = {}
    for kind in types:
        for outcome_id in kind.outcome_ids:
            offered_by.setdefault(outcome_id, []).append(kind.title)
    context = {
        "account": account,
        "section": SECTION,
        "error": error,
        "type_rows": [(kind, setup.outcomes_for(kind.id)) for kind in types] if setup else [],
        "outcome_rows": [(o, offered_by.get(o.id, [])) for o in outcomes],
    }
    return render(request, "tasks/setup.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def task_type_form(
    request: HttpRequest, account: ConnectedAccount, task_type_id: int | None = None
) -> HttpResponse:
    """A new task type, or renaming one."""
    require_editor(request)
    client, setup, error = _setup_or_error(account)
    current = next((t for t in setup.types if t.id == task_type_id), None) if setup else None
    if setup and task_type_id is not None and current is None:
        messages.info(request, f"Task type {task_type_id} does not exist (any more).")
        return redirect("tasks:setup", account.slug)
    initial = {"title": current.title} if current else None
    form = TaskTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and client and form.is_valid():
        title = form.cleaned_data["title"]
        try:
            saved = task_api.save_task_type(client, title, task_type_id)
        except ApiError as exc:
            _refused(form, exc)
        else:
            action = "create" if current is None else "update"
            summary = f"{'Created' if current is None else 'Renamed'} task type “{title}”"
            audit(
                request, "task_type", saved.id, action, before=current, after=saved, summary=summary
            )
            messages.success(request, summary + ".")
            return redirect("tasks:setup", account.slug)
    context = {"account": account, "section": SECTION, "form": form, "error": error}
    context |= {"noun": "task type", "current": current}
    return render(request, "tasks/setup_form.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def delete_task_type(
    request: HttpRequest, account: ConnectedAccount, task_type_id: int
) -> HttpResponse:
    """GET: a confirmation naming the type and, when it has tasks, asking which type they
    move to. POST: move them (when there are any), then delete the type."""
    require_editor(request)
    client, setup, error = _setup_or_error(account)
    context = {"account": account, "section": SECTION, "error": error}
    if setup is None:
        return render(request, "tasks/setup_delete.html", context)
    current = next((t for t in setup.types if t.id == task_type_id), None)
    if current is None:
        messages.info(request, f"Task type {task_type_id} does not exist (any more).")
        return redirect("tasks:setup", account.slug)
    try:
        count = task_api.list_tasks(client, task_type_id=task_type_id, limit=1).total
    except ApiError as exc:
        return render(request, "tasks/setup_delete.html", {**context, "error": exc.message})
    others = [(t.id, t.title) for t in setup.types if t.id != task_type_id]
    form = DeleteTypeForm(request.POST or None, choices=others) if count else None
    context |= {"current": current, "count": count, "form": form, "noun": "task type"}
    if request.method == "POST" and (form is None or form.is_valid()):
        move_to = form.cleaned_data["move_to"] if form else None
        try:
            moved = task_api.delete_task_type(client, task_type_id, move_to)
        except ApiError as exc:
            context["error"] = exc.message
        else:
            target = dict(others).get(move_to, "")
            summary = f"Deleted task type “{current.title}”"
            summary += (
                f" after moving {moved} task{'s' * (moved != 1)} to “{target}”" if moved else ""
            )
            audit(request, "task_type", task_type_id, "delete", before=current, summary=summary)
            messages.success(request, summary + ".")
            return redirect("tasks:setup", account.slug)
    return render(request, "tasks/setup_delete.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def outcome_form(
    request: HttpRequest, account: ConnectedAccount, outcome_id: int | None = None
) -> HttpResponse:
    """A new outcome or changing one: title, sentiment, the types offering it, disabled."""
    require_editor(request)
    client, setup, error = _setup_or_error(account)
    current = next((o for o in setup.outcomes if o.id == outcome_id), None) if setup else None
    if setup and outcome_id is not None and current is None:
        messages.info(request, f"Outcome {outcome_id} does not exist (any more).")
        return redirect("tasks:setup", account.slug)
    initial = None
    if current and setup:
        types = [t.id for t in setup.types if current.id in t.outcome_ids]
        initial = {"title": current.title, "sentiment": current.sentiment}
        initial |= {"task_types": types, "disabled": current.disabled}
    form = OutcomeForm(
        request.POST or None, setup=setup or task_api.TaskSetup([], []), initial=initial
    )
    if request.method == "POST" and client and form.is_valid():
        data = form.cleaned_data
        try:
            saved = task_api.save_outcome(
                client,
                title=data["title"],
                sentiment=data["sentiment"],
                task_type_ids=data["task_types"],
                disabled=data["disabled"],
                outcome_id=outcome_id,
            )
        except ApiError as exc:
            _refused(form, exc)
        else:
            verb = "Created" if current is None else "Saved"
            summary = f"{verb} outcome “{data['title']}”"
            action = "create" if current is None else "update"
            audit(
                request, "task_outcome", saved, action, before=current, after=data, summary=summary
            )
            messages.success(request, summary + ".")
            return redirect("tasks:setup", account.slug)
    context = {"account": account, "section": SECTION, "form": form, "error": error}
    context |= {"noun": "outcome", "current": current}
    return render(request, "tasks/setup_form.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def delete_outcome(
    request: HttpRequest, account: ConnectedAccount, outcome_id: int
) -> HttpResponse:
    """GET: a confirmation naming the outcome. POST: delete it."""
    require_editor(request)
    client, setup, error = _setup_or_error(account)
    context = {"account": account, "section": SECTION, "error": error, "noun": "outcome"}
    current = next((o for o in setup.outcomes if o.id == outcome_id), None) if setup else None
    if setup and current is None:
        messages.info(request, f"Outcome {outcome_id} does not exist (any more).")
        return redirect("tasks:setup", account.slug)
    context["current"] = current
    if request.method == "POST" and client and current:
        try:
            task_api.delete_outcome(client, outcome_id)
        except ApiError as exc:
            context["error"] = exc.message
        else:
            summary = f"Deleted outcome “{current.title}”"
            audit(request, "task_outcome", outcome_id, "delete", before=current, summary=summary)
            messages.success(request, summary + ".")
            return redirect(reverse("tasks:setup", args=[account.slug]))
    return render(request, "tasks/setup_delete.html", context)
