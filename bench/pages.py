"""P2b, P6, R7: the pages a salesperson opens, loaded as a browser loads them.

Run from the repository: ``.venv/bin/python bench/pages.py [--runs N]`` (``make bench``
runs every bench script). It needs nothing running: on a temporary database it seeds three
sandbox accounts of 300 contacts at 150 ms API latency (no jitter), connects them, makes
one staff user per account (an editor, so every control renders), starts its own server
(``bench/harness``) and logs each user in over HTTP, into a browser of up to 6 kept-alive
connections (HTTP/1.1). The sandbox answers from a second
server process of its own (same database), as the real API answers from elsewhere, so that
its work is not counted as acdash's; ``--same-process`` serves it from acdash's server, as
in development. A load is what a browser does: ``GET``
the page, then every fragment that page asks for on load (``hx-trigger="load"``: the
overview's card) or as it is scrolled through (``intersect once``: the contact page's
notes and activity panels, taken as scrolled to at once) at once, one connection
each (the first on the page's), with the ``HX-Request`` header. Overview cards get
``?refresh=1`` so their 60 s cache never answers. Pages, each on two accounts,
interleaved round by round after one warm-up round:

- overview (``/`` with its one card), the contact list of 20 rows and of 100 rows, the
  100-row list's next page as its htmx swap, and a contact's page with its panels;
- on the *idle* account (a pause before each load, so the API's one-second window is
  empty) and on the *busy* one, which a background loop here keeps at 80% of its budget
  (4 of 5 requests a second, through acdash's own client and rate limiter, as a bulk job
  would).

Then R7: the third account's hang knob is on (every API request hangs 60 s), and the
overview card, the contact list and a contact's page are requested at once; R7 is the
seconds until the last of them answered (the bench gives up after 40 s).

Times per response come from ``Server-Timing``: ``api`` (waiting on the API, rate-limit
waits included) and ``app`` (the rest of the server's time); without ``app`` in the header,
app = the response's wall time minus ``api``. The table, then the RESULT lines, last:
P2b = median fully-loaded contact page (idle) / the median API call as the sandbox timed
it, P6 = p95 app time of every response, R7 as above.
"""

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from harness.browser import (
    BROWSER_CONNECTIONS,
    Answer,
    Browser,
    lazy_fragments,
    scrolled_fragments,
)
from harness.report import median, p95, table
from harness.server import (
    HOST,
    close_connections,
    free_port,
    log_in,
    sandbox_log,
    set_up_django,
    start_server,
    stop_server,
    tail,
    wait_until_serving,
)

CONTACTS = 300
LATENCY_MS = 150
BUDGET = 5  # API requests per second per account
BUSY_SHARE = 0.8
HANG_SECONDS = 60
R7_WAIT_SECONDS = 40.0
PAUSE_SECONDS = 1.5  # before an idle load: older calls have left the limiter's window
PASSWORD = "bench-password-not-secret"
TARGETS = {"P2b": 2.5, "P6": 30.0, "R7": 9.0}

ACCOUNTS = {"idle": "pages-idle", "busy": "pages-busy", "hung": "pages-hung"}
PAGES = {  # label: (path, sent as an htmx request)
    "overview + card": ("/", False),
    "contact list, 20 rows": ("/a/{slug}/contacts/", False),
    "contact list, 100 rows": ("/a/{slug}/contacts/?per_page=100", False),
    "  its next page (htmx)": ("/a/{slug}/contacts/?per_page=100&page=2", True),
    "contact page + panels": ("/a/{slug}/contacts/{contact}/", False),
}


@dataclass
class Load:
    ms: float  # from the page's request until its last fragment was read
    answers: list[Answer]


@dataclass
class Scenario:
    page: str
    account: str
    loads: list[Load] = field(default_factory=list)


# Setup ------------------------------------------------------------------------------------


def prepare(base_url: str) -> dict[str, Any]:
    """Seed and connect the accounts; one editor each. Returns slug, token, contact id and
    API URL by account role."""
    from django.contrib.auth import get_user_model

    from acdash.accounts.models import ConnectedAccount, Membership, Role
    from acdash.sandbox import seed
    from acdash.sandbox.models import SandboxAccount, SandboxRecord

    found = {}
    for role, slug in ACCOUNTS.items():
        seed.seed_account(slug, f"Pages bench ({role})", CONTACTS, 11)
        sandbox = SandboxAccount.objects.get(slug=slug)
        sandbox.latency_ms, sandbox.jitter_ms = LATENCY_MS, 0
        sandbox.save(update_fields=["latency_ms", "jitter_ms"])
        api_url = f"{base_url}/sandbox/{slug}"
        account = ConnectedAccount(slug=slug, name=sandbox.name, api_url=api_url)
        account.set_token(sandbox.api_token)
        account.save()
        user = get_user_model().objects.create_user(f"{role}-staff", password=PASSWORD)
        Membership.objects.create(user=user, account=account, role=Role.EDITOR)
        records = SandboxRecord.objects.filter(account=sandbox)
        with_deals = {int(r.data["contact"]) for r in records.filter(kind="deal")}
        with_notes = set(records.filter(kind="note").values_list("parent", flat=True))
        contact = min(with_deals & with_notes or with_deals)
        found[role] = {"slug": slug, "token": sandbox.api_token, "contact": contact}
        found[role]["api_url"] = api_url
    close_connections()
    return found


