"""Automations: the list with contact counts, the contacts in one, and the contact page's
panel of the automations a contact is in (add to one, remove from one). Writes audited."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_safe

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, NotFound, automations
from acdash.activecampaign.concurrency import gather
from acdash.activecampaign.dealboard import contact_names

from .common import audit, page_number, paginate, respond
from .forms import AddToAutomationForm
from .tables import (
    AutomationContactSource,
    AutomationContactTable,
    AutomationSource,
    AutomationTable,
)

PANEL = "marketing/contact_automations.html"
PAGE = "marketing/contact_automations_page.html"


@account_view
@require_safe
def automation_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The automations with their contact counts, 20 a page: one call."""
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "automations"}
    page = page_number(request)
    try:
        client = client_for_account(account)
        source = AutomationSource(client, {}, offset=(page - 1) * 20, limit=20)
        table = AutomationTable(source, sort=request.GET.get("sort", ""), account_slug=account.slug)
        paginate(table, page)
        context |= {"table": table, "sort": ",".join(table.order_by)}
    except ApiError as exc:
        context["error"] = exc.message
    return respond(request, "marketing/automations.html", context)


@account_view
@require_safe
def automation_contacts(
    request: HttpRequest, account: ConnectedAccount, automation_id: int
) -> HttpResponse:
    """The contacts in one automation, 20 a page: the automation and its page of contacts
    (1 call each, at once), then their names (1)."""
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "automations"}
    page = page_number(request)
    try:
        client = client_for_account(account)
        source = AutomationContactSource(
            client, {"automation_id": automation_id}, offset=(page - 1) * 20, limit=20
        )
        table = AutomationContactTable(source, account_slug=account.slug)
        context["automation"], _ = gather(
            lambda: automations.get_automation(client, automation_id),
            lambda: paginate(table, page),
        )
        rows = table.page.object_list
        table.names = contact_names(client, [row.record.contact_id for row in rows])
        context["table"] = table
    except NotFound:
        raise Http404(f"Automation {automation_id} does not exist.") from None
    except ApiError as exc:
        context["error"] = exc.message
    return respond(request, "marketing/automation.html", context)


# The contact page's panel -----------------------------------------------------------------


def _panel(
    request: HttpRequest, client: Client, context: dict[str, Any], form=None, toast: str = ""
) -> HttpResponse:
    """The panel as the API now has it (its list and the cached names: 1 call when warm),
    or its error with a Retry; without htmx, on a page of its own."""
    try:
        found = automations.of_contact(client, context["contact_id"])
        names = automations.automation_names(client)
    except ApiError as exc:
        return _render_panel(request, {**context, "panel_error": str(exc)})
    inside = {entry.automation_id for entry in found}
    others = {i: n for i, n in names.items() if i not in inside}
    form = form or AddToAutomationForm(automations=others, auto_id="automation_%s")
    context |= {"entries": found, "form": form, "toast": toast, "focus_heading": bool(toast)}
    return _render_panel(request, context)


def _render_panel(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    if request.htmx:
        return HttpResponse(render_to_string(f"{PANEL}#panel", context, request))
    return render(request, PAGE, {**context, "section": "contacts"})


def _context(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> dict[str, Any]:
    return {"account": account, "contact_id": contact_id, "can_edit": request.access.can_edit}


@account_view
@require_http_methods(["GET", "POST"])
def contact_automations(
    request: HttpRequest, account: ConnectedAccount, contact_id: int
) -> HttpResponse:
    """GET: the panel, loaded when the contact page's closed panel is opened (or, without
    JS, on a page of its own). POST: add the contact to the chosen automation (1 call),
    audited, then the panel again."""
    context = _context(request, account, contact_id)
    try:
        client = client_for_account(account)
    except ApiError as exc:
        return _render_panel(request, {**context, "panel_error": str(exc)})
    if request.method == "GET":
        return _panel(request, client, context)
    require_editor(request)
    try:
        names = automations.automation_names(client)
    except ApiError as exc:
        return _panel(request, client, context, toast=f"Nothing was added: {exc.message}")
    form = AddToAutomationForm(request.POST, automations=names, auto_id="automation_%s")
    if not form.is_valid():
        return _panel(request, client, context, form=form)
    automation_id = form.cleaned_data["automation"]
    try:
        added = automations.add_contact(client, contact_id, automation_id)
    except ApiError as exc:
        form.add_error("automation", f"Nothing was added: {exc.message}")
        return _panel(request, client, context, form=form)
    name = names.get(automation_id, f"automation {automation_id}")
    summary = f"Added contact {contact_id} to automation “{name}”"
    audit(request, "contactAutomation", added.id, "create", after=added, summary=summary)
    return _finish(request, client, context, f"Added to “{name}”.")


def _finish(request: HttpRequest, client: Client, context: dict[str, Any], toast: str):
    """After a write: the panel with a toast for htmx; else back to the contact page."""
    if request.htmx:
        return _panel(request, client, context, toast=toast)
    messages.success(request, toast)
    return redirect("contacts:detail", context["account"].slug, context["contact_id"])


@account_view
@require_http_methods(["GET", "POST"])
def contact_automation_remove(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, contact_automation_id: int
) -> HttpResponse:
    """GET: a confirmation naming the automation. POST: take the contact out of it (read
    first to name and audit it: 2 calls), audited."""
    require_editor(request)
    context = _context(request, account, contact_id)
    try:
        client = client_for_account(account)
        entry = automations.get_contact_automation(client, contact_automation_id)
    except NotFound:
        raise Http404("The contact is not in this automation (any more).") from None
    except ApiError as exc:
        return render(
            request, "marketing/contact_automation_remove.html", {**context, "error": exc.message}
        )
    if entry.contact_id != contact_id:
        raise Http404("The contact is not in this automation.")
    name = entry.automation_name or f"automation {entry.automation_id}"
    context |= {"entry": entry, "name": name, "section": "contacts"}
    if request.method == "GET":
        return render(request, "marketing/contact_automation_remove.html", context)
    try:
        automations.remove_contact(client, contact_automation_id)
    except ApiError as exc:
        return render(
            request, "marketing/contact_automation_remove.html", {**context, "error": exc.message}
        )
    summary = f"Removed contact {contact_id} from automation “{name}”"
    audit(request, "contactAutomation", entry.id, "delete", before=entry, summary=summary)
    return _finish(request, client, context, f"Removed from “{name}”.")
