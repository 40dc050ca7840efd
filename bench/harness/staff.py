"""The locustfile of bench/load.py: one locust user per staff member, who logs in through
the login form and browses the overview, contact lists, contact pages, boards and My tasks
with 2–6 s of think time between pages, each page loaded as a browser loads it (the page,
then its load-time htmx fragments, up to six at once), half of the contact pages scrolled
down to the panels that load as they come into view.

bench/load.py writes the staff, their accounts and the ids to browse to the JSON file named
by ``ACDASH_LOAD_CONFIG`` and reads every page load back from ``ACDASH_LOAD_OUT``, written
when locust quits. Run by bench/load.py only (``locust -f bench/harness/staff.py``).
"""

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent.pool
from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/, for harness
from harness.browser import (
    API_TIMING,
    APP_TIMING,
    BROWSER_CONNECTIONS,
    lazy_fragments,
    scrolled_fragments,
)

CONFIG = json.loads(Path(os.environ["ACDASH_LOAD_CONFIG"]).read_text())
TIMEOUT = (3.0, 30.0)  # connect, read
LOG_IN_TIMEOUT = (3.0, 60.0)  # the password hash takes CPU; 50 log-ins queue for it
SCROLLS_TO_PANELS = 0.5  # share of contact pages read down to their notes and activity
ERROR_MARKS = ('class="error-state"', 'class="card error')  # the API error state of a page
ERROR_MESSAGE = re.compile(r'class="error-state".*?<p class="small">([^<]*)</p>', re.S)
loads: list[dict] = []  # every page load, written out when locust quits
started_at = [0.0]  # when the test started (locust's clock); loads after the warm-up count
next_staff = itertools.count()


@events.test_start.add_listener
def _started(**_kwargs) -> None:
    started_at[0] = time.time()
    # Tells bench/load.py when the measured part begins (it samples the servers' CPU then).
    marker = Path(os.environ["ACDASH_LOAD_OUT"] + ".measuring")
    gevent.spawn_later(CONFIG["warmup_seconds"], marker.write_text, "")


@events.quitting.add_listener
def _write(**_kwargs) -> None:
    Path(os.environ["ACDASH_LOAD_OUT"]).write_text(json.dumps(loads))


class Staff(HttpUser):
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.me = CONFIG["staff"][next(next_staff) % len(CONFIG["staff"])]
        # As a browser does: a GET whose kept-alive connection the server had just closed
        # (gunicorn keeps an idle one 2 s; think time is longer) is sent again, once.
        again = Retry(total=1, status=0, allowed_methods={"GET"}, raise_on_status=False)
        adapter = HTTPAdapter(pool_maxsize=BROWSER_CONNECTIONS, max_retries=again)
        self.client.mount("http://", adapter)
        self.log_in()

    def log_in(self) -> None:
        started = time.perf_counter()
        form = self.client.get("/login/", name="log in", timeout=LOG_IN_TIMEOUT)
        csrf = self.client.cookies.get("csrftoken", "")
        data = {"username": self.me["username"], "password": CONFIG["password"]}
        with self.client.post(
            "/login/",
            data={**data, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{self.host}/login/"},
            name="log in",
            allow_redirects=False,
            catch_response=True,
            timeout=LOG_IN_TIMEOUT,
        ) as answer:
            ok = form.ok and answer.status_code == 302 and "sessionid" in self.client.cookies
            if not ok:
                answer.failure(f"log in: HTTP {answer.status_code}")
        self.logged_in = ok
        self.record("log in", started, [] if ok else [f"log in: HTTP {answer.status_code}"], [])

    def account(self) -> str:
        """Mostly the staff member's own client account, now and then another of theirs."""
        return self.me["primary"] if random.random() < 0.6 else random.choice(self.me["accounts"])

    @task(2)
    def overview(self) -> None:
        self.load("overview", "/")

    @task(3)
    def contact_list(self) -> None:
        query = random.choice(["", "", "?page=2", "?per_page=100"])
        self.load("contact list", f"/a/{self.account()}/contacts/{query}")

    @task(3)
    def contact_page(self) -> None:
        """Half of the time, after reading the top for 1–3 s, the staff member scrolls
        down to the notes and activity, which load as they come into view: a load of
        their own ("contact panels")."""
        slug = self.account()
        contact = random.choice(CONFIG["accounts"][slug]["contacts"])
        page = self.load("contact page", f"/a/{slug}/contacts/{contact}/")
        if page and random.random() < SCROLLS_TO_PANELS:
            gevent.sleep(random.uniform(1, 3))
            self.load_fragments("contact panels", scrolled_fragments(page))

    @task(2)
    def board(self) -> None:
        slug = self.account()
        pipeline = random.choice(CONFIG["accounts"][slug]["pipelines"])
        self.load("board", f"/a/{slug}/pipelines/{pipeline}/")

    @task(1)
    def my_tasks(self) -> None:
        self.load("My tasks", "/tasks/")

    def load(self, page: str, path: str) -> str:
        """The page, then every fragment it asks for on load, at most
        BROWSER_CONNECTIONS at a time, as a browser over HTTP/1.1 does; its HTML. Not
        logged in (the log-in failed, and counted as an error): log in again instead."""
        if not self.logged_in:
            self.log_in()
            return ""
        started = time.perf_counter()
        problems: list[str] = []
        text, first = self.fetch(page, path, False, problems)
        self.record(page, started, problems, [first, *self.fragments(page, text, problems)])
        return text

    def load_fragments(self, page: str, urls: list[str]) -> None:
        started = time.perf_counter()
        problems: list[str] = []
        responses = self.fragments(page, "", problems, urls)
        self.record(page, started, problems, responses)

    def fragments(
        self, page: str, text: str, problems: list[str], urls: list[str] | None = None
    ) -> list[dict]:
        """The fragments ``text`` asks for on load (or ``urls``), at most
        BROWSER_CONNECTIONS at a time."""
        urls = lazy_fragments(text) if urls is None else urls
        if not urls:
            return []
        pool = gevent.pool.Pool(BROWSER_CONNECTIONS)
        return pool.map(lambda url: self.fetch(page, url, True, problems)[1], urls)

    def fetch(self, page: str, path: str, htmx: bool, problems: list[str]) -> tuple[str, dict]:
        name = f"{page}: fragment" if htmx else page
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.get(
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT,
        ) as answer:
            text = answer.text or ""
            problem = None
            if answer.status_code != 200:
                problem = f"{path}: HTTP {answer.status_code or answer.error}"
            elif any(mark in text for mark in ERROR_MARKS):
                said = ERROR_MESSAGE.search(text)
                problem = f"{path}: the page shows an API error ({said[1] if said else '?'})"
            if problem:
                answer.failure(problem)
                problems.append(problem)
            timing = answer.headers.get("Server-Timing", "")
            api, app = API_TIMING.search(timing), APP_TIMING.search(timing)
            return text, {
                "path": path,
                "app_ms": float(app[1]) if app else None,
                "api_ms": float(api[1]) if api else None,
                "calls": int(api[2]) if api else 0,
            }

    def record(self, page: str, started: float, problems: list[str], responses: list) -> None:
        now = time.perf_counter()
        began = time.time() - (now - started)
        loads.append(
            {
                "page": page,
                "staff": self.me["username"],
                "ms": (now - started) * 1000,
                "measured": began >= started_at[0] + CONFIG["warmup_seconds"],
                "errors": problems,
                "responses": responses,
            }
        )
