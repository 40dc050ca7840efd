"""Tags and the tags of contacts.

The account's tags are cached as metadata, up to ``MAX_CACHED_TAGS`` (one call per 100 on a
miss), and loaded again once when a contact names a tag the cache lacks (one created in
ActiveCampaign since). An account with more is not cached whole: ``list_tags`` raises
TooManyItems (show a type-ahead instead of a dropdown), ``search_tags`` asks the API (one
call), and tag names beyond the cached ones are "" on ContactTag.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import metadata
from .client import Client
from .errors import TooManyItems
from .paging import MAX_LIMIT, TypedPage, fetch_page
from .parsing import parse_datetime, parse_int

MAX_CACHED_TAGS = 2000  # 20 calls (4 s at 5 req/s) to load on a miss: the most a page may wait
CACHE_NAME = "tags"
CONTACT = "contact"  # tag type of contact tags; "template" tags label email templates


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    name: str
    type: str  # "contact" or "template"
    description: str
    created: datetime | None


@dataclass(frozen=True, slots=True)
class ContactTag:
    id: int  # the contactTag's id: what remove_tag takes
    contact_id: int
    tag_id: int
    name: str  # the tag's name from the cached tags, "" when not among them
    created: datetime | None


@dataclass(frozen=True, slots=True)
class TagCatalog:
    tags: list[Tag]  # in id order
    complete: bool  # False: the account has more than MAX_CACHED_TAGS, only the first are here

    def names(self) -> dict[int, str]:
        return {tag.id: tag.name for tag in self.tags}

    def covers(self, tag_id: int) -> bool:
        """Whether the tag is here, or cannot be (a catalog cut at MAX_CACHED_TAGS)."""
        return not self.complete or any(tag.id == tag_id for tag in self.tags)


def _tag(raw: dict[str, Any]) -> Tag:
    return Tag(
        id=int(raw["id"]),
        name=str(raw.get("tag") or ""),
        type=str(raw.get("tagType") or CONTACT),
        description=str(raw.get("description") or ""),
        created=parse_datetime(raw.get("cdate")),
    )


def contact_tag(raw: dict[str, Any], names: dict[int, str]) -> ContactTag:
    tag_id = parse_int(raw.get("tag"))
    return ContactTag(
        id=int(raw["id"]),
        contact_id=parse_int(raw.get("contact")),
        tag_id=tag_id,
        name=names.get(tag_id, ""),
        created=parse_datetime(raw.get("cdate")),
    )


def _load_catalog(client: Client) -> TagCatalog:
    tags: list[Tag] = []
    while True:
        limit = min(MAX_LIMIT, MAX_CACHED_TAGS - len(tags))
        page = fetch_page(client, "/tags", "tags", offset=len(tags), limit=limit)
        tags += [_tag(raw) for raw in page.items]
        if not page.items or not page.has_more:
            return TagCatalog(tags, complete=True)
        if len(tags) >= MAX_CACHED_TAGS:
            return TagCatalog(tags, complete=False)


def tag_catalog(client: Client, wanted: Iterable[int] = ()) -> TagCatalog:
    """The cached tags, loaded again once if one of the ``wanted`` ids is missing (see the
    module's docstring for accounts with too many)."""
    return metadata.cached_with_ids(
        client, CACHE_NAME, lambda: _load_catalog(client), wanted, TagCatalog.covers
    )


def list_tags(client: Client) -> list[Tag]:
    """Every tag of the account, contact and template tags, in id order (cached).

    Raises TooManyItems when the account has more than MAX_CACHED_TAGS.
    """
    catalog = tag_catalog(client)
    if not catalog.complete:
        raise TooManyItems(f"the account has more than {MAX_CACHED_TAGS} tags")
    return catalog.tags


def search_tags(client: Client, prefix: str, limit: int = 10) -> list[Tag]:
    """Contact tags whose name starts with ``prefix`` (any case), by name: for type-ahead.

    From the cache; one call when the account has too many tags to cache.
    """
    prefix = prefix.strip()
    catalog = tag_catalog(client)
    if catalog.complete:
        found = [t for t in catalog.tags if t.name.lower().startswith(prefix.lower())]
    else:
        params = {"filters[search][starts_with]": prefix, "orders[search]": "asc"}
        page = fetch_page(client, "/tags", "tags", limit=MAX_LIMIT, params=params)
        found = [_tag(raw) for raw in page.items]
    contact_tags = [t for t in found if t.type == CONTACT]
    return sorted(contact_tags, key=lambda t: (t.name.lower(), t.id))[:limit]


def find_tag(client: Client, name: str) -> Tag | None:
    """The contact tag named ``name`` (any case), asked of the API, not the cache: one call.
    For a name the cached catalog lacks, e.g. a tag created in ActiveCampaign since: finding
    it drops the cached catalog, so that it is named next time."""
    name = name.strip()
    page = fetch_page(client, "/tags", "tags", limit=MAX_LIMIT, params={"search": name})
    same = [
        tag
        for tag in map(_tag, page.items)
        if tag.type == CONTACT and tag.name.lower() == name.lower()
    ]
    if not same:
        return None
    metadata.invalidate(client, CACHE_NAME)
    return min(same, key=lambda t: t.id)


def get_tag(client: Client, tag_id: int) -> Tag:
    """One tag, asked of the API (one call). An unknown id: NotFound."""
    return _tag(client.get(f"/tags/{tag_id}")["tag"])


def create_tag(client: Client, name: str, description: str = "") -> Tag:
    """A new contact tag. A name in use: ValidationError on ``tag``."""
    body = {"tag": {"tag": name, "description": description, "tagType": CONTACT}}
    tag = _tag(client.post("/tags", body)["tag"])
    metadata.invalidate(client, CACHE_NAME)
    return tag


def contact_tags(client: Client, contact_id: int) -> list[ContactTag]:
    """The contact's tags, named from the cache (one call; a tag the cache lacks reloads
    it once)."""
    raw = client.get(f"/contacts/{contact_id}/contactTags").get("contactTags") or []
    names = tag_catalog(client, (parse_int(item.get("tag")) for item in raw)).names()
    return [contact_tag(item, names) for item in raw]


def add_tag(client: Client, contact_id: int, tag_id: int) -> ContactTag:
    """Tag the contact (the API gives back the existing link if it has the tag already).

    An unknown contact or tag: NotFound.
    """
    body = {"contactTag": {"contact": str(contact_id), "tag": str(tag_id)}}
    raw = client.post("/contactTags", body, idempotent=True)["contactTag"]
    return contact_tag(raw, tag_catalog(client, [tag_id]).names())


def remove_tag(client: Client, contact_tag_id: int) -> None:
    """Untag: takes ContactTag.id, not the tag's id. NotFound if it is gone."""
    client.delete(f"/contactTags/{contact_tag_id}")


# The setup screens: one page of tags with counts, rename, delete, merge --------------------


def tag_page(client: Client, *, offset: int = 0, limit: int = 20) -> TypedPage[Tag]:
    """One page of the account's tags by name (one call, not cached)."""
    params = {"orders[search]": "asc"}
    page = fetch_page(client, "/tags", "tags", offset=offset, limit=limit, params=params)
    return TypedPage.of([_tag(raw) for raw in page.items], page)


def tag_contact_count(client: Client, tag_id: int) -> int:
    """How many contacts have the tag: ``subscriber_count`` of ``GET /tags/{id}``, the one
    count the API offers (no listing carries it): one call per tag."""
    return parse_int(client.get(f"/tags/{tag_id}")["tag"].get("subscriber_count"))


def update_tag(client: Client, tag_id: int, name: str, description: str | None = None) -> Tag:
    """Rename a tag (one call). A name in use: ValidationError on ``tag``."""
    attrs: dict[str, Any] = {"tag": name}
    if description is not None:
        attrs["description"] = description
    tag = _tag(client.put(f"/tags/{tag_id}", {"tag": attrs})["tag"])
    metadata.invalidate(client, CACHE_NAME)
    return tag


def delete_tag(client: Client, tag_id: int) -> None:
    """Delete a tag; the API removes it from every contact (one call)."""
    client.delete(f"/tags/{tag_id}")
    metadata.invalidate(client, CACHE_NAME)


@dataclass(frozen=True, slots=True)
class TaggedBatch:
    contact_ids: list[int]  # in id order
    remaining: int  # contacts with the tag past ``after``, these included


def tagged_contacts(client: Client, tag_id: int, *, after: int = 0, limit: int = 20) -> TaggedBatch:
    """The next contacts with the tag, by id past ``after`` (one call)."""
    params = {"tagid": tag_id, "orders[id]": "ASC", "id_greater": after}
    page = fetch_page(client, "/contacts", "contacts", limit=limit, params=params)
    ids = [parse_int(raw.get("id")) for raw in page.items]
    return TaggedBatch(ids, page.total if page.total is not None else len(ids))
