"""Seeding once per test process: ``seed.seed_account`` is deterministic (its arguments and
the day fix every row), so after it has run once for some arguments in this process, the
same call writes the rows it wrote then — byte for byte, in the same order, through one
``executemany`` — instead of generating them again. Most fixtures seed an account per test,
and generating is most of their cost. The seed's own tests run the real one."""

import time
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from acdash.sandbox import seed
from acdash.sandbox.models import SandboxAccount, SandboxRecord, SandboxSequence
from acdash.sandbox.seed import SeedResult, empty_account

generate = seed.seed_account
_rows: dict[tuple, tuple[list[tuple], list[tuple], dict[str, int]]] = {}
_COLUMNS = ("kind", "rid", "parent", "key", "data")


def seed_account(slug, name, contacts, seed, reset=False, today=None, setup=""):
    """``seed.seed_account``, replayed when this process has generated the same before."""
    account = SandboxAccount.objects.filter(slug=slug).first()
    if connection.vendor != "sqlite" or (account is not None and not reset):
        return generate(slug, name, contacts, seed, reset=reset, today=today, setup=setup)
    zone = account.timezone if account else SandboxAccount().timezone
    today = today or timezone.localdate(timezone=ZoneInfo(zone))
    key = (slug, name, contacts, seed, today, setup, zone)
    if key not in _rows:
        result = generate(slug, name, contacts, seed, reset=reset, today=today, setup=setup)
        _rows[key] = (*_read(slug), result.counts)
        return result
    started = time.monotonic()
    records, sequences, counts = _rows[key]
    with transaction.atomic():
        account = empty_account(account, slug, name)
        _write(account.pk, records, sequences)
    return SeedResult(slug, True, dict(counts), time.monotonic() - started)


def _read(slug: str) -> tuple[list[tuple], list[tuple]]:
    """The account's records and sequences as stored (``data`` as its JSON text)."""
    pk = SandboxAccount.objects.get(slug=slug).pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_quoted(SandboxRecord, _COLUMNS))} FROM "
            f"{SandboxRecord._meta.db_table} WHERE account_id = %s ORDER BY id",
            [pk],
        )
        records = cursor.fetchall()
        cursor.execute(
            f"SELECT kind, last_id FROM {SandboxSequence._meta.db_table} "
            "WHERE account_id = %s ORDER BY id",
            [pk],
        )
        return records, cursor.fetchall()


def _write(account: int, records: list[tuple], sequences: list[tuple]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SandboxRecord._meta.db_table} "
            f"(account_id, {', '.join(_quoted(SandboxRecord, _COLUMNS))}) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [(account, *row) for row in records],
        )
        cursor.executemany(
            f"INSERT INTO {SandboxSequence._meta.db_table} (account_id, kind, last_id) "
            "VALUES (%s, %s, %s)",
            [(account, *row) for row in sequences],
        )


def _quoted(model, names) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(n).column) for n in names]
