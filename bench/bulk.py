"""P3, P3-429, P4, R1, R2: bulk jobs against the sandbox's 5 requests a second.

Run from the repository: ``.venv/bin/python bench/bulk.py [--contacts N]`` (``make bench``
runs every bench script). It needs nothing running: on a temporary database it seeds
sandbox accounts of 1,000 contacts (the API's real limit: 5 requests a second each),
connects them, serves the sandbox from a server of its own (``bench/harness``) and runs
jobs on a real ``manage.py db_worker``, as ``make run`` does. Each job sets the "City"
custom field of every contact (ticked ids, so listing them costs nothing):

- *per record*: one ``PUT /contacts/<id>`` per contact. P3 is the share of the budget the
  job used (requests the sandbox logged / (5 × the job's running time)); P3-429 counts the
  429s the sandbox answered here and on the bulk path.
- *bulk import*: the same change through ``/import/bulk_import`` (250 contacts an import).
  P4 = the per-record job's running time / the bulk job's.
- R1, *10% faults*: per record, with 5% of requests answered 5xx and 5% 429. R1 counts
  the contacts not set exactly once (successful writes per contact in the request log) or
  not holding the value at the end.
- R2, *3 kills*: per record on 300 contacts, the worker killed with SIGKILL at a quarter,
  a half and three quarters of the job and started again; R2 counts the contacts written
  more than once.
"""

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from harness.report import table
from harness.server import (
    HOST,
    REPO,
    close_connections,
    free_port,
    sandbox_log,
    set_up_django,
    start_server,
    stop_server,
    tail,
    wait_until_serving,
)

CONTACTS = 1000
KILLED_CONTACTS = 300
BUDGET = 5  # API requests per second per account
CITY = "field:1"  # the seeded "City" text field
JOB_TIMEOUT = 1800.0
TARGETS = {"P3": (">=", 90.0), "P3-429": ("<=", 0), "P4": (">=", 25.0), "R1": ("<=", 0)}
TARGETS["R2"] = ("<=", 0)
SCENARIOS = {  # slug: (bulk path, 5xx share, 429 share, contacts)
    "bulk-record": (False, 0.0, 0.0, CONTACTS),
    "bulk-import": (True, 0.0, 0.0, CONTACTS),
    "bulk-faults": (False, 0.05, 0.05, CONTACTS),
    "bulk-kills": (False, 0.0, 0.0, KILLED_CONTACTS),
}


def prepare(origin: str, contacts: int) -> dict[str, Any]:
    """Seed and connect the accounts; their tokens by slug."""
    from acdash.accounts.models import ConnectedAccount
    from acdash.sandbox import seed
    from acdash.sandbox.models import SandboxAccount

    tokens = {}
    for slug, (_, errors, throttles, size) in SCENARIOS.items():
        seed.seed_account(slug, slug, min(size, contacts), 11)
        SandboxAccount.objects.filter(slug=slug).update(
            rate_limit=BUDGET, error_rate=errors, throttle_rate=throttles
        )
        sandbox = SandboxAccount.objects.get(slug=slug)
        account = ConnectedAccount(slug=slug, name=slug, api_url=f"{origin}/sandbox/{slug}")
        account.set_token(sandbox.api_token)
        account.save()
        tokens[slug] = sandbox.api_token
    close_connections()
    return tokens


class Worker:
    """``manage.py db_worker`` in its own process group, its output in ``log``."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            command = ["manage.py", "db_worker", "--no-reload", "--interval", "0.1"]
            self.process = subprocess.Popen(
                [sys.executable, *command, "--no-startup-delay"],
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def contact_ids(slug: str) -> list[str]:
    from acdash.sandbox.models import SandboxRecord

    records = SandboxRecord.objects.filter(account__slug=slug, kind="contact")
    return [str(rid) for rid in records.order_by("rid").values_list("rid", flat=True)]


def start(slug: str, bulk: bool) -> int:
    from acdash.accounts.models import ConnectedAccount
    from acdash.jobs.contract import Selection
    from acdash.jobs.engine import start_job

    job = start_job(
        account=ConnectedAccount.objects.get(slug=slug),
        user=None,
        kind="contact",
        description=f"Set City in {slug}",
        selection=Selection("contact", ids=tuple(contact_ids(slug))),
        target={CITY: f"Bench {slug}"},
        bulk=bulk,
    )
    close_connections()
    return job.pk


def job(job_id: int):
    from acdash.jobs.models import Job

    found = Job.objects.get(pk=job_id)
    close_connections()  # the worker writes the same SQLite file
    return found


def wait_for(job_id: int, done: int | None = None):
    """The job once it has finished (or done ``done`` items); polled, as its page does."""
    give_up = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < give_up:
        found = job(job_id)
        if found.finished or (done is not None and found.done >= done):
            return found
        time.sleep(0.2)
    raise RuntimeError(f"job {job_id} did not finish in {JOB_TIMEOUT:.0f} s")


def writes(entries: list[dict]) -> Counter[str]:
    """Successful PUT /contacts/<id> per contact id."""
    return Counter(
        e["path"].rstrip("/").rsplit("/", 1)[-1]
        for e in entries
        if e["method"] == "PUT" and e["status"] < 300 and e["path"].startswith("/contacts/")
    )


def holding(slug: str) -> set[str]:
    """The contacts whose City now is the job's value, read back through the contact kind."""
    from acdash.accounts.clients import client_for_account
    from acdash.accounts.models import ConnectedAccount
    from acdash.jobs.contract import KINDS
    from acdash.sandbox.models import SandboxAccount

    SandboxAccount.objects.filter(slug=slug).update(error_rate=0, throttle_rate=0)
    client = client_for_account(ConnectedAccount.objects.get(slug=slug))
    ids = contact_ids(slug)
    found = KINDS["contact"].read(client, ids, [CITY])
    close_connections()
    return {i for i, record in found.items() if record.values[CITY] == f"Bench {slug}"}


