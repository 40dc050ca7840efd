"""P5: the overview of ten accounts against one, at 150 ms API latency.

Run from the repository: ``.venv/bin/python bench/overview.py [--runs N]`` (``make bench``
runs every bench script). It needs nothing running: on a temporary SQLite database it
seeds ten small sandbox accounts (150 ms latency, no jitter, the API's limit of 5
requests/s per account), connects them and makes a staff user. acdash answers from
``runserver --noreload`` (threaded), as ``make run`` serves it; the sandbox, standing in
for ActiveCampaign (other servers), from four gunicorns of its own (one process each), each
serving two or three of the accounts, as ``make run-scaled`` serves it (each ActiveCampaign account
has a host of its own), so its work shares neither acdash's process nor its GIL. acdash's
accounts point at their server, among the origins whose sandbox URLs it accepts.

A load is what a browser does on ``/``: ``GET /``, then every fragment the page asks for
as it loads (``hx-trigger="load"`` or ``"revealed"``, URLs read out of the page: the
batches of rows, one ``GET /figures/?a=<slug>…`` per ten rows that need figures), at once,
one kept-alive connection each, with the headers htmx sends (HX-Request, HX-Current-URL,
the body's ``hx-headers``). A batch makes three API calls per account, all at once.

So that every measured load makes its calls, the bench ages the shown accounts' stored
figures past their freshness (``figures.FRESH_FOR``) just before it, as for a user back
after a few minutes: the page renders the old figures and its batches fetch them again
(a plain visit, not the "Refresh the figures" button's ``refresh=1``).

Scenarios, interleaved round by round after one warm-up round, each after a 1 s pause (the
API's one-second windows and acdash's limiter idle): one account (the user is a member of
one: ``/`` and its batch of one); ten accounts (a member of ten: ``/`` and its batch of
ten); and, for reference, not part of P5, the API alone: the same 3 or 30 calls, all at
once from the bench through acdash's client, straight to the sandbox.

Wall time: from the start of ``GET /`` until the last batch is read. RESULT (last line)
P5 = median of ten accounts / median of one, target <= 1.5. The bench fails if a row shows
an error or a measured API request was not answered 200. It removes all it made on exit.
"""

import argparse
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from harness.browser import BROWSER_CONNECTIONS, Browser, htmx_headers, lazy_fragments
from harness.report import median, p95, table
from harness.server import (
    HOST,
    SANDBOX_SERVERS,
    close_connections,
    cpu_seconds,
    free_port,
    log_in,
    sandbox_log,
    sandbox_origins,
    sandboxes_cpu,
    set_up_django,
    start_sandboxes,
    start_server,
    stop_server,
    tail,
    wait_for_sandboxes,
    wait_until_serving,
)

ACCOUNTS = 10
CONTACTS_PER_ACCOUNT = 50  # irrelevant to the measurement: a row asks only for totals
LATENCY_MS = 150
TARGET = 1.5
# The emulated API as a server, not a development one: no query recording (DEBUG), no log
# line per request, database connections kept. Its CPU shares the cores with acdash's, and
# the real API's is not on this machine at all. acdash itself runs as `make run` runs it,
# with DEBUG off (harness.server), as production does.
EMULATOR_ENV = {"ACDASH_LOG_LEVEL": "WARNING", "ACDASH_CONN_MAX_AGE": "600"}
USERNAME = "bench-staff"
PASSWORD = "bench-password-not-secret"
PAUSE_SECONDS = 1.0  # before a load: the API's one-second window and the limiter are idle


# Environment ------------------------------------------------------------------------------


def prepare() -> tuple[dict[str, str], list]:
    """Seed and connect the accounts, make the staff user; each account's sandbox token (in
    page order) and acdash's client of it (for the API alone)."""
    from django.contrib.auth import get_user_model

    from acdash.accounts.clients import client_for_account
    from acdash.accounts.models import ConnectedAccount
    from acdash.sandbox import seed
    from acdash.sandbox.models import SandboxAccount
    from acdash.sandbox.origins import api_url

    tokens, clients = {}, []
    for number in range(1, ACCOUNTS + 1):
        slug = f"bench-{number:02d}"
        seed.seed_account(slug, f"Bench account {number:02d}", CONTACTS_PER_ACCOUNT, number)
        sandbox = SandboxAccount.objects.get(slug=slug)
        sandbox.latency_ms, sandbox.jitter_ms = LATENCY_MS, 0
        sandbox.save(update_fields=["latency_ms", "jitter_ms"])
        account = ConnectedAccount(slug=slug, name=sandbox.name, api_url=api_url(slug))
        account.set_token(sandbox.api_token)
        account.save()
        tokens[slug] = sandbox.api_token
        clients.append(client_for_account(account))
    get_user_model().objects.create_user(USERNAME, "bench@example.com", PASSWORD, is_staff=True)
    close_connections()
    return tokens, clients