def set_hang(slug: str, on: bool) -> None:
    from acdash.sandbox.models import SandboxAccount

    hang = {"hang_rate": 1.0, "hang_seconds": HANG_SECONDS} if on else {"hang_rate": 0.0}
    SandboxAccount.objects.filter(slug=slug).update(**hang)
    close_connections()


class BusyLoop(threading.Thread):
    """Keeps an account at BUSY_SHARE of its budget: a call every 1 / (share x budget) s,
    through acdash's client, so the server's rate limiter sees the budget in use."""

    def __init__(self, api_url: str, token: str) -> None:
        super().__init__(daemon=True)
        from acdash.activecampaign import client_for

        self.client = client_for(api_url, token)
        self.stopping = threading.Event()
        self.calls = self.failures = 0
        self.began = self.ended = 0.0

    def run(self) -> None:
        from acdash.activecampaign import ApiError, contacts

        interval = 1 / (BUSY_SHARE * BUDGET)
        self.began = next_start = time.monotonic()
        while not self.stopping.wait(max(0.0, next_start - time.monotonic())):
            try:
                contacts.count_contacts(self.client)
                self.calls += 1
            except ApiError:
                self.failures += 1
            next_start = max(next_start + interval, time.monotonic() - interval)
        self.ended = time.monotonic()

    def rate(self) -> float:
        return self.calls / max(1e-9, (self.ended or time.monotonic()) - self.began)


# Loading pages ----------------------------------------------------------------------------


def load(browser: Browser, path: str, htmx: bool) -> Load:
    """The page on the first connection, then its load-time fragments, one connection each
    (at most BROWSER_CONNECTIONS at a time), the first on the page's own connection."""
    started = time.perf_counter()
    answer, page = browser.fetch(0, path, htmx)
    urls = [
        u + ("&" if "?" in u else "?") + "refresh=1" if "/card/" in u else u
        for u in lazy_fragments(page) + scrolled_fragments(page)  # panels fully loaded: P2b
    ]
    answers = [answer]
    if urls:
        with ThreadPoolExecutor(max_workers=BROWSER_CONNECTIONS) as pool:
            done = pool.map(
                lambda n: browser.fetch(n % BROWSER_CONNECTIONS, urls[n], True)[0],
                range(len(urls)),
            )
            answers += list(done)
    return Load((time.perf_counter() - started) * 1000, answers)


def hung_pages(base_url: str, cookies: dict, account: dict) -> list[tuple[str, float, str]]:
    """R7: the hung account's card, list and contact page, at once: (what, s, outcome)."""

    def wait_for(label_path: tuple[str, str]) -> tuple[str, float, str]:
        label, path = label_path
        started = time.perf_counter()
        try:
            response = requests.get(
                base_url + path,
                cookies=cookies,
                headers={"HX-Request": "true"} if "/card/" in path else {},
                timeout=(3.0, R7_WAIT_SECONDS),
            )
            outcome = f"HTTP {response.status_code}"
        except requests.Timeout:
            outcome = f"no answer in {R7_WAIT_SECONDS:.0f} s"
        return label, time.perf_counter() - started, outcome

    paths = [
        ("overview card", f"/a/{account['slug']}/card/?refresh=1"),
        ("contact list", f"/a/{account['slug']}/contacts/"),
        ("contact page", f"/a/{account['slug']}/contacts/{account['contact']}/"),
    ]
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        return list(pool.map(wait_for, paths))


# Report -----------------------------------------------------------------------------------


def report(
    scenarios: list[Scenario], call_ms: dict[str, float], busy: BusyLoop, load_at_start: float
) -> list[str]:
    rows = [
        ("", "", "wall", "wall", "API wait", "app", "app", "API calls"),
        ("page", "account", "p50", "p95", "p50", "p50", "p95", "per load"),
    ]
    for s in scenarios:
        answers = [a for load in s.loads for a in load.answers]
        rows.append(
            (
                s.page,
                s.account,
                f"{median(load.ms for load in s.loads):.0f}",
                f"{p95(load.ms for load in s.loads):.0f}",
                f"{median(sum(a.api_ms for a in load.answers) for load in s.loads):.0f}",
                f"{median(a.app_ms for a in answers):.1f}",
                f"{p95(a.app_ms for a in answers):.1f}",
                f"{median(sum(a.calls for a in load.answers) for load in s.loads):.0f}",
            )
        )
    runs = len(scenarios[0].loads)
    reported = all(a.app_in_header for s in scenarios for load in s.loads for a in load.answers)
    source = "Server-Timing app" if reported else "wall time - Server-Timing api (no app in header)"
    return [
        f"Pages: {CONTACTS} contacts per account, {LATENCY_MS} ms API latency, {runs} measured "
        "runs per row (one warm-up round not counted); times in ms.",
        "",
        *table(rows, 2),
        "",
        "wall: from the page's request until its last load-time fragment was read (the page",
        "and its fragments: the overview's card, the contact page's notes and activity).",
        "API wait: Server-Timing api of the page plus its fragments; calls likewise.",
        f"app: each response's own server time ({source}); p50/p95 over responses.",
        f"one API call as the sandbox timed it (median): idle {call_ms['idle']:.0f} ms, "
        f"busy {call_ms['busy']:.0f} ms.",
        f"busy account's background loop: {busy.rate():.2f} calls/s "
        f"(target {BUSY_SHARE * BUDGET:.1f}), {busy.failures} failed.",
        f"machine load average (1 min), start / end: {load_at_start:.1f} / "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        "(app time is wall time: other work on the machine lengthens it).",
    ]


