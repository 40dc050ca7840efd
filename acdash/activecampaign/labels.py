"""Display labels of records by id — contacts' names, deals' titles — kept in the shared
cache for ``LABEL_TTL``, so that a board or a task list names its records without a call
when a recent page has already read them. Every answer that carries a label remembers it
(contact lists, boards, the lookups here); acdash's own writes update or forget it.

A label is only ever shown beside a link to its record, never acted upon: one changed in
ActiveCampaign itself shows its old text until its entry expires.
"""

from collections.abc import Callable, Iterable, Mapping

from . import metadata
from .client import Client
from .conf import setting

CONTACT = "contact"
DEAL = "deal"


def _name(kind: str, record_id: int) -> str:
    return f"label:{kind}:{record_id}"


def contact_label(first_name: str, last_name: str, email: str) -> str:
    """What a contact is called: the full name, else the email."""
    return f"{first_name} {last_name}".strip() or email


def known(client: Client, kind: str, ids: Iterable[int]) -> dict[int, str]:
    """The remembered labels of ``ids`` (no call)."""
    wanted = {i for i in ids if i}
    found = metadata.peek_many(client, (_name(kind, i) for i in wanted))
    return {i: str(found[_name(kind, i)]) for i in wanted if _name(kind, i) in found}


def remember(client: Client, kind: str, labels: Mapping[int, str]) -> None:
    if labels:
        names = {_name(kind, i): label for i, label in labels.items()}
        metadata.remember_many(client, names, setting("LABEL_TTL"))


def forget(client: Client, kind: str, ids: Iterable[int]) -> None:
    metadata.invalidate(client, *(_name(kind, i) for i in ids))


def labels(
    client: Client,
    kind: str,
    ids: Iterable[int],
    load: Callable[[list[int]], dict[int, str]],
) -> dict[int, str]:
    """The labels of ``ids``: the remembered ones, the rest read by ``load`` (and then
    remembered). Ids ``load`` does not answer (records deleted) are left out."""
    wanted = {i for i in ids if i}
    found = known(client, kind, wanted)
    missing = sorted(wanted - found.keys())
    if missing:
        loaded = load(missing)
        remember(client, kind, loaded)
        found |= loaded
    return found
