"""Lists with their subscriber counts; create and rename one. Writes need the admin role;
audited.

No list endpoint carries a count: each list's is ``meta.total`` of its active contacts
(``lists.subscriber_count``), so the page costs its lists (cached: no call when warm) and
1 call per list shown (PAGE_SIZE at most), made at once.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, lists
from acdash.activecampaign.concurrency import gather

from .common import audit, context_for, refused, require_admin
from .tags import _page_number

PAGE_SIZE = 20


class ListForm(forms.Form):
    name = forms.CharField(max_length=255)
    sender_url = forms.URLField(
        label="Sender's website", help_text="Shown in the emails' footer, as the API requires."
    )
    sender_reminder = forms.CharField(
        max_length=1000,
        label="Reminder",
        help_text="Why contacts receive the emails (“You signed up on our website.”).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, taken: set[str], renaming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken
        if renaming:
            del self.fields["sender_url"], self.fields["sender_reminder"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name.lower() in self.taken:
            raise forms.ValidationError("There is already a list with this name.")
        return name


@account_view
@require_safe
def list_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """A page of lists by name with their subscriber counts (see the module's docstring)."""
    number = _page_number(request)
    context = context_for(request, account, "lists")
    try:
        client = client_for_account(account)
        found = lists.list_lists(client)
        shown = found[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        counts = gather(*[lambda i=lst.id: lists.subscriber_count(client, i) for lst in shown])
    except ApiError as exc:
        return render(request, "setup/lists.html", {**context, "error": exc.message})
    context |= {"rows": list(zip(shown, counts, strict=True)), "total": len(found)}
    context |= {
        "previous": number - 1,
        "next": number + 1 if number * PAGE_SIZE < len(found) else 0,
    }
    return render(request, "setup/lists.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def list_form(
    request: HttpRequest, account: ConnectedAccount, list_id: int | None = None
) -> HttpResponse:
    """A new list, or renaming one (names are checked against the account's lists)."""
    require_admin(request)
    context = context_for(request, account, "lists")
    try:
        client = client_for_account(account)
        found = lists.list_lists(client)
    except ApiError as exc:
        return render(request, "setup/list_form.html", {**context, "error": exc.message})
    current = next((lst for lst in found if lst.id == list_id), None)
    if list_id is not None and current is None:
        messages.info(request, f"List {list_id} does not exist (any more).")
        return redirect("setup:lists", account.slug)
    taken = {lst.name.lower() for lst in found if lst is not current}
    initial = {"name": current.name} if current else None
    form = ListForm(request.POST or None, initial=initial, taken=taken, renaming=bool(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if current is None:
                saved = lists.create_list(
                    client, data["name"], data["sender_url"], data["sender_reminder"]
                )
            else:
                saved = lists.rename_list(client, current.id, data["name"])
        except ApiError as exc:
            refused(form, exc)
        else:
            if current is None:
                summary = f"Created list “{saved.name}”"
            else:
                summary = f"Renamed list “{current.name}” to “{saved.name}”"
            action = "create" if current is None else "update"
            audit(request, "list", saved.id, action, before=current, after=saved, summary=summary)
            messages.success(request, summary + ".")
            return redirect("setup:lists", account.slug)
    context |= {"form": form, "current": current}
    return render(request, "setup/list_form.html", context)
