"""A django-tables2 data source over one API list endpoint, one page at a time."""

from collections.abc import Callable
from typing import Any, ClassVar

from django_tables2.data import TableData
from django_tables2.utils import OrderBy

from acdash.activecampaign import Client
from acdash.activecampaign.paging import TypedPage


class ApiPageSource(TableData):
    """The records matching ``filters``, one API page at a time: never the whole account.

    ``len()`` is the API's total, a slice is one ``list_page`` call (offset/limit) and
    ordering becomes its ``sort``. The paginator asks for the length before the slice, so
    the length is read from the page the request is expected to show (``offset``,
    ``limit``), which the slice then reuses: one call per table, two when the requested
    page is past the end and the paginator falls back to the last one.
    Subclasses name the service function (``list_page``) and the ``default_sort``.
    """

    list_page: ClassVar[Callable[..., TypedPage]]
    default_sort: ClassVar[str]

    def __init__(self, client: Client, filters: dict[str, Any], *, offset: int, limit: int) -> None:
        super().__init__(data=None)
        self.client = client
        self.filters = filters
        self.offset = offset
        self.limit = limit
        self.sort = self.default_sort
        self._page: TypedPage | None = None

    def order_by(self, aliases: tuple[str, ...]) -> None:
        # The API orders by one attribute: the first alias's column names it (its order_by,
        # already prefixed for the direction the table is in).
        for alias in aliases[:1]:
            self.sort = self.table.columns[OrderBy(alias).bare].order_by[0]
            self._page = None

    def _fetch(self, offset: int, limit: int) -> TypedPage:
        page = self._page
        if (
            page is None
            or page.offset != offset
            or len(page.items) < min(limit, page.total - offset)
        ):
            page = type(self).list_page(
                self.client, offset=offset, limit=limit, sort=self.sort, **self.filters
            )
            self._page = page
        return page

    def __len__(self) -> int:
        return (self._page or self._fetch(self.offset, self.limit)).total

    def __getitem__(self, key: slice) -> list[Any]:
        # The paginator only slices, with both bounds (the stop at most the length).
        limit = key.stop - key.start
        return self._fetch(key.start, limit).items[:limit] if limit > 0 else []
