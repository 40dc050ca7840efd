"""The contact list as a django-tables2 table over a lazy, API-backed data source."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django_tables2.data import TableData
from django_tables2.utils import OrderBy

from acdash.activecampaign import Client, contacts

DATE_FORMAT = "Y-m-d H:i"


class ContactSource(TableData):
    """The contacts matching ``filters``, one API page at a time: never the whole account.

    ``len()`` is the API's total, a slice is one ``list_contacts`` call (offset/limit) and
    ordering becomes its ``sort``. The paginator asks for the length before the slice, so
    the length is read from the page the request is expected to show (``offset``,
    ``limit``), which the slice then reuses: one call per table, two when the requested
    page is past the end and the paginator falls back to the last one.
    """

    def __init__(self, client: Client, filters: dict[str, Any], *, offset: int, limit: int) -> None:
        super().__init__(data=None)
        self.client = client
        self.filters = filters
        self.offset = offset
        self.limit = limit
        self.sort = "-cdate"
        self._page: contacts.ContactPage | None = None

    def order_by(self, aliases: tuple[str, ...]) -> None:
        # The API orders by one attribute: the first alias's column names it (its order_by,
        # already prefixed for the direction the table is in).
        for alias in aliases[:1]:
            self.sort = self.table.columns[OrderBy(alias).bare].order_by[0]
            self._page = None

    def _fetch(self, offset: int, limit: int) -> contacts.ContactPage:
        page = self._page
        if (
            page is None
            or page.offset != offset
            or len(page.items) < min(limit, page.total - offset)
        ):
            page = contacts.list_contacts(
                self.client, offset=offset, limit=limit, sort=self.sort, **self.filters
            )
            self._page = page
        return page

    def __len__(self) -> int:
        return (self._page or self._fetch(self.offset, self.limit)).total

    def __getitem__(self, key: slice) -> list[contacts.Contact]:
        # The paginator only slices, with both bounds (the stop at most the length).
        limit = key.stop - key.start
        return self._fetch(key.start, limit).items[:limit] if limit > 0 else []


class ContactTable(tables.Table):
    """Only what the list endpoint returns: no column costs a call per row."""

    name = tables.Column(verbose_name="Name", order_by=("name",), empty_values=())
    email = tables.Column(verbose_name="Email", order_by=("email",))
    phone = tables.Column(verbose_name="Phone", orderable=False)
    organization = tables.Column(
        verbose_name="Organization", accessor="organization_name", orderable=False
    )
    created = tables.DateTimeColumn(verbose_name="Created", format=DATE_FORMAT, order_by=("cdate",))
    updated = tables.DateTimeColumn(verbose_name="Updated", format=DATE_FORMAT, orderable=False)
    actions = tables.Column(
        verbose_name="Actions", accessor="id", orderable=False, attrs={"th": {"class": "actions"}}
    )

    class Meta:
        order_by = ("-created",)
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"

    def __init__(
        self, data: ContactSource, *, sort: str, account_slug: str, can_edit: bool
    ) -> None:
        # One sort at a time (the API's); an unknown one falls back to newest first.
        super().__init__(
            data, order_by=sort.split(",")[:1], exclude=() if can_edit else ("actions",)
        )
        if not self.order_by:
            self.order_by = self._meta.order_by
        self.account_slug = account_slug

    def render_name(self, record: contacts.Contact) -> str:
        url = reverse("contacts:detail", args=[self.account_slug, record.id])
        if record.name:
            return format_html('<a href="{}">{}</a>', url, record.name)
        return format_html('<a href="{}" class="muted">(no name)</a>', url)

    def render_actions(self, record: contacts.Contact) -> str:
        url = reverse("contacts:delete", args=[self.account_slug, record.id])
        label = f"Delete {record.name or record.email}"
        return format_html('<a href="{}" aria-label="{}">Delete</a>', url, label)
