"""Bulk contact import: ``POST /import/bulk_import``, then ``GET /import/info`` until done.

One import creates or updates up to ``MAX_CONTACTS`` contacts, matched by email, with their
names, phone, custom field values, tags to add (by name) and lists to subscribe to or
unsubscribe from; a request's body is under ``MAX_BYTES``. ``import_contacts`` splits
the contacts accordingly, sends every part (at most 100 imports a minute per account, 20
of them of a single contact: ``ImportPacer``), then polls each batch until it is completed
and says, per contact, whether it was applied.

Two kinds of refusal: when the POST is checked, the answer names each refused contact by
its index with a reason (``failureReasons``), and nothing is queued, so the rest is sent
again without them; while the batch is processed, ``/import/info`` lists refused contacts
by email only, with no reason (``PROCESSING_REFUSED``). Tags cannot be removed and contacts
cannot be deleted this way. Assumptions beyond the reference: docs/api-notes.md, "Bulk
contact import".
"""

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .client import Client
from .errors import RateLimited, Unavailable, ValidationError
from .ratelimit import RateLimiter, Store

MAX_CONTACTS = 250
MAX_BYTES = 400_000  # a body must be smaller ("at most 399,999 bytes" in the API's guide)
# The API's guide asks for the contacts API below this many contacts.
MIN_CONTACTS = 10
IMPORTS_PER_MINUTE = 100
SINGLE_CONTACT_IMPORTS_PER_MINUTE = 20
# The API counts a minute; the pacer's window adds a second for the requests' jitter.
PACING_WINDOW = 61.0
POLL_FIRST, POLL_MAX = 0.5, 10.0  # seconds before each poll of a batch: the first, at most
POLL_TIMEOUT = 1800.0  # a batch not completed after this is given up (Unavailable)
PROCESSING_REFUSED = "ActiveCampaign's bulk import refused this contact (it gives no reason)."
TOO_LARGE = f"This contact's data is larger than an import may be ({MAX_BYTES:,} bytes)."
EMPTY_BODY = len(json.dumps({"contacts": []}))


@dataclass(frozen=True)
class ImportContact:
    """One contact of an import. None leaves an attribute as it is; ``fields`` are the
    custom field values to set ({field id: the API's text}), ``tags`` tag names to add."""

    email: str
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    fields: Mapping[int, str] = field(default_factory=dict)
    tags: Sequence[str] = ()
    subscribe: Sequence[int] = ()
    unsubscribe: Sequence[int] = ()

    def payload(self) -> dict[str, Any]:
        """The contact as the import's body lists it."""
        body: dict[str, Any] = {"email": self.email}
        names = {"first_name": self.first_name, "last_name": self.last_name, "phone": self.phone}
        body |= {key: value for key, value in names.items() if value is not None}
        if self.fields:
            body["fields"] = [{"id": i, "value": v} for i, v in self.fields.items()]
        if self.tags:
            body["tags"] = list(self.tags)
        if self.subscribe:
            body["subscribe"] = [{"listid": i} for i in self.subscribe]
        if self.unsubscribe:
            body["unsubscribe"] = [{"listid": i} for i in self.unsubscribe]
        return body


@dataclass(frozen=True)
class ImportOutcome:
    """Per contact given, in order: None when applied, else why not; and the ids of the
    contacts the imports report as applied."""

    reasons: list[str | None]
    contact_ids: set[int]


