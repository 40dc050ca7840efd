"""What the marketing views share: the page-or-fragment answer, a table's page, and the
editor check of writes. Audit is the contacts area's helper (one hook for every area)."""

from typing import Any

from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url
from django_tables2 import Table

from acdash.contacts.writes import audit

__all__ = ["audit", "page_number", "paginate", "respond"]

PER_PAGE = 20
MAX_PAGE = 100_000


def page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 9):
        return 1
    return max(1, min(int(text), MAX_PAGE))


def paginate(table: Table, page: int) -> None:
    """Show ``page``; past the end, the last one."""
    try:
        table.paginate(page=page, per_page=PER_PAGE)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)


def respond(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or for htmx its #results partial (sort headers, pager), pushing the
    URL that reproduces it."""
    if not request.htmx or request.htmx.history_restore_request:
        response = render(request, template, context)
    else:
        response = render(request, f"{template}#results", context)
        query = request.GET.urlencode()
        push_url(response, f"{request.path}?{query}" if query else request.path)
    patch_vary_headers(response, ("HX-Request",))
    return response