def verdict(name: str, value: float) -> str:
    passed = value <= TARGETS[name]
    return f"RESULT {name} {value:.2f} target <={TARGETS[name]:g} {'PASS' if passed else 'FAIL'}"


# Main -------------------------------------------------------------------------------------


def run(runs: int, same_process: bool) -> int:
    load_at_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="acdash-bench-pages-"))
    servers: list = []
    browsers: dict[str, Browser] = {}
    busy = None
    try:
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        # The API's own work is not acdash's: by default the sandbox answers from a server
        # process of its own, as the real API does from elsewhere.
        api_port = port if same_process else next(p for p in iter(free_port, None) if p != port)
        api_origin = f"http://{HOST}:{api_port}"
        print(f"preparing {len(ACCOUNTS)} sandbox accounts in {tmp} …", flush=True)
        set_up_django(tmp, api_origin)
        logging.getLogger("acdash").setLevel(logging.WARNING)  # the busy loop's calls
        accounts = prepare(api_origin)
        servers.append(start_server(port, tmp / "server.log"))
        wait_until_serving(base_url, servers[0])
        if not same_process:
            servers.append(start_server(api_port, tmp / "sandbox.log"))
            wait_until_serving(api_origin, servers[1])
        cookies = {role: log_in(base_url, f"{role}-staff", PASSWORD) for role in ACCOUNTS}
        browsers = {role: Browser(base_url, cookies[role]) for role in ("idle", "busy")}
        tokens = {accounts[r]["slug"]: accounts[r]["token"] for r in ("idle", "busy")}
        busy = BusyLoop(accounts["busy"]["api_url"], accounts["busy"]["token"])
        busy.start()

        scenarios = [Scenario(page, role) for page in PAGES for role in ("idle", "busy")]
        print(f"measuring {runs} runs of {len(scenarios)} loads on {base_url} …", flush=True)
        for round_ in range(runs + 1):  # round 0 warms caches up and is not counted
            for scenario in scenarios:
                path, htmx = PAGES[scenario.page]
                account = accounts[scenario.account]
                if scenario.account == "idle":
                    time.sleep(PAUSE_SECONDS)
                done = load(browsers[scenario.account], path.format(**account), htmx)
                if round_:
                    scenario.loads.append(done)
            if round_ == 0:
                sandbox_log(api_origin, tokens, clear=True)
        busy.stopping.set()
        busy.join()
        entries = sandbox_log(api_origin, tokens)
        call_ms = {
            role: median(e["duration_ms"] for e in entries if e["slug"] == accounts[role]["slug"])
            for role in ("idle", "busy")
        }

        print(f"R7: every API request of {accounts['hung']['slug']} hangs {HANG_SECONDS} s …")
        set_hang(accounts["hung"]["slug"], True)
        hung = hung_pages(base_url, cookies["hung"], accounts["hung"])

        print()
        where = "the same process as acdash" if same_process else "a server process of its own"
        print("\n".join(report(scenarios, call_ms, busy, load_at_start)))
        print(f"The sandbox answered from {where}.")
        print("R7, the API hanging: " + "; ".join(f"{w} {s:.1f} s ({o})" for w, s, o in hung))
        contact = next(
            s for s in scenarios if s.page.startswith("contact page") and s.account == "idle"
        )
        p2b = median(load.ms for load in contact.loads) / call_ms["idle"]
        every_app = [a.app_ms for s in scenarios for load in s.loads for a in load.answers]
        print(verdict("P2b", p2b))
        print(verdict("P6", p95(every_app)))
        print(verdict("R7", max(seconds for _, seconds, _ in hung)))
        return 0
    except Exception:
        if servers:
            print(f"server log (last lines):\n{tail(tmp / 'server.log')}", file=sys.stderr)
        raise
    finally:
        if busy is not None:
            busy.stopping.set()
        for browser in browsers.values():
            browser.close()
        for server in servers:
            stop_server(server)
        close_connections()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per page and account")
    parser.add_argument(
        "--same-process",
        action="store_true",
        help="serve the sandbox from acdash's own server process (as in development)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through run()'s cleanup

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    return run(args.runs, args.same_process)


if __name__ == "__main__":
    sys.exit(main())
