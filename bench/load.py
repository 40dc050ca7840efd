"""P7, P6-load: 50 staff browsing at once, on the scaled stack, at 100 ms API latency.

Run from the repository: ``.venv/bin/python bench/load.py [--seconds N]`` (``make bench``
runs every bench script). It needs nothing running and touches nothing of yours: in a
temporary folder it starts what ``make run-scaled`` starts — PostgreSQL and Redis of its
own (scripts/engines, free ports), two RQ workers, acdash's gunicorn of 2 × cores + 1
threaded processes, the sandbox's four gunicorns of one process each (at nice 10, as locust
and PostgreSQL's processes serving the sandbox: they stand in for other machines, see
``STAND_IN``) — seeds and connects
the 20 small agency client accounts of ``demo_setup --agency 20`` (client-001 …
client-020), sets 100 ms latency on each (no jitter; the API's own limit, 5 requests/s
per account, stays on), and makes 50 staff users, each a member of their own client
account and 2–5 others (editors, some viewers), with the email of an ActiveCampaign user
of their own account (so My tasks lists tasks). The budget is per account: 50 people on 3
accounts would be throttled by the API.

Then locust (bench/harness/staff.py) runs 50 users, one per staff member, spawned one a
second: each logs in through the login form (CSRF; again later if that failed) and browses
the overview, contact lists, contact pages, boards and My tasks, with 2–6 s of think time,
each page loaded as a browser loads it (the page, then its load-time fragments, up to six
at once); half of the contact pages are then scrolled down to their notes and activity,
whose panels load as they come into view ("contact panels", a load of its own). The first
WARMUP_SECONDS (spawning included) are not measured; errors count over the whole run.

The table, then the RESULT lines, last: P7 = p95 of a page's load (the page and its
fragments, wall time); P7-errors = page loads that failed (a response not 200, or a page
showing the API error state) and failed log-ins; P6-load = p95 of Server-Timing ``app``
(acdash's own time) over every measured response. 429s the sandbox answered come from its
request log.
"""

import argparse
import json
import math
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from harness.report import median, p95, table
from harness.server import (
    HOST,
    REPO,
    SANDBOX_SERVERS,
    STAND_IN,
    close_connections,
    cpu_seconds,
    free_port,
    gunicorn,
    nice_sandbox_backends,
    sandbox_log,
    sandbox_logs,
    sandbox_origins,
    sandboxes_cpu,
    start,
    start_sandboxes,
    stolen,
    stop_server,
    tail,
    tree_cpu,
    wait_for_sandboxes,
    wait_until_serving,
)

ACCOUNTS = 20
STAFF = 50
LATENCY_MS = 100
BUDGET = 5  # API requests per second per account (the real API's limit)
SPAWN_RATE = 1  # users (log-ins: ~0.3 s of CPU each, PBKDF2) a second
WARMUP_SECONDS = 60  # spawning (50 s) included
PASSWORD = "bench-password-not-secret"
TARGETS = {"P7": 500.0, "P7-errors": 0.0, "P6-load": 30.0}
PAGES = ["overview", "contact list", "contact page", "contact panels", "board", "My tasks"]
# As `make run-scaled` runs it (see the Makefile for why threads and a sandbox of its own).
APP_WORKERS = 2 * (os.cpu_count() or 1) + 1
APP_SERVER = ["--workers", str(APP_WORKERS), "--worker-class", "gthread", "--threads", "4"]
RQ_WORKERS = 2


# Setup ------------------------------------------------------------------------------------


