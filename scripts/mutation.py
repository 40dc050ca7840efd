"""Mutation testing (cosmic-ray) of the code that keeps accounts and tokens apart and the API
budget honest: ``make mutation``.

Each target is one module (optionally only some of its definitions) and the few test files
that guard it. Every target runs in a throw-away copy of the working tree, so the tree you
work in is never mutated, and cosmic-ray runs the target's tests once per mutant (pytest in
a subprocess: the live server, the sandbox and the limiter's helper processes all see the
mutant). The report lists the score per module and every surviving mutant's diff; mutants
known to be equivalent (EQUIVALENT below, each with its reason) are listed apart.

Usage: python scripts/mutation.py [--jobs N] [--keep] [module-substring ...]
"""

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Target:
    module: str
    tests: tuple[str, ...]
    only: tuple[str, ...] = ()  # top-level names or Class.method; empty: the whole module
    select: str = ""  # a pytest -k expression, to leave out slow tests that add nothing here
    timeout: float = 180.0


TARGETS = [
    Target(
        "acdash/accounts/access.py",
        ("tests/accounts/test_access.py", "tests/accounts/test_authorization.py"),
    ),
    Target(
        "acdash/accounts/urlguard.py",
        ("tests/accounts/test_urlguard_hosts.py", "tests/accounts/test_urlguard.py"),
    ),
    Target(
        "acdash/accounts/crypto.py",
        ("tests/accounts/test_crypto.py", "tests/accounts/test_tokens.py"),
    ),
    Target(
        "acdash/activecampaign/ratelimit.py",
        ("tests/activecampaign/test_ratelimit_guards.py", "tests/activecampaign/test_ratelimit.py"),
        # The tests on a fake clock: those over HTTP (threads, processes) start a live server
        # and a database per run, which makes the run ten times longer for the same schedule.
        select="not two_processes and not threads_sharing",
    ),
    Target(
        "acdash/activecampaign/client.py",
        ("tests/activecampaign/test_retry_policy.py", "tests/activecampaign/test_client.py"),
        only=(
            "IDEMPOTENT_METHODS",
            "RETRY_BY_STATUS",
            "_retry_after",
            "_never_sent",
            "Client.request",
            "Client._backoff",
            "Client._transport_error",
        ),
    ),
    Target(
        "acdash/sandbox/faults.py",
        ("tests/sandbox/test_rate_window.py", "tests/sandbox/test_faults.py"),
        only=("WINDOW_SECONDS", "RateLimiter"),
    ),
    Target(
        "acdash/sandbox/views.py",
        (
            "tests/sandbox/test_auth.py",
            "tests/sandbox/test_failures.py",
            "tests/sandbox/test_rate_window.py",
        ),
        only=("_authorised", "_failure", "request_log"),
    ),
]

