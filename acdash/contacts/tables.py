"""The contact list as a django-tables2 table over a lazy, API-backed data source."""

from datetime import datetime, tzinfo
from html import escape
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone

from acdash.activecampaign import contacts
from acdash.apisource import ApiPageSource


class ContactSource(ApiPageSource):
    """The contacts matching ``filters`` (``ApiPageSource``): one ``list_contacts`` call."""

    list_page = staticmethod(contacts.list_contacts)
    default_sort = "-cdate"


class ContactTable(tables.Table):
    """Only what the list endpoint returns: no column costs a call per row.

    django-tables2 gives the columns, their headers and the sort; the rows are built by
    ``html_rows`` in one pass instead of cell by cell through the library (which inspects each
    render method's signature and compiles a template per date cell: ~1 ms a row, most of
    a 100-row page's server time).
    """

    name = tables.Column(verbose_name="Name", order_by=("name",))
    email = tables.Column(verbose_name="Email", order_by=("email",))
    phone = tables.Column(verbose_name="Phone", orderable=False)
    organization = tables.Column(verbose_name="Organization", orderable=False)
    created = tables.Column(verbose_name="Created", order_by=("cdate",))
    updated = tables.Column(verbose_name="Updated", orderable=False)
    actions = tables.Column(verbose_name="Actions", orderable=False)
    # Bulk actions, editors only; last, so the first contact stays five Tab presses away.
    select = tables.Column(verbose_name="Select", orderable=False)

    class Meta:
        order_by = ("-created",)
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"

    def __init__(
        self, data: ContactSource, *, sort: str, account_slug: str, can_edit: bool, back: str = ""
    ) -> None:
        # One sort at a time (the API's); an unknown one falls back to newest first.
        super().__init__(
            data,
            order_by=sort.split(",")[:1],
            exclude=() if can_edit else ("select", "actions"),
        )
        if not self.order_by:
            self.order_by = self._meta.order_by
        self.account_slug = account_slug
        self.can_edit = can_edit
        # Appended to each contact's link, so its "← Contacts" returns to this view.
        self.back = f"?{urlencode({'back': back})}" if back else ""

    def html_rows(self) -> SafeString:
        """The current page's rows as HTML (``<tr>``), every value escaped, one
        ``col-<name>`` cell per column, labelled for the phone layout, where each row
        becomes a card. Plain string building: it is the page's hottest loop."""
        detail = _contact_url("contacts:detail", self.account_slug)
        delete = _contact_url("contacts:delete", self.account_slug)
        labels = {column.name: escape(str(column.header)) for column in self.columns}
        zone = get_current_timezone()
        html = []
        for row in self.page.object_list:
            contact: contacts.Contact = row.record
            cid = str(contact.id)
            url = escape(f"{detail[0]}{cid}{detail[1]}{self.back}")
            name = (
                f'<a href="{url}">{escape(contact.name)}</a>'
                if contact.name
                else f'<a href="{url}" class="muted">(no name)</a>'
            )
            cells = {
                "name": name,
                "email": escape(contact.email),
                "phone": escape(contact.phone),
                "organization": escape(contact.organization_name),
                "created": _when(contact.created, zone),
                "updated": _when(contact.updated, zone),
            }
            html.append(f'<tr data-contact-id="{cid}">')
            html += [
                f'<td class="col-{key}" data-label="{labels[key]}">{value or EMPTY}</td>'
                for key, value in cells.items()
            ]
            if self.can_edit:
                html.append(_actions(contact, url, escape(f"{delete[0]}{cid}{delete[1]}")))
                html.append(select_cell(cid, contact.email))
            html.append("</tr>\n")
        return mark_safe("".join(html))  # every value is escaped above


EMPTY = "—"
PLACEHOLDER_ID = 2147483647


def _contact_url(name: str, account_slug: str) -> tuple[str, str]:
    """A contact URL's text before and after its id: one ``reverse`` per page, not per row."""
    url = reverse(name, args=[account_slug, PLACEHOLDER_ID])
    before, _, after = url.rpartition(str(PLACEHOLDER_ID))
    return before, after


def select_cell(record_id: str, label: str) -> str:
    """A row's checkbox for bulk actions (templates/jobs/toolbar.html owns the form)."""
    return (
        f'<td class="col-select"><input type="checkbox" name="ids" value="{record_id}" '
        f'form="bulk-form" aria-label="Select {escape(label)}"></td>'
    )


def _when(moment: datetime | None, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else ""


def _actions(contact: contacts.Contact, open_url: str, delete_url: str) -> str:
    """One menu per row (a disclosure), so a row costs two Tab stops, not one per action.
    The URLs come escaped."""
    label = escape(contact.name or contact.email)
    return (
        '<td class="col-actions"><details class="row-menu">'
        f'<summary aria-label="Actions for {label}" title="Actions">⋯</summary>'
        '<ul class="row-menu-items">'
        f'<li><a href="{open_url}">Open</a></li>'
        f'<li><a href="{delete_url}" aria-label="Delete {label}">Delete…</a></li>'
        "</ul></details></td>"
    )
