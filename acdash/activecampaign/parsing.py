"""Turning the API's loosely typed values (ids and numbers as strings, several timestamp
formats, "0000-00-00" for unset dates) into Python values for the typed results."""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

UNSET_DATES = {"", "0000-00-00", "0000-00-00 00:00:00"}


def parse_datetime(value: Any) -> datetime | None:
    """``2018-09-12T16:53:50-05:00`` or ``2018-10-22 19:57:37`` (read as UTC); None if unset."""
    if value is None or str(value).strip() in UNSET_DATES:
        return None
    text = str(value).strip().replace(" ", "T", 1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_date(value: Any) -> date | None:
    if value is None or str(value).strip() in UNSET_DATES:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def parse_int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def parse_optional_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def parse_decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def api_datetime(moment: datetime) -> str:
    """The ISO 8601 form with offset that the API accepts in filters and writes."""
    return moment.replace(microsecond=0).isoformat()
