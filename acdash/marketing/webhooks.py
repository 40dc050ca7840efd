"""The webhooks of one account: the list, creating and editing one (events and sources
from the API's own lists), deleting one after a confirmation. Every write is audited."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, NotFound, ValidationError, webhooks
from acdash.activecampaign.concurrency import gather
from acdash.contacts.writes import show_api_errors

from .common import audit, page_number, paginate, respond
from .forms import WebhookForm
from .tables import WebhookSource, WebhookTable

FORM = "marketing/webhook_form.html"


@account_view
@require_safe
def webhook_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The webhooks, 20 a page: one call."""
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "webhooks"}
    try:
        client = client_for_account(account)
        source = WebhookSource(client, {}, offset=(page_number(request) - 1) * 20, limit=20)
        table = WebhookTable(source, account_slug=account.slug, can_edit=request.access.can_edit)
        paginate(table, page_number(request))
        context["table"] = table
    except ApiError as exc:
        context["error"] = exc.message
    return respond(request, "marketing/webhooks.html", context)


def _choices(client: Client) -> dict[str, list[str]]:
    """The API's events and sources (cached; their two calls at once on a miss)."""
    events, sources = gather(lambda: webhooks.events(client), lambda: webhooks.sources(client))
    return {"events": events, "sources": sources}


def _save(
    request: HttpRequest,
    account: ConnectedAccount,
    client: Client,
    form: WebhookForm,
    before: webhooks.Webhook | None,
) -> HttpResponse | None:
    """Send the valid form (create, or update ``before``); None when the API refused it
    (its messages are then on the form, by the field each names)."""
    values = {k: form.cleaned_data[k] for k in ("name", "url", "events", "sources")}
    try:
        if before is None:
            saved = webhooks.create_webhook(client, **values)
        else:
            saved = webhooks.update_webhook(client, before.id, **values)
    except ValidationError as exc:
        show_api_errors(form, exc.field_errors)
        return None
    except ApiError as exc:
        form.add_error(None, f"Nothing was saved: {exc.message}")
        return None
    action = "create" if before is None else "update"
    verb = "Created" if before is None else "Updated"
    summary = f"{verb} webhook “{saved.name}” ({saved.url})"
    audit(request, "webhook", saved.id, action, before=before, after=saved, summary=summary)
    messages.success(request, f"{verb} webhook “{saved.name}”.")
    return redirect("marketing:webhooks", account.slug)


@account_view
@require_http_methods(["GET", "POST"])
def webhook_create(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """GET: the form (events and sources: cached, 2 calls on a miss). POST: create it (1)."""
    require_editor(request)
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "webhooks"}
    try:
        client = client_for_account(account)
        form = WebhookForm(request.POST or None, **_choices(client))
    except ApiError as exc:
        return render(request, FORM, {**context, "error": exc.message})
    if (
        request.method == "POST"
        and form.is_valid()
        and (saved := _save(request, account, client, form, None))
    ):
        return saved
    return render(request, FORM, {**context, "form": form})


def _read(client: Client, webhook_id: int) -> webhooks.Webhook:
    try:
        return webhooks.get_webhook(client, webhook_id)
    except NotFound:
        raise Http404(f"Webhook {webhook_id} does not exist.") from None


@account_view
@require_http_methods(["GET", "POST"])
def webhook_edit(request: HttpRequest, account: ConnectedAccount, webhook_id: int) -> HttpResponse:
    """GET: the form filled from the API (1 call, the lists cached). POST: save it (2)."""
    require_editor(request)
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "webhooks"}
    try:
        client = client_for_account(account)
        webhook = _read(client, webhook_id)
        choices = _choices(client)
    except ApiError as exc:
        return render(request, FORM, {**context, "error": exc.message})
    initial = {
        "name": webhook.name,
        "url": webhook.url,
        "events": list(webhook.events),
        "sources": list(webhook.sources),
    }
    form = WebhookForm(request.POST or None, initial=initial, **choices)
    if (
        request.method == "POST"
        and form.is_valid()
        and (saved := _save(request, account, client, form, webhook))
    ):
        return saved
    return render(request, FORM, {**context, "form": form, "webhook": webhook})


@account_view
@require_http_methods(["GET", "POST"])
def webhook_delete(
    request: HttpRequest, account: ConnectedAccount, webhook_id: int
) -> HttpResponse:
    """GET: a confirmation naming the webhook. POST: delete it, audited with the webhook as
    it was. It is read first (one call) to name and audit it."""
    require_editor(request)
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "webhooks"}
    try:
        client = client_for_account(account)
        webhook = _read(client, webhook_id)
    except ApiError as exc:
        return render(request, "marketing/webhook_delete.html", {**context, "error": exc.message})
    context["webhook"] = webhook
    if request.method == "GET":
        return render(request, "marketing/webhook_delete.html", context)
    summary = f"Deleted webhook “{webhook.name}” ({webhook.url})"
    try:
        webhooks.delete_webhook(client, webhook_id)
    except NotFound:
        summary += " (the API reported it already gone)"
    except ApiError as exc:
        return render(request, "marketing/webhook_delete.html", {**context, "error": exc.message})
    audit(request, "webhook", webhook.id, "delete", before=webhook, summary=summary)
    messages.success(request, f"Deleted webhook “{webhook.name}”.")
    return redirect("marketing:webhooks", account.slug)
