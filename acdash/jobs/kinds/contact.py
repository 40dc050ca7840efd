"""The contact kind: finds, reads and writes contacts for jobs (see acdash/jobs/contract.py
for the attribute keys), one call per record or through the bulk import.

Reads are batched (``contact_sets``: 100 ids a call per attribute). Writes compare the
target with the record's values as read and send only what differs, so writing an item
again changes nothing and sends nothing. The bulk path (``write_many``) sends custom field
values, names, phone, tags to add and list statuses through ``/import/bulk_import``; the
rest goes one call per record.
"""

from collections.abc import Collection, Sequence
from contextlib import suppress
from math import ceil
from typing import Any, ClassVar

from django.http import QueryDict

from acdash.activecampaign import (
    Client,
    NotFound,
    ValidationError,
    bulk_import,
    contact_sets,
    contacts,
    lists,
    tags,
)
from acdash.activecampaign.fields import (
    FieldPython,
    field_with_options,
    fields_by_id,
    to_api,
    to_python,
)
from acdash.activecampaign.paging import MAX_LIMIT
from acdash.contacts.forms import ContactFilterForm
from acdash.contacts.tables import ContactSource, ContactTable

from ..contract import KINDS, Record, Selection, Target

CORE = {"email": "email", "firstName": "first_name", "lastName": "last_name", "phone": "phone"}
CORE_NAMES = {"email": "Email", "firstName": "First name", "lastName": "Last name"}
CORE_NAMES["phone"] = "Phone"
PREFIXES = ("field:", "tag:", "list:")
CHOICE_TYPES = frozenset({"dropdown", "radio", "checkbox", "listbox", "multiselect"})
LIST_WORDS = {1: "subscribed to", 2: "unsubscribed from", 3: "bounced from"}


def parse_key(key: str) -> tuple[str, int]:
    """("field", 12) for "field:12", ("email", 0) for a core key or "exists"; ValueError
    for a key the contract does not name."""
    if key in CORE or key == "exists":
        return key, 0
    prefix, _, rest = key.partition(":")
    if f"{prefix}:" in PREFIXES and rest.isascii() and rest.isdigit() and len(rest) <= 12:
        return prefix, int(rest)
    raise ValueError(f"no contact attribute {key!r}")


def _ids(values: Sequence[str]) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 12]


def _same_field(field_type: str, held: Any, wanted: Any) -> bool:
    """Whether two API texts of a field are one value (a datetime in another zone is)."""
    return to_python(field_type, held or None) == to_python(field_type, wanted or None)


