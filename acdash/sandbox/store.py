"""Reading and writing emulator records, API timestamps, and paged list responses."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import SandboxAccount, SandboxRecord, SandboxSequence
from .routing import ApiError, Ctx

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def records(account: SandboxAccount, kind: str) -> QuerySet[SandboxRecord]:
    return SandboxRecord.objects.filter(account=account, kind=kind)


def find(account: SandboxAccount, kind: str, rid: object) -> SandboxRecord | None:
    try:
        number = int(str(rid))
    except ValueError:
        return None
    try:  # get(): unique; first() would also sort
        return records(account, kind).get(rid=number)
    except SandboxRecord.DoesNotExist:
        return None


def get_or_404(account: SandboxAccount, kind: str, rid: object, error: ApiError) -> SandboxRecord:
    record = find(account, kind, rid)
    if record is None:
        raise error
    return record


def create(
    account: SandboxAccount,
    kind: str,
    data: dict[str, Any],
    parent: int | None = None,
    key: str | None = None,
) -> SandboxRecord:
    rid = SandboxSequence.allocate(account, kind)
    return SandboxRecord.objects.create(
        account=account, kind=kind, rid=rid, parent=parent, key=key, data=data
    )


def bulk_create(account: SandboxAccount, kind: str, rows: list[SandboxRecord]) -> None:
    """Insert many unsaved records of one kind, giving them consecutive ids (used by seeding)."""
    if not rows:
        return
    first = SandboxSequence.allocate(account, kind, len(rows))
    for offset, row in enumerate(rows):
        row.account = account
        row.kind = kind
        row.rid = first + offset
    SandboxRecord.objects.bulk_create(rows, batch_size=2000)


def update(record: SandboxRecord, **changes: Any) -> SandboxRecord:
    record.data.update(changes)
    record.save(update_fields=["data", "key", "parent"])
    return record


# Timestamps -----------------------------------------------------------------
# The API answers in the account's timezone, in two formats depending on the
# resource: ISO 8601 with offset ("2018-09-12T16:53:50-05:00") or plain
# ("2018-10-22 19:57:37").


def iso(account: SandboxAccount, moment: datetime | None = None) -> str:
    from zoneinfo import ZoneInfo

    moment = moment or timezone.now()
    return moment.astimezone(ZoneInfo(account.timezone)).replace(microsecond=0).isoformat()


def plain(account: SandboxAccount, moment: datetime | None = None) -> str:
    from zoneinfo import ZoneInfo

    moment = moment or timezone.now()
    return moment.astimezone(ZoneInfo(account.timezone)).strftime("%Y-%m-%d %H:%M:%S")


def utc_plain(moment: datetime | None = None) -> str:
    return (moment or timezone.now()).astimezone(timezone.UTC).strftime("%Y-%m-%d %H:%M:%S")


# Paging ---------------------------------------------------------------------


def page_bounds(ctx: Ctx, default_limit: int = DEFAULT_LIMIT) -> tuple[int, int]:
    """``limit`` (default 20, at most 100) and ``offset`` from the query string."""
    limit = ctx.int_param("limit")
    offset = ctx.int_param("offset") or 0
    if limit is None or limit <= 0:
        limit = default_limit
    # Past every record is an empty page, also beyond what SQLite's OFFSET can hold.
    return min(limit, MAX_LIMIT), min(max(offset, 0), 2**62)


def order_by_param(
    ctx: Ctx, qs: QuerySet[SandboxRecord], orderable: dict[str, str], default: str = "rid"
) -> QuerySet[SandboxRecord]:
    """Apply ``orders[name]=ASC|DESC`` parameters; ``orderable`` maps a name to a record field."""
    ordering = []
    for name, field_name in orderable.items():
        direction = ctx.param(f"orders[{name}]")
        if direction is None:
            continue
        if direction.upper() not in {"ASC", "DESC"}:
            raise ApiError(400, {"message": f"orders[{name}] must be ASC or DESC."})
        ordering.append(("-" if direction.upper() == "DESC" else "") + field_name)
    ordering.append(default)
    return qs.order_by(*ordering)


def paged(
    ctx: Ctx,
    qs: QuerySet[SandboxRecord],
    plural: str,
    present: Callable[[Ctx, SandboxRecord], dict[str, Any]],
    default_limit: int = DEFAULT_LIMIT,
    meta: bool = True,
) -> tuple[dict[str, Any], list[SandboxRecord]]:
    """One page of ``qs`` as ``{plural: [...], "meta": {"total": "N"}}`` plus the page's records."""
    limit, offset = page_bounds(ctx, default_limit)
    page = list(qs[offset : offset + limit])
    body: dict[str, Any] = {plural: [present(ctx, r) for r in page]}
    if meta:
        # A short page that has records (or starts at 0) ends the result: no count needed.
        short = len(page) < limit and (page or not offset)
        body["meta"] = {"total": str(offset + len(page) if short else qs.count())}
    return body, page


def present_all(
    ctx: Ctx,
    items: Iterable[SandboxRecord],
    present: Callable[[Ctx, SandboxRecord], dict[str, Any]],
) -> list[dict[str, Any]]:
    return [present(ctx, r) for r in items]


def project(full: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The subset of a full representation that one operation returns, in the API's key order."""
    return {key: full[key] for key in keys}


# Presenters of side-loaded objects, registered by the module that owns each kind,
# so one family can side-load another's objects without importing it.
PRESENTERS: dict[tuple[str, str], Callable[[Ctx, SandboxRecord], dict[str, Any]]] = {}


def presenter(kind: str, variant: str = "default"):
    def register(fn):
        PRESENTERS[(kind, variant)] = fn
        return fn

    return register


def present(ctx: Ctx, record: SandboxRecord, variant: str = "default") -> dict[str, Any]:
    fn = PRESENTERS.get((record.kind, variant)) or PRESENTERS[(record.kind, "default")]
    return fn(ctx, record)