def run_scenario(slug: str, bulk: bool, worker: Worker, origin: str, token: str) -> dict:
    sandbox_log(origin, {slug: token}, clear=True)
    job_id = start(slug, bulk)
    kills = 0
    if slug == "bulk-kills":
        total = len(contact_ids(slug))
        for share in (0.25, 0.5, 0.75):
            wait_for(job_id, done=int(total * share))
            worker.kill()
            kills += 1
            worker.start()
    finished = wait_for(job_id)
    entries = sandbox_log(origin, {slug: token})
    seconds = (finished.finished_at - finished.started_at).total_seconds()
    statuses = Counter(e["status"] for e in entries)
    return {
        "slug": slug,
        "job": finished,
        "seconds": seconds,
        "requests": len(entries),
        "accepted": sum(n for status, n in statuses.items() if status != 429),
        "429": statuses.get(429, 0),
        "5xx": sum(n for status, n in statuses.items() if status >= 500),
        "writes": writes(entries),
        "kills": kills,
    }


def verdict(name: str, value: float) -> str:
    op, target = TARGETS[name]
    passed = value >= target if op == ">=" else value <= target
    shown = f"{value:.1f}" if isinstance(value, float) else str(value)
    return f"RESULT {name} {shown} target {op}{target:g} {'PASS' if passed else 'FAIL'}"


def report(runs: dict[str, dict]) -> list[str]:
    rows = [
        (
            "job",
            "records",
            "done",
            "skipped",
            "failed",
            "seconds",
            "requests",
            "req/s",
            "429",
            "5xx",
            "kills",
        )
    ]
    for slug, run in runs.items():
        found = run["job"]
        rate = run["requests"] / run["seconds"] if run["seconds"] else float("nan")
        rows.append(
            (
                f"{slug} ({found.path})",
                str(found.total),
                str(found.done),
                str(found.skipped),
                str(found.failed),
                f"{run['seconds']:.1f}",
                str(run["requests"]),
                f"{rate:.2f}",
                str(run["429"]),
                str(run["5xx"]),
                str(run["kills"]),
            )
        )
    return table(rows)


def run(contacts: int) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="acdash-bench-bulk-"))
    server = None
    worker = Worker(tmp / "worker.log")
    try:
        port = free_port()
        origin = f"http://{HOST}:{port}"
        print(f"preparing {len(SCENARIOS)} sandbox accounts in {tmp} …", flush=True)
        set_up_django(tmp, origin)
        logging.getLogger("acdash").setLevel(logging.WARNING)
        tokens = prepare(origin, contacts)
        server = start_server(port, tmp / "server.log")
        wait_until_serving(origin, server)
        worker.start()
        runs = {}
        for slug, (bulk, *_) in SCENARIOS.items():
            print(f"running the job of {slug} …", flush=True)
            runs[slug] = run_scenario(slug, bulk, worker, origin, tokens[slug])
        print()
        print("\n".join(report(runs)))
        per_record, bulk = runs["bulk-record"], runs["bulk-import"]
        p3 = 100 * per_record["accepted"] / (BUDGET * per_record["seconds"])
        faults = runs["bulk-faults"]
        ids = contact_ids("bulk-faults")
        held = holding("bulk-faults")
        r1 = sum(1 for i in ids if faults["writes"][i] != 1 or i not in held)
        r2 = sum(1 for n in runs["bulk-kills"]["writes"].values() if n > 1)
        r2 += len(set(contact_ids("bulk-kills")) - holding("bulk-kills"))
        print(verdict("P3", p3))
        print(verdict("P3-429", per_record["429"] + bulk["429"]))
        print(verdict("P4", per_record["seconds"] / bulk["seconds"]))
        print(verdict("R1", r1))
        print(verdict("R2", r2))
        return 0
    except Exception:
        for name in ("server.log", "worker.log"):
            print(f"{name} (last lines):\n{tail(tmp / name)}", file=sys.stderr)
        raise
    finally:
        worker.kill()
        if server is not None:
            stop_server(server)
        close_connections()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=CONTACTS, help="contacts per job")
    args = parser.parse_args(argv)
    if args.contacts < 20:
        parser.error("--contacts must be at least 20")

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through run()'s cleanup

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    return run(args.contacts)


if __name__ == "__main__":
    sys.exit(main())
