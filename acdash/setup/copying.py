"""Make one setup item of a target account hold what a source (account or template) has.

An item is named ``<part>:<name>``; its target is ``{"exists": True, "type": ..., **attrs}``
with the attributes compare describes (snapshot.py). Writes go through the service module
and only send what differs, so writing an item that already matches sends nothing.

Conflicts are refused with a ``ValidationError`` saying what to do: a field or tag of the
same name with another type, a stage whose name is in another pipeline.
"""

import threading
from typing import Any

from acdash.activecampaign import (
    Client,
    branding,
    customfields,
    fields,
    lists,
    pipelines,
    tags,
    tasks,
)
from acdash.activecampaign.errors import ValidationError

from .branding import LABELS
from .snapshot import READERS, Item, key

# One item at a time per process: items share what they write (an outcome offered by several
# task types, stage names across pipelines), and each reads it fresh before writing; setups
# are small, so the job's writer threads lose little by taking turns here.
_TURN = threading.Lock()

LIST_SENDER_URL = "https://example.com"  # the API requires one; the source's is not in compare
LIST_REMINDER = "You signed up for this list."


def split(object_id: str) -> tuple[str, str]:
    part, _, name = object_id.partition(":")
    return part, name


def values_of(item: Item | None) -> dict[str, Any]:
    """A record's values: what ``target`` is compared with, key by key."""
    if item is None:
        return {"exists": False}
    return {"exists": True, "type": item.kind, **item.attrs}


def refuse(message: str) -> None:
    raise ValidationError(message, field_errors={})


def _write(client: Client, object_id: str, target: dict[str, Any]) -> None:
    part, name = split(object_id)
    if part not in WRITERS:
        refuse(f"Unknown setup part {part!r}.")
    if target.get("exists") is False:
        refuse("A setup copy never deletes items.")
    held = READERS[part](client).get(key(name))
    wanted = {k: v for k, v in target.items() if k not in ("exists", "type")}
    if held is not None and held.kind != target.get("type", ""):
        refuse(
            f"Conflict: “{name}” is a {held.kind} here, a {target.get('type')} in the source. "
            "Rename or delete one of them, then copy again."
        )
    WRITERS[part](client, name, target.get("type", ""), wanted, held)


def write(client: Client, object_id: str, target: dict[str, Any]) -> None:
    with _TURN:
        _write(client, object_id, target)


