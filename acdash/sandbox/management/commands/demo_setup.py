"""``manage.py demo_setup [--base-url URL] [--agency N]``: demo data, a login, connections.

Safe to run on every start (``make run`` does): seeding skips accounts that exist and
the login is created only when missing, so a second run changes nothing.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from acdash.accounts.models import ConnectedAccount

from ... import seed
from ...models import SandboxAccount
from ...origins import api_url, origins
from .sandbox_seed import describe

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


class Command(BaseCommand):
    help = (
        "Seed the demo sandbox accounts, create the demo/demo staff login if missing and "
        "connect the sandbox accounts in acdash."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            help="Where the server runs (default: the origin of SANDBOX_ORIGIN serving each "
            "account).",
        )
        parser.add_argument(
            "--agency",
            type=int,
            default=0,
            metavar="N",
            help="Also seed and connect N small agency client accounts (client-001 …).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = (options["base_url"] or "").rstrip("/") or None
        for result in seed.seed_demo_accounts(agency=options["agency"]):
            self.stdout.write(describe(result))
        users = get_user_model().objects
        if not users.filter(username=DEMO_USERNAME).exists():
            users.create_superuser(DEMO_USERNAME, "demo@example.com", DEMO_PASSWORD)
            self.stdout.write(f"Created the staff login {DEMO_USERNAME!r}.")
        for sandbox in SandboxAccount.objects.all():
            self._connect(sandbox, api_url(sandbox.slug, base_url))
        shown = base_url or origins()[0]
        self.stdout.write("")
        self.stdout.write(f"acdash: {shown}/")
        self.stdout.write(f"Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}")
        self.stdout.write(
            f"Sandbox API: {shown}/sandbox/<account>/api/3/ "
            "(accounts and tokens: manage.py sandbox_accounts)"
        )
        if base_url is not None and base_url not in origins():
            self.stdout.write(
                f"Serve with ACDASH_SANDBOX_ORIGIN={base_url}: acdash calls sandbox accounts "
                f"only at that origin (now {settings.SANDBOX_ORIGIN})."
            )

    def _connect(self, sandbox: SandboxAccount, api_url: str) -> None:
        """Connect a sandbox account in acdash (again, if the server's address changed)."""
        account = ConnectedAccount.objects.filter(slug=sandbox.slug).first()
        if account is not None and account.api_url == api_url:
            return
        account = account or ConnectedAccount(slug=sandbox.slug, name=sandbox.name)
        account.api_url = api_url
        account.set_token(sandbox.api_token)
        account.save()
        self.stdout.write(f"Connected {sandbox.name} ({api_url}).")
