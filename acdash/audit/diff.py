"""Before → after of an audit entry in words: the keys that changed, not the raw JSON.

Writes record different shapes (a contact's core fields, one custom field's
``{"field", "value"}``, a tag or list link, a whole object on create or delete, a job's
targets); one set of rules reads them all:

- the object's own ``id`` and bookkeeping timestamps are left out (the row says which object
  and when); a link's ``<name>_id`` is left out when ``<name>`` names it;
- an entry about one named thing (``field``, ``list``, ``tag``) is told by that name:
  "Industry: Retail → Education", "Newsletter status: — → subscribed", "tag: — → VIP".
"""

import json
import re
from dataclasses import dataclass
from typing import Any

SUBJECTS = ("field", "list", "tag")
NOISE = {"id", "updated", "udate", "mdate"}
MAX_TEXT = 200


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def text(value: Any) -> str:
    """A recorded value as a person reads it ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def label(key: str) -> str:
    """``first_name`` / ``firstName`` → "first name"; other keys ("tag:12") as they are."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).replace("_", " ")
    return spaced.lower() if re.fullmatch(r"[A-Za-z_]+", key) else key


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {} if value is None else {"value": value}


def _bookkeeping(key: str, keys: set[str]) -> bool:
    if key in NOISE:
        return True
    stem = key.removesuffix("_id")
    return stem != key and any(stem.endswith(name) for name in keys if name != key)


def changes(before: Any, after: Any, *, short: bool = True) -> list[Change]:
    """What changed from ``before`` to ``after``, in the order the entry recorded the keys;
    ``short``: long values cut (for the table; the CSV keeps them whole)."""
    old, new = _as_dict(before), _as_dict(after)
    keys = set(old) | set(new)
    subject = next((key for key in SUBJECTS if key in keys), None)
    changed = [
        key
        for key in dict.fromkeys([*old, *new])
        if key != subject
        and not _bookkeeping(key, keys)
        and text(old.get(key)) != text(new.get(key))
    ]
    cut = _short if short else str

    def change(field: str, key: str) -> Change:
        return Change(field, cut(text(old.get(key))), cut(text(new.get(key))))

    if subject is None:
        return [change(label(key), key) for key in changed]
    name = text(new.get(subject)) or text(old.get(subject))
    if not changed:
        if text(old.get(subject)) == text(new.get(subject)):
            return []
        return [change(subject, subject)]
    return [change(name if key == "value" else f"{name} {label(key)}", key) for key in changed]


def _short(value: str) -> str:
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
