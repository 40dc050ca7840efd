"""P5: the overview of ten accounts against one, at 150 ms API latency.

Run from the repository: ``.venv/bin/python bench/overview.py [--runs N]`` (``make bench``
runs every bench script). It needs nothing running: it makes a fresh SQLite database and
rate-limit directory in a temporary folder, migrates, seeds ten small sandbox accounts
(150 ms latency, no jitter), connects them, creates a staff user, starts its own
``runserver --noreload`` (threaded) on a free local port, logs in over HTTP and then loads
the overview: ``GET /``, then every row's figures (each row's Refresh, its own htmx GET of
``/a/<account>/card/?refresh=1``, so stored figures never answer; the page itself loads
rows in batches of ten, one request per batch).

Scenarios, interleaved round by round after one warm-up round:

- one account: the staff user is a member of one account; ``/`` then its single card;
- ten accounts, every card at once (one thread per card);
- ten accounts, six connections (a browser over HTTP/1.1 opens at most 6 per host).

Wall time runs from the start of ``GET /`` until the last card has been read. The table
shows median and p95 per scenario; the RESULT line (last) is the P5 ratio: median of ten
accounts with unlimited concurrency over median of one account, target <= 1.5.
Everything the script starts or creates is removed on exit, errors included.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from harness.report import median, p95, table
from harness.server import (
    HOST,
    HTTP_TIMEOUT,
    REPO,
    cpu_seconds,
    free_port,
    log_in,
    sandbox_log,
    start_server,
    stop_server,
    tail,
    wait_until_serving,
)

ACCOUNTS = 10
CONTACTS_PER_ACCOUNT = 50  # irrelevant to the measurement: a card asks only for totals
LATENCY_MS = 150
BROWSER_CONNECTIONS = 6  # per host, HTTP/1.1, in every mainstream browser
TARGET = 1.5

USERNAME = "bench-staff"
PASSWORD = "bench-password-not-secret"

PAUSE_SECONDS = 1.0  # between loads: the API's one-second window and the pacing are idle again

CARD_URL = re.compile(r'hx-get="(/a/[-\w]+/card/)\?refresh=1"')  # each row's Refresh
SERVER_TIMING = re.compile(r'api;dur=([\d.]+);desc="(\d+) calls"')


# Environment ------------------------------------------------------------------------------


def prepare_database(base_url: str) -> list[str]:
    """Migrate the temporary database and fill it; return the account slugs, in page order.

    Runs Django in this process, against the database the ACDASH_* variables name (set by
    ``main`` before this is called).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acdash.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from acdash.accounts.models import ConnectedAccount
    from acdash.sandbox import seed
    from acdash.sandbox.models import SandboxAccount

    call_command("migrate", interactive=False, verbosity=0)
    slugs = []
    for number in range(1, ACCOUNTS + 1):
        slug = f"bench-{number:02d}"
        seed.seed_account(slug, f"Bench account {number:02d}", CONTACTS_PER_ACCOUNT, number)
        sandbox = SandboxAccount.objects.get(slug=slug)
        sandbox.latency_ms, sandbox.jitter_ms = LATENCY_MS, 0
        sandbox.save(update_fields=["latency_ms", "jitter_ms"])
        account = ConnectedAccount(
            slug=slug, name=sandbox.name, api_url=f"{base_url}/sandbox/{slug}"
        )
        account.set_token(sandbox.api_token)
        account.save()
        slugs.append(slug)
    get_user_model().objects.create_user(USERNAME, "bench@example.com", PASSWORD, is_staff=True)
    connections.close_all()
    return slugs


