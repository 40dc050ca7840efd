"""A declarative resource engine: families of plain CRUD resources as data, not a module each.

A ``Family`` names its record kind, envelope keys and the reference operations it serves; the
engine routes them and takes everything else from the API reference
(acdash/activecampaign/reference.json): each operation answers with the key set, key order and
JSON types of its own example (the API's examples differ per operation), new records get the
examples' values as defaults, links are rebuilt from the examples' link names, and list
``meta`` copies the example's keys. Records live in the emulator's one table (``store``).
"""

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from django.utils import timezone

from . import store
from .models import SandboxRecord
from .routing import ApiError, Ctx, invalid, missing, not_found, route

REFERENCE = Path(__file__).resolve().parent.parent / "activecampaign" / "reference.json"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
PLAIN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
# Attributes the API sets on every write: never taken from a request.
TOUCHED = {"mdate", "udate", "updatedDate", "updatedTimestamp", "updated_timestamp", "tstamp"}
Hook = Callable[..., Any]


@cache
def reference() -> dict[tuple[str, str], dict[str, Any]]:
    return {(op["method"], op["path"]): op for op in json.loads(REFERENCE.read_text())}


def example(method: str, path: str) -> tuple[int, Any]:
    """The status and body of the operation's first valid 2xx example."""
    op = reference()[(method, path)]
    for response in op["responses"]:
        if 200 <= response["status"] < 300 and response["valid"]:
            return response["status"], response["json"]
    statuses = [r["status"] for r in op["responses"] if 200 <= r["status"] < 300]
    return (statuses[0] if statuses else 200), None


def empty(method: str, path: str) -> bool:
    """The operation answers an empty body (the reference's ``'' (empty string)``)."""
    return any(r["raw"].startswith("''") for r in reference()[(method, path)]["responses"])


@dataclass
class Family:
    kind: str
    singular: str
    plural: str
    entity: str  # as the API's 404 names it: "No Result found for <entity> with id 1"
    # verb ("list", "create", "read", "update", "delete") -> reference path
    ops: dict[str, str]
    required: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)  # query parameter -> attribute
    orders: tuple[str, ...] = ()
    mirrors: dict[str, str] = field(default_factory=dict)  # e.g. "connection" shows "connectionid"
    aliases: dict[str, str] = field(default_factory=dict)  # request name -> attribute
    defaults: dict[str, Any] = field(default_factory=dict)  # over the examples' values
    fixed: tuple[str, ...] = ()  # attributes a request cannot set
    uuid_ids: bool = False  # ids are UUIDs (custom objects), kept in the record's key
    validate: Hook | None = None  # (ctx, changes, record or None) -> changes, raises ApiError
    sideload: Hook | None = None  # (ctx, record, verb) -> extra top-level keys of an answer
    # (ctx, verb, record, attrs) after a write; may still refuse (the request is atomic)
    after: Hook | None = None
    not_found_error: Hook | None = None  # (rid) -> ApiError, when not the usual 404
    refused: tuple[str, ...] = ()  # verbs the API answers 403, not 404, for a missing record
    views: dict[str, str] = field(default_factory=dict)  # verb -> path served elsewhere
    linked: bool = True  # ``links`` is the links object (brandings have a flag of that name)
    prepare: Hook | None = None  # (ctx) before every operation: records that must exist
    _templates: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def operation(self, verb: str) -> tuple[str, str]:
        """The reference operation of ``verb``: a routed one, or a view ("POST /path")."""
        if verb in self.ops:
            return METHODS[verb], self.ops[verb]
        method, _, path = self.views[verb].rpartition(" ")
        return method or METHODS.get(verb, "GET"), path

    def template(self, verb: str) -> dict[str, Any]:
        """The object ``verb``'s example answers with (a list's first item); where that
        example is missing or not valid JSON, another operation's of the family."""
        if verb not in self._templates:
            found = None
            for candidate in (verb, "read", "list", "create", "update"):
                if candidate in self.ops or candidate in self.views:
                    _, body = example(*self.operation(candidate))
                    body = body if isinstance(body, dict) else {}
                    value = body.get(self.plural, body.get(self.singular))
                    if isinstance(value, list):
                        value = value[0] if value else None
                    if isinstance(value, dict):
                        found = value
                        break
            self._templates[verb] = found or {**self.defaults, "id": self.defaults.get("id", "1")}
        return self._templates[verb]

    @cached_property
    def fields(self) -> dict[str, Any]:
        """Every attribute the examples show, with the first example value seen as default."""
        merged: dict[str, Any] = {}
        for verb in ("read", "list", "create", "update", *self.views):
            for key, value in self.template(verb).items():
                merged.setdefault(key, value)
        merged.update(self.defaults)
        for key in ("id", *(["links"] if self.linked else []), *self.mirrors):
            merged.pop(key, None)
        return merged


METHODS = {"list": "GET", "create": "POST", "read": "GET", "update": "PUT", "delete": "DELETE"}
REGISTRY: dict[str, Family] = {}


# Values ---------------------------------------------------------------------


