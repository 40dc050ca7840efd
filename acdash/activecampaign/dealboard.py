"""What the pipelines page and the deal board read: each stage's deal count and value, a
stage's page of deals (the board's columns, paged per stage) and the names of the cards'
contacts.

A stage's figures and its first page come from one call (``GET /deals`` with
``filters[stage]`` answers the count and value per currency of every matching deal in
``meta``), so a board or a pipeline's figures cost one call per stage, run concurrently.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from . import labels, metadata
from .client import Client
from .concurrency import gather
from .deals import CurrencyTotal, Deal, DealPage, DealStatus, list_deals, parse_deal
from .paging import MAX_LIMIT, fetch_page
from .pipelines import Pipeline, Stage

COLUMN_PAGE = 20  # cards a column shows before "Show more"


@dataclass(frozen=True, slots=True)
class BoardFilters:
    owner_id: int | None = None
    status: DealStatus | None = None
    search: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """A stage's first page of deals, with the figures of all its matching deals."""

    stage: Stage
    page: DealPage
    currency: str  # the pipeline's

    @property
    def value_cents(self) -> int:
        """The value of the column's deals in the pipeline's currency."""
        return sum(t.value_cents for t in self.page.by_currency if t.currency == self.currency)

    @property
    def other_currencies(self) -> list[CurrencyTotal]:
        return [t for t in self.page.by_currency if t.currency != self.currency]


def stage_page(
    client: Client,
    stage_id: int,
    filters: BoardFilters = BoardFilters(),
    *,
    offset: int = 0,
    limit: int = COLUMN_PAGE,
) -> DealPage:
    """One page of a stage's deals with the count and value of all of them: one call."""
    return list_deals(
        client,
        stage_id=stage_id,
        owner_id=filters.owner_id,
        status=filters.status,
        search=filters.search,
        offset=offset,
        limit=limit,
    )


def board_columns(
    client: Client, pipeline: Pipeline, filters: BoardFilters = BoardFilters(), *, limit: int
) -> list[Column]:
    """Every stage's first ``limit`` deals and figures, in board order (``limit=1`` for the
    figures alone), in the fewest calls: the pipeline's deals in pages of 100 when that
    takes fewer calls than one per stage, cut into columns here; else one call per stage,
    concurrently. (A call per stage would make a board of five stages and its contact names
    six calls, past the account's five a second. A pipeline found too large for that is
    remembered as such for a while, so its boards do not pay the first page again.)"""
    large = f"board-large:{pipeline.id}"  # known to take as many pages as stages
    if len(pipeline.stages) > 1 and not metadata.peek(client, large):
        first = _pipeline_page(client, pipeline, filters, 0)
        offsets = range(MAX_LIMIT, first.total, MAX_LIMIT)
        if 1 + len(offsets) >= len(pipeline.stages):
            metadata.remember(client, large, True)  # filtered or not: none fits then
        else:
            rest = gather(
                *(lambda o=o: _pipeline_page(client, pipeline, filters, o) for o in offsets)
            )
            deals = {d.id: d for page in (first, *rest) for d in page.items}
            return [
                _cut(stage, list(deals.values()), pipeline.currency, limit)
                for stage in pipeline.stages
            ]
    pages = gather(
        *(
            lambda s=stage: stage_page(client, s.id, filters, limit=limit)
            for stage in pipeline.stages
        )
    )
    return [
        Column(stage, page, pipeline.currency)
        for stage, page in zip(pipeline.stages, pages, strict=True)
    ]


def _pipeline_page(
    client: Client, pipeline: Pipeline, filters: BoardFilters, offset: int
) -> DealPage:
    return list_deals(
        client,
        pipeline_id=pipeline.id,
        owner_id=filters.owner_id,
        status=filters.status,
        search=filters.search,
        offset=offset,
        limit=MAX_LIMIT,
    )


def _cut(stage: Stage, deals: list[Deal], currency: str, limit: int) -> Column:
    """A stage's column from all of the pipeline's matching deals, in the API's order (which
    is also the order of the stage's own pages: "Show more" goes on from ``limit``)."""
    mine = [d for d in deals if d.stage_id == stage.id]
    totals: dict[str, list[int]] = {}
    for deal in mine:
        count_value = totals.setdefault(deal.currency, [0, 0])
        count_value[0] += 1
        count_value[1] += deal.value_cents
    by_currency = sorted(
        (CurrencyTotal(c, n, v) for c, (n, v) in totals.items()),
        key=lambda t: (-t.value_cents, t.currency),
    )
    return Column(stage, DealPage(mine[:limit], len(mine), 0, limit, by_currency), currency)


def _read_contact_names(client: Client, wanted: list[int]) -> dict[int, str]:
    chunks = [wanted[n : n + MAX_LIMIT] for n in range(0, len(wanted), MAX_LIMIT)]
    pages = gather(
        *(
            lambda ids=ids: fetch_page(
                client, "/contacts", "contacts", limit=len(ids), params={"ids[]": ids}
            )
            for ids in chunks
        )
    )
    return {
        int(raw["id"]): labels.contact_label(
            str(raw.get("firstName") or ""),
            str(raw.get("lastName") or ""),
            str(raw.get("email") or ""),
        )
        for page in pages
        for raw in page.items
    }


def contact_names(client: Client, contact_ids: Iterable[int]) -> dict[int, str]:
    """Display names (full name, else email) of contacts by id: the remembered ones
    (``labels``), the rest one call per 100 ids."""
    return labels.labels(
        client, labels.CONTACT, contact_ids, lambda ids: _read_contact_names(client, ids)
    )


def read_deal(client: Client, deal_id: int) -> Deal:
    """A deal without its custom field values: one call."""
    return parse_deal(client.get(f"/deals/{deal_id}")["deal"])
