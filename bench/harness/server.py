"""A bench's own server: a temporary SQLite database and rate-limit directory, Django set
up in the bench process against them (to seed and connect sandbox accounts), and
``runserver --noreload`` (threaded) or gunicorn on a free local port; logging in as a
browser does; the sandbox's request log."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

REPO = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
HTTP_TIMEOUT = (3.0, 20.0)  # connect, read: bounds every request a bench sends
SERVER_START_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def set_up_django(tmp: Path, sandbox_origin: str) -> None:
    """Point this process (and the servers it starts, which inherit the environment) at a
    fresh database and rate-limit directory in ``tmp``, set Django up and migrate.
    ``sandbox_origin`` (``http://host:port``) serves the sandbox: the only origin whose
    sandbox URLs the URL guard accepts."""
    os.environ["ACDASH_SANDBOX_ORIGIN"] = sandbox_origin
    os.environ["ACDASH_SQLITE_PATH"] = str(tmp / "db.sqlite3")
    os.environ["ACDASH_RATE_LIMIT_DIR"] = str(tmp / "ratelimit")
    os.environ["ACDASH_SANDBOX_ENABLED"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "acdash.settings"  # always the development settings
    # but with DEBUG off, as production serves pages: DEBUG records every SQL query and
    # annotates every template node, a third of a page's server time on a slow core.
    os.environ["ACDASH_DEBUG"] = "0"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def close_connections() -> None:
    """Close this process's database connections (before the server writes, and on exit)."""
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()


# As `make run-scaled` runs the sandbox: SANDBOX_SERVERS gunicorns of its own, each one
# process (an account's rate limit and request log live in the memory of the one serving
# it) with threads enough for every concurrent call; ACDASH_SANDBOX_ORIGIN lists them all.
SANDBOX_SERVER = ["--workers", "1", "--worker-class", "gthread", "--threads", "16"]
SANDBOX_SERVERS = 4


def sandbox_origins(count: int = SANDBOX_SERVERS, taken: tuple[int, ...] = ()) -> list[str]:
    """Origins on ``count`` free local ports (none of ``taken``) for the sandbox's servers."""
    ports: list[int] = []
    while len(ports) < count:
        if (port := free_port()) not in (*taken, *ports):
            ports.append(port)
    return [f"http://{HOST}:{port}" for port in ports]


# What a bench runs at this (lower) CPU priority stands in for other machines: the API's
# servers, the staff's browsers. On one machine their work then takes the CPU acdash
# leaves, instead of interleaving with a request and counting as acdash's own time.
STAND_IN = ["nice", "-n", "10"]
# The sandbox's database sessions carry this name (libpq reads PGAPPNAME), so that a bench
# can tell PostgreSQL's work for the emulated API from its work for acdash.
SANDBOX_APP_NAME = "acdash-sandbox"


def start_sandboxes(
    origins: list[str], tmp: Path, env: dict[str, str], stand_in: bool = False
) -> list[subprocess.Popen]:
    """A sandbox gunicorn on each origin's port (logs: ``sandbox-<n>.log`` in ``tmp``), at
    ``STAND_IN``'s priority if ``stand_in``."""
    prefix = STAND_IN if stand_in else []
    return [
        start(
            [*prefix, *gunicorn(urlsplit(origin).port, SANDBOX_SERVER)],
            tmp / f"sandbox-{n}.log",
            {**env, "PGAPPNAME": SANDBOX_APP_NAME},
        )
        for n, origin in enumerate(origins)
    ]


def wait_for_sandboxes(origins: list[str], sandboxes: list[subprocess.Popen]) -> None:
    for origin, sandbox in zip(origins, sandboxes, strict=True):
        wait_until_serving(origin, sandbox)


def sandboxes_cpu(sandboxes: list[subprocess.Popen]) -> float:
    """CPU seconds so far of the sandbox's servers, together."""
    return sum(tree_cpu(sandbox.pid) for sandbox in sandboxes)


def start(command: list[str], log_path: Path, env: dict | None = None) -> subprocess.Popen:
    """Run ``command`` from the repository, its output in ``log_path``."""
    with log_path.open("wb") as log:  # the child holds its own copy
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=env if env is not None else dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it can be stopped as one
        )


def start_server(port: int, log_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``runserver --noreload`` (threaded) on ``port``."""
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"]
    return start(command, log_path, env)


def gunicorn(port: int, options: list[str]) -> list[str]:
    """The command that serves acdash by gunicorn on ``port``."""
    binary = str(Path(sys.executable).with_name("gunicorn"))
    return [binary, "acdash.wsgi", *options, "--bind", f"{HOST}:{port}"]


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=5)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def wait_until_serving(base_url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited at start ({server.returncode})")
        try:
            if requests.get(f"{base_url}/login/", timeout=(1, 5)).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer in {SERVER_START_SECONDS:.0f} s")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def log_in(base_url: str, username: str, password: str) -> dict[str, str]:
    """Log in as a browser does; return the cookies (session and CSRF) to send with pages."""
    with requests.Session() as browser:
        page = browser.get(f"{base_url}/login/", timeout=HTTP_TIMEOUT)
        page.raise_for_status()
        answer = browser.post(
            f"{base_url}/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            headers={"Referer": f"{base_url}/login/"},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        if answer.status_code != 302 or "sessionid" not in browser.cookies:
            raise RuntimeError(f"login failed: HTTP {answer.status_code}")
        return browser.cookies.get_dict()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) so far of a process and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    pids, total = [root], 0.0
    while pids:
        pid = pids.pop()
        total += cpu_seconds(pid) if Path(f"/proc/{pid}").exists() else 0.0
        pids += children.get(pid, [])
    return total


def sandbox_logs(base_url: str | None, tokens: dict[str, str], clear: bool = False) -> dict:
    """Each account's request log ({slug: token} in, {slug: log} out, as
    ``/_sandbox/log`` answers it); ``clear`` empties the logs. Each account's log is on the
    server serving it: ``base_url``, or (None) the one of SANDBOX_ORIGIN's that serves it."""
    from acdash.sandbox.origins import api_url

    logs = {}
    for slug, token in tokens.items():
        url = f"{api_url(slug, base_url)}/_sandbox/log"
        headers = {"Api-Token": token}
        log = requests.get(url, headers=headers, timeout=HTTP_TIMEOUT)
        log.raise_for_status()
        logs[slug] = log.json()
        if clear:
            requests.delete(url, headers=headers, timeout=HTTP_TIMEOUT).raise_for_status()
    return logs


def sandbox_log(base_url: str | None, tokens: dict[str, str], clear: bool = False) -> list[dict]:
    """Every request the sandbox logged for these accounts, each with its ``slug``."""
    logs = sandbox_logs(base_url, tokens, clear)
    return [{**entry, "slug": slug} for slug, log in logs.items() for entry in log["recent"]]


def nice_sandbox_backends(niced: set[int]) -> None:
    """PostgreSQL's processes serving the sandbox's connections, at the sandbox's priority
    (``STAND_IN``): that work is the API's, done on its own machines. Adds them to
    ``niced``; run again for connections opened since."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [SANDBOX_APP_NAME]
        )
        pids = {pid for (pid,) in cursor.fetchall()} - niced
    for pid in pids:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, int(STAND_IN[-1]))
        except OSError:  # ended meanwhile
            continue
        niced.add(pid)


def stolen() -> float:
    """CPU seconds the hypervisor ran something else while this machine's CPUs wanted to
    run (/proc/stat's steal, every CPU): a busy host shows here, not in any process."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK")