def start_engines(tmp: Path) -> dict[str, str]:
    """PostgreSQL and Redis under tmp on free ports; their URLs."""
    started = subprocess.run(
        [REPO / "scripts" / "engines", "start", tmp, str(free_port()), str(free_port())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if started.returncode:
        raise RuntimeError(f"scripts/engines start failed:\n{started.stderr}")
    exports = started.stdout.replace("export ", "").split()
    return dict(line.split("=", 1) for line in exports)


def set_up_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def prepare(budget: int) -> dict[str, Any]:
    """Seed and connect the agency accounts, set their latency, make the staff; return the
    locustfile's configuration (staff, and contact and pipeline ids per account)."""
    from django.contrib.auth import get_user_model

    from acdash.accounts.models import ConnectedAccount, Membership, Role
    from acdash.sandbox import seed
    from acdash.sandbox.models import SandboxAccount, SandboxRecord
    from acdash.sandbox.origins import api_url
    from acdash.sandbox.seed.vocabulary import USERS

    accounts: dict[str, dict] = {}
    connected = []
    for demo in seed.agency_accounts(ACCOUNTS):  # what `demo_setup --agency 20` seeds
        seed.seed_account(demo.slug, demo.name, demo.contacts, demo.seed)
        sandbox = SandboxAccount.objects.get(slug=demo.slug)
        sandbox.latency_ms, sandbox.jitter_ms, sandbox.rate_limit = LATENCY_MS, 0, budget
        sandbox.save(update_fields=["latency_ms", "jitter_ms", "rate_limit"])
        account = ConnectedAccount(slug=demo.slug, name=demo.name, api_url=api_url(demo.slug))
        account.set_token(sandbox.api_token)
        account.save()
        connected.append(account)
        records = SandboxRecord.objects.filter(account=sandbox)
        contacts = sorted(records.filter(kind="contact").values_list("rid", flat=True))
        accounts[demo.slug] = {
            "token": sandbox.api_token,
            "contacts": random.Random(demo.seed).sample(contacts, min(50, len(contacts))),
            "pipelines": sorted(records.filter(kind="dealGroup").values_list("rid", flat=True)),
        }
    rng = random.Random(7)
    staff = []
    for n in range(STAFF):
        own = connected[n % ACCOUNTS]
        others = rng.sample([a for a in connected if a != own], rng.randint(2, 5))
        login = USERS[1 + n % (len(USERS) - 1)][0]  # a sales rep of their own account
        user = get_user_model().objects.create_user(
            f"staff-{n + 1:02d}", f"{login}@{own.slug}.example.com", PASSWORD
        )
        for account in [own, *others]:
            role = Role.VIEWER if rng.random() < 0.2 else Role.EDITOR
            Membership.objects.create(user=user, account=account, role=role)
        slugs = [a.slug for a in [own, *others]]
        staff.append({"username": user.username, "primary": own.slug, "accounts": slugs})
    close_connections()
    return {"password": PASSWORD, "staff": staff, "accounts": accounts}


def stack_cpu(tmp: Path, servers: list[subprocess.Popen], niced: set[int]) -> dict[str, float]:
    """CPU seconds so far of each part of the stack, and of this process's children that
    have ended (locust, once it has); PostgreSQL's for the sandbox (``niced``) apart."""

    def pid_in(path: Path) -> int:
        return int(path.read_text().split()[0])

    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    for_sandbox = sum(used for pid in niced if not math.isnan(used := cpu_seconds(pid)))
    postgres = tree_cpu(pid_in(tmp / "pg" / "data" / "postmaster.pid"))
    return {
        "acdash (gunicorn)": tree_cpu(servers[SANDBOX_SERVERS].pid),
        "sandbox (gunicorns)": sandboxes_cpu(servers[:SANDBOX_SERVERS]),
        "PostgreSQL for acdash": postgres - for_sandbox,
        "PostgreSQL for the sandbox": for_sandbox,
        "Redis": tree_cpu(pid_in(tmp / "redis" / "redis.pid")),
        "RQ workers": sum(tree_cpu(s.pid) for s in servers[SANDBOX_SERVERS + 1 : -1]),
        # locust's own, while it runs, then (ended and waited for) in this process's children
        "locust": tree_cpu(servers[-1].pid) + ended.ru_utime + ended.ru_stime,
        "stolen by the host": stolen(),
    }


def sandbox_statuses(tokens: dict[str, str]) -> Counter:
    """How many requests the sandbox answered with each status, over these accounts."""
    statuses: Counter = Counter()
    for log in sandbox_logs(None, tokens).values():
        statuses.update(log["by_status"])
    return statuses


# Report -----------------------------------------------------------------------------------


def report(
    loads: list[dict],
    statuses: Counter,
    cpu: dict[str, float],
    seconds: float,
    at_start: float,
    budget: int,
) -> list[str]:
    measured = [load for load in loads if load["measured"] and load["page"] != "log in"]
    rows = [
        ("", "", "wall", "wall", "API wait", "API wait", "app", "app", "API calls", "", ""),
        ("page", "loads", "p50", "p95", "p50", "p95", "p50", "p95", "per load", "errors", "429"),
    ]
    for page in [*PAGES, "all pages"]:
        these = [m for m in measured if page in (m["page"], "all pages")]
        apps = [r["app_ms"] for m in these for r in m["responses"] if r["app_ms"] is not None]
        waits = [sum(r["api_ms"] or 0 for r in m["responses"]) for m in these]
        errors = sum(bool(load["errors"]) for load in loads if page in (load["page"], "all pages"))
        rows.append(
            (
                page,
                str(len(these)),
                f"{median(m['ms'] for m in these):.0f}",
                f"{p95(m['ms'] for m in these):.0f}",
                f"{median(waits):.0f}",
                f"{p95(waits):.0f}",
                f"{median(apps):.1f}",
                f"{p95(apps):.1f}",
                f"{median(sum(r['calls'] for r in m['responses']) for m in these):.0f}",
                str(errors),
                str(statuses.get("429", 0)) if page == "all pages" else "",
            )
        )
    logins = [load for load in loads if load["page"] == "log in"]
    failures = Counter(e for load in loads for e in load["errors"])
    api_requests = sum(statuses.values())
    responses = sum(len(load["responses"]) for load in measured)
    lines = [
        f"Load: {STAFF} staff on {ACCOUNTS} sandbox accounts, {LATENCY_MS} ms API latency, "
        f"{budget} API requests/s per account, "
        f"think time 2–6 s, {seconds:.0f} s measured after {WARMUP_SECONDS} s of warm-up; "
        "times in ms.",
        "",
        *table(rows, 2),
        "",
        "wall: from the page's request until its last load-time fragment was read.",
        "API wait: Server-Timing api (waiting on the API, the rate limit's waits included) of",
        "the page plus its fragments (fragments run concurrently, so it may exceed wall).",
        "app: Server-Timing app (acdash's own time) of the page and its fragments.",
        "errors: over the whole run (warm-up included); 429: the sandbox's answers.",
        f"log-ins: {len(logins)}, failed {sum(bool(load['errors']) for load in logins)}; "
        f"page loads measured: {len(measured)} ({len(measured) / seconds:.1f}/s).",
        f"API requests the sandbox answered: {api_requests} "
        f"({api_requests / (seconds + WARMUP_SECONDS):.1f}/s over {ACCOUNTS} accounts); "
        "by status: " + ", ".join(f"{s} × {n}" for s, n in sorted(statuses.items())),
        f"CPU seconds over the {seconds} s measured: "
        + ", ".join(f"{name} {used:.1f}" for name, used in cpu.items())
        + f"; acdash {1000 * cpu['acdash (gunicorn)'] / max(1, responses):.1f} ms per response",
        f"machine load average (1 min), start / end: {at_start:.1f} / "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
    ]
    lines += [f"  error × {n}: {e}" for e, n in failures.most_common(10)]
    return lines


def verdict(name: str, value: float) -> str:
    passed = value <= TARGETS[name]
    shown = f"{value:.0f}" if name != "P6-load" else f"{value:.2f}"
    return f"RESULT {name} {shown} target <={TARGETS[name]:g} {'PASS' if passed else 'FAIL'}"


# Main -------------------------------------------------------------------------------------


def run(seconds: int, keep_logs: bool, budget: int) -> int:
    load_at_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="acdash-bench-load-"))
    tmp.chmod(0o755)  # the postgres user reaches its data folder inside
    servers: list[subprocess.Popen] = []
    engines = False
    try:
        print(f"starting PostgreSQL and Redis in {tmp} …", flush=True)
        engines = True
        urls = start_engines(tmp)
        port = free_port()
        base_url, origins = f"http://{HOST}:{port}", sandbox_origins(taken=(port,))
        env = {
            **os.environ,
            **urls,
            "DJANGO_SETTINGS_MODULE": "acdash.settings",  # as make run-scaled
            "ACDASH_DEBUG": "0",  # as make run-scaled, and production
            "ACDASH_SANDBOX_ENABLED": "1",
            "ACDASH_SANDBOX_ORIGIN": ",".join(origins),
            "ACDASH_ORIGIN_FILE": str(tmp / "sandbox-origin"),
            "ACDASH_RATE_LIMIT_DIR": str(tmp / "ratelimit"),
        }
        if budget != BUDGET:  # the sandbox's limit and acdash's limiter, both
            settings = "from acdash.settings import *  # noqa: F403\n"
            settings += f"ACTIVECAMPAIGN_RATE_LIMIT = {budget}\n"
            (tmp / "load_settings.py").write_text(settings)
            env |= {"DJANGO_SETTINGS_MODULE": "load_settings", "PYTHONPATH": str(tmp)}
            sys.path.insert(0, str(tmp))
        print(f"seeding {ACCOUNTS} accounts and {STAFF} staff …", flush=True)
        set_up_django(env)
        config = prepare(budget)
        servers += start_sandboxes(origins, tmp, env, stand_in=True)
        servers.append(start(gunicorn(port, APP_SERVER), tmp / "server.log", env))
        rqworker = [sys.executable, "manage.py", "rqworker", "--job-class"]
        for n in range(RQ_WORKERS):
            command = [*rqworker, "django_tasks_rq.Job", "default"]
            servers.append(start(command, tmp / f"rqworker-{n}.log", env))
        wait_for_sandboxes(origins, servers[:SANDBOX_SERVERS])
        wait_until_serving(base_url, servers[SANDBOX_SERVERS])
        tokens = {slug: a.pop("token") for slug, a in config["accounts"].items()}
        sandbox_log(None, tokens, clear=True)

        config["warmup_seconds"] = WARMUP_SECONDS
        (tmp / "config.json").write_text(json.dumps(config))
        run_time = WARMUP_SECONDS + seconds
        print(f"{STAFF} staff browsing {base_url} for {run_time} s (locust) …", flush=True)
        out = tmp / "loads.json"
        with (tmp / "locust.log").open("wb") as log:
            locust = subprocess.Popen(
                [
                    *(*STAND_IN, sys.executable, "-m", "locust", "--headless", "--only-summary"),
                    *("-f", str(REPO / "bench" / "harness" / "staff.py"), "--host", base_url),
                    *("--users", str(STAFF), "--spawn-rate", str(SPAWN_RATE)),
                    *("--run-time", f"{run_time}s", "--stop-timeout", "10"),
                ],
                cwd=REPO,
                env={
                    **env,
                    "ACDASH_LOAD_CONFIG": str(tmp / "config.json"),
                    "ACDASH_LOAD_OUT": str(out),
                },
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
        servers.append(locust)  # stopped with the rest on errors and signals
        deadline = time.monotonic() + run_time + 120
        niced: set[int] = set()
        while not Path(f"{out}.measuring").exists() and locust.poll() is None:
            nice_sandbox_backends(niced)
            time.sleep(0.2)
        cpu_before = stack_cpu(tmp, servers, niced)
        while locust.poll() is None and time.monotonic() < deadline:
            nice_sandbox_backends(niced)
            time.sleep(1)
        locust.wait(timeout=max(1, deadline - time.monotonic()))
        cpu = {k: v - cpu_before[k] for k, v in stack_cpu(tmp, servers, niced).items()}
        if not out.is_file():
            raise RuntimeError(f"locust exited {locust.returncode}:\n{tail(tmp / 'locust.log')}")
        loads = json.loads((tmp / "loads.json").read_text())
        statuses = sandbox_statuses(tokens)

        print()
        print("\n".join(report(loads, statuses, cpu, seconds, load_at_start, budget)))
        measured = [m for m in loads if m["measured"] and m["page"] != "log in"]
        apps = [r["app_ms"] for m in measured for r in m["responses"] if r["app_ms"] is not None]
        print(verdict("P7", p95(m["ms"] for m in measured)))
        print(verdict("P7-errors", sum(bool(load["errors"]) for load in loads)))
        print(verdict("P6-load", p95(apps)))
        return 0
    except Exception:
        sandbox_logs = [f"sandbox-{n}.log" for n in range(SANDBOX_SERVERS)]
        for name in ("server.log", *sandbox_logs, "locust.log"):
            if (tmp / name).is_file():
                print(f"{name} (last lines):\n{tail(tmp / name)}", file=sys.stderr)
        raise
    finally:
        for server in reversed(servers):
            stop_server(server)
        close_connections()
        if engines:
            subprocess.run([REPO / "scripts" / "engines", "stop", tmp], check=False, timeout=60)
        if keep_logs:
            kept = REPO / "bench" / "out" / tmp.name
            kept.mkdir(parents=True)
            for log in [*tmp.glob("*.log"), *tmp.glob("loads.json")]:
                shutil.copy(log, kept)
            print(f"logs kept in {kept}")
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds (default 60)")
    parser.add_argument(
        "--budget",
        type=int,
        default=BUDGET,
        help="API requests/s per account (default 5, the API's); more shows what the budget costs",
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the servers' logs in bench/out/"
    )
    args = parser.parse_args(argv)
    if args.seconds < 10:
        parser.error("--seconds must be at least 10")

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through run()'s cleanup

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    return run(args.seconds, args.keep_logs, args.budget)


if __name__ == "__main__":
    sys.exit(main())
