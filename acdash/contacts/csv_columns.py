"""The columns of a contact CSV: their headers, how a value is written in a cell, and how a
cell is read back and checked against the account's metadata (no API calls here).

A column stands for one attribute key of ``acdash.jobs.contract`` ("email", "field:12",
"tag:5", "list:3"). Headers name it for people and, for custom fields, tags and lists, by id
too ("Industry [field 5]", "tag: VIP [tag 12]", "list: Newsletter [list 3]"), so renaming a
field in ActiveCampaign does not break a file; a header without the id is matched by name.

Cells hold what the export wrote: core fields and custom field values as the API holds
them (dates ``2024-12-31``, date-times ISO 8601 with offset, several options
``||a||b||``), tags "yes" or empty, list statuses "subscribed", "unsubscribed" or empty.
Cells starting with ``= + - @`` (or a tab or carriage return) are written with a ``'``
first, so that spreadsheets do not run them as formulas; reading strips it again.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from acdash.activecampaign.contacts import EMAIL
from acdash.activecampaign.fields import MULTI_TYPES, Field
from acdash.activecampaign.parsing import api_datetime, parse_date, parse_datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CORE_HEADERS = {
    "email": "email",
    "firstName": "first name",
    "lastName": "last name",
    "phone": "phone",
}
# Other spellings a header of a core field may have (compared lower case, without spaces).
CORE_ALIASES = {
    "email": "email",
    "emailaddress": "email",
    "e-mail": "email",
    "firstname": "firstName",
    "first_name": "firstName",
    "lastname": "lastName",
    "last_name": "lastName",
    "phone": "phone",
}
ID_HEADER = "id"
WITH_ID = re.compile(r"\[(field|tag|list)\s+(\d{1,12})\]\s*$", re.IGNORECASE)
CHOICE_TYPES = frozenset({"dropdown", "radio"})
TEXT_TYPES = frozenset({"text", "textarea", "hidden"})  # kept as typed, spaces included
YES = frozenset({"yes", "y", "true", "1", "x", "tagged"})
NO = frozenset({"", "no", "n", "false", "0"})
LIST_WORDS = {"subscribed": 1, "active": 1, "unsubscribed": 2}
LIST_TEXT = {1: "subscribed", 2: "unsubscribed"}


class CellError(ValueError):
    """A cell that cannot be applied; the message says why, for the preview."""


@dataclass(frozen=True)
class Column:
    key: str  # the contract's attribute key
    label: str  # the header the export writes
    field: Field | None = None  # custom field columns

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0] if ":" in self.key else "core"


@dataclass(frozen=True)
class Metadata:
    """What columns may name: the account's custom fields, contact tags and lists."""

    fields: dict[int, Field]
    tags: dict[int, str]
    lists: dict[int, str]

    def columns(self) -> list[Column]:
        """Every column the export offers, core fields first."""
        core = [Column(key, label) for key, label in CORE_HEADERS.items()]
        fields = [
            Column(f"field:{f.id}", f"{f.title} [field {f.id}]", f) for f in self.fields.values()
        ]
        tags = [Column(f"tag:{i}", f"tag: {name} [tag {i}]") for i, name in self.tags.items()]
        lists = [Column(f"list:{i}", f"list: {name} [list {i}]") for i, name in self.lists.items()]
        return [*core, *fields, *tags, *lists]

    def filter_choices(self) -> dict[str, list[tuple[int, str]]]:
        """The contact list's filter choices (``ContactFilterForm``), by name."""
        return {
            name: sorted(found.items(), key=lambda item: (item[1].lower(), item[0]))
            for name, found in (("lists", self.lists), ("tags", self.tags))
        }

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns()}

    def column(self, key: str) -> Column | None:
        return self.by_key.get(key)

    def resolve(self, header: str) -> Column:
        """The column a header names; CellError saying why for one that names none."""
        text = " ".join(header.split())
        compact = text.lower().replace(" ", "")
        if compact in CORE_ALIASES:
            key = CORE_ALIASES[compact]
            return Column(key, CORE_HEADERS[key])
        if found := WITH_ID.search(text):
            key = f"{found.group(1).lower()}:{int(found.group(2))}"
            if column := self.column(key):
                return column
            raise CellError(f"the account has no {found.group(1).lower()} {found.group(2)}")
        for prefix in ("tag:", "list:"):
            if text.lower().startswith(prefix):
                return self._by_name(prefix, text[len(prefix) :].strip())
        return self._by_name("field:", text)

    def _by_name(self, prefix: str, name: str) -> Column:
        named = {"field:": {i: f.title for i, f in self.fields.items()}, "tag:": self.tags}
        names = named.get(prefix, self.lists)
        wanted = name.casefold()
        same = [i for i, title in names.items() if " ".join(title.split()).casefold() == wanted]
        if len(same) == 1:
            column = self.column(f"{prefix}{same[0]}")
            assert column is not None
            return column
        noun = {"field:": "custom field", "tag:": "tag", "list:": "list"}[prefix]
        if same:
            raise CellError(f"several {noun}s are named “{name}”: add the id, as the export does")
        if prefix == "field:":
            raise CellError("no contact field, custom field, tag or list has this name")
        raise CellError(f"the account has no {noun} named “{name}”")


