"""Task outcomes, ``/taskOutcomes`` (updated and deleted under the reference's misspelt
``/taskOutccomes`` too).

An outcome is offered for the task types it has a ``tasktypeOutcomeRel`` with; writing its
``dealTasktype_ids`` creates and deletes those relations.
"""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, not_found, route
from .tasks import OUTCOME, REL, TYPE, as_text, fail, id_text, same_title
from .users import current_user

OUTCOME_LINKS = ["tasktypeOutcomeRels", "dealTasks"]
OUTCOME_KEYS = ["title", "sentiment", "disabled", "created_by", "updated_by"]
OUTCOME_KEYS += ["created_utc_timestamp", "updated_utc_timestamp", "dealTasktype_ids"]
OUTCOME_KEYS += ["links", "id"]
OUTCOME_CREATED_KEYS = ["title", "sentiment", "created_by", "disabled", "links", "id"]
OUTCOME_UPDATED_KEYS = [k for k in OUTCOME_KEYS if k != "dealTasktype_ids"]
SENTIMENTS = {"positive": "POSITIVE", "neutral": "NEUTRAL", "negative": "NEGATIVE"}
# filters[sentiment] takes codes: 1 Negative, 2 Neutral, 3 Positive.
SENTIMENT_CODES = {"1": "NEGATIVE", "2": "NEUTRAL", "3": "POSITIVE"}


def _outcome_error(
    title: str, attribute: str, code: str = "field_invalid", error: str = ""
) -> dict[str, Any]:
    """Outcome errors carry an extra ``error`` key (a slug, often empty)."""
    return {
        "title": title,
        "detail": "",
        "code": code,
        "error": error,
        "source": {"pointer": f"/data/attributes/{attribute}"},
    }


def _get_outcome(ctx: Ctx, rid: object) -> SandboxRecord:
    return store.get_or_404(ctx.account, OUTCOME, rid, not_found("TaskOutcome", rid))