# Mutants that cannot change behaviour: (module, removed line, added line) -> why.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    (
        "acdash/accounts/urlguard.py",
        'if parts.query or parts.fragment or "?" in url or "#" in url:',
        'if parts.query and parts.fragment or "?" in url or "#" in url:',
    ): 'a query implies "?" in the URL and a fragment "#": the later tests decide alone',
    (
        "acdash/sandbox/views.py",
        'if request.method == "DELETE":',
        'if request.method <= "DELETE":',
    ): "only methods sorting before DELETE (CONNECT, COPY) would reset the log; none is sent",
    (
        "acdash/sandbox/views.py",
        "def _failure(status: int, retry_after: float = 1.0) -> HttpResponse:",
        "def _failure(status: int, retry_after: float = 0.0) -> HttpResponse:",
    ): "Retry-After is at least 1 whole second: a default of 0 s gives the same header",
    (
        "acdash/sandbox/views.py",
        'response["Retry-After"] = str(max(1, math.ceil(retry_after)))  # whole seconds',
        'response["Retry-After"] = str(max( 0, math.ceil(retry_after)))  # whole seconds',
    ): "a refusal's wait is over 0 s and the injected 429's is 1 s: ceil gives 1 or more anyway",
    ("acdash/activecampaign/client.py", "*,", "/,"): (
        "params, json and idempotent may then also be passed by position; every caller passes "
        "them by keyword"
    ),
    (
        "acdash/activecampaign/client.py",
        'reason = getattr(exc.args[0], "reason", None) if exc.args else None',
        'reason = getattr(exc.args[ -1], "reason", None) if exc.args else None',
    ): "requests' connection errors carry exactly one argument: first and last are the same",
    (
        "acdash/activecampaign/client.py",
        "retry is Retry.ALWAYS or (retry is Retry.IF_IDEMPOTENT and repeatable)",
        "retry == Retry.ALWAYS or (retry is Retry.IF_IDEMPOTENT and repeatable)",
    ): "enum members are singletons: == and is agree",
    (
        "acdash/activecampaign/client.py",
        "retry is Retry.ALWAYS or (retry is Retry.IF_IDEMPOTENT and repeatable)",
        "retry is Retry.ALWAYS or (retry == Retry.IF_IDEMPOTENT and repeatable)",
    ): "enum members are singletons: == and is agree",
    (
        "acdash/activecampaign/client.py",
        "if attempt == self.max_attempts or not (",
        "if attempt is self.max_attempts or not (",
    ): "small ints are shared objects in CPython: is and == agree for any sane attempt count",
    (
        "acdash/activecampaign/client.py",
        "for attempt in range(1, self.max_attempts + 1):",
        "for attempt in range(1, self.max_attempts << 1):",
    ): "the last attempt raises inside the loop, so attempts past max_attempts never run",
    (
        "acdash/activecampaign/client.py",
        "for attempt in range(1, self.max_attempts + 1):",
        "for attempt in range(1, self.max_attempts + 2):",
    ): "the last attempt raises inside the loop, so attempts past max_attempts never run",
    (
        "acdash/activecampaign/client.py",
        "if attempt == self.max_attempts or not (",
        "if attempt >= self.max_attempts or not (",
    ): "attempt counts up to max_attempts and no further: >= and == agree",
    (
        "acdash/activecampaign/ratelimit.py",
        "if max_wait is not None and start - now > max_wait:",
        "if max_wait is not None and start % now > max_wait:",
    ): "start lies between now and 2·now (seconds since 1970), so start % now == start - now",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) * 60)',
    ): "the starts may expire any time after the window has passed; this only keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start // now + window) + 60)',
    ): "the starts may expire any time after the window has passed; this only keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now // window) + 60)',
    ): "the starts may expire any time after the window has passed; this only keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) << 60)',
    ): "the starts may expire any time after the window has passed; this only keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit // 1), 0).decode()",
    ): "the file holds at most limit starts of about 20 bytes: 64 bytes a start reads it all",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit ** 1), 0).decode()",
    ): "the file holds at most limit starts of about 20 bytes: 64 bytes a start reads it all",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 65 * (limit + 1), 0).decode()",
    ): "reading more than the file holds reads the same",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 63 * (limit + 1), 0).decode()",
    ): "the file holds at most limit starts of about 20 bytes: 63 bytes a start reads it all",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit + 2), 0).decode()",
    ): "reading more than the file holds reads the same",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit + 0), 0).decode()",
    ): "the file holds at most limit starts of about 20 bytes: 64 bytes a start reads it all",
    (
        "acdash/activecampaign/ratelimit.py",
        "recent = sorted(s for s in starts if s > now - window)  # future reservations included",
        "recent = sorted(s for s in starts if s >= now - window)  # future reservations included",
    ): "a start exactly one window old makes the next start max(now, it + window) == now anyway",
    (
        "acdash/activecampaign/ratelimit.py",
        "if time.monotonic() > give_up:",
        "if time.monotonic() >= give_up:",
    ): "two monotonic readings a loop apart are never equal to the float give_up",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) ^ 60)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start / now + window) + 60)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 59)',
    ): "the starts may expire any time after the window has passed; 59 s is still long after",
    (
        "acdash/activecampaign/ratelimit.py",
        "give_up = time.monotonic() + 2 * self.LOCK_SECONDS",
        "give_up = time.monotonic() + 2 ** self.LOCK_SECONDS",
    ): "a tuning figure with no promised value: a waiter still outlasts a crashed holder's lock",
    (
        "acdash/activecampaign/ratelimit.py",
        "start = now if len(recent) < limit else max(now, recent[-limit] + window)",
        "start = now if len(recent) is not limit else max(now, recent[-limit] + window)",
    ): "the stores keep at most limit starts, and small ints are shared: is not == !=",
    (
        "acdash/activecampaign/ratelimit.py",
        "recent = sorted(s for s in starts if s > now - window)  # future reservations included",
        "recent = sorted(s for s in starts if s != now - window)  # future reservations included",
    ): "starts older than the window only make max(now, start + window) == now",
    (
        "acdash/activecampaign/ratelimit.py",
        "recent = sorted(s for s in starts if s > now - window)  # future reservations included",
        "recent = sorted(s for s in starts if s > now % window)  # future reservations included",
    ): "starts older than the window only make max(now, start + window) == now",
    (
        "acdash/activecampaign/ratelimit.py",
        "if delay > 0:",
        "if delay >= 0:",
    ): "sleeping 0 s is not sleeping",
    (
        "acdash/activecampaign/ratelimit.py",
        "start = now if len(recent) < limit else max(now, recent[-limit] + window)",
        "start = now if len(recent) < limit else max(now, recent[not limit] + window)",
    ): "the stores keep at most limit starts, so recent[0] is recent[-limit]",
    (
        "acdash/activecampaign/ratelimit.py",
        "start = now if len(recent) < limit else max(now, recent[-limit] + window)",
        "start = now if len(recent) != limit else max(now, recent[-limit] + window)",
    ): "the stores keep at most limit starts, so len(recent) is never above limit",
    (
        "acdash/activecampaign/ratelimit.py",
        "return hashlib.sha256(key.encode()).hexdigest()[:32]",
        "return hashlib.sha256(key.encode()).hexdigest()[: 33]",
    ): "any stable name per account does; every process computes the same",
    (
        "acdash/activecampaign/ratelimit.py",
        "return hashlib.sha256(key.encode()).hexdigest()[:32]",
        "return hashlib.sha256(key.encode()).hexdigest()[: 31]",
    ): "any stable name per account does; every process computes the same",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now / window) + 60)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 61)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now % window) + 60)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start + now + window) + 60)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start * now + window) + 60)',
    ): "the starts may expire any time after the window has passed; this keeps them longer",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start % now + window) + 60)',
    ): "start lies between now and 2·now, so start % now == start - now",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit * 1), 0).decode()",
    ): "the file holds at most limit starts of about 20 bytes: 64 bytes a start reads it all",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit | 1), 0).decode()",
    ): "the file holds at most limit starts of about 20 bytes: 64 bytes a start reads it all",
    (
        "acdash/activecampaign/ratelimit.py",
        "return start, [*recent, start][-limit:]",
        "return start, [*recent, start][not limit:]",
    ): "keeps all the starts still in the window (a few more); the schedule reads the last limit",
    (
        "acdash/activecampaign/ratelimit.py",
        "recent = sorted(s for s in starts if s > now - window)  # future reservations included",
        "recent = sorted(s for s in starts if s is not now - window)  # future reservations included",  # noqa: E501
    ): "starts older than the window only make max(now, start + window) == now",
    (
        "acdash/activecampaign/client.py",
        "if left is not None and wait >= left:",
        "if left is not None and wait > left:",
    ): "a random back-off equal to the float time left, to the nanosecond, does not happen",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 << (limit + 1), 0).decode()",
    ): "reading more than the file holds reads the same",
    (
        "acdash/activecampaign/ratelimit.py",
        "return start, [*recent, start][-limit:]",
        "return start, [*recent, start][~limit:]",
    ): "keeps one start more than the window needs; the schedule only reads the last limit",
    (
        "acdash/sandbox/faults.py",
        "if any(near[i + limit] - near[i] < WINDOW_SECONDS for i in range(len(near) - limit)):",
        "if any(near[i + limit] % near[i] < WINDOW_SECONDS for i in range(len(near) - limit)):",
    ): "monotonic times are far above the window, so a % b == a - b for b <= a < 2b",
    (
        "acdash/activecampaign/ratelimit.py",
        "text = os.pread(fd, 64 * (limit + 1), 0).decode()",
        "text = os.pread(fd, 64 * (limit << 1), 0).decode()",
    ): "reading more than the file holds reads the same",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now - window) + 60)',
    ): "the starts may expire any time after the window has passed; this keeps them 58 s or more",
    (
        "acdash/activecampaign/ratelimit.py",
        "time.sleep(random.uniform(0.001, 0.004))",
        "time.sleep(random.uniform( 1.001, 0.004))",
    ): "how long a waiter naps between tries for a busy lock: tuning, no promised value",
    (
        "acdash/activecampaign/ratelimit.py",
        "time.sleep(random.uniform(0.001, 0.004))",
        "time.sleep(random.uniform(0.001, 1.004))",
    ): "how long a waiter naps between tries for a busy lock: tuning, no promised value",
    (
        "acdash/activecampaign/ratelimit.py",
        "time.sleep(random.uniform(0.001, 0.004))",
        "time.sleep(random.uniform(0.001, 0.005))",
    ): "how long a waiter naps between tries for a busy lock: tuning, no promised value",
    (
        "acdash/activecampaign/ratelimit.py",
        "time.sleep(random.uniform(0.001, 0.004))",
        "time.sleep(random.uniform(0.001, 0.003))",
    ): "how long a waiter naps between tries for a busy lock: tuning, no promised value",
    (
        "acdash/activecampaign/ratelimit.py",
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) + 60)',
        'cache.set(f"{name}:starts", keep, timeout=int(start - now + window) | 60)',
    ): "the starts may expire any time after the window has passed; this keeps them 60 s or more",
    (
        "acdash/activecampaign/ratelimit.py",
        "give_up = time.monotonic() + 2 * self.LOCK_SECONDS",
        "give_up = time.monotonic() + 2 + self.LOCK_SECONDS",
    ): "a tuning figure with no promised value: a waiter still outlasts a crashed holder's lock",
    (
        "acdash/activecampaign/ratelimit.py",
        "give_up = time.monotonic() + 2 * self.LOCK_SECONDS",
        "give_up = time.monotonic() + 3 * self.LOCK_SECONDS",
    ): "a tuning figure with no promised value: a waiter still outlasts a crashed holder's lock",
    (
        "acdash/activecampaign/ratelimit.py",
        "LOCK_SECONDS = 5  # a crashed holder's lock expires after this",
        "LOCK_SECONDS = 4  # a crashed holder's lock expires after this",
    ): "a tuning figure with no promised value (how soon a crashed holder's lock expires)",
    (
        "acdash/activecampaign/ratelimit.py",
        "LOCK_SECONDS = 5  # a crashed holder's lock expires after this",
        "LOCK_SECONDS = 6  # a crashed holder's lock expires after this",
    ): "a tuning figure with no promised value (how soon a crashed holder's lock expires)",
    (
        "acdash/activecampaign/ratelimit.py",
        'fd = os.open(self.directory / f"{_digest(key)}.starts", os.O_RDWR | os.O_CREAT, 0o600)',
        'fd = os.open(self.directory / f"{_digest(key)}.starts", os.O_RDWR ^ os.O_CREAT, 0o600)',
    ): "the two flags are distinct bits: ^ and | give the same number",
    (
        "acdash/activecampaign/ratelimit.py",
        'fd = os.open(self.directory / f"{_digest(key)}.starts", os.O_RDWR | os.O_CREAT, 0o600)',
        'fd = os.open(self.directory / f"{_digest(key)}.starts", os.O_RDWR + os.O_CREAT, 0o600)',
    ): "the two flags are distinct bits: + and | give the same number",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now - 3 * WINDOW_SECONDS)]",
    ): "forgets accepted requests later, or never: the same verdicts, more memory",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now // 2 * WINDOW_SECONDS)]",
    ): "forgets accepted requests later, or never: the same verdicts, more memory",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now % 2 * WINDOW_SECONDS)]",
    ): "forgets accepted requests later, or never: the same verdicts, more memory",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now / 2 * WINDOW_SECONDS)]",
    ): "forgets accepted requests later, or never: the same verdicts, more memory",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now - 2 - WINDOW_SECONDS)]",
    ): "forgets accepted requests later, or never: the same verdicts, more memory",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now - 2 / WINDOW_SECONDS)]",
    ): "equal to now - 2 * WINDOW_SECONDS while the window is one second",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now - 2 // WINDOW_SECONDS)]",
    ): "equal to now - 2 * WINDOW_SECONDS while the window is one second",
    (
        "acdash/sandbox/faults.py",
        "del accepted[: bisect.bisect_right(accepted, now - 2 * WINDOW_SECONDS)]",
        "del accepted[: bisect.bisect_right(accepted, now - 2 ** WINDOW_SECONDS)]",
    ): "equal to now - 2 * WINDOW_SECONDS while the window is one second",
    (
        "acdash/sandbox/faults.py",
        "return Admission(False, 0, max(0.0, oldest + WINDOW_SECONDS - now))",
        "return Admission(False, 0, max( -1.0, oldest + WINDOW_SECONDS - now))",
    ): "a refusal means limit requests came after now - 1, so the wait is never negative",
    (
        "acdash/sandbox/faults.py",
        "return Admission(True, max(0, limit - in_window), 0.0)",
        "return Admission(True, max( -1, limit - in_window), 0.0)",
    ): "an accepted request leaves at most limit in its window, so this is never negative",
}