class ImportPacer:
    """At most 100 imports a minute per account, 20 of them of a single contact, across
    every process (the rate limiter's store)."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        margin = PACING_WINDOW - 1

        def limiter(rate: int) -> RateLimiter:
            return RateLimiter(store, rate, margin, clock=clock, sleep=sleep)

        self.all = limiter(IMPORTS_PER_MINUTE)
        self.single = limiter(SINGLE_CONTACT_IMPORTS_PER_MINUTE)

    def wait(self, account_key: str, contacts: int) -> float:
        """Block until the account may send an import of ``contacts``; the seconds waited."""
        waited = 0.0
        if contacts == 1:
            waited += self.single.wait(f"{account_key}:import-single") or 0.0
        return waited + (self.all.wait(f"{account_key}:import") or 0.0)


def batches(payloads: Sequence[dict[str, Any]]) -> list[list[int]]:
    """Indices of ``payloads`` split into imports of at most MAX_CONTACTS, under MAX_BYTES
    (as the client encodes the body); a contact too large alone is in none."""
    parts: list[list[int]] = []
    size = EMPTY_BODY
    for index, payload in enumerate(payloads):
        own = len(json.dumps(payload))
        if EMPTY_BODY + own >= MAX_BYTES:
            continue
        if parts and len(parts[-1]) < MAX_CONTACTS and size + 2 + own < MAX_BYTES:
            parts[-1].append(index)  # after ", "
            size += 2 + own
        else:
            parts.append([index])
            size = EMPTY_BODY + own
    return parts


def import_contacts(
    client: Client,
    contacts: Sequence[ImportContact],
    *,
    pacer: ImportPacer | None = None,
    poll_first: float = POLL_FIRST,
    timeout: float = POLL_TIMEOUT,
) -> ImportOutcome:
    """Import the contacts and wait until every batch is completed (see the module's
    docstring). Raises RateLimited when the API refuses an import for the rate anyway
    (another client of the account), Unavailable when a batch is not done in ``timeout``
    seconds, ValidationError when the API refuses an import as a whole."""
    pacer = pacer or ImportPacer(client.limiter.store)
    payloads = [c.payload() for c in contacts]
    reasons: list[str | None] = [TOO_LARGE] * len(contacts)
    applied: set[int] = set()
    queued: list[tuple[str, list[int]] | None] = []
    for part in batches(payloads):
        for index in part:
            reasons[index] = None
        queued += [_send(client, pacer, payloads, part, reasons)]
    # All queued first: the API works through its queue while the first batch is polled,
    # so the batches after it are likely done by then and are asked about at once.
    for number, (batch_id, sent) in enumerate(filter(None, queued)):
        info = wait_for_batch(
            client, batch_id, poll_first=poll_first, timeout=timeout, at_once=number > 0
        )
        refused = {str(email).strip().lower() for email in info.get("failure") or []}
        for index in sent:
            if contacts[index].email.strip().lower() in refused:
                reasons[index] = PROCESSING_REFUSED
        applied |= {int(i) for i in info.get("success") or [] if str(i).isdigit()}
    return ImportOutcome(reasons, applied)


def _send(
    client: Client,
    pacer: ImportPacer,
    payloads: Sequence[dict[str, Any]],
    part: list[int],
    reasons: list[str | None],
) -> tuple[str, list[int]] | None:
    """POST the part, again without the contacts the API names as refused; the batch id
    and the indices queued, or None when every contact was refused."""
    while part:
        pacer.wait(client.account_key, len(part))
        try:
            body = client.post("/import/bulk_import", {"contacts": [payloads[i] for i in part]})
        except ValidationError as error:
            refused = _refused(error, len(part))
            if not refused:
                raise
            for position, reason in refused.items():
                reasons[part[position]] = reason
            part = [index for position, index in enumerate(part) if position not in refused]
            continue
        return str(body["batchId"]), part
    return None


def _refused(error: ValidationError, sent: int) -> dict[int, str]:
    """The positions and reasons of the contacts a refused import names; RateLimited when
    the import was refused for the rate."""
    body = error.body if isinstance(error.body, dict) else {}
    if "rate limit" in str(body.get("message", "")).lower():
        raise RateLimited(error.message, retry_after=PACING_WINDOW, status=error.status)
    found: dict[int, str] = {}
    for item in body.get("failureReasons") or []:
        position = item.get("contact") if isinstance(item, dict) else None
        if isinstance(position, int) and 0 <= position < sent:
            reason = str(item.get("failureReason") or "refused by the import")
            found[position] = f"{found[position]}; {reason}" if position in found else reason
    return found


def wait_for_batch(
    client: Client,
    batch_id: str,
    *,
    poll_first: float = POLL_FIRST,
    timeout: float = POLL_TIMEOUT,
    at_once: bool = False,
) -> dict[str, Any]:
    """``GET /import/info`` until the batch is completed, waiting longer before each poll
    (from ``poll_first`` up to POLL_MAX seconds: no batch is done the moment it is queued,
    and every poll spends rate budget; ``at_once`` asks first without waiting); its final
    answer."""
    give_up = time.monotonic() + timeout
    pause = 0.0 if at_once else poll_first
    while True:
        if time.monotonic() + pause > give_up:
            raise Unavailable(f"bulk import {batch_id} not completed after {timeout:g} s")
        time.sleep(pause)
        info = client.get("/import/info", {"batchId": batch_id}) or {}
        if info.get("status") == "completed":
            return info
        pause = min(POLL_MAX, max(poll_first, pause * 2))
