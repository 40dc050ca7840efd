"""A job's progress page (live by htmx polling of its ``progress`` fragment), its cancel and
"retry failed" buttons, and its per-item result file. No API calls: all from the database."""

import csv
import json
from collections.abc import Iterator

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from acdash.accounts.access import account_view
from acdash.accounts.models import ConnectedAccount

from . import control
from .models import Job, JobItem

LISTED_ITEMS = 50  # failures (and skips) shown on the page; the result file has them all
POLL_SECONDS = 1


def job_of(account: ConnectedAccount, job_id: int) -> Job:
    return get_object_or_404(
        Job.objects.select_related("account", "created_by"), pk=job_id, account=account
    )


def progress(job: Job) -> dict:
    """Percent, rate (records a minute) and seconds left, from the counts and the clock."""
    percent = 100 if job.finished else int(100 * job.completed / job.total) if job.total else 0
    rate = eta = None
    if job.started_at and job.completed:
        elapsed = ((job.finished_at or timezone.now()) - job.started_at).total_seconds()
        if elapsed > 0:
            rate = job.completed / elapsed * 60
            if not job.finished:
                eta = int((job.total - job.completed) / (rate / 60))
    return {"percent": percent, "rate": rate, "eta": eta, "poll": not job.finished}


@account_view
@require_safe
def job_detail(request: HttpRequest, account: ConnectedAccount, job_id: int) -> HttpResponse:
    """The page, or (htmx) its progress fragment, which polls itself until the job ends."""
    job = job_of(account, job_id)
    items = job.items.order_by("position")
    context = {
        "account": account,
        "section": "jobs",
        "job": job,
        **progress(job),
        "failures": items.filter(state=JobItem.State.FAILED)[:LISTED_ITEMS],
        "skips": items.filter(state=JobItem.State.SKIPPED)[:LISTED_ITEMS],
        "undo_refusal": control.undoable(job),
        "undone_by": job.undos.order_by("-pk").first(),
        "poll_seconds": POLL_SECONDS,
    }
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@account_view
@require_POST
def cancel_job(request: HttpRequest, account: ConnectedAccount, job_id: int) -> HttpResponse:
    job = job_of(account, job_id)
    if job.finished:
        messages.info(request, "The job had already finished.")
    else:
        control.cancel(job)
        messages.success(request, "Cancelling: the job stops after the records it is writing.")
    return redirect(job)


@account_view
@require_POST
def retry_job(request: HttpRequest, account: ConnectedAccount, job_id: int) -> HttpResponse:
    job = job_of(account, job_id)
    if not job.finished:
        messages.info(request, "The job is still running; retry its failures once it has finished.")
        return redirect(job)
    count = control.retry_failed(job)
    if count:
        messages.success(request, f"Retrying {count} failed record{'s' if count != 1 else ''}.")
    else:
        messages.info(request, "No record failed, so there is nothing to retry.")
    return redirect(job)


def _cell(value: object) -> str:
    """Text for a spreadsheet: JSON for values; a leading = + - @ is quoted so no
    spreadsheet runs a label as a formula."""
    text = value if isinstance(value, str) else "" if value is None else json.dumps(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(job: Job) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["id", "label", "outcome", "reason", "before", "after"])
    for item in job.items.order_by("position").iterator(chunk_size=500):
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    item.object_id,
                    item.label,
                    item.state,
                    item.reason,
                    item.before,
                    item.after,
                )
            ]
        )


@account_view
@require_safe
def result_csv(request: HttpRequest, account: ConnectedAccount, job_id: int) -> HttpResponse:
    """Every item's outcome, streamed (a job may cover tens of thousands of records)."""
    job = job_of(account, job_id)
    response = StreamingHttpResponse(_rows(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}-results.csv"'
    return response
