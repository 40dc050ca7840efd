"""The pipelines of one account with their stages: each stage's deal count and value as bars,
and creating, renaming and deleting pipelines and stages (recolouring and reordering
stages too).

The page itself costs nothing with the pipelines cached; each pipeline's figures load by
their own htmx request (``figures``: one call per stage, concurrently). Every write is
checked against the pipelines as the API reports them, audited, and answered by the page
with a message; a refused one comes back to its form with the reasons by the fields.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, NotFound, ValidationError, pipelines
from acdash.activecampaign.dealboard import board_columns
from acdash.activecampaign.deals import list_deals
from acdash.contacts.writes import audit

from .pipeline_forms import MoveDealsForm, PipelineForm, RenameForm, StageForm

TEMPLATE = "deals/pipelines.html"
FORM_TEMPLATE = "deals/pipeline_form.html"


def _base(request: HttpRequest, account: ConnectedAccount) -> dict[str, Any]:
    return {"account": account, "section": "deals", "can_edit": request.access.can_edit}


def _list_url(account: ConnectedAccount) -> str:
    return reverse("deals:pipelines", args=[account.slug])


def _refused(form: forms.Form, exc: ApiError, names: dict[str, str]) -> None:
    """The API's refusal by the fields it names (``names``: API attribute → form field)."""
    if isinstance(exc, ValidationError):
        for attribute, found in exc.field_errors.items():
            field = names.get(attribute)
            form.add_error(field if field in form.fields else None, found)
    else:
        form.add_error(None, f"Nothing was changed: {exc}")


@account_view
@require_safe
def pipeline_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The pipelines with their stages (cached: no call when warm); figures load after."""
    context = _base(request, account)
    try:
        context["pipelines"] = pipelines.list_pipelines(client_for_account(account))
    except ApiError as exc:
        context["error"] = str(exc)
    context["create_form"] = PipelineForm()
    return render(request, TEMPLATE, context)


class LookupFailed(Exception):
    """The pipelines could not be read: the action is not tried (the page says why)."""


def _pipeline_or_none(client: Client, pipeline_id: int) -> pipelines.Pipeline | None:
    try:
        return pipelines.get_pipeline(client, pipeline_id)
    except NotFound:
        return None
    except ApiError as exc:
        raise LookupFailed(str(exc)) from exc


def _reads_pipelines(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An action on a pipeline or stage whose pipelines could not be read changes nothing
    and goes back to the page, which shows why."""

    @wraps(view)
    def wrapper(request: HttpRequest, account: ConnectedAccount, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, account, *args, **kwargs)
        except LookupFailed as exc:
            messages.error(
                request, f"Nothing was changed: the pipelines could not be read ({exc})."
            )
            return redirect(_list_url(account))

    return wrapper


@account_view
@require_safe
def figures(request: HttpRequest, account: ConnectedAccount, pipeline_id: int) -> HttpResponse:
    """One pipeline's stages with the count and value of their deals, drawn as bars."""
    if not request.htmx:  # a fragment of the pipelines page
        return redirect(f"{_list_url(account)}#pipeline-{pipeline_id}")
    context = _base(request, account)
    try:
        client = client_for_account(account)
        pipeline = pipelines.get_pipeline(client, pipeline_id)
        columns = board_columns(client, pipeline, limit=1)
    except NotFound:
        return render(request, f"{TEMPLATE}#figures-missing", context)
    except ApiError as exc:
        context |= {"message": str(exc), "pipeline_id": pipeline_id}
        return render(request, f"{TEMPLATE}#figures-error", context)
    most_deals = max((c.page.total for c in columns), default=0) or 1
    most_value = max((c.value_cents for c in columns), default=0) or 1
    context |= {
        "pipeline": pipeline,
        "rows": [
            {
                "column": c,
                "count_pct": round(100 * c.page.total / most_deals),
                "value_pct": round(100 * c.value_cents / most_value),
            }
            for c in columns
        ],
        "total_deals": sum(c.page.total for c in columns),
    }
    return render(request, f"{TEMPLATE}#figures", context)


def _form_page(
    request: HttpRequest, account: ConnectedAccount, form: forms.Form, **context: Any
) -> HttpResponse:
    """An action's own form (where a refused inline form comes back with its errors)."""
    return render(request, FORM_TEMPLATE, {**_base(request, account), "form": form, **context})


