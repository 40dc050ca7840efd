"""What the seeding steps share: the account, the writer, the random source and clock, and
the ids earlier steps hand to later ones."""

import random
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import cast

from ..models import SandboxAccount
from ..routing import Ctx
from .clock import Clock
from .writer import Writer


@dataclass
class Person:
    first: str
    last: str
    org: int | None
    cdate: datetime


class Seeding:
    """One account being seeded. The steps (``users.add_users`` and the others, in the
    order ``_generate`` in ``__init__.py`` runs them) fill in the ids below as they write
    the records."""

    # users.add_users
    groups: list[int]
    user_ids: list[int]
    reps: list[str]
    # people.add_lists
    list_ids: list[int]
    # deals.add_pipelines
    pipeline_ids: list[int]
    stages: list[list[int]]
    deal_owners: list[list[str]]
    # tasks.add_task_types
    tasktype_ids: list[int]
    outcome_ids: list[int]

    def __init__(self, account: SandboxAccount, writer: Writer, rng: random.Random, today: date):
        self.account = account
        self.w = writer
        self.rng = rng
        self.today = today
        self.clock = Clock(account, rng)
        self.domain = f"{account.slug}.example.com"
        # The new_*_data helpers of the resource modules read only the account from their
        # context (for timestamps, which the seed then replaces).
        self.ctx = cast(Ctx, SimpleNamespace(account=account))