def full_outcome(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    rid = record.id_str
    rels = store.records(ctx.account, REL).filter(key=rid).order_by("parent")
    return {
        **record.data,
        "dealTasktype_ids": [str(parent) for parent in rels.values_list("parent", flat=True)],
        "links": {name: ctx.link(f"taskOutcomes/{rid}/{name}") for name in OUTCOME_LINKS},
        "id": rid,
    }


@store.presenter(OUTCOME)
def present_outcome(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project(full_outcome(ctx, record), OUTCOME_KEYS)


def _clean_outcome(
    ctx: Ctx, attrs: dict[str, Any], record: SandboxRecord | None
) -> tuple[dict[str, Any], list[str] | None]:
    """Validated attributes and the task types to offer the outcome for (None: unchanged)."""
    changes: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    if record is None or "title" in attrs:
        title, others = same_title(ctx, OUTCOME, attrs, record)
        if not title:
            errors.append(
                _outcome_error(
                    "The taskOutcome title was not provided.",
                    "title",
                    "field_missing",
                    "taskOutcome_title_was_not_provided",
                )
            )
        elif others.exists():
            errors.append(
                _outcome_error("A task outcome with the same title already exists.", "title")
            )
        changes["title"] = title
    if record is None or "sentiment" in attrs:
        sentiment = SENTIMENTS.get(as_text(attrs.get("sentiment")).strip().lower())
        if sentiment is None:
            errors.append(
                _outcome_error(
                    "Sentiment value must be one of Positive, Neutral, or Negative.", "sentiment"
                )
            )
        changes["sentiment"] = sentiment
    if "disabled" in attrs:
        changes["disabled"] = as_text(attrs["disabled"]).strip()
        if changes["disabled"] not in ("0", "1"):
            errors.append(_outcome_error("disabled must be 0 or 1.", "disabled"))
    tasktypes = None
    if "dealTasktype_ids" in attrs:
        given = attrs["dealTasktype_ids"]
        tasktypes = [id_text(t) for t in given] if isinstance(given, list) else [None]
        if any(t is None or store.find(ctx.account, TYPE, t) is None for t in tasktypes):
            errors.append(
                _outcome_error(
                    "dealTasktype_ids must list existing task types.", "dealTasktype_ids"
                )
            )
    fail(errors)
    return changes, tasktypes


def _offer_for(ctx: Ctx, outcome: SandboxRecord, tasktypes: list[str]) -> None:
    """Make the outcome available for exactly these task types."""
    rels = store.records(ctx.account, REL).filter(key=outcome.id_str)
    rels.exclude(parent__in=[int(t) for t in tasktypes]).delete()
    existing = {str(p) for p in rels.values_list("parent", flat=True)}
    user = current_user(ctx).id_str
    for tasktype in dict.fromkeys(tasktypes):
        if tasktype in existing:
            continue
        order = store.records(ctx.account, REL).filter(parent=int(tasktype)).count()
        data = {
            "tasktype_id": tasktype,
            "outcome_id": outcome.id_str,
            "display_order": str(order),
            "created_by": user,
            "created_utc_timestamp": store.iso(ctx.account),
            "updated_by": None,
            "updated_utc_timestamp": store.plain(ctx.account),
            "tasktype": tasktype,
            "outcome": outcome.id_str,
            "createdBy": user,
        }
        store.create(ctx.account, REL, data, parent=int(tasktype), key=outcome.id_str)


@route("POST", "taskOutcomes", "Outcome_createTaskOutcome")
def create_outcome(ctx: Ctx):
    changes, tasktypes = _clean_outcome(ctx, ctx.envelope("taskOutcome"), None)
    now, user = store.iso(ctx.account), current_user(ctx).id_str
    data = {
        "title": "",
        "sentiment": "NEUTRAL",
        "disabled": "0",
        "created_by": user,
        "updated_by": user,
        "created_utc_timestamp": now,
        "updated_utc_timestamp": now,
        **changes,
    }
    outcome = store.create(ctx.account, OUTCOME, data)
    if tasktypes is not None:
        _offer_for(ctx, outcome, tasktypes)
    return {"taskOutcome": store.project(full_outcome(ctx, outcome), OUTCOME_CREATED_KEYS)}


@route("GET", "taskOutcomes", "List_taskOutcomes")
def list_outcomes(ctx: Ctx):
    qs = store.records(ctx.account, OUTCOME).order_by("rid")
    if (raw := ctx.param("filters[sentiment]")) is not None:
        raw = raw.strip()
        sentiment = SENTIMENT_CODES.get(raw, SENTIMENTS.get(raw.lower()))
        qs = qs.filter(data__sentiment=sentiment) if sentiment else qs.none()
    body, _ = store.paged(ctx, qs, "taskOutcomes", present_outcome)
    return body


@route("GET", "taskOutcomes/{id}", "Outcome_getTaskOutcome")
def get_outcome(ctx: Ctx, id: str):
    record = _get_outcome(ctx, id)
    return {"taskOutcome": present_outcome(ctx, record)}


def update_outcome(ctx: Ctx, id: str):
    record = _get_outcome(ctx, id)
    changes, tasktypes = _clean_outcome(ctx, ctx.envelope("taskOutcome"), record)
    store.update(
        record,
        **changes,
        updated_by=current_user(ctx).id_str,
        updated_utc_timestamp=store.iso(ctx.account),
    )
    if tasktypes is not None:
        _offer_for(ctx, record, tasktypes)
    return {"taskOutcome": store.project(full_outcome(ctx, record), OUTCOME_UPDATED_KEYS)}


def delete_outcome(ctx: Ctx, id: str):
    record = _get_outcome(ctx, id)
    # Tasks completed with it keep their outcomeId, as history.
    store.records(ctx.account, REL).filter(key=record.id_str).delete()
    record.delete()
    return {}


# The reference publishes PUT and DELETE under the misspelt "/taskOutccomes/{id}"; both
# spellings are served.
for _path in ("taskOutccomes/{id}", "taskOutcomes/{id}"):
    route("PUT", _path, "Outcome_updateTaskOutcome")(update_outcome)
    route("DELETE", _path, "Outcome_deleteTaskOutcome")(delete_outcome)
