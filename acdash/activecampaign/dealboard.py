"""What the pipelines page and the deal board read: each stage's deal count and value, a
stage's page of deals (the board's columns, paged per stage) and the names of the cards'
contacts.

A stage's figures and its first page come from one call (``GET /deals`` with
``filters[stage]`` answers the count and value per currency of every matching deal in
``meta``), so a board or a pipeline's figures cost one call per stage, run concurrently.
"""

from collections.abc import Iterable
from dataclasses import dataclass

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
    """Every stage's first ``limit`` deals and figures, in board order: one call per stage,
    concurrently (``limit=1`` for the figures alone)."""
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


def contact_names(client: Client, contact_ids: Iterable[int]) -> dict[int, str]:
    """Display names (full name, else email) of contacts by id: one call per 100 ids."""
    wanted = sorted({i for i in contact_ids if i})
    names: dict[int, str] = {}
    chunks = [wanted[n : n + MAX_LIMIT] for n in range(0, len(wanted), MAX_LIMIT)]
    pages = gather(
        *(
            lambda ids=ids: fetch_page(
                client, "/contacts", "contacts", limit=len(ids), params={"ids[]": ids}
            )
            for ids in chunks
        )
    )
    for page in pages:
        for raw in page.items:
            full = f"{raw.get('firstName') or ''} {raw.get('lastName') or ''}".strip()
            names[int(raw["id"])] = full or str(raw.get("email") or "")
    return names


def read_deal(client: Client, deal_id: int) -> Deal:
    """A deal without its custom field values: one call."""
    return parse_deal(client.get(f"/deals/{deal_id}")["deal"])
