"""``manage.py sandbox_faults <account>``: set and show a sandbox account's fault knobs.

The running server reads the knobs on every request, so a change applies at once.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acdash.sandbox.models import FAULT_KNOBS, SandboxAccount

# Option → SandboxAccount field, with the type and range each accepts.
RATES = {"error_rate": "error_rate", "throttle_rate": "throttle_rate", "hang_rate": "hang_rate"}
COUNTS = {
    "latency": "latency_ms",
    "jitter": "jitter_ms",
    "fail_next": "fail_next_count",
    "rate_limit": "rate_limit",
}


def knobs(account: SandboxAccount) -> dict[str, Any]:
    return {
        "account": account.slug,
        "rate_limit": account.rate_limit,
        **{name: getattr(account, name) for name in FAULT_KNOBS},
    }


class Command(BaseCommand):
    help = "Set a sandbox account's fault knobs (latency, errors, 429s, hangs) and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account", help="The sandbox account's slug.")
        parser.add_argument("--latency", type=int, metavar="MS", help="Added to every request.")
        parser.add_argument("--jitter", type=int, metavar="MS", help="Up to this much more.")
        parser.add_argument("--error-rate", type=float, metavar="R", help="Share answered 5xx.")
        parser.add_argument("--throttle-rate", type=float, metavar="R", help="Share answered 429.")
        parser.add_argument("--hang-rate", type=float, metavar="R", help="Share that hang.")
        parser.add_argument("--hang-seconds", type=float, metavar="S", help="How long they hang.")
        parser.add_argument("--fail-next", type=int, metavar="N", help="Fail the next N requests.")
        parser.add_argument("--fail-status", type=int, metavar="S", help="…with this status.")
        parser.add_argument("--rate-limit", type=int, metavar="N", help="Requests per second.")
        parser.add_argument(
            "--reset", action="store_true", help="Clear every fault first (not the rate limit)."
        )

    def handle(self, *args, account: str, reset: bool, **options: Any) -> None:
        sandbox = SandboxAccount.objects.filter(slug=account).first()
        if sandbox is None:
            raise CommandError(f"No sandbox account named {account!r}.")
        changes = self._changes(options)
        if reset:
            sandbox.reset_faults()
        for name, value in changes.items():
            setattr(sandbox, name, value)
        if changes:
            sandbox.save(update_fields=list(changes))
        self.stdout.write(json.dumps(knobs(sandbox), indent=2))

    def _changes(self, options: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for option, name in RATES.items():
            if (value := options[option]) is not None:
                if not 0 <= value <= 1:
                    raise CommandError(f"--{option.replace('_', '-')} must be between 0 and 1.")
                changes[name] = value
        for option, name in COUNTS.items():
            if (value := options[option]) is not None:
                if value < (1 if option == "rate_limit" else 0):
                    raise CommandError(f"--{option.replace('_', '-')} is too small: {value}.")
                changes[name] = value
        if (seconds := options["hang_seconds"]) is not None:
            if seconds < 0:
                raise CommandError("--hang-seconds must not be negative.")
            changes["hang_seconds"] = seconds
        if (status := options["fail_status"]) is not None:
            if not 400 <= status <= 599:
                raise CommandError("--fail-status must be an HTTP error status (400–599).")
            changes["fail_next_status"] = status
        return changes
