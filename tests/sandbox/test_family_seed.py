"""Every demo account has data for the resource engine's families, the same on every run."""

from acdash.sandbox import seed
from acdash.sandbox.models import SandboxAccount

KINDS = [
    "automation",
    "contactAutomation",
    "campaign",
    "message",
    "link",
    "emailActivity",
    "webhook",
    "connection",
    "ecomCustomer",
    "ecomOrder",
    "ecomOrderProduct",
    "customObjectSchema",
    "customObjectRecord",
    "segment",
    "form",
    "template",
    "score",
    "config",
    "groupLimit",
    "address",
    "calendar",
    "savedResponse",
]


def test_every_family_is_seeded_deterministically(db):
    def families(slug: str, reset: bool = False) -> dict[str, list]:
        seed.seed_account(slug, slug, 30, 9, reset=reset)
        account = SandboxAccount.objects.get(slug=slug)
        rows = account.records.filter(kind__in=KINDS).order_by("kind", "rid")
        found: dict[str, list] = {}
        for row in rows.values_list("kind", "rid", "key", "data"):
            found.setdefault(row[0], []).append(row[1:])
        return found

    first = families("one")
    assert sorted(first) == sorted(KINDS)
    assert families("one", reset=True) == first
    # Campaigns have send, open and click figures; automations count their contacts.
    campaigns = [data for _, _, data in first["campaign"]]
    assert all(int(c["send_amt"]) >= int(c["uniqueopens"]) > 0 for c in campaigns)
    entered = sum(int(data["entered"]) for _, _, data in first["automation"])
    assert entered == len(first["contactAutomation"])