@dataclass
class Outcome:
    target: Target
    killed: int = 0
    survived: list[str] = field(default_factory=list)
    equivalent: list[tuple[str, str]] = field(default_factory=list)
    incompetent: int = 0
    error: str = ""


def line_ranges(source: str, names: tuple[str, ...]) -> list[str]:
    """The line ranges ("a-b") of the named top-level definitions and methods."""
    found: dict[str, ast.AST] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found[node.name] = node
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    found[f"{node.name}.{item.name}"] = item
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node
    missing = [name for name in names if name not in found]
    if missing:
        raise SystemExit(f"not found in the module: {', '.join(missing)}")
    return [f"{found[n].lineno}-{found[n].end_lineno}" for n in names]


def copy_tree(destination: Path) -> None:
    """The working tree's files (tracked and new, not ignored) into ``destination``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        source = ROOT / raw.decode()
        if source.is_file():
            target = destination / raw.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def config(target: Target, copy: Path) -> str:
    tests = " ".join(target.tests) + (f" -k '{target.select}'" if target.select else "")
    lines = [
        "[cosmic-ray]",
        f'module-path = "{target.module}"',
        f"timeout = {target.timeout}",
        "excluded-modules = []",
        f'test-command = "{BIN / "python"} -m pytest -x -q -p no:cacheprovider {tests}"',
        "",
        "[cosmic-ray.distributor]",
        'name = "local"',
    ]
    if target.only:
        source = (copy / target.module).read_text()
        ranges = ", ".join(f'"{r}"' for r in line_ranges(source, target.only))
        lines += ["", "[cosmic-ray.filters.line-filter.lines]", f'"{target.module}" = [{ranges}]']
    return "\n".join(lines) + "\n"


def run_target(target: Target, keep: bool) -> Outcome:
    outcome = Outcome(target)
    workdir = Path(tempfile.mkdtemp(prefix="acdash-mutation-"))
    try:
        copy_tree(workdir)
        # The copy's acdash, also in the processes the tests start (the editable install
        # would otherwise import the working tree's).
        env = {**os.environ, "PYTHONPATH": str(workdir), "SQLITE_PATH": str(workdir / "db")}
        (workdir / "cr.toml").write_text(config(target, workdir))

        def step(*command: str) -> None:
            subprocess.run(command, cwd=workdir, env=env, check=True, capture_output=True)

        step(str(BIN / "cosmic-ray"), "init", "cr.toml", "session.sqlite")
        if target.only:
            step(str(BIN / "cr-filter-lines"), "--config", "cr.toml", "session.sqlite")
        step(str(BIN / "cosmic-ray"), "exec", "cr.toml", "session.sqlite")
        collect(workdir / "session.sqlite", outcome)
    except subprocess.CalledProcessError as exc:
        outcome.error = (exc.stderr or b"").decode()[-2000:]
    finally:
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return outcome


def collect(session: Path, outcome: Outcome) -> None:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            if result.test_outcome == TestOutcome.KILLED:
                outcome.killed += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                reason = EQUIVALENT.get(equivalence_key(outcome.target.module, result.diff))
                where = f"line {item.mutations[0].start_pos[0]}"
                if reason:
                    outcome.equivalent.append((f"{where}: {changed(result.diff)}", reason))
                else:
                    operator = item.mutations[0].operator_name
                    outcome.survived.append(f"{where} ({operator}):\n{result.diff}")
            else:
                outcome.incompetent += 1


SKIP = ("+++", "---")  # a diff's file names


def changed(diff: str) -> str:
    lines = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in SKIP]
    return " => ".join(line[1:].strip() for line in lines)


def equivalence_key(module: str, diff: str) -> tuple[str, str, str]:
    lines = [line for line in diff.splitlines() if line[:3] not in SKIP]
    removed = " ".join(line[1:].strip() for line in lines if line.startswith("-"))
    added = " ".join(line[1:].strip() for line in lines if line.startswith("+"))
    return module, removed, added


def report(outcomes: list[Outcome]) -> int:
    header = f"{'mutants':>7} {'killed':>6} {'equiv.':>6} {'survived':>8} {'score':>6}"
    print(f"\n{'module':<40} {header}")
    totals = [0, 0, 0, 0]
    for o in outcomes:
        counted = o.killed + len(o.survived) + len(o.equivalent)
        score = (o.killed + len(o.equivalent)) / counted if counted else 1.0
        print(
            f"{o.target.module:<40} {counted:>7} {o.killed:>6} {len(o.equivalent):>6} "
            f"{len(o.survived):>8} {score:>6.1%}"
            + (f"  ({o.incompetent} incompetent)" if o.incompetent else "")
        )
        for i, value in enumerate((counted, o.killed, len(o.equivalent), len(o.survived))):
            totals[i] += value
    counted, killed, equivalent, survived = totals
    score = (killed + equivalent) / counted if counted else 1.0
    raw = killed / counted if counted else 1.0
    print(f"{'all':<40} {counted:>7} {killed:>6} {equivalent:>6} {survived:>8} {score:>6.1%}")
    print(f"\nmutation score {score:.1%} counting equivalent mutants as killed ({raw:.1%} raw)")
    for o in outcomes:
        if o.error:
            print(f"\n!! {o.target.module}: cosmic-ray failed:\n{o.error}")
        for where, reason in o.equivalent:
            print(f"\nequivalent {o.target.module} {where}\n  why: {reason}")
        for mutant in o.survived:
            print(f"\nSURVIVED {o.target.module} {mutant}")
    return 1 if survived or any(o.error for o in outcomes) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="only targets whose module contains this")
    parser.add_argument("--jobs", type=int, default=1, help="targets run side by side")
    parser.add_argument("--keep", action="store_true", help="keep the copies (to debug)")
    parser.add_argument("--report", metavar="SESSION", help="report a kept session of one module")
    args = parser.parse_args()
    targets = [t for t in TARGETS if not args.modules or any(m in t.module for m in args.modules)]
    if args.report:
        (target,) = targets
        outcome = Outcome(target)
        collect(Path(args.report), outcome)
        return report([outcome])
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda t: run_target(t, args.keep), targets))
    return report(outcomes)


if __name__ == "__main__":
    sys.exit(main())
