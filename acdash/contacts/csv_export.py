"""The CSV export of the contact list: the contacts the list's filters match, with the
columns chosen (core fields, custom fields, tags, lists), streamed page by page."""

import csv
import re
from collections.abc import Collection, Iterator
from datetime import date
from math import ceil
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import (
    ApiError,
    Client,
    contact_columns,
    contact_sets,
    contacts,
    fields,
    lists,
    tags,
)
from acdash.activecampaign.conf import setting

from .csv_columns import CORE_HEADERS, ID_HEADER, Column, Metadata, cell_text, escape_formula
from .forms import ContactFilterForm

FILTERS = ("q", "list", "tag", "status", "created", "updated")
WELL_FORMED_KEY = re.compile(r"(field|tag|list):[0-9]{1,12}")


def account_metadata(client: Client, wanted: Collection[str] = ()) -> Metadata:
    """The columns' metadata, cached (calls only on a miss: fields, tags, lists), loaded
    again once when it lacks a field, tag or list that ``wanted`` keys name (one created in
    ActiveCampaign since)."""

    def ids(prefix: str) -> list[int]:
        return [int(key.removeprefix(prefix)) for key in wanted if key.startswith(prefix)]

    catalog = tags.tag_catalog(client, ids("tag:")).tags
    return Metadata(
        fields={f.id: f for f in fields.fields_for(client, ids("field:"))},
        tags={t.id: t.name for t in catalog if t.type == tags.CONTACT},
        lists=lists.list_names(client, ids("list:")),
    )


class _Echo:
    """A file-like object whose write returns the line: csv.writer per streamed row."""

    def write(self, value: str) -> str:
        return value


def _lines(client: Client, filters: dict, columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    keys = [c.key for c in columns]
    # A byte-order mark, so that Excel reads the file as UTF-8.
    yield "\ufeff" + writer.writerow([ID_HEADER, *(escape_formula(c.label) for c in columns)])
    for page in contact_columns.export_rows(client, filters, keys):
        for row in page:
            cells = [escape_formula(cell_text(c, row.values[c.key])) for c in columns]
            yield writer.writerow([str(row.id), *cells])


def _well_formed(keys: list[str]) -> list[str]:
    """The keys of the form ``field:12`` (others name no column, and are refused after)."""
    return [key for key in keys if WELL_FORMED_KEY.fullmatch(key)]


def _chosen(request: HttpRequest, metadata: Metadata) -> tuple[list[Column], list[str]]:
    """The columns asked for (all core fields before the form is sent: ``picked``), and the
    keys that name none."""
    asked = request.GET.getlist("columns")
    if not asked and "picked" not in request.GET:
        asked = list(CORE_HEADERS)
    unknown = [key for key in asked if key not in metadata.by_key]
    return [metadata.by_key[key] for key in dict.fromkeys(asked) if key in metadata.by_key], unknown


def _estimate(matching: int, account_total: int, columns: list[Column]) -> dict:
    calls = contact_columns.export_calls(matching, account_total, [c.key for c in columns])
    pages = max(1, ceil(matching / 100))
    return {
        "calls": calls,
        "seconds": ceil(calls / setting("RATE_LIMIT")),
        "per_tag": pages,
        "per_list": len(contact_sets.ASKED_STATUSES) * pages,
        "per_field": max(1, ceil(account_total / 100)),
    }


@account_view
@require_safe
def contact_export(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """GET: the column picker with the count of matching contacts and the export's cost (two
    calls: the filtered count, the account's count; metadata cached). With ``download``:
    the CSV file, streamed (``contact_columns.export_rows`` says what it costs)."""
    list_url = reverse("contacts:list", args=[account.slug])
    query = urlencode([(k, v) for k, v in request.GET.items() if k in FILTERS and v])
    context = {"account": account, "section": "contacts", "list_url": list_url, "query": query}
    try:
        client = client_for_account(account)
        metadata = account_metadata(client, _well_formed(request.GET.getlist("columns")))
    except ApiError as exc:
        return render(request, "contacts/csv_export.html", {**context, "error": exc.message})
    form = ContactFilterForm(request.GET, action=list_url, **metadata.filter_choices())
    form.is_valid()  # as on the list: an invalid filter is named and not applied
    columns, unknown = _chosen(request, metadata)
    context |= {
        "filtered_by": form.descriptions(),
        "notices": form.problems(),
        "metadata": metadata,
        "chosen": {c.key for c in columns},
        "chosen_kinds": {c.kind for c in columns},
        "filters": [(k, v) for k, v in request.GET.items() if k in FILTERS and v],
    }
    if unknown:
        context["error"] = f"There is no column “{unknown[0][:40]}”: choose the columns again."
    elif "download" in request.GET:
        response = StreamingHttpResponse(
            _lines(client, form.api_filters(), columns), content_type="text/csv; charset=utf-8"
        )
        name = f"{account.slug}-contacts-{date.today():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    try:
        matching = contacts.list_contacts(client, **form.api_filters(), limit=1).total
        account_total = contacts.count_contacts(client)
    except ApiError as exc:
        return render(request, "contacts/csv_export.html", {**context, "error": exc.message})
    context |= {"matching": matching, "estimate": _estimate(matching, account_total, columns)}
    return render(request, "contacts/csv_export.html", context, status=400 if unknown else 200)
