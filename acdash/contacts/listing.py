"""The contact list of one account (search, filters, sort, paging), creating and deleting
contacts. Every API call goes through acdash.activecampaign; every write is audited."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import push_url

from acdash.accounts.access import account_view, require_editor
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, Client, ValidationError, contacts, lists, tags

from .forms import ContactCreateForm, ContactFilterForm
from .tables import ContactSource, ContactTable
from .writes import audit, confirm_delete, show_api_errors


def _filter_choices(client: Client) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Lists and contact tags for the filters, from the metadata cache. If the API is down
    they are left empty: the table then shows the error, and filters by id still work."""
    try:
        named_lists = [(item.id, item.name) for item in lists.list_lists(client)]
        catalog = tags.tag_catalog(client).tags
    except ApiError:
        return [], []
    contact_tags = sorted(
        (t for t in catalog if t.type == tags.CONTACT), key=lambda t: t.name.lower()
    )
    return named_lists, [(t.id, t.name) for t in contact_tags]


MAX_PAGE = 100_000  # past the end of any account (10 million contacts at 100 a page)


def _page_number(text: str) -> tuple[int, str | None]:
    """The page asked for (capped at MAX_PAGE), or page 1 and why, for what is not one."""
    text = text.strip()
    digits = text.removeprefix("-")
    if not text:
        return 1, None
    if not (digits.isascii() and digits.isdigit()):
        return 1, f"“{text[:40]}” is not a page number: showing page 1."
    number = int(digits[:9]) if len(digits) <= 9 else MAX_PAGE
    if text.startswith("-") or number == 0:
        return 1, f"There is no page {text[:40]}: showing page 1."
    return min(number, MAX_PAGE), None


def _paginate(table: ContactTable, page: int, per_page: int, asked: str) -> str | None:
    """Show ``page``; past the end (a typed number, or contacts deleted meanwhile), the last
    page, and say so."""
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:
        last = table.paginator.num_pages
        table.page = table.paginator.page(last)
        return f"There is no page {asked.strip()[:40]}: showing the last page, {last}."
    return None


def _list_query(request: HttpRequest) -> str:
    """The parameters in use, without the form's empty fields: what the address bar shows
    and what a contact's page links back to."""
    return urlencode([(key, value) for key, value in request.GET.items() if value])


@account_view
@require_safe
def contact_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The list page, or for htmx only its results (#results), which the toolbar, sort
    headers and pager swap in place; the URL they push reproduces the view.

    One API call (the page of contacts) with lists and tags cached; two when the page asked
    for is past the end and the last one is shown instead. Values that cannot apply (a bad
    date, page or size) are named above the results and ignored."""
    action = reverse("contacts:list", args=[account.slug])
    table, error = None, None
    named_lists, named_tags = [], []
    try:
        client = client_for_account(account)
        named_lists, named_tags = _filter_choices(client)
    except ApiError as exc:
        error = exc.message
    form = ContactFilterForm(request.GET, action=action, lists=named_lists, tags=named_tags)
    form.is_valid()  # an invalid filter is named in the notices and not applied
    notices = form.problems()
    query = _list_query(request)
    if error is None:
        page_text = request.GET.get("page", "")
        per_page, (page, page_notice) = form.value("per_page"), _page_number(page_text)
        source = ContactSource(
            client, form.api_filters(), offset=(page - 1) * per_page, limit=per_page
        )
        table = ContactTable(
            source,
            sort=request.GET.get("sort", ""),
            account_slug=account.slug,
            can_edit=request.access.can_edit,
            back=query,
        )
        try:
            page_notice = _paginate(table, page, per_page, page_text) or page_notice
        except ApiError as exc:
            table, error = None, exc.message
        notices += [page_notice] if page_notice else []
    context = {
        "account": account,
        "section": "contacts",
        "filters": form,
        "filtered_by": form.descriptions(),
        "filters_active": form.disclosed_active(),
        "notices": notices,
        "table": table,
        "rows": table.html_rows() if table else "",
        "error": error,
        "query": query,  # what "select all matching" sends to a bulk action
        # Kept in the form (so a filter change keeps the sort) only when the URL chose it.
        "sort": ",".join(table.order_by) if table and request.GET.get("sort") else "",
    }
    if not request.htmx or request.htmx.history_restore_request:
        response = render(request, "contacts/list.html", context)
    else:
        context["swap"] = True
        response = render(request, "contacts/list.html#results", context)
        push_url(response, f"{action}?{query}" if query else action)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _add_api_errors(
    form: ContactCreateForm, error: ValidationError, client: Client
) -> contacts.Contact | None:
    """Put the API's 422 messages by the fields they name; for an email already in use,
    find the contact that has it (one call), so the page can link to it."""
    found = contacts.form_errors(error)
    existing = None
    if "email" in found:
        try:
            existing = contacts.find_contact_by_email(client, form.cleaned_data["email"])
        except ApiError:
            existing = None
        if existing is not None:
            found["email"] = ["A contact with this email already exists."]
    show_api_errors(form, found)
    return existing


@account_view
@require_http_methods(["GET", "POST"])
def create_contact(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    require_editor(request)
    form = ContactCreateForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            client = client_for_account(account)
            created = contacts.create_contact(client, **form.cleaned_data)
        except ValidationError as exc:
            existing = _add_api_errors(form, exc, client)
        except ApiError as exc:
            form.add_error(
                None,
                f"ActiveCampaign did not confirm the new contact ({exc.message}). "
                "Search the list for it before trying again.",
            )
        else:
            summary = f"Created contact {created.email}"
            audit(request, "contact", created.id, "create", after=created, summary=summary)
            messages.success(request, f"Contact {created.email} created.")
            return redirect("contacts:detail", account.slug, created.id)
    context = {"account": account, "section": "contacts", "form": form, "existing": existing}
    return render(request, "contacts/create.html", context)


@account_view
@require_http_methods(["GET", "POST"])
def delete_contact(
    request: HttpRequest, account: ConnectedAccount, contact_id: int
) -> HttpResponse:
    """GET: a confirmation naming the contact. POST: delete it, audited with the contact as
    it was. The contact is read first (one call) to name and audit it."""
    require_editor(request)
    return confirm_delete(
        request,
        object_type="contact",
        object_id=contact_id,
        template="contacts/delete.html",
        context={"account": account, "section": "contacts", "contact_id": contact_id},
        done_url=reverse("contacts:list", args=[account.slug]),
        read=lambda client: contacts.read_contact(client, contact_id),
        delete=lambda client: contacts.delete_contact(client, contact_id),
        name=lambda contact: contact.email,
        done=lambda contact: f"Deleted {contact.name or contact.email} ({contact.email}).",
        missing_is_404=True,  # no confirmation of nothing: 404, as the contact's page
    )