def _now(account, sample: Any, moment: datetime | None = None) -> Any:
    """A timestamp in the example's format (``moment``, or now), other values as they are."""
    if not isinstance(sample, str):
        return sample
    if ISO.match(sample):
        if sample.endswith("Z"):
            return (moment or timezone.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return store.iso(account, moment)
    return store.plain(account, moment) if PLAIN.match(sample) else sample


def new_data(account, family: Family, moment: datetime | None = None, **changes: Any) -> dict:
    """A new record's attributes: ``changes`` over the defaults, timestamps ``moment``."""
    return {**{k: _now(account, v, moment) for k, v in family.fields.items()}, **changes}


def coerce(name: str, value: Any, sample: Any) -> Any:
    """``value`` as the JSON type the examples give the attribute, or a 422 naming it."""
    if value is None:  # null: unset
        return None
    if isinstance(sample, bool):
        if isinstance(value, bool) or value in (0, 1):
            return bool(value)
    elif isinstance(sample, str):
        if isinstance(value, bool):  # the API's flags are "0" and "1"
            return "1" if value else "0"
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    elif isinstance(sample, int | float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value.strip()):
            return int(value)
    elif isinstance(sample, list | dict):
        if isinstance(value, type(sample)):
            return value
    else:  # the examples only show null: anything JSON goes
        return value
    raise invalid(f"The value of {name} is not valid.", name)


def shaped(value: Any, sample: Any) -> Any:
    """A stored value as the JSON type one operation's example shows (the API's own mix)."""
    if value is None or sample is None or isinstance(value, list | dict):
        return value
    if isinstance(sample, str) and not isinstance(value, str):
        return str(int(value)) if isinstance(value, bool) else str(value)
    if isinstance(sample, bool) and not isinstance(value, bool):
        return value in ("1", 1, "true")
    if isinstance(sample, int) and isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value):
        return int(value)
    return value


def record_id(family: Family, record: SandboxRecord) -> str:
    return str(record.key) if family.uuid_ids else record.id_str


def relink(ctx: Ctx, links: Any, plural: str, rid: str) -> Any:
    """The example's links, pointing at this record (``<plural>/<id>/<name>``)."""
    if not isinstance(links, dict):
        return links
    return {name: ctx.link(f"{plural}/{rid}/{name}") for name in links}


def present(ctx: Ctx, family: Family, record: SandboxRecord, verb: str) -> dict[str, Any]:
    """The record as ``verb``'s example shows one: its keys, order and JSON types."""
    template = family.template(verb)
    rid = record_id(family, record)
    out: dict[str, Any] = {}
    for key, sample in template.items():
        if key == "id":
            out["id"] = int(rid) if isinstance(sample, int) else rid
        elif key == "links" and family.linked:
            out["links"] = relink(ctx, sample, family.plural, rid)
        else:
            source = family.mirrors.get(key, key)
            value = record.data.get(source, sample)
            if isinstance(value, dict | list) and value and value == family.fields.get(source):
                value = sample  # an untouched nested default: this operation's own example
            out[key] = shaped(value, sample)
    return out


# Reading and writing --------------------------------------------------------


def records(ctx: Ctx, family: Family):
    return store.records(ctx.account, family.kind)


def find(ctx: Ctx, family: Family, rid: object) -> SandboxRecord | None:
    if family.uuid_ids:
        return records(ctx, family).filter(key=str(rid)).first()
    return store.find(ctx.account, family.kind, rid)


def get(ctx: Ctx, family: Family, rid: object, verb: str = "read") -> SandboxRecord:
    record = find(ctx, family, rid)
    if record is None:
        if family.not_found_error:
            raise family.not_found_error(rid)
        error = not_found(family.entity, rid)
        raise ApiError(403, error.body) if verb in family.refused else error
    return record


def changes_from(ctx: Ctx, family: Family, attrs: dict[str, Any]) -> dict[str, Any]:
    fields = family.fields
    changes = {}
    for name, value in attrs.items():
        name = family.aliases.get(name, name)
        if name in fields and name not in family.fixed and name not in TOUCHED:
            changes[name] = coerce(name, value, fields[name])
    return changes


def create(ctx: Ctx, family: Family, attrs: dict[str, Any], **extra: Any) -> SandboxRecord:
    """Validate ``attrs`` (a request's envelope), store a new record with the defaults."""
    changes = changes_from(ctx, family, attrs)
    for name in family.required:
        if changes.get(name) in (None, "", []):
            raise missing(f"The {name} was not provided.", name)
    if family.validate:
        changes = family.validate(ctx, changes, None)
    return insert(ctx, family, {**changes, **extra})


def insert(
    ctx: Ctx, family: Family, changes: dict[str, Any], key: str | None = None
) -> SandboxRecord:
    """Store a record: the given attributes over the defaults, timestamps now. A family with
    UUID ids gets one derived from the record's place (stable seeds), unless ``key`` names it."""
    record = store.create(ctx.account, family.kind, new_data(ctx.account, family, **changes))
    if family.uuid_ids:
        record.key = key or uuid_for(ctx.account.slug, family.kind, record.rid)
        record.save(update_fields=["key"])
    return record


