"""The contact's tags (added by name or suggestion, removed) and list subscriptions."""

from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django_htmx.http import reswap, retarget

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, NotFound, lists, tags

from .detail import LIST_STATUS, TEMPLATE, ListRow, base_context, failure, fragment, other_lists
from .detail_forms import MAX_ID, NOT_A_TAG, TagForm
from .writes import audit, refused

# Tags -------------------------------------------------------------------------------------


def _tags_section(
    request: HttpRequest, context: dict[str, Any], tag_list: list[tags.ContactTag], toast: str
) -> HttpResponse:
    """The whole tags section, replacing the one on the page."""
    context = {**context, "tag_list": tag_list, "focus": True}
    response = fragment(request, "tags", context, toast=toast)
    return reswap(retarget(response, "#tags"), "outerHTML")


def _picked_tag(client: Client, tag_id: int) -> tags.Tag | None:
    """The suggestion picked: from the cache (reloaded once if it lacks the id, e.g. in an
    account with too many tags to cache), else asked of the API (one call)."""
    found = next((t for t in tags.tag_catalog(client, [tag_id]).tags if t.id == tag_id), None)
    if found is None:
        try:
            found = tags.get_tag(client, tag_id)
        except NotFound:
            return None
    return found if found.type == tags.CONTACT else None


def _resolve_tag(client: Client, form: TagForm) -> tuple[tags.Tag | None, bool]:
    """The tag picked or typed, and whether it had to be created (None: no such id)."""
    tag_id, name = form.cleaned_data.get("tag_id"), form.cleaned_data["tag"].strip()
    if tag_id:
        return _picked_tag(client, tag_id), False
    same = [t for t in tags.search_tags(client, name, limit=100) if t.name.lower() == name.lower()]
    if same:
        return same[0], False
    # Not in the cache: it may have been created in ActiveCampaign since (one lookup).
    if (existing := tags.find_tag(client, name)) is not None:
        return existing, False
    return tags.create_tag(client, name), True


@account_view
def tag_add(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """POST a tag (a suggestion's id, or a name: an unknown name creates the tag). Reads
    the contact's tags first (one call): a tag it has already is not written again."""
    context = base_context(request, account, contact_id)
    form = TagForm(request.POST)
    if not form.is_valid():
        return fragment(request, "tag-form", {**context, "tag_form": form})
    client = client_for_account(account)
    try:
        held = tags.contact_tags(client, contact_id)  # a missing contact: no tag is created
        tag, created = _resolve_tag(client, form)
        if tag is None:
            form.add_error("tag", NOT_A_TAG)
            return fragment(request, "tag-form", {**context, "tag_form": form})
        if created:
            audit(request, "tag", tag.id, "create", after=tag, summary=f"Created tag {tag.name}")
        if any(link.tag_id == tag.id for link in held):
            return _tags_section(request, context, held, f"Already tagged “{tag.name}”.")
        link = tags.add_tag(client, contact_id, tag.id)
        audit(
            request,
            "contact",
            contact_id,
            "tag.add",
            after={"tag_id": tag.id, "tag": tag.name, "contact_tag_id": link.id},
            summary=f"Added tag {tag.name}",
        )
        link = replace(link, name=link.name or tag.name)
        return _tags_section(request, context, [*held, link], f"Added tag “{tag.name}”.")
    except NotFound:
        form.add_error("tag", "This contact no longer exists in ActiveCampaign.")
    except ApiError as exc:
        refused(form, "tag", exc, "changed")
    return fragment(request, "tag-form", {**context, "tag_form": form})


@account_view
def tag_suggestions(request: HttpRequest, account: ConnectedAccount, contact_id: int):
    """The account's tags starting with what was typed, for the type-ahead (cached)."""
    context = base_context(request, account, contact_id)
    prefix = request.GET.get("tag", "").strip()
    try:
        found = tags.search_tags(client_for_account(account), prefix) if prefix else []
    except ApiError as exc:
        return failure(request, f"Could not load the tags: {exc}")
    return fragment(request, "tag-suggestions", {**context, "suggestions": found, "typed": prefix})


@account_view
def tag_remove(
    request: HttpRequest, account: ConnectedAccount, contact_id: int, contact_tag_id: int
) -> HttpResponse:
    context = base_context(request, account, contact_id)
    if request.method != "POST":
        return redirect("contacts:detail", account.slug, contact_id)
    name = request.POST.get("tag_name", "")
    client = client_for_account(account)
    try:
        try:
            tags.remove_tag(client, contact_tag_id)
        except NotFound:
            held = tags.contact_tags(client, contact_id)
            return _tags_section(request, context, held, f"“{name}” was already removed.")
        audit(
            request,
            "contact",
            contact_id,
            "tag.remove",
            before={"tag_id": request.POST.get("tag_id"), "tag": name},
            summary=f"Removed tag {name}",
        )
        held = tags.contact_tags(client, contact_id)
        return _tags_section(request, context, held, f"Removed tag “{name}”.")
    except ApiError as exc:
        return failure(request, f"Nothing was changed: {exc}")


# Lists ------------------------------------------------------------------------------------


@account_view
def list_status(request: HttpRequest, account: ConnectedAccount, contact_id: int) -> HttpResponse:
    """POST ``list`` and ``action`` (subscribe/unsubscribe): the list's row, changed. From
    the "add to list" form (``add``, with the ``on`` lists), also that form, updated."""
    context = base_context(request, account, contact_id)
    if request.method != "POST":
        return redirect("contacts:detail", account.slug, contact_id)
    action = request.POST.get("action")
    try:
        list_id = int(request.POST.get("list", ""))
    except ValueError:
        list_id = 0
    if action not in {"subscribe", "unsubscribe"} or not 0 < list_id <= MAX_ID:
        return failure(request, "Pick a list first.")
    client = client_for_account(account)
    change = lists.subscribe if action == "subscribe" else lists.unsubscribe
    try:
        membership = change(client, contact_id, list_id)
    except ApiError as exc:
        return failure(request, f"Nothing was changed: {exc}")
    name = membership.list_name or f"list {list_id}"
    done = f"Subscribed to {name}" if action == "subscribe" else f"Unsubscribed from {name}"
    before = request.POST.get("status_before")
    audit(
        request,
        "contact",
        contact_id,
        f"list.{action}",
        before={"list_id": list_id, "list": name, "status": before} if before else None,
        after={"list_id": list_id, "list": name, "status": LIST_STATUS[membership.status]},
        summary=done,
    )
    context |= {"row": ListRow(membership), "focus": True}
    response = fragment(request, "list-row", context, toast=f"{done}.")
    if request.POST.get("add"):
        on = {int(i) for i in request.POST.getlist("on") if i.isdigit()} | {list_id}
        add_form = {**context, "other_lists": other_lists(client, on), "on": on, "oob": True}
        response.content += render_to_string(f"{TEMPLATE}#list-add", add_form, request).encode()
    return response
