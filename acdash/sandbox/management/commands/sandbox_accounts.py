"""``manage.py sandbox_accounts``: the sandbox accounts as a client would connect to them."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from acdash.sandbox.models import SandboxAccount


def api_url(base_url: str, account: SandboxAccount) -> str:
    """What a user pastes as the account URL; the API itself lives at ``<api_url>/api/3/``."""
    return f"{base_url.rstrip('/')}/sandbox/{account.slug}"


class Command(BaseCommand):
    help = "Print every sandbox account as JSON: [{name, api_url, api_token}]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            help="Where the server runs (default: SANDBOX_ORIGIN, which `make run` sets).",
        )

    def handle(self, *args, base_url: str | None, **options) -> None:
        base_url = base_url or settings.SANDBOX_ORIGIN
        accounts = [
            {"name": a.name, "api_url": api_url(base_url, a), "api_token": a.api_token}
            for a in SandboxAccount.objects.order_by("slug")
        ]
        self.stdout.write(json.dumps(accounts, indent=2))
