"""Paging of list endpoints: one page, or everything up to a hard cap.

``limit`` is at most 100 and ``meta.total`` (a string) counts the whole listing. Offset
paging skips or repeats items when the listing changes meanwhile; contacts page by id
instead (``orders[id]=ASC`` + ``id_greater``), as the API recommends for large sets.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .client import Client
from .conf import setting
from .errors import TooManyItems

logger = logging.getLogger("acdash.activecampaign")

MAX_LIMIT = 100
Overflow = Literal["raise", "stop"]


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int | None  # None where the endpoint has no meta.total
    offset: int
    limit: int
    body: dict[str, Any]  # the whole answer, for side-loaded objects

    @property
    def has_more(self) -> bool:
        if self.total is not None:
            return self.offset + len(self.items) < self.total
        return len(self.items) >= self.limit


@dataclass(frozen=True, slots=True)
class TypedPage[T]:
    """One page of typed results (``ContactPage = TypedPage[Contact]``)."""

    items: list[T]
    total: int  # matching items, all pages
    offset: int
    limit: int
    capped: bool = False  # the total counts only the candidates a search could scan

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    @classmethod
    def of(cls, items: list[T], page: Page) -> "TypedPage[T]":
        return cls(items, page.total or 0, page.offset, page.limit)


def fetch_page(
    client: Client,
    path: str,
    key: str,
    *,
    offset: int = 0,
    limit: int = MAX_LIMIT,
    params: dict[str, Any] | None = None,
) -> Page:
    """One page of ``GET path``; ``key`` is the plural key holding the items (``"contacts"``)."""
    limit = max(1, min(limit, MAX_LIMIT))
    body = client.get(path, {**(params or {}), "offset": offset, "limit": limit}) or {}
    total = (body.get("meta") or {}).get("total")
    return Page(body.get(key) or [], int(total) if total is not None else None, offset, limit, body)


def iter_all(
    client: Client,
    path: str,
    key: str,
    *,
    params: dict[str, Any] | None = None,
    max_items: int | None = None,
    overflow: Overflow = "raise",
) -> Iterator[dict[str, Any]]:
    """Every item of an offset-paged listing, 100 per call."""
    return _capped(_pages(client, path, key, params, by_id=False), path, max_items, overflow)


def iter_by_id(
    client: Client,
    path: str,
    key: str,
    *,
    params: dict[str, Any] | None = None,
    max_items: int | None = None,
    overflow: Overflow = "raise",
) -> Iterator[dict[str, Any]]:
    """Every item of an id-paged listing (``GET /contacts``) in id order, 100 per call."""
    return _capped(_pages(client, path, key, params, by_id=True), path, max_items, overflow)


def _pages(
    client: Client, path: str, key: str, params: dict[str, Any] | None, *, by_id: bool
) -> Iterator[Page]:
    """The listing's pages, by offset or (``by_id``) by ``orders[id]=ASC`` + ``id_greater``."""
    cursor = 0  # the offset, or by id the last id seen
    while True:
        if by_id:
            query = {**(params or {}), "orders[id]": "ASC", "id_greater": cursor}
            page = fetch_page(client, path, key, params=query)
            last = len(page.items) < page.limit
        else:
            page = fetch_page(client, path, key, offset=cursor, params=params)
            last = not page.items or not page.has_more
        yield page
        if last:
            return
        cursor = int(page.items[-1]["id"]) if by_id else cursor + len(page.items)


def _capped(
    pages: Iterator[Page], path: str, max_items: int | None, overflow: Overflow
) -> Iterator[dict[str, Any]]:
    """Yield the pages' items; past ``max_items`` raise TooManyItems or stop with a warning.

    When the first page's ``meta.total`` already exceeds the cap, "raise" fails before
    yielding anything, so no caller half-processes a listing it cannot finish.
    """
    cap = max_items if max_items is not None else setting("MAX_ITEMS")
    seen = 0
    for number, page in enumerate(pages):
        if number == 0 and overflow == "raise" and page.total is not None and page.total > cap:
            raise TooManyItems(f"GET {path} lists {page.total} items, more than the cap of {cap}")
        for item in page.items:
            if seen == cap:
                if overflow == "raise":
                    raise TooManyItems(f"GET {path} lists more than the cap of {cap} items")
                logger.warning("activecampaign path=%s stopped at the cap of %d items", path, cap)
                return
            seen += 1
            yield item