def header_keys(headers: list[str]) -> list[str]:
    """The keys headers name by id ("Industry [field 5]" → "field:5")."""
    found = (WITH_ID.search(unescape_formula(header)) for header in headers)
    return [f"{m.group(1).lower()}:{int(m.group(2))}" for m in found if m]


# Writing cells -----------------------------------------------------------------------------


def cell_text(column: Column, value: Any) -> str:
    """A value as the export writes it (before formula escaping)."""
    if column.kind == "tag":
        return "yes" if value else ""
    if column.kind == "list":
        return LIST_TEXT.get(value, "")
    return "" if value is None else str(value)


def _formula_like(text: str) -> bool:
    """Starts like a formula, or like an escaped one (so a value that really starts with
    ``'=`` survives the round trip too)."""
    return text.startswith(FORMULA_STARTS) or (text[:1] == "'" and _formula_like(text[1:]))


def escape_formula(text: str) -> str:
    return f"'{text}" if _formula_like(text) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text[:1] == "'" and _formula_like(text[1:]) else text


# Reading cells ----------------------------------------------------------------------------


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _options(field: Field, text: str) -> str:
    """The option ``text`` names (any case), as the field holds it; CellError if none."""
    if not field.options:
        return text
    for option in field.options:
        if option.value.casefold() == text.casefold():
            return option.value
    allowed = ", ".join(f"“{o.value}”" for o in field.options[:12])
    more = " …" if len(field.options) > 12 else ""
    raise CellError(f"“{text[:60]}” is not an option of {field.title} ({allowed}{more})")


def _parts(text: str) -> list[str]:
    return [part.strip() for part in text.split("||") if part.strip()]


def _field_value(field: Field, text: str) -> str:
    """The API's text for a custom field cell; CellError for a value the field cannot hold."""
    text = _lines(text)
    if field.type not in TEXT_TYPES:
        text = text.strip()
    if not text.strip():
        return ""
    if field.type in MULTI_TYPES:
        return f"||{'||'.join(_options(field, part) for part in _parts(text))}||"
    if field.type in CHOICE_TYPES:
        return _options(field, text)
    if field.type == "date":
        return _date(text)
    if field.type == "datetime":
        return _datetime(text)
    if field.type == "number" and _number(text) is None:
        raise CellError(f"“{text[:60]}” is not a number")
    return text


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else _no_date(text)
    except ValueError:
        return _no_date(text)


def _no_date(text: str) -> str:
    raise CellError(f"“{text[:60]}” is not a date: write it as YYYY-MM-DD")


def _datetime(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CellError(
            f"“{text[:60]}” is not a date and time with its offset: "
            "write it as YYYY-MM-DDTHH:MM:SS+HH:MM"
        )
    return api_datetime(moment)


def parse_cell(column: Column, text: str) -> Any:
    """The value a cell asks for, typed as the contract's targets are; None for a cell that
    asks for nothing (an empty list status: the API cannot take a contact off a list).
    CellError for one that cannot be applied."""
    text = unescape_formula(text)
    if column.key == "email":
        email = text.strip()
        if not email:
            raise CellError("the email is empty: a contact needs one")
        if not EMAIL.match(email) or len(email) > 255:
            raise CellError(f"“{email[:60]}” is not an email address")
        return email
    if column.kind == "core":
        return _lines(text)
    if column.kind == "tag":
        word = text.strip().lower()
        if word in YES or word in NO:
            return word in YES
        raise CellError(f"“{text[:60]}” is neither yes nor empty (tagged or not)")
    if column.kind == "list":
        word = text.strip().lower()
        if not word:
            return None
        if word in LIST_WORDS:
            return LIST_WORDS[word]
        raise CellError(f"“{text[:60]}” is not a list status: write subscribed or unsubscribed")
    assert column.field is not None
    return _field_value(column.field, text)


def comparable(column: Column, value: Any) -> Any:
    """A value in a form where equal means "no change": the same date-time in another
    offset, options in another order, an email in another case are the same."""
    if column.key == "email":
        return str(value or "").strip().lower()
    if column.kind == "core":
        return _lines(str(value or ""))
    if column.kind == "tag":
        return bool(value)
    if column.kind == "list":
        return value if value in LIST_TEXT else 0
    field = column.field
    assert field is not None
    text = str(value or "")
    if field.type in MULTI_TYPES:
        return frozenset(_parts(text))
    if field.type == "date":
        return parse_date(text)
    if field.type == "datetime":
        return parse_datetime(text)
    if field.type == "number" and (number := _number(text)) is not None:
        return number
    return _lines(text) if field.type in TEXT_TYPES else _lines(text).strip()


def is_blank(column: Column, value: Any) -> bool:
    """Whether the current value counts as empty for the "only fill blanks" rule."""
    if column.kind in {"tag", "list"}:
        return not comparable(column, value)
    return comparable(column, value) in ("", None, frozenset())