@account_view
@require_http_methods(["GET", "POST"])
def create_pipeline(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    require_editor(request)
    form = PipelineForm(request.POST if request.method == "POST" else None)
    page = {"heading": "New pipeline", "submit": "Create pipeline"}
    if request.method == "POST" and form.is_valid():
        title, currency = form.cleaned_data["title"], form.cleaned_data["currency"]
        try:
            created = pipelines.create_pipeline(client_for_account(account), title, currency)
        except ApiError as exc:
            _refused(form, exc, {"title": "title", "currency": "currency"})
        else:
            audit(
                request,
                "pipeline",
                created.id,
                "create",
                after=created,
                summary=f"Created pipeline {title}",
            )
            messages.success(
                request, f"Pipeline {title} created with {len(created.stages)} stages."
            )
            return redirect(f"{_list_url(account)}#pipeline-{created.id}")
    return _form_page(request, account, form, **page)


@account_view
@require_http_methods(["GET", "POST"])
@_reads_pipelines
def rename_pipeline(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int
) -> HttpResponse:
    require_editor(request)
    client = client_for_account(account)
    pipeline = _pipeline_or_none(client, pipeline_id)
    if pipeline is None:
        messages.info(request, f"Pipeline {pipeline_id} does not exist (any more).")
        return redirect(_list_url(account))
    form = RenameForm(
        request.POST if request.method == "POST" else None, initial={"title": pipeline.title}
    )
    page = {"heading": f"Rename pipeline {pipeline.title}", "submit": "Rename"}
    if request.method == "POST" and form.is_valid():
        title = form.cleaned_data["title"]
        try:
            renamed = pipelines.rename_pipeline(client, pipeline.id, title)
        except ApiError as exc:
            _refused(form, exc, {"title": "title"})
        else:
            summary = f"Renamed pipeline {pipeline.title} to {title}"
            audit(
                request,
                "pipeline",
                pipeline.id,
                "update",
                before=pipeline,
                after=renamed,
                summary=summary,
            )
            messages.success(request, f"Pipeline renamed to {title}.")
            return redirect(f"{_list_url(account)}#pipeline-{pipeline.id}")
    return _form_page(request, account, form, **page)


def _deal_count(client: Client, **filters: int) -> int:
    return list_deals(client, limit=1, **filters).total


@account_view
@require_http_methods(["GET", "POST"])
@_reads_pipelines
def delete_pipeline(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int
) -> HttpResponse:
    """GET: a confirmation naming the pipeline, its stages and how many deals go with them
    (one call). POST: delete it (the API deletes its stages and deals too)."""
    require_editor(request)
    context = _base(request, account)
    try:
        client = client_for_account(account)
        pipeline = _pipeline_or_none(client, pipeline_id)
        if pipeline is None:
            messages.info(request, f"Pipeline {pipeline_id} does not exist (any more).")
            return redirect(_list_url(account))
        context |= {"pipeline": pipeline, "deals": _deal_count(client, pipeline_id=pipeline.id)}
        if request.method == "GET":
            return render(request, "deals/pipeline_delete.html", context)
        pipelines.delete_pipeline(client, pipeline.id)
    except ApiError as exc:
        return render(request, "deals/pipeline_delete.html", {**context, "error": str(exc)})
    summary = f"Deleted pipeline {pipeline.title} with {len(pipeline.stages)} stages"
    summary += f" and {context['deals']} deals"
    audit(request, "pipeline", pipeline.id, "delete", before=pipeline, summary=summary)
    messages.success(request, f"Deleted pipeline {pipeline.title}.")
    return redirect(_list_url(account))


# Stages -----------------------------------------------------------------------------------


@account_view
@require_http_methods(["GET", "POST"])
@_reads_pipelines
def create_stage(request: HttpRequest, account: ConnectedAccount, pipeline_id: int) -> HttpResponse:
    """A new stage at the end of the pipeline."""
    require_editor(request)
    client = client_for_account(account)
    pipeline = _pipeline_or_none(client, pipeline_id)
    if pipeline is None:
        messages.info(request, f"Pipeline {pipeline_id} does not exist (any more).")
        return redirect(_list_url(account))
    form = StageForm(request.POST if request.method == "POST" else None)
    page = {"heading": f"New stage in {pipeline.title}", "submit": "Add stage"}
    if request.method == "POST" and form.is_valid():
        title, color = form.cleaned_data["title"], form.cleaned_data["color"]
        try:
            stage = pipelines.create_stage(client, pipeline.id, title, color=color)
        except ApiError as exc:
            _refused(form, exc, {"title": "title", "color": "color"})
        else:
            audit(
                request,
                "stage",
                stage.id,
                "create",
                after=stage,
                summary=f"Added stage {title} to {pipeline.title}",
            )
            messages.success(request, f"Stage {title} added to {pipeline.title}.")
            return redirect(f"{_list_url(account)}#pipeline-{pipeline.id}")
    return _form_page(request, account, form, **page)


def _stage_of(
    request: HttpRequest, client: Client, pipeline_id: int, stage_id: int
) -> tuple[pipelines.Pipeline, pipelines.Stage] | None:
    pipeline = _pipeline_or_none(client, pipeline_id)
    stage = pipeline.stage(stage_id) if pipeline else None
    if pipeline is None or stage is None:
        messages.info(request, "That stage does not exist (any more).")
        return None
    return pipeline, stage


@account_view
@require_http_methods(["GET", "POST"])
@_reads_pipelines
def edit_stage(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int, stage_id: int
) -> HttpResponse:
    """Rename and recolour a stage."""
    require_editor(request)
    client = client_for_account(account)
    if (found := _stage_of(request, client, pipeline_id, stage_id)) is None:
        return redirect(_list_url(account))
    pipeline, stage = found
    initial = {"title": stage.title, "color": f"#{stage.color}"}
    form = StageForm(request.POST if request.method == "POST" else None, initial=initial)
    page = {"heading": f"Stage {stage.title} of {pipeline.title}", "submit": "Save stage"}
    if request.method == "POST" and form.is_valid():
        title, color = form.cleaned_data["title"], form.cleaned_data["color"]
        try:
            saved = pipelines.update_stage(client, stage.id, title=title, color=color)
        except ApiError as exc:
            _refused(form, exc, {"title": "title", "color": "color"})
        else:
            summary = f"Edited stage {stage.title} of {pipeline.title}"
            audit(request, "stage", stage.id, "update", before=stage, after=saved, summary=summary)
            messages.success(request, f"Stage {title} saved.")
            return redirect(f"{_list_url(account)}#pipeline-{pipeline.id}")
    return _form_page(request, account, form, **page)


@account_view
@require_POST
@_reads_pipelines
def move_stage(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int, stage_id: int
) -> HttpResponse:
    """Move a stage one place earlier (``direction=up``) or later (``down``)."""
    client = client_for_account(account)
    back = _list_url(account)
    if (found := _stage_of(request, client, pipeline_id, stage_id)) is None:
        return redirect(back)
    pipeline, stage = found
    order = [s.id for s in pipeline.stages]
    at = order.index(stage.id)
    to = at - 1 if request.POST.get("direction") == "up" else at + 1
    if request.POST.get("direction") not in ("up", "down") or not 0 <= to < len(order):
        messages.info(request, f"Stage {stage.title} stays where it is.")
        return redirect(f"{back}#pipeline-{pipeline.id}")
    order[at], order[to] = order[to], order[at]
    try:
        pipelines.reorder_stages(client, pipeline.id, order)
    except ApiError as exc:
        messages.error(request, f"The stages were not reordered: {exc}")
        return redirect(f"{back}#pipeline-{pipeline.id}")
    before = [s.title for s in pipeline.stages]
    after = [next(s.title for s in pipeline.stages if s.id == i) for i in order]
    summary = f"Moved stage {stage.title} of {pipeline.title} {request.POST['direction']}"
    audit(request, "pipeline", pipeline.id, "reorder", before=before, after=after, summary=summary)
    messages.success(request, f"Stage {stage.title} moved {request.POST['direction']}.")
    return redirect(f"{back}#stage-{stage.id}")


@account_view
@require_http_methods(["GET", "POST"])
@_reads_pipelines
def delete_stage(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int, stage_id: int
) -> HttpResponse:
    """GET: a confirmation naming the stage and its deals; a stage with deals asks where
    they go (another stage of the pipeline), since the API deletes only empty stages.
    POST: move the deals there (one call), then delete the stage (one call)."""
    require_editor(request)
    context = _base(request, account)
    client = client_for_account(account)
    try:
        if (found := _stage_of(request, client, pipeline_id, stage_id)) is None:
            return redirect(_list_url(account))
        pipeline, stage = found
        deals = _deal_count(client, stage_id=stage.id)
    except ApiError as exc:
        return render(request, "deals/stage_delete.html", {**context, "error": str(exc)})
    form = MoveDealsForm(
        request.POST if request.method == "POST" else None, pipeline=pipeline, stage_id=stage.id
    )
    context |= {"pipeline": pipeline, "stage": stage, "deals": deals, "form": form}
    if request.method == "GET" or (deals and not form.is_valid()):
        return render(request, "deals/stage_delete.html", context)
    target = pipeline.stage(form.cleaned_data["target"]) if deals else None
    try:
        if target is not None:
            pipelines.move_stage_deals(client, stage.id, target.id)
        pipelines.delete_stage(client, stage.id)
    except ApiError as exc:
        _refused(form, exc, {"stage": "target"})
        return render(request, "deals/stage_delete.html", context)
    summary = f"Deleted stage {stage.title} of {pipeline.title}"
    if target is not None:
        summary += f", its {deals} deals moved to {target.title}"
    audit(request, "stage", stage.id, "delete", before=stage, summary=summary)
    messages.success(request, summary + ".")
    return redirect(f"{_list_url(account)}#pipeline-{pipeline.id}")
