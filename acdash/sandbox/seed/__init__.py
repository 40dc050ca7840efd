"""Deterministic demo data for sandbox accounts.

``seed_account`` fills one sandbox account with a realistic ActiveCampaign data set:
contacts with custom field values, tags, lists, organisations (accounts) with their
custom fields, users and groups, pipelines with stages, deals with custom field data,
secondary contacts and notes, task types and outcomes, deal tasks, a branding record, and
the families of the resource engine (automations, campaigns, webhooks, e-commerce, …).

Records are written directly, in batches of ``BATCH`` rows (see ``writer.Writer``),
following the storage convention of ``resources/__init__.py`` and of the resource modules'
create operations: each record's ``data`` holds the object's attributes as the reference's
examples name them, with the API's value types, and ``parent``/``key`` as the modules
look them up. The 20,000-contact demo account (~255,000 records) takes about 10 s.

Seeding is idempotent: an account that exists is left alone unless ``reset=True``.

Determinism: everything comes from ``random.Random(seed)`` and dates relative to the fixed
``clock.ANCHOR``, so two runs produce identical data — with one deliberate exception: deal
task due dates (and the deal ``nextdate`` derived from them) are relative to the day of
seeding (``today``), because "overdue" must mean overdue when the data is read. Open
tasks are spread from ten days before to three weeks after that day, completed tasks
over the two months before it. Pass ``today`` to pin those dates too. The steps draw from
the one random source in a fixed order (``_generate``), so reordering them changes the data.
"""

import random
import time
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..models import SandboxAccount, SandboxSequence
from .catalogue import add_catalogue
from .commerce import add_commerce
from .context import Seeding
from .deals import add_deals, add_pipelines
from .marketing import add_marketing
from .notes import add_contact_notes
from .organisations import add_organisations
from .people import add_contact_lists, add_contacts, add_lists, add_tags
from .setups import vary_setup
from .tasks import add_task_types
from .users import add_branding, add_users
from .vocabulary import PIPELINES
from .writer import Writer

__all__ = [
    "DEMO_ACCOUNTS",
    "PIPELINES",
    "DemoAccount",
    "SeedResult",
    "agency_accounts",
    "record_counts",
    "seed_account",
    "seed_demo_accounts",
]


@dataclass(frozen=True)
class DemoAccount:
    slug: str
    name: str
    contacts: int
    seed: int
    setup: str = ""  # a variant of setups.VARIANTS: its setup differs on purpose


DEMO_ACCOUNTS = [
    DemoAccount("northwind", "Northwind Traders", 300, 101),
    DemoAccount("globex", "Globex Corporation", 3_000, 202, setup="globex"),
    DemoAccount("initech", "Initech", 20_000, 303),
]


@dataclass
class SeedResult:
    slug: str
    created: bool
    counts: dict[str, int]
    seconds: float


def seed_account(
    slug: str,
    name: str,
    contacts: int,
    seed: int,
    reset: bool = False,
    today: date | None = None,
    setup: str = "",
) -> SeedResult:
    """Create and fill the sandbox account ``slug``; an existing one is left alone unless
    ``reset``, which replaces its data (the account row and its settings stay)."""
    started = time.monotonic()
    with transaction.atomic():
        account = SandboxAccount.objects.filter(slug=slug).first()
        if account is not None and not reset:
            return SeedResult(slug, False, record_counts(account), time.monotonic() - started)
        account = empty_account(account, slug, name)
        today = today or timezone.localdate(timezone=ZoneInfo(account.timezone))
        writer = Writer(account)
        _generate(Seeding(account, writer, random.Random(seed), today), contacts)
        writer.close()
        vary_setup(account, setup)
        counts = dict(sorted(writer.counts.items()))
    return SeedResult(slug, True, counts, time.monotonic() - started)


def empty_account(account: SandboxAccount | None, slug: str, name: str) -> SandboxAccount:
    """The account ``slug`` with no data: created, or emptied (its row and settings kept)."""
    if account is None:
        return SandboxAccount.objects.create(slug=slug, name=name)
    account.records.all().delete()
    SandboxSequence.objects.filter(account=account).delete()
    account.name = name
    account.save(update_fields=["name"])
    return account


def _generate(seeding: Seeding, contacts: int) -> None:
    add_users(seeding)
    add_lists(seeding)
    # About one organisation per 30 contacts, one deal per 5 (at least 200 if the
    # account has 100 contacts or more).
    orgs = add_organisations(seeding, max(10, contacts // 30))
    people = add_contacts(seeding, contacts, orgs)
    add_tags(seeding, people)
    add_contact_lists(seeding, people)
    add_contact_notes(seeding, people)
    add_pipelines(seeding)
    add_task_types(seeding)
    add_deals(seeding, people, orgs, max(contacts // 5, min(200, contacts * 2)))
    add_branding(seeding)
    add_marketing(seeding, people)
    add_commerce(seeding, people)
    add_catalogue(seeding, contacts)


# An agency's many small client accounts (`demo_setup --agency N`): the overview at 200
# accounts and the load benchmark's 20 accounts. Sizes vary (20 to 380 contacts) so the
# overview's sorts and filters have something to tell apart.
AGENCY_NAMES = ("Acme", "Bluebird", "Cobalt", "Dune", "Ember", "Fjord", "Granite", "Harbor")
AGENCY_KINDS = ("Dental", "Realty", "Fitness", "Legal", "Bakery", "Studio", "Outfitters")


def agency_accounts(count: int) -> list[DemoAccount]:
    return [
        DemoAccount(
            f"client-{n:03d}",
            f"{AGENCY_NAMES[n % len(AGENCY_NAMES)]} {AGENCY_KINDS[n % len(AGENCY_KINDS)]} {n:03d}",
            20 + (n * 37) % 361,
            1000 + n,
        )
        for n in range(1, count + 1)
    ]


def seed_demo_accounts(
    only: str | None = None, reset: bool = False, agency: int = 0
) -> list[SeedResult]:
    # DEMO_ACCOUNTS is looked up here at call time, so tests can stand in smaller accounts.
    return [
        seed_account(demo.slug, demo.name, demo.contacts, demo.seed, reset=reset, setup=demo.setup)
        for demo in [*DEMO_ACCOUNTS, *agency_accounts(agency)]
        if only is None or demo.slug == only
    ]


def record_counts(account: SandboxAccount) -> dict[str, int]:
    rows = account.records.values("kind").annotate(n=Count("id")).order_by("kind")
    return {row["kind"]: row["n"] for row in rows}
