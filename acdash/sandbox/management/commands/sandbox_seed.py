"""``manage.py sandbox_seed [--only SLUG] [--reset]``: create the demo sandbox accounts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ... import seed


def describe(result: seed.SeedResult) -> str:
    """One line per account: what happened, key counts, total records and seconds."""
    counts = result.counts
    state = "seeded" if result.created else "exists"
    return (
        f"{result.slug:<10} {state:<6} {counts.get('contact', 0):>6} contacts "
        f"{counts.get('deal', 0):>5} deals {counts.get('dealTask', 0):>5} tasks "
        f"{sum(counts.values()):>7} records  {result.seconds:6.2f} s"
    )


class Command(BaseCommand):
    help = "Create the deterministic demo sandbox accounts (existing ones are left alone)."

    def add_arguments(self, parser: CommandParser) -> None:
        slugs = ", ".join(demo.slug for demo in seed.DEMO_ACCOUNTS)
        parser.add_argument("--only", metavar="SLUG", help=f"Seed one account ({slugs}).")
        parser.add_argument(
            "--reset", action="store_true", help="Replace the data of accounts that exist."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        only = options["only"]
        if only and only not in {demo.slug for demo in seed.DEMO_ACCOUNTS}:
            raise CommandError(f"No demo account named {only!r}.")
        for result in seed.seed_demo_accounts(only=only, reset=options["reset"]):
            self.stdout.write(describe(result))