def set_memberships(slugs: list[str]) -> None:
    """Make the staff user a member of exactly these accounts (what ``/`` then lists), and
    age their stored figures past the freshness window, so the page fetches them again."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from acdash.accounts.models import ConnectedAccount, Membership, Role
    from acdash.overview.figures import FRESH_FOR
    from acdash.overview.models import AccountFigures

    user = get_user_model().objects.get(username=USERNAME)
    Membership.objects.filter(user=user).exclude(account__slug__in=slugs).delete()
    new = ConnectedAccount.objects.filter(slug__in=slugs).exclude(memberships__user=user)
    Membership.objects.bulk_create(Membership(user=user, account=a, role=Role.VIEWER) for a in new)
    aged = timezone.now() - FRESH_FOR - FRESH_FOR
    AccountFigures.objects.filter(account__slug__in=slugs).update(fetched_at=aged)
    close_connections()


# Measurement ------------------------------------------------------------------------------


@dataclass
class Batch:
    slugs: list[str]
    ms: float
    api_ms: float  # Server-Timing api: acdash's time waiting on the API
    sent: float  # wall clock (time.time), to match the sandbox's request log
    received: float
    # From the sandbox's log (see the report's notes):
    before_ms: float = float("nan")
    span_ms: float = float("nan")
    spread_ms: float = float("nan")
    after_ms: float = float("nan")
    api_calls: int = 0


@dataclass
class Load:
    ms: float
    page_ms: float
    batches: list[Batch]
    acdash_cpu_ms: float = float("nan")  # CPU acdash's server used during the load
    sandbox_cpu_ms: float = float("nan")  # the sandbox's
    bench_cpu_ms: float = float("nan")  # this process's (the browser, or the API alone's client)


@dataclass
class Scenario:
    label: str
    accounts: int
    direct: bool = False  # the API alone: the rows' calls straight to the sandbox
    loads: list[Load] = field(default_factory=list)

    def totals(self) -> list[float]:
        return [load.ms for load in self.loads]

    def batches(self) -> list[Batch]:
        return [batch for load in self.loads for batch in load.batches]


def fetch_batch(browser: Browser, connection: int, path: str, headers: dict) -> Batch:
    """One batch of rows, checked: every row it asked for is there, with its figures."""
    slugs = parse_qs(urlsplit(path).query).get("a", [])
    sent = time.time()
    answer, rows = browser.fetch(connection, path, True, headers)
    received = time.time()
    for slug in slugs:
        if f'id="card-{slug}"' not in rows:
            raise RuntimeError(f"GET {path}: no row for {slug}")
    failed = ">Failing<" in rows or 'class="last-error"' in rows
    if failed or "spinner" in rows or "hx-get=" in rows.split(">", 1)[0]:
        raise RuntimeError(f"GET {path}: a row failed or still waits; see the server log")
    return Batch(slugs, answer.wall_ms, answer.api_ms, sent, received)


def load_overview(browser: Browser, slugs: list[str]) -> Load:
    """``GET /``, then every fragment it asks for on load, at once, one connection each
    (the first on the page's own), as htmx sends them."""
    started = time.perf_counter()
    answer, page = browser.fetch(0, "/", False)
    urls = lazy_fragments(page)
    asked = [slug for url in urls for slug in parse_qs(urlsplit(url).query).get("a", [])]
    if sorted(asked) != sorted(slugs):
        raise RuntimeError(f"/ asks for the figures of {asked}, expected {slugs}")
    headers = htmx_headers(page, f"{browser.base_url}/")
    with ThreadPoolExecutor(max_workers=BROWSER_CONNECTIONS) as pool:
        batches = list(
            pool.map(
                lambda n: fetch_batch(browser, n % BROWSER_CONNECTIONS, urls[n], headers),
                range(len(urls)),
            )
        )
    return Load((time.perf_counter() - started) * 1000, answer.wall_ms, batches)


def api_alone(clients: list, slugs: list[str]) -> Load:
    """The calls the rows make (three per account, through acdash's client), all at once
    from this process, straight to the sandbox: what the API alone costs, acdash aside
    (timed as one batch, for the breakdown)."""
    from django.utils import timezone

    from acdash.activecampaign import contacts, deals, tasks

    now = timezone.now()
    calls = [
        call
        for client in clients
        for call in (
            partial(contacts.count_contacts, client),
            partial(deals.open_deals_summary, client),
            partial(tasks.overdue_task_count, client, now),
        )
    ]
    sent, started = time.time(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        list(pool.map(lambda call: call(), calls))
    ms = (time.perf_counter() - started) * 1000
    return Load(ms, float("nan"), [Batch(slugs, ms, float("nan"), sent, time.time())])


def attribute_api_calls(scenarios: list[Scenario], entries: list[dict]) -> None:
    """Match the sandbox's log (each call's end and duration) to the batches that made the
    calls, to split each batch's time into before, during and after its API calls."""
    for batch in (b for s in scenarios for b in s.batches()):
        calls = sorted(
            (e["at"] - e["duration_ms"] / 1000, e["at"])
            for e in entries
            if e["slug"] in batch.slugs and batch.sent <= e["at"] <= batch.received
        )
        if not calls:
            continue
        batch.api_calls = len(calls)
        batch.before_ms = (calls[0][0] - batch.sent) * 1000
        batch.span_ms = (max(end for _, end in calls) - calls[0][0]) * 1000
        batch.spread_ms = (calls[-1][0] - calls[0][0]) * 1000
        batch.after_ms = (batch.received - max(end for _, end in calls)) * 1000


# Report -----------------------------------------------------------------------------------


def report(scenarios: list[Scenario], entries: list[dict], seconds: float, at_start: float) -> str:
    ones = {s.direct: median(s.totals()) for s in scenarios if s.accounts == 1}
    overall = [
        ("", "", "total", "total", "", "page", "", "acdash", "sandbox", "bench"),
        ("scenario", "runs", "median", "p95", "ratio", "/", "batches", "CPU", "CPU", "CPU"),
    ]
    parts = [
        ("", "", "before", "API calls", "starts", "after", "Server-", "API"),
        ("scenario", "batch", "1st call", "first→last", "spread", "last call", "Timing", "calls"),
    ]
    for s in scenarios:
        overall.append(
            (
                s.label,
                str(len(s.loads)),
                f"{median(s.totals()):.0f}",
                f"{p95(s.totals()):.0f}",
                f"{median(s.totals()) / ones[s.direct]:.2f}",
                "—" if s.direct else f"{median(load.page_ms for load in s.loads):.0f}",
                "—" if s.direct else f"{median(len(load.batches) for load in s.loads):.0f}",
                *(
                    f"{median(getattr(load, name) for load in s.loads):.0f}"
                    for name in ("acdash_cpu_ms", "sandbox_cpu_ms", "bench_cpu_ms")
                ),
            )
        )
        names = ("ms", "before_ms", "span_ms", "spread_ms", "after_ms", "api_ms", "api_calls")
        values = (median(getattr(b, name) for b in s.batches()) for name in names)
        cells = ("—" if math.isnan(v) else f"{v:.0f}" for v in values)
        parts.append((s.label, *cells))
    durations = [e["duration_ms"] for e in entries]
    lines = [
        f"P5 overview: {ACCOUNTS} sandbox accounts at {LATENCY_MS} ms API latency, figures",
        "aged before each load (every batch fetches them); ms, medians of the measured runs",
        "(after a warm-up round); ratio = total / one account's (API alone: / its one's).",
        "",
        *table(overall, 2),
        "",
        "total: from GET / until the last batch of rows is read. page /: the page alone (0 API",
        "calls). API alone: the rows' 3 calls per account, all at once from the bench through",
        "acdash's client, straight to the sandbox (the emulated API's own cost, not P5). CPU:",
        "used during the load by acdash's server, the sandbox's gunicorn and the bench (the",
        f"browser, or the API alone's client), on the machine's {os.cpu_count()} shared cores.",
        "",
        "Where a batch's time goes (median per batch, from the sandbox's request log; the API",
        "alone's from its first call until its last answer was read):",
        "",
        *table(parts, 2),
        "",
        "before 1st call: until the first call reached the sandbox (session, access, query).",
        "API calls: first one's start to last one's end. starts spread: first start to last",
        "(threads, limiter, GIL). after last call: storing figures, rendering rows, reading",
        "them. Server-Timing: acdash's time waiting on the API (concurrent calls overlap).",
        f"API requests measured: {len(entries)}, every one answered 200 (no 429); one took",
        f"{median(durations):.0f} ms (median, sandbox); the bench took {seconds:.0f} s.",
        f"machine load average (1 min), start / end: {at_start:.1f} / {os.getloadavg()[0]:.1f}.",
    ]
    return "\n".join(lines)


# Main -------------------------------------------------------------------------------------


def run(runs: int) -> int:
    began = time.monotonic()
    load_at_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="acdash-bench-"))
    servers: list[subprocess.Popen] = []
    browser: Browser | None = None
    try:
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        origins = sandbox_origins(taken=(port,))
        print(f"preparing {ACCOUNTS} sandbox accounts in {tmp} …", flush=True)
        set_up_django(tmp, ",".join(origins))
        tokens, clients = prepare()
        slugs = list(tokens)
        logging.getLogger("acdash").setLevel(logging.WARNING)  # the API alone's calls
        sandboxes = start_sandboxes(origins, tmp, {**os.environ, **EMULATOR_ENV})
        servers += sandboxes
        acdash = start_server(port, tmp / "server.log")
        servers.append(acdash)
        wait_for_sandboxes(origins, sandboxes)
        wait_until_serving(base_url, acdash)
        browser = Browser(base_url, log_in(base_url, USERNAME, PASSWORD))

        scenarios = [
            Scenario("one account", 1),
            Scenario(f"{ACCOUNTS} accounts", ACCOUNTS),
            Scenario("API alone, one account", 1, direct=True),
            Scenario(f"API alone, {ACCOUNTS} accounts", ACCOUNTS, direct=True),
        ]
        print(f"measuring {runs} runs of {len(scenarios)} scenarios on {base_url} …", flush=True)
        for round_ in range(runs + 1):  # round 0 warms the servers up and is not counted
            for scenario in scenarios:
                shown = slugs[: scenario.accounts]
                set_memberships(shown)
                time.sleep(PAUSE_SECONDS)
                acdash_cpu, sandbox_cpu = cpu_seconds(acdash.pid), sandboxes_cpu(sandboxes)
                bench_cpu = time.process_time()
                if scenario.direct:
                    load = api_alone(clients[: scenario.accounts], shown)
                else:
                    load = load_overview(browser, shown)
                load.acdash_cpu_ms = (cpu_seconds(acdash.pid) - acdash_cpu) * 1000
                load.sandbox_cpu_ms = (sandboxes_cpu(sandboxes) - sandbox_cpu) * 1000
                load.bench_cpu_ms = (time.process_time() - bench_cpu) * 1000
                if round_:
                    scenario.loads.append(load)
            if round_ == 0:
                sandbox_log(None, tokens, clear=True)
        entries = sandbox_log(None, tokens)
        if refused := [e for e in entries if e["status"] != 200]:
            raise RuntimeError(f"{len(refused)} API requests not answered 200: {refused[:3]}")
        attribute_api_calls(scenarios, entries)

        print()
        print(report(scenarios, entries, time.monotonic() - began, load_at_start))
        ratio = median(scenarios[1].totals()) / median(scenarios[0].totals())
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(f"RESULT P5 {ratio:.2f} target <={TARGET} {verdict}")
        return 0
    except Exception:
        for name in ("server.log", *(f"sandbox-{n}.log" for n in range(SANDBOX_SERVERS))):
            print(f"{name} (last lines):\n{tail(tmp / name)}", file=sys.stderr)
        raise
    finally:
        if browser is not None:
            browser.close()
        for server in reversed(servers):
            stop_server(server)
        close_connections()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per scenario")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through run()'s cleanup

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    return run(args.runs)


if __name__ == "__main__":
    sys.exit(main())
