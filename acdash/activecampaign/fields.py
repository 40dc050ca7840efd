"""Contact custom fields: their definitions (cached metadata) and their values, typed.

Values convert between Python and the API in one place, ``to_python`` / ``to_api``:

==============================  =================================  ==============================
field type                      Python                             API
==============================  =================================  ==============================
text, textarea, hidden          ``str`` ("" when unset)            as is
dropdown, radio                 ``str`` ("" when unset)            as is
date                            ``date`` (None when unset)         ``2018-12-31``
datetime                        aware ``datetime`` (None unset)    ``2020-05-19T02:45:00-05:00``
multiselect, checkbox, listbox  ``list[str]`` ([] when unset)      ``||a||b||``
==============================  =================================  ==============================

Datetimes keep whole seconds (the API stores no more); the API answers them in the account's
timezone, which compares equal to the moment that was sent. Unknown types are text.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import metadata
from .client import Client
from .paging import fetch_page
from .parsing import api_datetime, parse_date, parse_datetime, parse_int

MULTI_TYPES = frozenset({"multiselect", "checkbox", "listbox"})

type FieldPython = str | date | datetime | list[str] | None

CACHE_NAME = "contact_fields"  # writers of field definitions invalidate it


@dataclass(frozen=True, slots=True)
class FieldOption:
    id: int
    value: str  # what a contact's value holds
    label: str
    is_default: bool
    order: int


@dataclass(frozen=True, slots=True)
class Field:
    id: int
    title: str
    type: str  # the API's type name, e.g. "dropdown"
    description: str
    required: bool
    perstag: str
    default: FieldPython  # typed like the field's values
    options: list[FieldOption]  # choice fields, in display order
    order: int
    visible: bool

    @property
    def multiple(self) -> bool:
        return self.type in MULTI_TYPES


@dataclass(frozen=True, slots=True)
class FieldValue:
    id: int  # the fieldValue's id
    field_id: int
    value: FieldPython
    updated: datetime | None


def to_python(field_type: str, raw: Any) -> FieldPython:
    """A value as the API gives it, typed for ``field_type``."""
    if field_type in MULTI_TYPES:
        return [part for part in str(raw).split("||") if part] if raw else []
    if field_type == "date":
        return parse_date(raw)
    if field_type == "datetime":
        return parse_datetime(raw)
    return "" if raw is None else str(raw)


def to_api(field_type: str, value: FieldPython) -> str:
    """The API's text for a typed value; "" clears. TypeError/ValueError on a wrong value."""
    if value is None:
        return ""
    if field_type in MULTI_TYPES:
        # A bare str is iterable too: refuse it rather than send its letters.
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise TypeError(f"a {field_type} value is a list of str, not {type(value).__name__}")
        for item in value:
            if not isinstance(item, str) or not item or "||" in item:
                raise ValueError(f"{item!r} cannot be an option of a {field_type} value")
        return f"||{'||'.join(value)}||" if value else ""
    if field_type == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"a date value is a date, not {type(value).__name__}")
        return value.isoformat()
    if field_type == "datetime":
        if not isinstance(value, datetime):
            raise TypeError(f"a datetime value is a datetime, not {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("a datetime value needs a timezone")
        return api_datetime(value)
    if not isinstance(value, str):
        raise TypeError(f"a {field_type} value is a str, not {type(value).__name__}")
    return value


def _default(kind: str, defval: Any, options: list[FieldOption]) -> FieldPython:
    if defval not in (None, ""):
        return to_python(kind, defval)
    chosen = [o.value for o in options if o.is_default]
    if kind in MULTI_TYPES:
        return chosen
    return to_python(kind, chosen[0] if chosen else None)


def _field(raw: dict[str, Any], options: list[FieldOption]) -> Field:
    kind = str(raw.get("type") or "")
    return Field(
        id=int(raw["id"]),
        title=str(raw.get("title") or ""),
        type=kind,
        description=str(raw.get("descript") or ""),
        required=parse_int(raw.get("isrequired")) == 1,
        perstag=str(raw.get("perstag") or ""),
        default=_default(kind, raw.get("defval"), options),
        options=options,
        order=parse_int(raw.get("ordernum")),
        visible=parse_int(raw.get("visible"), 1) == 1,
    )


def _load_fields(client: Client) -> list[Field]:
    fields: list[dict[str, Any]] = []
    options: dict[int, list[FieldOption]] = {}
    offset = 0
    while True:
        page = fetch_page(client, "/fields", "fields", offset=offset)
        fields += page.items
        for raw in page.body.get("fieldOptions") or []:
            option = FieldOption(
                id=int(raw["id"]),
                value=str(raw.get("value") or ""),
                label=str(raw.get("label") or raw.get("value") or ""),
                is_default=parse_int(raw.get("isdefault")) == 1,
                order=parse_int(raw.get("orderid")),
            )
            options.setdefault(parse_int(raw.get("field")), []).append(option)
        if not page.items or not page.has_more:
            break
        offset += len(page.items)
    typed = [
        _field(raw, sorted(options.get(int(raw["id"]), []), key=lambda o: (o.order, o.id)))
        for raw in fields
    ]
    return sorted(typed, key=lambda f: (f.order, f.id))


def list_fields(client: Client) -> list[Field]:
    """Every contact custom field with its options, in display order (cached).

    On a miss, one call per 100 fields (``GET /fields`` side-loads ``fieldOptions``).
    """
    return metadata.cached(client, CACHE_NAME, lambda: _load_fields(client))


def fields_by_id(client: Client) -> dict[int, Field]:
    """``list_fields`` by id (cached)."""
    return {field.id: field for field in list_fields(client)}


def fields_for(client: Client, wanted: Iterable[int]) -> list[Field]:
    """``list_fields``, loaded again once if one of the ``wanted`` field ids is missing: a
    field created in ActiveCampaign since the cache was filled."""

    def has(fields: list[Field], field_id: int) -> bool:
        return any(f.id == field_id for f in fields)

    return metadata.cached_with_ids(client, CACHE_NAME, lambda: _load_fields(client), wanted, has)


def field_with_options(client: Client, field_id: int, values: Iterable[str]) -> Field | None:
    """The field (cached; None if there is no such field), loaded again once if it lacks
    the field or one of ``values`` among its options: an option added since."""

    def has(fields: list[Field], value: str) -> bool:
        found = next((f for f in fields if f.id == field_id), None)
        return found is not None and any(o.value == value for o in found.options)

    fields = metadata.cached_with_ids(client, CACHE_NAME, lambda: _load_fields(client), values, has)
    return next((f for f in fields if f.id == field_id), None)


def contact_values(client: Client, contact_id: int) -> dict[int, FieldValue]:
    """The contact's custom field values by field id, as the API holds them now (one call;
    typed by the cached fields). An unknown contact: NotFound."""
    raws = client.get(f"/contacts/{contact_id}/fieldValues").get("fieldValues") or []
    by_id = {f.id: f for f in fields_for(client, (parse_int(raw.get("field")) for raw in raws))}
    values = (field_value(raw, by_id) for raw in raws)
    return {value.field_id: value for value in values}


def field_value(raw: dict[str, Any], fields: dict[int, Field]) -> FieldValue:
    """A fieldValue object typed by its field (text if the field is unknown)."""
    field_id = parse_int(raw.get("field"))
    field = fields.get(field_id)
    return FieldValue(
        id=parse_int(raw.get("id")),
        field_id=field_id,
        value=to_python(field.type if field else "text", raw.get("value")),
        updated=parse_datetime(raw.get("udate")),
    )


# Definitions: writes (the setup screens) ------------------------------------------------

FIELD_TYPES = (
    "text",
    "textarea",
    "date",
    "datetime",
    "dropdown",
    "multiselect",
    "listbox",
    "radio",
    "checkbox",
    "hidden",
)
OPTION_TYPES = frozenset({"dropdown", "multiselect", "listbox", "radio", "checkbox"})
ALL_LISTS = 0  # a field related to list 0 shows on every list


@dataclass(frozen=True, slots=True)
class FieldRelation:
    id: int  # the fieldRel's id: what unrelate_field takes
    field_id: int
    list_id: int  # ALL_LISTS or a list's id


@dataclass(frozen=True, slots=True)
class OptionWrite:
    value: str
    label: str = ""  # "" shows the value
    order: int = 0
    is_default: bool = False


def field_relations(client: Client) -> dict[int, list[FieldRelation]]:
    """Every field's list relations by field id, as the API holds them now (not cached: one
    call per 100 fields; ``GET /fields`` side-loads ``fieldRels``)."""
    found: dict[int, list[FieldRelation]] = {}
    offset = 0
    while True:
        page = fetch_page(client, "/fields", "fields", offset=offset)
        for raw in page.body.get("fieldRels") or []:
            relation = FieldRelation(
                id=parse_int(raw.get("id")),
                field_id=parse_int(raw.get("field")),
                list_id=parse_int(raw.get("relid")),
            )
            found.setdefault(relation.field_id, []).append(relation)
        if not page.items or not page.has_more:
            return found
        offset += len(page.items)


def _field_attributes(**attrs: Any) -> dict[str, Any]:
    """API attributes of a field write; None means "not sent"."""
    names = {"title": "title", "description": "descript", "default": "defval"}
    names |= {"required": "isrequired", "visible": "visible", "order": "ordernum"}
    return {
        names[name]: int(value) if isinstance(value, bool) else value
        for name, value in attrs.items()
        if value is not None
    }


def create_field(
    client: Client,
    *,
    title: str,
    field_type: str,
    description: str = "",
    default: str = "",
    required: bool = False,
    visible: bool = True,
) -> int:
    """Define a contact field (one call); its id. Options and list relations are added
    after (``add_options``, ``relate_field``), as the API requires."""
    attrs = _field_attributes(
        title=title, description=description, default=default, required=required, visible=visible
    )
    body = client.post("/fields", {"field": {"type": field_type, **attrs}})
    metadata.invalidate(client, CACHE_NAME)
    return parse_int(body["field"]["id"])


def update_field(
    client: Client,
    field_id: int,
    *,
    title: str | None = None,
    description: str | None = None,
    default: str | None = None,
    required: bool | None = None,
    visible: bool | None = None,
) -> None:
    """Change a field's attributes (one call); None leaves one as it is."""
    attrs = _field_attributes(
        title=title, description=description, default=default, required=required, visible=visible
    )
    client.put(f"/fields/{field_id}", {"field": attrs})
    metadata.invalidate(client, CACHE_NAME)


def delete_field(client: Client, field_id: int) -> None:
    """Delete a field with its options, list relations and every contact's value."""
    client.delete(f"/fields/{field_id}")
    metadata.invalidate(client, CACHE_NAME)


def count_field_values(client: Client, field_id: int) -> int:
    """How many contacts hold a value of the field (one call: ``meta.total``)."""
    params = {"filters[fieldid]": field_id}
    return fetch_page(client, "/fieldValues", "fieldValues", limit=1, params=params).total or 0


def add_options(client: Client, field_id: int, options: list[OptionWrite]) -> None:
    """Add options to a choice field in one call (``POST /fieldOption/bulk``, as the API's
    documentation spells it). A value the field has already: ValidationError on ``value``."""
    if not options:
        return
    items = [
        {
            "orderid": option.order,
            "value": option.value,
            "label": option.label or option.value,
            "isdefault": option.is_default,
            "field": str(field_id),
        }
        for option in options
    ]
    client.post("/fieldOption/bulk", {"fieldOptions": items})
    metadata.invalidate(client, CACHE_NAME)


def update_option(
    client: Client,
    option_id: int,
    *,
    value: str | None = None,
    label: str | None = None,
    order: int | None = None,
) -> None:
    """Rename or move one option (one call, ``PUT /fieldOptions/{id}``). Contacts holding the
    old value keep it: the API does not rewrite values."""
    attrs = {"value": value, "label": label, "orderid": order}
    body = {"fieldOption": {k: v for k, v in attrs.items() if v is not None}}
    client.put(f"/fieldOptions/{option_id}", body)
    metadata.invalidate(client, CACHE_NAME)


def delete_option(client: Client, option_id: int) -> None:
    """Remove one option (one call, ``DELETE /fieldOptions/{id}``)."""
    client.delete(f"/fieldOptions/{option_id}")
    metadata.invalidate(client, CACHE_NAME)


def relate_field(client: Client, field_id: int, list_id: int) -> None:
    """Show the field on a list's contacts (``ALL_LISTS``: on every list); one call."""
    client.post("/fieldRels", {"fieldRel": {"field": field_id, "relid": list_id}})


def unrelate_field(client: Client, relation_id: int) -> None:
    """Remove one list relation (``FieldRelation.id``); one call."""
    client.delete(f"/fieldRels/{relation_id}")
