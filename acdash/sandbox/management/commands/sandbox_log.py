"""``manage.py sandbox_log <account>``: the request log of a running sandbox server.

The log lives in the server's memory, so it is read over HTTP from
``<base-url>/sandbox/<account>/_sandbox/log``.
"""

import json
from datetime import datetime
from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

from acdash.sandbox.models import SandboxAccount
from acdash.sandbox.origins import api_url


class Command(BaseCommand):
    help = "Print a sandbox account's request log, read from the running server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account", help="The sandbox account's slug.")
        parser.add_argument(
            "--base-url",
            help="Where the server runs (default: the origin of SANDBOX_ORIGIN, which "
            "`make run` sets, serving the account).",
        )
        parser.add_argument("--json", action="store_true", help="Print the log as JSON.")
        parser.add_argument(
            "--recent", type=int, default=0, metavar="N", help="Also list the last N requests."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Then clear the log and the rate-limit window."
        )

    def handle(self, *args, account: str, base_url: str | None, **options: Any) -> None:
        sandbox = SandboxAccount.objects.filter(slug=account).first()
        if sandbox is None:
            raise CommandError(f"No sandbox account named {account!r}.")
        url = f"{api_url(sandbox.slug, base_url)}/_sandbox/log"
        log = self._call("GET", url, sandbox).json()
        if options["json"]:
            self.stdout.write(json.dumps(log, indent=2))
        else:
            self._print(log, options["recent"])
        if options["reset"]:
            self._call("DELETE", url, sandbox)
            self.stdout.write("Log reset.")

    def _call(self, method: str, url: str, sandbox: SandboxAccount) -> requests.Response:
        try:
            response = requests.request(
                method, url, headers={"Api-Token": sandbox.api_token}, timeout=10
            )
        except requests.RequestException as exc:
            raise CommandError(
                f"Could not reach the sandbox server at {url}; is it running? "
                "(set --base-url to where it listens)"
            ) from exc
        if response.status_code != 200:
            raise CommandError(f"{method} {url} answered {response.status_code}.")
        return response

    def _print(self, log: dict[str, Any], recent: int) -> None:
        write = self.stdout.write
        write(f"Requests: {log['total']}")
        statuses = sorted(log["by_status"].items())
        write("By status: " + (", ".join(f"{s} × {n}" for s, n in statuses) or "–"))
        operations = sorted(log["by_operation"].items(), key=lambda item: (-item[1], item[0]))
        if operations:
            width = max(len(name) for name, _ in operations)
            write(f"\n{'Operation':<{width}}  Count")
            for name, count in operations:
                write(f"{name:<{width}}  {count:>5}")
        if recent and log["recent"]:
            write("\nTime      Status  Duration  Method  Path")
            for entry in log["recent"][-recent:]:
                at = datetime.fromtimestamp(entry["at"]).strftime("%H:%M:%S")
                write(
                    f"{at}  {entry['status']:>6}  {entry['duration_ms']:>6.0f}ms"
                    f"  {entry['method']:<6}  {entry['path']}"
                )
