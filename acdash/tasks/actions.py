"""Creating, editing, completing (with an outcome its type offers) and reopening a task.
Values are checked against the account's metadata before anything is sent; the API's 422s
are shown by the field they name; every write is audited with the task before and after."""

from datetime import UTC

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, NotFound, ValidationError
from acdash.activecampaign import tasks as task_api

from .forms import CompleteForm, TaskForm
from .listing import task_name
from .mine import completed_row
from .writes import audit, load_metadata, show_refusal


def _back(request: HttpRequest, account: ConnectedAccount) -> str:
    """Where to go after a write: the list URL it came from (same site only), else the list."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    list_url = reverse("tasks:list", args=[account.slug])
    return back if back.startswith(list_url) else list_url


def _context(request: HttpRequest, account: ConnectedAccount, **more: object) -> dict:
    return {"account": account, "section": "tasks", "next": _back(request, account), **more}


def _unavailable(request: HttpRequest, context: dict, exc: ApiError) -> HttpResponse:
    return render(request, "tasks/form.html", {**context, "error": exc.message})


@account_view
@require_http_methods(["GET", "POST"])
def create_task(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """A new task on a deal or a contact (``?deal=`` / ``?contact=`` preselect it)."""
    require_editor(request)
    context = {
        "account": account,
        "section": "tasks",
        "creating": True,
        "next": _back(request, account),
    }
    try:
        client = client_for_account(account)
        meta = load_metadata(client)
    except ApiError as exc:
        return _unavailable(request, context, exc)
    initial = {"due_date": timezone.now().date(), "related_type": "deal"}
    for kind in ("deal", "contact"):
        if request.GET.get(kind, "").isdigit():
            initial |= {"related_type": kind, "related_id": int(request.GET[kind])}
    form = TaskForm(
        request.POST or None,
        setup=meta.setup,
        users=meta.user_choices,
        creating=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = task_api.create_task(
                client,
                related_type=task_api.RelatedType(data["related_type"]),
                related_id=data["related_id"],
                task_type_id=data["task_type"],
                due=form.due(),
                title=data["title"],
                note=data["note"],
                assignee_id=data["assignee"],
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        except ApiError as exc:
            form.add_error(
                None,
                f"ActiveCampaign did not confirm the new task ({exc.message}). "
                "Look for it in the list before trying again.",
            )
        else:
            summary = f"Created task {task_name(task, meta)}"
            audit(request, "task", task.id, "create", after=task, summary=summary)
            messages.success(request, f"Task {task_name(task, meta)} created.")
            return redirect(context["next"])
    return render(request, "tasks/form.html", {**context, "form": form})


@account_view
@require_http_methods(["GET", "POST"])
def edit_task(request: HttpRequest, account: ConnectedAccount, task_id: int) -> HttpResponse:
    """A task's title, type, due date and time, assignee and note."""
    context = {
        "account": account,
        "section": "tasks",
        "creating": False,
        "next": _back(request, account),
    }
    try:
        client = client_for_account(account)
        meta = load_metadata(client)
        task = task_api.get_task(client, task_id)
    except NotFound:
        messages.info(request, f"Task {task_id} does not exist (any more).")
        return redirect(context["next"])
    except ApiError as exc:
        return _unavailable(request, context, exc)
    initial = {
        "title": task.title,
        "task_type": task.task_type_id,
        "due_date": task.due.astimezone(UTC).date() if task.due else None,
        "due_time": task.due.astimezone(UTC).time() if task.due else None,
        "assignee": task.assignee_id,
        "note": task.note,
    }
    data = request.POST if request.method == "POST" else None
    form = TaskForm(
        data, setup=meta.setup, users=meta.user_choices, creating=False, initial=initial
    )
    context |= {"task": task, "name": task_name(task, meta)}
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            updated = task_api.update_task(
                client,
                task_id,
                title=cleaned["title"],
                note=cleaned["note"],
                due=form.due(),
                task_type_id=cleaned["task_type"],
                assignee_id=cleaned["assignee"],
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        except ApiError as exc:
            form.add_error(None, f"Nothing was saved: {exc.message}")
        else:
            summary = f"Edited task {task_name(updated, meta)}"
            audit(request, "task", task_id, "update", before=task, after=updated, summary=summary)
            messages.success(request, f"Task {task_name(updated, meta)} saved.")
            return redirect(context["next"])
    return render(request, "tasks/form.html", {**context, "form": form})


@account_view
@require_http_methods(["GET", "POST"])
def complete_task(request: HttpRequest, account: ConnectedAccount, task_id: int) -> HttpResponse:
    """GET: the outcomes the task's type offers. POST: complete it with the one chosen. From
    My tasks (htmx) the answer is the task's row there, saying it is done."""
    require_editor(request)
    context = _context(request, account)
    try:
        client = client_for_account(account)
        meta = load_metadata(client)
        task = task_api.get_task(client, task_id)
    except NotFound:
        messages.info(request, f"Task {task_id} does not exist (any more).")
        return redirect(context["next"])
    except ApiError as exc:
        return render(request, "tasks/complete.html", {**context, "error": exc.message})
    outcomes = meta.setup.outcomes_for(task.task_type_id or 0)
    form = CompleteForm(request.POST if request.method == "POST" else None, outcomes=outcomes)
    context |= {"task": task, "name": task_name(task, meta), "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            done = task_api.complete_task(
                client,
                task_id,
                outcome_id=form.cleaned_data.get("outcome"),
                note=form.cleaned_data["outcome_note"] or None,
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        except ApiError as exc:
            form.add_error(None, f"The task was not completed: {exc.message}")
        else:
            outcome = next((o.title for o in outcomes if o.id == done.outcome_id), "")
            summary = f"Completed task {task_name(done, meta)}" + (
                f": {outcome}" if outcome else ""
            )
            audit(request, "task", task_id, "complete", before=task, after=done, summary=summary)
            if request.htmx:
                return completed_row(request, account, done, summary)
            messages.success(request, summary + ".")
            return redirect(context["next"])
    if request.htmx and request.method == "POST":
        return completed_row(request, account, task, "", form=form)
    return render(request, "tasks/complete.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def reopen_task(request: HttpRequest, account: ConnectedAccount, task_id: int) -> HttpResponse:
    """GET: a confirmation naming the task. POST: mark it open again (its outcome stays)."""
    require_editor(request)
    context = _context(request, account)
    try:
        client = client_for_account(account)
        task = task_api.get_task(client, task_id)
    except NotFound:
        messages.info(request, f"Task {task_id} does not exist (any more).")
        return redirect(context["next"])
    except ApiError as exc:
        return render(request, "tasks/reopen.html", {**context, "error": exc.message})
    context |= {"task": task, "name": task_name(task)}
    if request.method == "POST":
        try:
            reopened = task_api.update_task(client, task_id, done=False)
        except ApiError as exc:
            return render(request, "tasks/reopen.html", {**context, "error": exc.message})
        summary = f"Reopened task {task_name(reopened)}"
        audit(request, "task", task_id, "reopen", before=task, after=reopened, summary=summary)
        messages.success(request, summary + ".")
        return redirect(context["next"])
    return render(request, "tasks/reopen.html", context)