def _contact_field(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
    options = list(attrs.get("options") or [])
    scalars = {
        "default": attrs.get("default", ""),
        "required": bool(attrs.get("required")),
        "visible": bool(attrs.get("visible", True)),
    }
    if held is None:
        field_id = fields.create_field(client, title=name, field_type=kind, **scalars)
        fields.relate_field(client, field_id, fields.ALL_LISTS)  # as AC's own client does
        current: list[fields.FieldOption] = []
    else:
        found = next(f for f in fields.list_fields(client) if key(f.title) == key(name))
        field_id, current = found.id, found.options
        changed = {k: v for k, v in scalars.items() if held.attrs.get(k) != v}
        if changed:
            fields.update_field(client, field_id, **changed)
    have = {o.value: o for o in current}
    for option in current:
        if option.value not in options:
            fields.delete_option(client, option.id)
    new = [fields.OptionWrite(v, order=i) for i, v in enumerate(options, 1) if v not in have]
    fields.add_options(client, field_id, new)
    for order, value in enumerate(options, 1):
        if value in have and have[value].order != order:
            fields.update_option(client, have[value].id, order=order)


def _custom_field(owner: str):
    def write_one(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
        typed = {
            "options": list(attrs.get("options") or []) or None,
            "default": customfields.to_python(kind, attrs.get("default")),
            "default_currency": attrs.get("default currency"),
            "required": bool(attrs.get("required")),
            "form_visible": bool(attrs.get("visible")),
        }
        if held is None:
            customfields.create_custom_field(client, owner, label=name, field_type=kind, **typed)
            return
        names = {"form_visible": "visible", "default_currency": "default currency"}
        changed = {
            k: v
            for k, v in typed.items()
            if held.attrs.get(names.get(k, k)) != attrs.get(names.get(k, k))
        }
        if changed:
            found = customfields.list_custom_fields(client, owner)  # type: ignore[arg-type]
            field = next(f for f in found if key(f.label) == key(name))
            customfields.update_custom_field(client, field, **changed)

    return write_one


def _pipeline(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
    stages = list(attrs.get("stages") or [])
    boards = pipelines.list_pipelines(client)
    elsewhere = {
        key(s.title): p.title for p in boards if key(p.title) != key(name) for s in p.stages
    }
    for stage in stages:
        if key(stage) in elsewhere:
            refuse(
                f"Conflict: the stage “{stage}” is in the pipeline “{elsewhere[key(stage)]}”. "
                "Rename that stage in the target, then copy again."
            )
    board = next((p for p in boards if key(p.title) == key(name)), None)
    created = board is None
    if board is None:
        board = pipelines.create_pipeline(client, name, attrs.get("currency") or "usd")
    have = {key(s.title): s for s in board.stages}
    for stage in stages:
        if key(stage) not in have:
            have[key(stage)] = pipelines.create_stage(client, board.id, stage)
    if created:  # the API's default stages hold no deals yet
        for stage in board.stages:
            if key(stage.title) not in {key(s) for s in stages}:
                pipelines.delete_stage(client, stage.id)
                del have[key(stage.title)]
    wanted = [have[key(s)].id for s in stages]
    # Stages the source lacks are kept (they may hold deals), after the source's own.
    rest = [s.id for k, s in have.items() if k not in {key(t) for t in stages}]
    current = [s.id for s in pipelines.get_pipeline(client, board.id).stages]
    if current != wanted + rest:
        pipelines.reorder_stages(client, board.id, wanted + rest)


def _outcome(text: str) -> tuple[str, str]:
    title, _, sentiment = text.rpartition(" (")
    return title, sentiment.rstrip(")")


def _task_type(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
    setup = tasks.task_setup(client)
    found = next((t for t in setup.types if key(t.title) == key(name)), None)
    type_id = found.id if found else tasks.save_task_type(client, name).id
    wanted = [_outcome(text) for text in attrs.get("outcomes") or []]
    offered = {o.id for o in setup.outcomes_for(type_id)}
    types_of = {o: [t.id for t in setup.types if o in t.outcome_ids] for o in offered}
    for title, sentiment in wanted:
        same = next(
            (
                o
                for o in setup.outcomes
                if not o.disabled and key(o.title) == key(title) and o.sentiment == sentiment
            ),
            None,
        )
        if same is not None and same.id in offered:
            continue
        ids = [t.id for t in setup.types if same and same.id in t.outcome_ids] + [type_id]
        tasks.save_outcome(
            client,
            title=title,
            sentiment=sentiment,
            task_type_ids=ids,
            outcome_id=same.id if same else None,
        )
    keep = {(key(t), s) for t, s in wanted}
    for outcome in setup.outcomes_for(type_id):
        if (key(outcome.title), outcome.sentiment) not in keep:
            tasks.save_outcome(
                client,
                title=outcome.title,
                sentiment=outcome.sentiment,
                task_type_ids=[t for t in types_of[outcome.id] if t != type_id],
                outcome_id=outcome.id,
            )


def _tag(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
    description = attrs.get("description") or ""
    if held is None:
        if kind != tags.CONTACT:
            refuse(f"“{name}” is a {kind} tag: only contact tags can be created. Skip it.")
        tags.create_tag(client, name, description)
    elif held.attrs.get("description") != description:
        tag = tags.find_tag(client, name)
        if tag is not None:
            tags.update_tag(client, tag.id, tag.name, description)


def _list(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
    if held is None:
        lists.create_list(client, name, LIST_SENDER_URL, LIST_REMINDER)


def _branding(client: Client, name: str, kind: str, attrs: dict, held: Item | None) -> None:
    by_label = {label.lower(): attr for attr, label in LABELS.items()}
    current = held.attrs if held else {}
    changes = {by_label[k]: v for k, v in attrs.items() if k in by_label and current.get(k) != v}
    if changes:
        branding.update_branding(client, **changes)


WRITERS = {
    "contact_fields": _contact_field,
    "deal_fields": _custom_field("deal"),
    "account_fields": _custom_field("account"),
    "pipelines": _pipeline,
    "task_types": _task_type,
    "tags": _tag,
    "lists": _list,
    "branding": _branding,
}
