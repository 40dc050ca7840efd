"""The one audit hook every write goes through."""

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from acdash.accounts.models import ConnectedAccount

from .models import AuditEntry


def _plain(value: Any) -> Any:
    """JSON-ready form of typed results (dataclasses, dates, decimals) for before/after."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.loads(json.dumps(value, default=_default))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot audit a {type(value).__name__}")


def record(
    *,
    user,
    account: ConnectedAccount,
    object_type: str,
    object_id: object,
    action: str,
    before: Any = None,
    after: Any = None,
    summary: str = "",
    job: int | None = None,
) -> AuditEntry:
    """Record who changed what in which account, with the object before and after."""
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        account=account,
        account_name=account.name,
        account_slug=account.slug,
        object_type=object_type,
        object_id=str(object_id),
        action=action,
        summary=summary[:300],
        before=_plain(before),
        after=_plain(after),
        job_id=job,
    )