def set_memberships(slugs: list[str]) -> None:
    """Make the staff user a member of exactly these accounts (what ``/`` then lists)."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from acdash.accounts.models import ConnectedAccount, Membership, Role

    user = get_user_model().objects.get(username=USERNAME)
    Membership.objects.filter(user=user).exclude(account__slug__in=slugs).delete()
    have = set(Membership.objects.filter(user=user).values_list("account__slug", flat=True))
    Membership.objects.bulk_create(
        Membership(user=user, account=account, role=Role.VIEWER)
        for account in ConnectedAccount.objects.filter(slug__in=slugs)
        if account.slug not in have
    )
    connections.close_all()


def sandbox_tokens(slugs: list[str]) -> dict[str, str]:
    from acdash.sandbox.models import SandboxAccount

    return {a.slug: a.api_token for a in SandboxAccount.objects.filter(slug__in=slugs)}


# Measurement ------------------------------------------------------------------------------


@dataclass
class Card:
    slug: str
    ms: float
    api_ms: float
    api_calls: int
    sent: float  # wall clock (time.time), to match the sandbox's request log
    received: float
    # Filled in from the sandbox's log: ms before the first API call reached the sandbox,
    # the calls' own durations, the gaps between them, and ms after the last one.
    before_ms: float = float("nan")
    calls_ms: float = float("nan")
    gaps_ms: float = float("nan")
    after_ms: float = float("nan")


@dataclass
class Load:
    ms: float
    page_ms: float
    cards: list[Card]
    began: float  # wall clock (time.time), to match the sandbox's request log
    ended: float
    server_cpu_ms: float = float("nan")  # CPU the server process used during the load
    client_cpu_ms: float = float("nan")  # and this process (the "browser")


@dataclass
class Scenario:
    label: str
    accounts: int
    connections: int  # 0: one per card
    loads: list[Load] = field(default_factory=list)
    api_call_ms: list[float] = field(default_factory=list)  # as the sandbox timed them

    def totals(self) -> list[float]:
        return [load.ms for load in self.loads]

    def cards(self) -> list[Card]:
        return [card for load in self.loads for card in load.cards]


def fetch(session: requests.Session, url: str) -> requests.Response:
    response = session.get(url, timeout=HTTP_TIMEOUT, allow_redirects=False)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
    return response


def fetch_card(local: threading.local, sessions: list, cookies: dict, url: str) -> Card:
    session = getattr(local, "session", None)
    if session is None:  # one connection per worker thread, kept alive like a browser's
        session = local.session = requests.Session()
        session.cookies.update(cookies)
        sessions.append(session)
    sent, started = time.time(), time.perf_counter()
    response = fetch(session, url)
    ms = (time.perf_counter() - started) * 1000
    received = time.time()
    if 'class="account-row error"' in response.text:
        raise RuntimeError(f"GET {url}: the card shows an error; see the server log")
    timing = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
    api_ms, calls = (float(timing[1]), int(timing[2])) if timing else (float("nan"), -1)
    slug = url.split("/a/", 1)[1].split("/", 1)[0]
    return Card(slug, ms, api_ms, calls, sent, received)


def load_overview(base_url: str, cookies: dict, scenario: Scenario) -> Load:
    """``GET /``, then every card it lists, ``connections`` at a time (0: all at once)."""
    local = threading.local()
    sessions: list[requests.Session] = []
    with requests.Session() as browser:
        browser.cookies.update(cookies)
        began = time.time()
        started = time.perf_counter()
        page = fetch(browser, f"{base_url}/")
        page_ms = (time.perf_counter() - started) * 1000
        urls = CARD_URL.findall(page.text)
        if len(urls) != scenario.accounts:
            raise RuntimeError(f"/ lists {len(urls)} cards, expected {scenario.accounts}")
        workers = scenario.connections or len(urls)
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [
                    pool.submit(fetch_card, local, sessions, cookies, f"{base_url}{u}?refresh=1")
                    for u in urls
                ]
                cards = [future.result() for future in futures]
        finally:
            for session in sessions:
                session.close()
        ms = (time.perf_counter() - started) * 1000
        return Load(ms, page_ms, cards, began, time.time())


def attribute_api_calls(scenarios: list[Scenario], entries: list[dict]) -> None:
    """Match the sandbox's log (each call's end and duration) to the cards that made the
    calls, to split each card's time into before, during and after its API calls."""
    for scenario in scenarios:
        for card in scenario.cards():
            calls = sorted(
                (e["at"] - e["duration_ms"] / 1000, e["at"])
                for e in entries
                if e["slug"] == card.slug and card.sent <= e["at"] <= card.received
            )
            if not calls:
                continue
            durations = [(end - start) * 1000 for start, end in calls]
            scenario.api_call_ms += durations
            card.before_ms = (calls[0][0] - card.sent) * 1000
            card.calls_ms = sum(durations)
            card.gaps_ms = (calls[-1][1] - calls[0][0]) * 1000 - card.calls_ms
            card.after_ms = (card.received - calls[-1][1]) * 1000


# Report -----------------------------------------------------------------------------------


