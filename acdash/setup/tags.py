"""Tags: a page of tags with their contact counts; rename, merge one into another (re-tag
its contacts, then delete it), delete an unused one. Writes need the admin role; audited.

The API counts a tag's contacts only one tag at a time (``subscriber_count`` of
``GET /tags/{id}``; no listing carries it), so the page costs 1 call for its tags and 1 per
tag shown (PAGE_SIZE at most), made at once.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, NotFound, TooManyItems, tags
from acdash.activecampaign.concurrency import gather

from .common import audit, context_for, refused, require_admin

PAGE_SIZE = 20
# Contacts re-tagged per request: each is one call, so a batch fits the request's API
# deadline at the rate limit (5 a second); the page then asks for the next batch.
MERGE_BATCH = 20


class TagNameForm(forms.Form):
    name = forms.CharField(max_length=255, label="Name")

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(coerce=int, label="Merge into")
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    done = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, choices: list[tuple[int, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "Choose a tag…"), *choices]


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@account_view
@require_safe
def tag_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """A page of tags by name with how many contacts have each (see the module's docstring)."""
    number = _page_number(request)
    context = context_for(request, account, "tags", page_number=number)
    try:
        client = client_for_account(account)
        page = tags.tag_page(client, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        counts = gather(*[lambda t=t: tags.tag_contact_count(client, t.id) for t in page.items])
    except ApiError as exc:
        return render(request, "setup/tags.html", {**context, "error": exc.message})
    context |= {"rows": list(zip(page.items, counts, strict=True)), "page": page}
    context |= {"previous": number - 1, "next": number + 1 if page.has_more else 0}
    return render(request, "setup/tags.html", context)


def _tag_or_none(client: Client, tag_id: int) -> tags.Tag | None:
    try:
        return tags.get_tag(client, tag_id)
    except NotFound:
        return None


def _gone(request: HttpRequest, account: ConnectedAccount, tag_id: int) -> HttpResponse:
    messages.info(request, f"Tag {tag_id} does not exist (any more).")
    return redirect("setup:tags", account.slug)


@account_view
@require_http_methods(["GET", "POST"])
def tag_rename(request: HttpRequest, account: ConnectedAccount, tag_id: int) -> HttpResponse:
    require_admin(request)
    context = context_for(request, account, "tags")
    try:
        client = client_for_account(account)
        current = _tag_or_none(client, tag_id)
    except ApiError as exc:
        return render(request, "setup/tag_form.html", {**context, "error": exc.message})
    if current is None:
        return _gone(request, account, tag_id)
    form = TagNameForm(request.POST or None, initial={"name": current.name})
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            saved = tags.update_tag(client, tag_id, name)
        except ApiError as exc:
            refused(form, exc, {"tag": "name"})
        else:
            summary = f"Renamed tag “{current.name}” to “{saved.name}”"
            audit(request, "tag", tag_id, "update", before=current, after=saved, summary=summary)
            messages.success(request, summary + ".")
            return redirect("setup:tags", account.slug)
    context |= {"form": form, "current": current}
    return render(request, "setup/tag_form.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def tag_delete(request: HttpRequest, account: ConnectedAccount, tag_id: int) -> HttpResponse:
    """Only an unused tag is deleted (one with contacts is merged instead): GET confirms,
    POST counts again, then deletes."""
    require_admin(request)
    context = context_for(request, account, "tags")
    try:
        client = client_for_account(account)
        current = _tag_or_none(client, tag_id)
        if current is None:
            return _gone(request, account, tag_id)
        count = tags.tag_contact_count(client, tag_id)
        context |= {"current": current, "count": count}
        if request.method == "POST" and count == 0:
            tags.delete_tag(client, tag_id)
            summary = f"Deleted the unused tag “{current.name}”"
            audit(request, "tag", tag_id, "delete", before=current, summary=summary)
            messages.success(request, summary + ".")
            return redirect("setup:tags", account.slug)
    except ApiError as exc:
        context["error"] = exc.message
    return render(request, "setup/tag_delete.html", context)


def _merge_choices(client: Client, tag_id: int) -> list[tuple[int, str]]:
    """The contact tags a tag can merge into (cached; an account with too many: none)."""
    try:
        found = tags.list_tags(client)
    except TooManyItems:
        return []
    return sorted(
        ((t.id, t.name) for t in found if t.id != tag_id and t.type == tags.CONTACT),
        key=lambda c: c[1].lower(),
    )


@account_view
@require_http_methods(["GET", "POST"])
def tag_merge(request: HttpRequest, account: ConnectedAccount, tag_id: int) -> HttpResponse:
    """GET: choose the tag to merge into, with how many contacts will be re-tagged. POST:
    re-tag the next MERGE_BATCH contacts (1 + MERGE_BATCH calls), answering the progress
    and the next step, which the page requests by itself; once none are left, delete the
    merged tag and go back to the tags."""
    require_admin(request)
    context = context_for(request, account, "tags")
    try:
        client = client_for_account(account)
        current = _tag_or_none(client, tag_id)
        if current is None:
            return _gone(request, account, tag_id)
        choices = _merge_choices(client, tag_id)
        form = MergeForm(choices, request.POST or None)
        context |= {"current": current, "form": form}
        if request.method != "POST" or not form.is_valid():
            context["count"] = tags.tag_contact_count(client, tag_id)
            return render(request, "setup/tag_merge.html", context)
        return _merge_step(request, account, client, current, form, dict(choices))
    except ApiError as exc:
        context["error"] = exc.message
        return render(request, "setup/tag_merge.html", context)


def _merge_step(
    request: HttpRequest,
    account: ConnectedAccount,
    client: Client,
    current: tags.Tag,
    form: MergeForm,
    names: dict[int, str],
) -> HttpResponse:
    into, after = form.cleaned_data["into"], form.cleaned_data["after"] or 0
    done = form.cleaned_data["done"] or 0
    target = names[into]
    batch = tags.tagged_contacts(client, current.id, after=after, limit=MERGE_BATCH)
    for contact_id in batch.contact_ids:
        tags.add_tag(client, contact_id, into)
    if batch.contact_ids:
        audit(
            request,
            "tag",
            into,
            "merge.retag",
            after={"from_tag": current.name, "contact_ids": batch.contact_ids},
            summary=f"Tagged {len(batch.contact_ids)} contacts of “{current.name}” with “{target}”",
        )
    done += len(batch.contact_ids)
    left = batch.remaining - len(batch.contact_ids)
    if batch.contact_ids and left > 0:
        context = context_for(request, account, "tags", current=current, form=form)
        context |= {"into": into, "target": target, "done": done, "left": left}
        context |= {"after": batch.contact_ids[-1], "percent": done * 100 // (done + left)}
        template = "setup/tag_merge.html#progress" if request.htmx else "setup/tag_merge.html"
        return render(request, template, {**context, "running": True})
    tags.delete_tag(client, current.id)
    summary = f"Merged tag “{current.name}” into “{target}”: {done} contacts re-tagged"
    audit(
        request, "tag", current.id, "merge", before=current, after={"into": into}, summary=summary
    )
    messages.success(request, summary + ".")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("setup:tags", args=[account.slug]))
    return redirect("setup:tags", account.slug)
