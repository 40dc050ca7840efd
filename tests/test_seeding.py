"""The tests' replayed seed (tests/seeding.py) writes exactly what the seed generates."""

from datetime import date

from acdash.sandbox.models import SandboxAccount
from tests import seeding

DAY = date(2026, 3, 14)


def _stored(slug: str) -> tuple:
    account = SandboxAccount.objects.get(slug=slug)
    fields = {f.name: getattr(account, f.name) for f in account._meta.fields if f.name != "id"}
    return fields, *seeding._read(slug)


def test_a_replayed_seed_stores_the_same_rows_as_a_generated_one(transactional_db):
    generated = seeding.generate("replayed", "Replayed", 12, 5, today=DAY, setup="globex")
    expected = _stored("replayed")
    for _ in range(2):  # generated and kept, then replayed
        SandboxAccount.objects.all().delete()
        seeding.seed_account("replayed", "Replayed", 12, 5, today=DAY, setup="globex")
        assert _stored("replayed") == expected
        assert any(key[0] == "replayed" for key in seeding._rows)
    SandboxAccount.objects.all().delete()
    replayed = seeding.seed_account("replayed", "Replayed", 12, 5, today=DAY, setup="globex")
    assert _stored("replayed") == expected
    assert (replayed.created, replayed.counts) == (True, generated.counts)
    # A reset replays over the account's own row, whose settings stay.
    SandboxAccount.objects.filter(slug="replayed").update(rate_limit=77, name="Renamed")
    seeding.seed_account("replayed", "Replayed", 12, 5, reset=True, today=DAY, setup="globex")
    fields, *rows = _stored("replayed")
    assert (fields["rate_limit"], fields["name"], rows) == (77, "Replayed", list(expected[1:]))