def uuid_for(slug: str, kind: str, rid: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{slug}/{kind}/{rid}"))


def update(ctx: Ctx, family: Family, record: SandboxRecord, attrs: dict[str, Any]) -> None:
    changes = changes_from(ctx, family, attrs)
    for name in family.required:
        if name in changes and changes[name] in (None, "", []):
            raise missing(f"The {name} was not provided.", name)
    if family.validate:
        changes = family.validate(ctx, changes, record)
    for name, sample in family.fields.items():
        if name in TOUCHED:  # in the update example's format (the default may be null)
            changes[name] = _now(ctx.account, family.template("update").get(name) or sample)
    store.update(record, **changes)


def filtered(ctx: Ctx, family: Family, qs=None):
    qs = records(ctx, family) if qs is None else qs
    for param, attribute in family.filters.items():
        value = ctx.param(param)
        if value is not None:
            qs = qs.filter(**{f"data__{attribute}": value})
    orderable = {name: f"data__{name}" for name in family.orders}
    return store.order_by_param(ctx, qs, orderable)


def meta(sample: Any, total: int, count: int, ctx: Ctx) -> dict[str, Any]:
    """The example's ``meta`` keys: ``total`` (typed as there), paging, lists empty."""
    limit, offset = store.page_bounds(ctx)
    values = {"total": total, "count": count, "limit": limit, "offset": offset}
    out = {}
    for key, value in (sample if isinstance(sample, dict) else {"total": "0"}).items():
        if key in values:
            out[key] = str(values[key]) if isinstance(value, str) else values[key]
        else:
            out[key] = [] if isinstance(value, list) else value
    return out


def listing(ctx: Ctx, family: Family, qs, verb: str = "list") -> dict[str, Any]:
    limit, offset = store.page_bounds(ctx)
    page = list(qs[offset : offset + limit])
    body: dict[str, Any] = {family.plural: [present(ctx, family, r, verb) for r in page]}
    _, sample = example(*family.operation(verb))
    # Every list answers meta.total, except where the API's example shows a list without it.
    if not isinstance(sample, dict) or "meta" in sample or sample == {}:
        body["meta"] = meta((sample or {}).get("meta"), qs.count(), len(page), ctx)
    return body


def answer(ctx: Ctx, family: Family, record: SandboxRecord, verb: str) -> dict[str, Any]:
    body = {family.singular: present(ctx, family, record, verb)}
    if family.sideload:
        body = {**family.sideload(ctx, record, verb), **body}
    return body


# Routing --------------------------------------------------------------------


def _operation(method: str, path: str) -> str:
    return reference()[(method, path)]["operationId"]


def serve(family: Family) -> Family:
    """Route the family's operations; the path's one placeholder is the record's id."""
    REGISTRY[family.kind] = family
    for verb, path in family.ops.items():
        method = METHODS[verb]
        route(method, path.lstrip("/"), _operation(method, path))(_handler(family, verb))
    return family


def _handler(family: Family, verb: str):
    status, _ = example(METHODS[verb], family.ops[verb])
    blank = empty(METHODS[verb], family.ops[verb])

    def handle(ctx: Ctx, **kwargs: str):
        rid = next(iter(kwargs.values()), None)
        if family.prepare:
            family.prepare(ctx)
        if verb == "list":
            return listing(ctx, family, filtered(ctx, family))
        attrs = ctx.envelope(family.singular) if verb in ("create", "update") else {}
        found = get(ctx, family, rid, verb) if verb != "create" else None
        record = found or create(ctx, family, attrs)
        if verb == "read":
            return status, {family.singular: present(ctx, family, record, verb)}
        if verb == "update":
            update(ctx, family, record, attrs)
        if verb == "delete":
            record.delete()
        if family.after:
            family.after(ctx, verb, record, attrs)
        if verb == "delete":
            return status, None if blank else {}
        return status, answer(ctx, family, record, verb)

    return handle


def sublist(path: str, parent: Family, child: Family, attribute: str) -> None:
    """``GET <parent>/{id}/<children>``: the child records whose ``attribute`` is the parent's."""
    status, _ = example("GET", path)
    child.views[path] = path

    def handle(ctx: Ctx, **kwargs: str):
        owner = get(ctx, parent, next(iter(kwargs.values())))
        mine = records(ctx, child).filter(**{f"data__{attribute}": record_id(parent, owner)})
        return status, listing(ctx, child, filtered(ctx, child, mine), path)

    route("GET", path.lstrip("/"), _operation("GET", path))(handle)


def fixed(method: str, path: str, body: Hook | None = None) -> None:
    """An operation answered with its example (or ``body(ctx)``): static API metadata."""
    status, sample = example(method, path)

    def handle(ctx: Ctx, **kwargs: str):
        return status, (body(ctx, **kwargs) if body else sample)

    route(method, path.lstrip("/"), _operation(method, path))(handle)
