"""The task list, ``GET /dealTasks``: its filters and ordering.

Due-date filters compare instants, in the account's timezone for bare dates.
"""

from datetime import UTC, date, datetime, timedelta

from django.db.models import Func, Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower

from .. import store
from ..models import SandboxRecord
from ..routing import ApiError, Ctx, route
from .tasks import CREATED_KEYS, RELTYPES, TASK, parse_moment, present_task

# The list's items have the keys of the create example (they are copies of that example).
LIST_KEYS = CREATED_KEYS


# Due dates ---------------------------------------------------------------------


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


# More than any UTC offset (-12:00 to +14:00): around a bound, the local part of a stored
# "2021-03-01T09:00:00-06:00" orders like the instant except within this margin.
MARGIN = timedelta(hours=15)
SECOND = timedelta(seconds=1)


def _naive(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def due_between(
    ctx: Ctx,
    qs: QuerySet[SandboxRecord],
    after: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[SandboxRecord]:
    """Tasks due strictly after ``after`` and strictly before ``before``, as instants.

    Due dates are stored with the account's UTC offset, which changes with daylight saving,
    so text comparison alone is wrong near a bound. The database decides every task due
    clearly inside or outside the interval; the few within ``MARGIN`` of a bound are
    compared exactly here.
    """
    qs = qs.exclude(data__duedate=None)
    sure, loose = Q(), Q()
    if after is not None:
        sure &= Q(data__duedate__gte=_naive(after + MARGIN))
        loose &= Q(data__duedate__gte=_naive(after - MARGIN))
    if before is not None:
        sure &= Q(data__duedate__lt=_naive(before - MARGIN))
        loose &= Q(data__duedate__lt=_naive(before + MARGIN))

    def inside(moment: datetime | None) -> bool:
        return (
            moment is not None
            and (after is None or moment > after)
            and (before is None or moment < before)
        )

    band = qs.filter(loose).exclude(sure).only("rid", "data")
    exact = [r.rid for r in band if inside(parse_moment(ctx, r.data["duedate"]))]
    return qs.filter(sure | Q(rid__in=exact))


def _filter_moment(ctx: Ctx, name: str) -> tuple[datetime, bool] | None:
    """A date filter's value and whether it was a bare date; 400 if it is not a date."""
    raw = ctx.param(name)
    if raw is None:
        return None
    moment = parse_moment(ctx, raw)
    if moment is None:
        raise ApiError(400, {"message": f"{name} must be a date."})
    return moment, _is_date(raw)


# Filters and ordering ----------------------------------------------------------


TASK_ORDERABLE = {
    "id": "rid",
    "duedate": "order_duedate",
    "cdate": "order_cdate",
    "udate": "order_udate",
    "title": "order_title",
    "status": "data__status",
}


class _Instant(Func):
    """A stored date as its UTC instant (SQLite's datetime() applies the offset; PostgreSQL,
    under `make run-scaled`, casts to timestamptz): text order is wrong across a daylight
    saving change, where offsets differ."""

    function = "datetime"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(%(expressions)s)::timestamptz"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _instant(name: str) -> Func:
    return _Instant(KeyTextTransform(name, "data"))


def _orderable(qs: QuerySet[SandboxRecord]) -> QuerySet[SandboxRecord]:
    """Dates by instant; titles ignoring case, as the API's database collates them. Aliases,
    not annotations: computed only by the ordering that names them."""
    dates = {f"order_{name}": _instant(name) for name in ("duedate", "cdate", "udate")}
    return qs.alias(**dates, order_title=Lower(KeyTextTransform("title", "data")))


def filter_tasks(ctx: Ctx) -> QuerySet[SandboxRecord]:
    qs = store.records(ctx.account, TASK)
    for name in ("title", "note"):
        if (value := ctx.param(f"filters[{name}]")) is not None:
            qs = qs.filter(**{f"data__{name}__icontains": value})
    if (raw := ctx.param("filters[reltype]")) is not None:
        reltype = RELTYPES.get(raw.strip().lower())
        qs = qs.filter(data__reltype=reltype) if reltype else qs.none()
    if (relid := ctx.int_param("filters[relid]")) is not None:
        qs = qs.filter(parent=relid)
    if (status := ctx.int_param("filters[status]")) is not None:
        qs = qs.filter(data__status=str(status))
    for name, attribute in (
        ("d_tasktypeid", "dealTasktype"),
        ("userid", "user"),
        ("assignee_userid", "assignee"),
    ):
        if (value := ctx.int_param(f"filters[{name}]")) is not None:
            qs = qs.filter(**{f"data__{attribute}": str(value)})
    if (outcome := ctx.int_param("filters[outcome_id]")) is not None:
        qs = qs.filter(data__outcomeId=outcome)

    # A bare date stands for midnight at its start, in the account's timezone. Due dates
    # have whole seconds, so "after t - 1s" is "at or after t".
    if given := _filter_moment(ctx, "filters[duedate]"):
        moment, whole_day = given
        end = moment + (timedelta(days=1) if whole_day else SECOND)
        qs = due_between(ctx, qs, after=moment - SECOND, before=end)
    if given := _filter_moment(ctx, "filters[due_after]"):
        qs = due_between(ctx, qs, after=given[0])
    # The published name is misspelt "Fitlers"; both spellings work, and clients send both.
    spellings = ("Fitlers[due_before]", "filters[due_before]")
    if befores := [given[0] for name in spellings if (given := _filter_moment(ctx, name))]:
        qs = due_between(ctx, qs, before=min(befores))
    if (raw := ctx.param("filters[duedate_range]")) is not None:
        qs = _due_range(ctx, qs, raw)
    return qs


def _due_range(ctx: Ctx, qs: QuerySet[SandboxRecord], raw: str) -> QuerySet[SandboxRecord]:
    """``start,end``, both included; a bare end date includes that whole day."""
    parts = raw.split(",")
    bounds = [parse_moment(ctx, p) for p in parts]
    if len(parts) != 2 or bounds[0] is None or bounds[1] is None:
        raise ApiError(400, {"message": "filters[duedate_range] must be two dates: start,end."})
    start, end = bounds
    end += timedelta(days=1) if _is_date(parts[1]) else SECOND
    return due_between(ctx, qs, after=start - SECOND, before=end)


@route("GET", "dealTasks", "Deal_getAllTasks")
def list_tasks(ctx: Ctx):
    qs = store.order_by_param(ctx, _orderable(filter_tasks(ctx)), TASK_ORDERABLE)
    body, _ = store.paged(ctx, qs, "dealTasks", lambda c, r: present_task(c, r, LIST_KEYS))
    return body
