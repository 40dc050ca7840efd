"""What copying a source account's setup into a target would do, part by part: items to
create, to update (and which attributes or options differ), identical ones, and conflicts
that a copy must not write (the same name with another type; a stage whose name is in
another pipeline of the target). Pure: it compares two ``snapshot.Setup``s."""

from dataclasses import dataclass
from typing import Any

from .snapshot import PARTS, Item, Part, Setup, key

STATUSES = ("conflict", "create", "update", "identical")


@dataclass(frozen=True)
class Row:
    name: str
    status: str  # one of STATUSES
    changes: list[str]  # update: what differs; conflict: why


@dataclass(frozen=True)
class PartDiff:
    part: str
    title: str
    rows: list[Row]

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(status, sum(row.status == status for row in self.rows)) for status in STATUSES]

    @property
    def differs(self) -> bool:
        return any(row.status != "identical" for row in self.rows)


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in (None, "", []):
        return "none"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _list_change(name: str, source: list, target: list) -> str:
    added = [v for v in source if v not in target]
    removed = [v for v in target if v not in source]
    said = [f"+ {v}" for v in added] + [f"− {v}" for v in removed]
    kept = [v for v in source if v in target]
    if kept != [v for v in target if v in source]:
        said.append("order")
    return f"{name}: {'; '.join(said)}"


def changes(source: Item, target: Item) -> list[str]:
    """The attributes of ``target`` a copy of ``source`` would change, readably."""
    found = []
    for name, value in source.attrs.items():
        held = target.attrs.get(name)
        if value == held:
            continue
        if isinstance(value, list) and isinstance(held, list):
            found.append(_list_change(name, value, held))
        else:
            found.append(f"{name}: {text(held)} → {text(value)}")
    return found


def _stage_conflicts(source: Item, target_part: Part) -> list[str]:
    """Stages of ``source`` whose names are in another pipeline of the target (and not in
    its own): copying them would put one stage name in two pipelines."""
    own = {key(s) for s in target_part.get(key(source.name), Item("")).attrs.get("stages", [])}
    found = []
    for stage in source.attrs.get("stages", []):
        if key(stage) in own:
            continue
        elsewhere = [
            other.name
            for k, other in target_part.items()
            if k != key(source.name) and key(stage) in {key(s) for s in other.attrs["stages"]}
        ]
        if elsewhere:
            found.append(f"stage “{stage}” is in the pipeline “{elsewhere[0]}” of the target")
    return found


def diff_part(part: str, source: Part, target: Part) -> PartDiff:
    rows = []
    for name_key, item in source.items():
        held = target.get(name_key)
        conflicts = _stage_conflicts(item, target) if part == "pipelines" else []
        if held is not None and held.kind != item.kind:
            conflicts.insert(0, f"type {held.kind} in the target, {item.kind} here")
        if conflicts:
            rows.append(Row(item.name, "conflict", conflicts))
        elif held is None:
            rows.append(Row(item.name, "create", []))
        elif found := changes(item, held):
            rows.append(Row(item.name, "update", found))
        else:
            rows.append(Row(item.name, "identical", []))
    order = {status: i for i, status in enumerate(STATUSES)}
    rows.sort(key=lambda row: (order[row.status], key(row.name)))
    return PartDiff(part, PARTS[part], rows)


def diff_setups(source: Setup, target: Setup) -> list[PartDiff]:
    """Every part's diff, in PARTS order."""
    return [diff_part(part, source.parts[part], target.parts[part]) for part in PARTS]
