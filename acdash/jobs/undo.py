"""Undo a finished job: GET previews the reverse job (from the before-values its items
saved; records changed since are listed as skipped), POST starts it.

API calls: one read per 100 records the job changed (the preview's comparison)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError

from . import control
from .contract import KINDS
from .preview import preview_rows
from .progress import job_of


@account_view
def undo_job(request: HttpRequest, account: ConnectedAccount, job_id: int) -> HttpResponse:
    require_editor(request)
    job = job_of(account, job_id)
    refusal = control.undoable(job)
    if refusal:
        messages.error(request, refusal)
        return redirect(job)
    if request.method == "POST":
        undo = control.start_undo(job, request.user)
        messages.success(request, f"Undoing job {job.pk}.")
        return redirect(undo)
    context = {"account": account, "section": "jobs", "job": job, "kind": KINDS[job.kind]}
    try:
        client = client_for_account(account)
        plan = control.undo_plan(client, job)
        context |= {"plan": plan, "rows": preview_rows(client, job.kind, plan)}
    except ApiError as exc:
        context["error"] = exc.message
    return render(request, "jobs/undo.html", context)
