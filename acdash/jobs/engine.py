"""What starts jobs calls these: ``plan`` (the preview) and ``start_job`` (store and enqueue).

The worker side is ``runner`` (a task's start, expansion and fan-out), ``loop`` (the item
loop: retries, cancel) and ``claims`` (several runners sharing one job); the preview and the
loop share ``compare``, so a preview's skip reasons are the ones the job itself will give.
"""

from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction

from acdash.activecampaign import Client, count_api_calls
from acdash.activecampaign.conf import setting

from .contract import KINDS, Change, Kind, Plan, Record, Selection, Target, bulk_path
from .models import Job, JobItem

READ_BATCH = 100  # ids per Kind.read call (one API page)
BULK_BATCH = 1000  # records read, then written, at once on the bulk path (its imports go together)
PER_RECORD = "one call per record"
BULK = "bulk import"
GONE = "no longer exists"
CHANGED = "changed since the job ran"
CANCELLED = "the job was cancelled before it got here"


def seconds_per_call() -> float:
    """The account's budget, as the limiter spends it: ``rate`` calls per ``1 + margin`` s."""
    return (1 + float(setting("RATE_LIMIT_MARGIN"))) / max(1, int(setting("RATE_LIMIT")))


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def keys_of(targets: Sequence[Target]) -> set[str]:
    return {key for target in targets for key in target}


def held(record: Record, target: Target) -> bool:
    return all(record.values.get(key) == value for key, value in target.items())


def compare(
    client: Client,
    kind: Kind,
    record: Record | None,
    target: Target,
    expect: Target | None = None,
) -> str:
    """Why the record needs no write (a skip reason), or "" when it must be written."""
    if record is None:
        return "already deleted" if target.get("exists") is False else GONE
    if expect is not None and any(record.values.get(k) != v for k, v in expect.items()):
        return CHANGED
    if held(record, target):
        words = ", ".join(kind.describe(client, key, value) for key, value in target.items())
        return f"already {words}"
    return ""


def plan(
    client: Client,
    kind: str,
    *,
    selection: Selection | None = None,
    target: Target | None = None,
    targets: dict[str, Target] | None = None,
    expect: dict[str, Target] | None = None,
    bulk: bool = True,
) -> Plan:
    """The preview: every record the job covers, compared with its target; nothing written.

    Calls: the selection's expansion (a page per 100 ids of a query; none for ticked ids or
    ``targets``), then one ``Kind.read`` per 100 records (the estimate counts its calls).
    ``changes`` holds up to ``Plan.sample_size`` changes followed by up to as many skipped
    records. ``bulk=False`` keeps the job off the kind's bulk path (one call per record).
    """
    the_kind = KINDS[kind]
    ids = _ids(client, the_kind, selection, targets)
    per_id = _targets_by_id(ids, target, targets)
    keys = keys_of(list(per_id.values())) | keys_of(list((expect or {}).values()))
    changes: list[Change] = []
    skips: list[Change] = []
    changed = skipped = 0
    calls = bulked = reads = 0
    for batch in chunks(ids, READ_BATCH):
        with count_api_calls() as read:  # what the job's own reads will cost too
            current = the_kind.read(client, batch, keys)
        reads += read.count
        for object_id in batch:
            record = current.get(object_id) or Record(object_id, object_id)
            wanted = per_id[object_id]
            skip = compare(
                client,
                the_kind,
                current.get(object_id),
                wanted,
                (expect or {}).get(object_id),
            )
            if skip:
                skipped += 1
                if len(skips) < Plan.sample_size:
                    skips.append(Change(record, wanted, skip))
            else:
                changed += 1
                if bulk and bulk_path(the_kind, wanted):
                    bulked += 1
                else:
                    calls += the_kind.calls_per_record(wanted)
                if len(changes) < Plan.sample_size:
                    changes.append(Change(record, wanted))
    if bulked:
        calls += the_kind.bulk_calls(bulked)  # type: ignore[attr-defined]
    return Plan(
        total=len(ids),
        changes=[*changes, *skips],
        skipped=skipped,
        estimate_seconds=round((reads + calls) * seconds_per_call(), 1),
        path=BULK if bulked else PER_RECORD,
    )


def _ids(
    client: Client, kind: Kind, selection: Selection | None, targets: dict[str, Target] | None
) -> list[str]:
    if targets is not None:
        return [str(object_id) for object_id in targets]
    if selection is None:
        raise ValueError("a job needs a selection or targets")
    return list(dict.fromkeys(str(i) for i in kind.expand(client, selection)))


def _targets_by_id(
    ids: Sequence[str], target: Target | None, targets: dict[str, Target] | None
) -> dict[str, Target]:
    if targets is not None:
        return {str(k): v for k, v in targets.items()}
    if target is None:
        raise ValueError("a job needs a target or targets")
    return dict.fromkeys(ids, target)


def start_job(
    *,
    account,
    user,
    kind: str,
    description: str,
    selection: Selection | None = None,
    target: Target | None = None,
    targets: dict[str, Target] | None = None,
    expect: dict[str, Target] | None = None,
    undo_of: Job | None = None,
    bulk: bool = True,
) -> Job:
    """Store the job (and its items when ``targets`` names them) and enqueue its task once
    the surrounding transaction commits. A ``selection`` is expanded by the worker when the
    job starts (a query is re-run server-side then, never trusted from the page).
    ``bulk=False`` keeps it off the kind's bulk path."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r}")
    if (selection is None) == (targets is None):
        raise ValueError("a job needs either a selection (with a target) or targets")
    if selection is not None and target is None:
        raise ValueError("a selection needs a target")
    some = [target] if target is not None else list((targets or {}).values())[:1]
    with transaction.atomic():
        job = Job.objects.create(
            account=account,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            kind=kind,
            description=description[:300],
            selection=asdict(selection) if selection is not None else None,
            target=target,
            undo_of=undo_of,
            path=BULK if bulk and some and bulk_path(KINDS[kind], some[0]) else PER_RECORD,
        )
        if targets is not None:
            store_items(job, {str(k): v for k, v in targets.items()}, expect or {})
        transaction.on_commit(lambda: enqueue(job))
    return job


def store_items(job: Job, targets: dict[str, Target | None], expect: dict[str, Target]) -> None:
    """The job's items, once: one per record, in order; ``None`` targets use the job's."""
    JobItem.objects.bulk_create(
        [
            JobItem(
                job=job,
                position=position,
                object_id=object_id,
                label=object_id,
                target=target,
                expect=expect.get(object_id),
            )
            for position, (object_id, target) in enumerate(targets.items())
        ],
        batch_size=500,
    )
    Job.objects.filter(pk=job.pk).update(total=len(targets))
    job.total = len(targets)


def enqueue(job: Job) -> None:
    from .tasks import run_job  # the task module imports the runner, which imports this one

    run_job.enqueue(job.pk)
