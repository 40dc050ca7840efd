"""The CSV import of contacts: upload an edited export, review the cells it changes (before →
after, from the API now), choose a rule per column, and apply it as one background job.

The uploaded file is kept in the user's session, keyed by account, between the preview and
"Apply"; every step reads it from there and checks it again against the API, so nothing the
browser sends back is trusted but the rules, which are chosen from a fixed set."""

import secrets
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError
from acdash.activecampaign.errors import DeadlineExceeded
from acdash.jobs.engine import start_job

from .csv_columns import header_keys
from .csv_export import account_metadata
from .csv_files import MAX_BYTES, MAX_ROWS, BadFile, read_table, too_big
from .csv_review import RULES, review

SESSION_KEY = "csv_import:{slug}"
SHOWN_CHANGES = 200  # rows the preview lists; the job applies them all


def _stored(request: HttpRequest, account: ConnectedAccount) -> dict | None:
    """The file this user uploaded for this account, when the form names it (its token)."""
    stored = request.session.get(SESSION_KEY.format(slug=account.slug))
    token = request.POST.get("token", "")
    if stored and token and secrets.compare_digest(stored["token"], token):
        return stored
    return None


def _upload(request: HttpRequest, account: ConnectedAccount) -> dict:
    """Read the uploaded file and keep it in the session; BadFile says why it is refused."""
    upload = request.FILES.get("file")
    if upload is None:
        raise BadFile("Choose a CSV file to upload.")
    if message := too_big(upload.size or 0):
        raise BadFile(message)
    data = upload.read(MAX_BYTES + 1)
    read_table(data)  # refuses what is not a contact CSV before anything is kept
    stored = {
        "token": secrets.token_urlsafe(16),
        "name": PurePath(upload.name or "upload.csv").name[:120],
        "text": data.decode("utf-8-sig"),
    }
    request.session[SESSION_KEY.format(slug=account.slug)] = stored
    return stored


@account_view
@require_http_methods(["GET", "POST"])
def contact_import(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """GET: the upload form. POST ``step=upload`` (a file), ``preview`` (other rules) or
    ``apply``: the preview of what the file changes, or the job that applies it.

    A preview costs what ``csv_review.review`` says (a contact read per 100 rows, plus the
    lookups of rows matched by email; metadata cached); "Apply" the same again, then the
    job does the writes."""
    if not request.access.can_edit:
        raise PermissionDenied("Your role in this account is read-only.")
    context = {
        "account": account,
        "section": "contacts",
        "list_url": reverse("contacts:list", args=[account.slug]),
        "max_mb": MAX_BYTES // 1_000_000,
        "max_rows": MAX_ROWS,
        "rules": RULES,
    }
    if request.method == "GET":
        # A fresh start: a file left in review is dropped (the session is read on every page).
        request.session.pop(SESSION_KEY.format(slug=account.slug), None)
        return render(request, "contacts/csv_import.html", context)
    step = request.POST.get("step", "upload")
    try:
        stored = _upload(request, account) if step == "upload" else _stored(request, account)
        if stored is None:
            raise BadFile("This preview is no longer open (the file was replaced or applied): "
                          "upload the file again.")  # fmt: skip
        table = read_table(stored["text"].encode())
        client = client_for_account(account)
        metadata = account_metadata(client, header_keys(table.header))
        result = review(client, table, metadata, request.POST)
    except BadFile as exc:
        context["error"] = str(exc)
        return render(request, "contacts/csv_import.html", context, status=400)
    except DeadlineExceeded:
        context["error"] = (
            "Reading this file's contacts from ActiveCampaign takes longer than a page may "
            "wait. Nothing was changed: split the file into smaller ones (fewer rows, or "
            "fewer tag and list columns) and import them one after another."
        )
        return render(request, "contacts/csv_import.html", context, status=503)
    except ApiError as exc:
        context["error"] = f"ActiveCampaign could not be read ({exc.message}); nothing was changed."
        return render(request, "contacts/csv_import.html", context, status=502)
    if step == "apply" and result.changes:
        job = start_job(
            account=account,
            user=request.user,
            kind="contact",
            description=f"CSV import of {stored['name']}",
            targets=result.targets(),
        )
        del request.session[SESSION_KEY.format(slug=account.slug)]
        messages.success(request, f"Importing {stored['name']}: {len(result.changes)} contacts.")
        return redirect(job.get_absolute_url())
    if step == "apply":
        messages.info(request, "The file changes nothing: no job was started.")
    context |= {
        "stored": stored,
        "review": result,
        "shown": result.changes[:SHOWN_CHANGES],
    }
    return render(request, "contacts/csv_import.html", context)