class ContactKind:
    object_type: ClassVar[str] = "contact"
    noun: ClassVar[str] = "contact"
    plural: ClassVar[str] = "contacts"

    # Finding and reading ------------------------------------------------------------------

    def expand(self, client: Client, selection: Selection) -> list[str]:
        """The ticked ids as given, or every contact the list page's query matches, with
        the page's own form and sort (its table's), in its order."""
        if not selection.query:
            return list(dict.fromkeys(selection.ids))
        data = QueryDict(selection.query.removeprefix("?"))
        # No choices: the form keeps every well-formed list or tag id asked for, as the
        # list page does for one its metadata lacks.
        form = ContactFilterForm(data, action="", lists=[], tags=[])
        form.is_valid()  # an invalid filter is not applied, as on the list page
        source = ContactSource(client, {}, offset=0, limit=MAX_LIMIT)
        ContactTable(source, sort=data.get("sort", ""), account_slug="", can_edit=False)
        found = contact_sets.matching_ids(client, sort=source.sort, **form.api_filters())
        return [str(i) for i in found]

    def read(self, client: Client, ids: Sequence[str], keys: Collection[str]) -> dict[str, Record]:
        """One call per 100 ids for the contacts, and per 100 ids for each tag (three per
        list); custom fields per field or per contact, whichever is fewer calls."""
        parsed = {key: parse_key(key) for key in keys}
        found = contact_sets.contacts_by_ids(client, _ids(ids))
        present = list(found)
        wanted = {kind: [i for k, i in parsed.values() if k == kind] for kind in ("tag", "list")}
        field_ids = [i for k, i in parsed.values() if k == "field"]
        tagged = {t: contact_sets.tagged(client, present, t) for t in wanted["tag"]}
        statuses = {n: contact_sets.list_statuses(client, present, n) for n in wanted["list"]}
        texts = contact_sets.field_texts(client, present, field_ids)
        records = {}
        for contact_id, contact in found.items():
            values: dict[str, Any] = {}
            for key, (kind, number) in parsed.items():
                if kind in CORE:
                    values[key] = getattr(contact, CORE[kind])
                elif kind == "exists":
                    values[key] = True
                elif kind == "tag":
                    values[key] = contact_id in tagged[number]
                elif kind == "list":
                    values[key] = statuses[number][contact_id]
                else:
                    values[key] = texts[contact_id][number]
            label = contact.email or contact.name
            records[str(contact_id)] = Record(str(contact_id), label, values)
        return records

    def describe(self, client: Client, key: str, value: Any) -> str:
        kind, number = parse_key(key)
        if kind == "exists":
            return "exists" if value else "deleted"
        if kind in CORE:
            return f"{CORE_NAMES[kind]} = “{value}”" if value else f"no {CORE_NAMES[kind].lower()}"
        if kind == "tag":
            name = tags.tag_catalog(client, [number]).names().get(number) or f"tag #{number}"
            return f"tagged “{name}”" if value else f"not tagged “{name}”"
        if kind == "list":
            name = lists.list_names(client, [number]).get(number) or f"list #{number}"
            return f"{LIST_WORDS[value]} “{name}”" if value in LIST_WORDS else f"not on “{name}”"
        field = fields_by_id(client).get(number)
        title = field.title if field else f"field #{number}"
        typed = to_python(field.type if field else "text", value or None)
        shown = ", ".join(typed) if isinstance(typed, list) else typed
        return f"“{title}” = {shown}" if shown else f"“{title}” empty"

    # Writing one record -------------------------------------------------------------------

    def calls_per_record(self, target: Target) -> int:
        """A delete is one call; else one for the core fields, one per custom field, tag
        added and list, two per tag removed (its link is looked up first)."""
        if target.get("exists") is False:
            return 1
        kinds = [(parse_key(key)[0], value) for key, value in target.items()]
        core = any(kind in CORE for kind, _ in kinds)
        return core + sum(
            2 if kind == "tag" and not value else 1
            for kind, value in kinds
            if kind in ("field", "tag", "list")
        )

    def write(self, client: Client, record: Record, target: Target) -> Target:
        """Only the keys whose value differs from the record's are sent; ``exists`` False
        deletes (a contact gone already counts as deleted)."""
        contact_id = int(record.id)
        if target.get("exists") is False:
            with suppress(NotFound):
                contacts.delete_contact(client, contact_id)
            return {"exists": False}
        held = dict(record.values)
        todo = {k: v for k, v in target.items() if k not in held or held[k] != v}
        core = {CORE[k]: v for k, v in todo.items() if k in CORE}
        try:
            if core:
                saved = contacts.update_contact(client, contact_id, **core)
                held |= {k: getattr(saved, CORE[k]) or v for k, v in todo.items() if k in CORE}
            for key, value in todo.items():
                kind, number = parse_key(key)
                if kind == "field":
                    held[key] = self._write_field(client, contact_id, number, value, held.get(key))
                elif kind == "tag":
                    held[key] = self._write_tag(client, contact_id, number, bool(value))
                elif kind == "list":
                    now = held.get(key)
                    held[key] = self._write_list(client, contact_id, number, int(value), now)
        except (TypeError, ValueError) as error:
            raise ValidationError(str(error), field_errors={}) from error
        except ValidationError as error:
            if "contact" in error.field_errors:  # subscribing a contact deleted since
                raise NotFound(error.message, status=error.status, path=error.path) from error
            raise
        return {key: held.get(key, value) for key, value in target.items()}

    def problem(self, client: Client, key: str, value: Any) -> str:
        """Why a custom field cannot hold ``value`` ("" when it can): no such field, not
        a value of its type, or not among a choice field's options (reloaded once for an
        option added since). Other keys: "" (the API judges them)."""
        kind, number = parse_key(key)
        if kind != "field" or value in ("", None):
            return ""
        field = fields_by_id(client).get(number)
        if field is None:
            return f"there is no custom field {number}"
        try:
            typed = to_python(field.type, str(value))
        except (TypeError, ValueError):
            typed = None
        if typed in (None, "", []):
            return f"“{value}” is not a {field.type} value for “{field.title}”"
        chosen = typed if isinstance(typed, list) else [typed]
        if field.type in CHOICE_TYPES and field.options:
            field = field_with_options(client, number, chosen) or field
            allowed = {option.value for option in field.options}
            if missing := [c for c in chosen if c not in allowed]:
                return f"“{missing[0]}” is not an option of “{field.title}”"
        return ""

    def _write_field(
        self, client: Client, contact_id: int, field_id: int, text: str, held: Any
    ) -> str:
        if reason := self.problem(client, f"field:{field_id}", text):
            raise ValidationError(reason, field_errors={})
        field = fields_by_id(client)[field_id]
        if held is not None and _same_field(field.type, held, text):
            return held
        value: FieldPython = to_python(field.type, text or None)
        saved = contacts.set_field_value(client, contact_id, field_id, value)
        return to_api(field.type, saved.value.value)

    def _write_tag(self, client: Client, contact_id: int, tag_id: int, wanted: bool) -> bool:
        if wanted:
            if not tags.tag_catalog(client, [tag_id]).covers(tag_id):
                raise ValidationError(f"there is no tag {tag_id}", field_errors={})
            tags.add_tag(client, contact_id, tag_id)  # the API keeps one link per tag
            return True
        for link in tags.contact_tags(client, contact_id):
            if link.tag_id == tag_id:
                with suppress(NotFound):  # removed meanwhile: the intent holds
                    tags.remove_tag(client, link.id)
        return False

    def _write_list(
        self, client: Client, contact_id: int, list_id: int, status: int, held: int | None
    ) -> int:
        """1 subscribes, 2 unsubscribes; 0 (never on the list) can only be approached by
        unsubscribing a contact on the list: the API cannot take one off a list."""
        if status == 1:
            return int(lists.subscribe(client, contact_id, list_id).status)
        if status == 0 and held is None:
            held = contact_sets.list_statuses(client, [contact_id], list_id)[contact_id]
        if status == 2 or (status == 0 and held):
            return int(lists.unsubscribe(client, contact_id, list_id).status)
        if status == 0:
            return 0
        raise ValidationError(f"a list status cannot be set to {status}", field_errors={})

    # Writing many records: the bulk import -------------------------------------------------

    def bulk_capable(self, target: Target) -> bool:
        """Names, phone and custom field values set to non-empty text (what an import
        leaves alone when empty is not documented), tags added, lists subscribed or
        unsubscribed. Not: the email (imports match contacts by it), tag removal, 0 list
        status, deletion."""

        def capable(key: str, value: Any) -> bool:
            kind = parse_key(key)[0]
            if kind in ("firstName", "lastName", "phone", "field"):
                return isinstance(value, str) and value != ""
            return (kind == "tag" and value is True) or (kind == "list" and value in (1, 2))

        return bool(target) and all(capable(key, value) for key, value in target.items())

    def bulk_calls(self, n: int) -> int:
        """The emails read (100 a call), then per import of 250: its POST and one poll."""
        return ceil(n / MAX_LIMIT) + 2 * ceil(n / bulk_import.MAX_CONTACTS)

    def write_many(
        self, client: Client, items: list[tuple[Record, Target]]
    ) -> dict[str, str | None]:
        """Reads the contacts' emails (contacts gone are left out: an import would create
        them again), imports what differs from the records' values, and writes a contact
        the import refused one call at a time: that gives the API's reason, or applies it.
        Fewer than MIN_CONTACTS to import are written one call at a time too."""
        current = contact_sets.contacts_by_ids(client, _ids([record.id for record, _ in items]))
        tag_ids = {parse_key(k)[1] for _, target in items for k in target if k.startswith("tag:")}
        names = tags.tag_catalog(client, tag_ids).names()
        problems: dict[tuple[str, Any], str] = {}  # a job's targets mostly repeat

        def refused(pair: tuple[str, Any]) -> str:
            if pair not in problems:
                problems[pair] = self.problem(client, *pair)
            return problems[pair]

        done: dict[str, str | None] = {}
        sent: list[tuple[Record, Target]] = []
        entries: list[bulk_import.ImportContact] = []
        alone: list[tuple[Record, Target]] = []
        for record, target in items:
            contact = current.get(int(record.id)) if record.id.isdigit() else None
            if contact is None:
                continue
            todo = {k: v for k, v in target.items() if record.values.get(k, object()) != v}
            if not todo:
                done[record.id] = None
            elif not self.bulk_capable(todo) or any(map(refused, todo.items())):
                alone.append((record, target))  # not importable, or refused there with the reason
            elif entry := _import_entry(contact.email, todo, names):
                sent.append((record, target))
                entries.append(entry)
            else:
                alone.append((record, target))
        if len(entries) < bulk_import.MIN_CONTACTS:
            alone += sent  # as the API's guide asks: not worth an import
        else:
            outcome = bulk_import.import_contacts(client, entries)
            for (record, target), reason in zip(sent, outcome.reasons, strict=True):
                if reason is None and int(record.id) in outcome.contact_ids:
                    done[record.id] = None
                else:
                    alone.append((record, target))
        for record, target in alone:
            try:
                self.write(client, record, target)
            except NotFound:
                continue
            except ValidationError as error:
                done[record.id] = error.message
            else:
                done[record.id] = None
        return done


def _import_entry(
    email: str, todo: Target, tag_names: dict[int, str]
) -> bulk_import.ImportContact | None:
    """The import of ``todo`` for the contact, or None when a tag has no known name."""
    core = {CORE[k]: v for k, v in todo.items() if k in CORE and k != "email"}
    parsed = [(parse_key(k), v) for k, v in todo.items() if k not in CORE]
    wanted_tags = [number for (kind, number), _ in parsed if kind == "tag"]
    if any(not tag_names.get(number) for number in wanted_tags):
        return None
    return bulk_import.ImportContact(
        email=email,
        **core,
        fields={number: v for (kind, number), v in parsed if kind == "field"},
        tags=[tag_names[number] for number in wanted_tags],
        subscribe=[number for (kind, number), v in parsed if kind == "list" and v == 1],
        unsubscribe=[number for (kind, number), v in parsed if kind == "list" and v == 2],
    )


KINDS["contact"] = ContactKind()