def report(scenarios: list[Scenario], entries: list[dict], seconds: float) -> str:
    one = median(scenarios[0].totals())
    overall = [
        ("", "", "total", "total", "", "page", "slowest", "server", "bench"),
        ("scenario", "runs", "median", "p95", "ratio", "/", "card", "CPU", "CPU"),
    ]
    parts = [
        ("", "each", "before", "API calls", "waits", "after", "Server-"),
        ("scenario", "card", "1st call", "(sandbox)", "between", "last call", "Timing"),
    ]
    for s in scenarios:
        cards = s.cards()
        overall.append(
            (
                s.label,
                str(len(s.loads)),
                f"{median(s.totals()):.0f}",
                f"{p95(s.totals()):.0f}",
                f"{median(s.totals()) / one:.2f}",
                f"{median(load.page_ms for load in s.loads):.0f}",
                f"{median(max(c.ms for c in load.cards) for load in s.loads):.0f}",
                f"{median(load.server_cpu_ms for load in s.loads):.0f}",
                f"{median(load.client_cpu_ms for load in s.loads):.0f}",
            )
        )
        slowest = [max(load.cards, key=lambda c: c.ms) for load in s.loads]
        for label, group in ((s.label, cards), ("  its slowest card", slowest)):
            if group is slowest and s.accounts == 1:
                continue
            parts.append(
                (
                    label,
                    *(
                        f"{median(getattr(c, name) for c in group):.0f}"
                        for name in ("ms", "before_ms", "calls_ms", "gaps_ms", "after_ms", "api_ms")
                    ),
                )
            )
    statuses: dict[int, int] = {}
    for entry in entries:
        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    calls = sorted({c.api_calls for s in scenarios for c in s.cards()})
    one_call = [f"{median(s.api_call_ms):.0f}" for s in scenarios]
    lines = [
        f"P5 overview: {ACCOUNTS} sandbox accounts, {LATENCY_MS} ms API latency (no jitter),",
        "cards loaded with ?refresh=1 (card cache bypassed); times in ms, medians of the",
        "measured runs (one warm-up round not counted); ratio = total median / one account's.",
        "",
        *table(overall, 2),
        "",
        "total: from GET / until the last card is read (with few runs, p95 is nearly the max).",
        "page /: the overview page alone. slowest card: the last card of each load.",
        "server CPU: CPU time the server process (app and sandbox, one process) used during",
        "the load; bench CPU: this script's (the browser's). Both share the machine's cores.",
        f"NOTE: a real browser over HTTP/1.1 opens at most {BROWSER_CONNECTIONS} connections per "
        "host, so",
        f"it loads {ACCOUNTS} cards in waves: the '{BROWSER_CONNECTIONS} connections' row is what "
        "such a browser",
        "sees. P5 is judged on all cards at once (HTTP/2, or no per-host connection limit).",
        "",
        "Where a card's time goes (median per card, and of the slowest card of each load;",
        "from the sandbox's request log):",
        "",
        *table(parts, 2),
        "",
        "before 1st call: request received, session, access check, until the first API call",
        "reached the sandbox. API calls: the sandbox's own time for them, latency included.",
        "waits between: from the end of one call to the start of the next (the client's",
        "rate-limit pacing and HTTP). after last call: recording health, rendering, reading",
        "the response. Server-Timing: the API time the card reports (pacing included).",
        f"API calls per card: {', '.join(map(str, calls))}; one call took "
        f"{' / '.join(one_call)} ms (median, per row);",
        "measured API requests by status: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        + f"; bench took {seconds:.0f} s.",
    ]
    return "\n".join(lines)


# Main -------------------------------------------------------------------------------------


def run(runs: int) -> int:
    began = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="acdash-bench-"))
    server: subprocess.Popen | None = None
    try:
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        os.environ["ACDASH_SQLITE_PATH"] = str(tmp / "db.sqlite3")
        os.environ["ACDASH_RATE_LIMIT_DIR"] = str(tmp / "ratelimit")
        os.environ["ACDASH_SANDBOX_ENABLED"] = "1"
        os.environ["ACDASH_SANDBOX_ORIGIN"] = base_url  # the URL guard's own sandbox origin
        os.environ.pop("DJANGO_SETTINGS_MODULE", None)  # always the development settings
        print(f"preparing {ACCOUNTS} sandbox accounts in {tmp} …", flush=True)
        slugs = prepare_database(base_url)
        log_path = tmp / "server.log"
        server = start_server(port, log_path)
        wait_until_serving(base_url, server)
        cookies = log_in(base_url, USERNAME, PASSWORD)

        scenarios = [
            Scenario("one account", 1, 0),
            Scenario(f"{ACCOUNTS} accounts, all cards at once", ACCOUNTS, 0),
            Scenario(
                f"{ACCOUNTS} accounts, {BROWSER_CONNECTIONS} connections",
                ACCOUNTS,
                BROWSER_CONNECTIONS,
            ),
        ]
        tokens = sandbox_tokens(slugs)
        print(f"measuring {runs} runs of {len(scenarios)} scenarios on {base_url} …", flush=True)
        for round_ in range(runs + 1):  # round 0 warms the server up and is not counted
            for scenario in scenarios:
                set_memberships(slugs[: scenario.accounts])
                time.sleep(PAUSE_SECONDS)
                server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
                load = load_overview(base_url, cookies, scenario)
                load.server_cpu_ms = (cpu_seconds(server.pid) - server_cpu) * 1000
                load.client_cpu_ms = (time.process_time() - client_cpu) * 1000
                if round_:
                    scenario.loads.append(load)
            if round_ == 0:
                sandbox_log(base_url, tokens, clear=True)
        entries = sandbox_log(base_url, tokens)
        attribute_api_calls(scenarios, entries)

        print()
        print(report(scenarios, entries, time.monotonic() - began))
        ratio = median(scenarios[1].totals()) / median(scenarios[0].totals())
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(f"RESULT P5 {ratio:.2f} target <={TARGET} {verdict}")
        return 0
    except Exception:
        if server is not None:
            print(f"server log (last lines):\n{tail(tmp / 'server.log')}", file=sys.stderr)
        raise
    finally:
        if server is not None:
            stop_server(server)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
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
