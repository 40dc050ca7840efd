"""The deals list as a django-tables2 table over a lazy, API-backed data source."""

from datetime import datetime, tzinfo
from html import escape

import django_tables2 as tables
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone

from acdash.activecampaign import Client, deals
from acdash.activecampaign.contacts import Contact
from acdash.activecampaign.deal_detail import contacts_by_id
from acdash.activecampaign.pipelines import Pipeline
from acdash.activecampaign.users import User
from acdash.apisource import ApiPageSource
from acdash.contacts.tables import select_cell
from acdash.overview.templatetags.money import money

from .forms import SORTS, STATUS_LABELS

EMPTY = "—"
PLACEHOLDER_ID = 2147483647


class DealSource(ApiPageSource):
    """The deals matching ``filters``, one API page at a time (as ``ContactSource``): the
    page is one ``list_deals`` call, its primary contacts' names one more."""

    list_page = staticmethod(deals.list_deals)
    default_sort = "-cdate"


def _url(name: str, account_slug: str) -> tuple[str, str]:
    """A URL's text before and after its id: one ``reverse`` per page, not per row."""
    before, _, after = reverse(name, args=[account_slug, PLACEHOLDER_ID]).rpartition(
        str(PLACEHOLDER_ID)
    )
    return before, after


def _when(moment: datetime | None, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d}" if moment else ""


class DealTable(tables.Table):
    """Only what the list endpoint returns, plus the page's contacts in one call; stage,
    pipeline and owner names from the cached metadata."""

    title = tables.Column(verbose_name="Deal", order_by=(SORTS["title"],))
    value = tables.Column(verbose_name="Value", order_by=(SORTS["value"],))
    # Not sortable: the API orders by the contact's first name only, and one header fewer
    # keeps the first deal five Tab presses from the search box.
    contact = tables.Column(verbose_name="Contact", orderable=False)
    stage = tables.Column(verbose_name="Stage", orderable=False)
    owner = tables.Column(verbose_name="Owner", orderable=False)
    status = tables.Column(verbose_name="Status", orderable=False)
    created = tables.Column(verbose_name="Created", order_by=(SORTS["created"],))
    actions = tables.Column(verbose_name="Actions", orderable=False)
    # Bulk actions, editors only; last, so the first deal stays five Tab presses away.
    select = tables.Column(verbose_name="Select", orderable=False)

    class Meta:
        order_by = ("-created",)
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"

    def __init__(
        self,
        data: DealSource,
        *,
        sort: str,
        account_slug: str,
        can_edit: bool,
        pipelines: list[Pipeline],
        users: list[User],
    ) -> None:
        # One sort at a time (the API's), by a sortable column; anything else: newest first.
        sort = sort.split(",")[0]
        sortable = sort.removeprefix("-") in {"title", "value", "created"}
        super().__init__(
            data,
            order_by=[sort] if sortable else [],
            exclude=() if can_edit else ("select", "actions"),
        )
        if not self.order_by:
            self.order_by = self._meta.order_by
        self.account_slug = account_slug
        self.can_edit = can_edit
        self.stages = {s.id: (p.title, s.title) for p in pipelines for s in p.stages}
        self.users = {u.id: u.name for u in users}

    def html_rows(self, client: Client) -> SafeString:
        """The page's rows as HTML (``<tr>``), every value escaped, cells labelled for the
        phone layout (cards). The primary contacts' names: one call for the page."""
        records: list[deals.Deal] = [row.record for row in self.page.object_list]
        people = contacts_by_id(client, (d.contact_id or 0 for d in records))
        detail, delete = (
            _url("deals:detail", self.account_slug),
            _url("deals:delete", self.account_slug),
        )
        contact_url = _url("contacts:detail", self.account_slug)
        labels = {column.name: escape(str(column.header)) for column in self.columns}
        zone = get_current_timezone()
        html = []
        for deal in records:
            did = str(deal.id)
            url = escape(f"{detail[0]}{did}{detail[1]}")
            pipeline, stage = self.stages.get(deal.stage_id or 0, ("", ""))
            cells = {
                "title": f'<a href="{url}">{escape(deal.title or "(untitled deal)")}</a>',
                "value": escape(money(deal.value_cents, deal.currency)),
                "contact": _contact(people.get(deal.contact_id or 0), contact_url),
                "stage": escape(stage)
                + (f'<div class="small muted">{escape(pipeline)}</div>' if pipeline else ""),
                "owner": escape(self.users.get(deal.owner_id or 0, "")),
                "status": _status(deal.status),
                "created": _when(deal.created, zone),
            }
            html.append(f'<tr data-deal-id="{did}">')
            html += [
                f'<td class="col-{key}" data-label="{labels[key]}">{value or EMPTY}</td>'
                for key, value in cells.items()
            ]
            if self.can_edit:
                label = escape(deal.title or f"deal {deal.id}")
                remove = escape(f"{delete[0]}{did}{delete[1]}")
                html.append(
                    '<td class="col-actions"><details class="row-menu">'
                    f'<summary aria-label="Actions for {label}" title="Actions">⋯</summary>'
                    '<ul class="row-menu-items">'
                    f'<li><a href="{url}">Open</a></li>'
                    f'<li><a href="{remove}" aria-label="Delete {label}">Delete…</a></li>'
                    "</ul></details></td>"
                )
                html.append(select_cell(did, deal.title or f"deal {did}"))
            html.append("</tr>\n")
        return mark_safe("".join(html))  # every value is escaped above


def _contact(person: Contact | None, url: tuple[str, str]) -> str:
    if person is None:
        return ""
    href = escape(f"{url[0]}{person.id}{url[1]}")
    return f'<a href="{href}">{escape(person.name or person.email)}</a>'


def _status(status: deals.DealStatus) -> str:
    badge = {deals.DealStatus.WON: "badge-ok", deals.DealStatus.LOST: "badge-error"}
    return f'<span class="badge {badge.get(status, "badge-muted")}">{STATUS_LABELS[status]}</span>'
