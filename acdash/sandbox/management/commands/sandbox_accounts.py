"""``manage.py sandbox_accounts``: the sandbox accounts as a client would connect to them."""

import json

from django.core.management.base import BaseCommand, CommandParser

from acdash.sandbox.models import SandboxAccount
from acdash.sandbox.origins import api_url


class Command(BaseCommand):
    help = "Print every sandbox account as JSON: [{name, api_url, api_token}]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            help="Where the server runs (default: the origin of SANDBOX_ORIGIN, which "
            "`make run` sets, serving the account).",
        )

    def handle(self, *args, base_url: str | None, **options) -> None:
        accounts = [
            {"name": a.name, "api_url": api_url(a.slug, base_url), "api_token": a.api_token}
            for a in SandboxAccount.objects.order_by("slug")
        ]
        self.stdout.write(json.dumps(accounts, indent=2))
