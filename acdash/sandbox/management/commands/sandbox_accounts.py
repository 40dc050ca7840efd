"""``manage.py sandbox_accounts``: the sandbox accounts as a client would connect to them."""

import json

from django.core.management.base import BaseCommand, CommandParser

from acdash.sandbox.models import SandboxAccount

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def api_url(base_url: str, account: SandboxAccount) -> str:
    """What a user pastes as the account URL; the API itself lives at ``<api_url>/api/3/``."""
    return f"{base_url.rstrip('/')}/sandbox/{account.slug}"


class Command(BaseCommand):
    help = "Print every sandbox account as JSON: [{name, api_url, api_token}]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Where the server runs (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, base_url: str, **options) -> None:
        accounts = [
            {"name": a.name, "api_url": api_url(base_url, a), "api_token": a.api_token}
            for a in SandboxAccount.objects.order_by("slug")
        ]
        self.stdout.write(json.dumps(accounts, indent=2))
