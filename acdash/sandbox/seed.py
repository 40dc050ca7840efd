"""Deterministic demo data for sandbox accounts.

``seed_account`` fills one sandbox account with a realistic ActiveCampaign data set:
contacts with custom field values, tags, lists, organisations (accounts) with their
custom fields, users and groups, pipelines with stages, deals with custom field data,
secondary contacts and notes, task types and outcomes, deal tasks, and a branding record.

Records are written directly, in batches of ``BATCH`` rows (see ``_Writer``), following
the storage convention of ``resources/__init__.py`` and of the resource modules' create
operations: each record's ``data`` holds the object's attributes as the reference's
examples name them, with the API's value types, and ``parent``/``key`` as the modules
look them up. The 20,000-contact demo account (~255,000 records) takes about 10 s.

Seeding is idempotent: an account that exists is left alone unless ``reset=True``.

Determinism: everything comes from ``random.Random(seed)`` and dates relative to the fixed
``ANCHOR``, so two runs produce identical data — with one deliberate exception: deal
task due dates (and the deal ``nextdate`` derived from them) are relative to the day of
seeding (``today``), because "overdue" must mean overdue when the data is read. Open
tasks are spread from ten days before to three weeks after that day, completed tasks
over the two months before it. Pass ``today`` to pin those dates too.
"""

import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count
from django.utils import timezone

from . import store
from .models import SandboxAccount, SandboxRecord, SandboxSequence
from .resources.contacts import new_contact_data
from .resources.lists import new_list_data
from .routing import Ctx

ANCHOR = datetime(2026, 1, 15, 17, 0, tzinfo=UTC)
BATCH = 5000


@dataclass(frozen=True)
class DemoAccount:
    slug: str
    name: str
    contacts: int
    seed: int


DEMO_ACCOUNTS = [
    DemoAccount("northwind", "Northwind Traders", 300, 101),
    DemoAccount("globex", "Globex Corporation", 3_000, 202),
    DemoAccount("initech", "Initech", 20_000, 303),
]


@dataclass
class SeedResult:
    slug: str
    created: bool
    counts: dict[str, int]
    seconds: float


# Vocabulary ------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth
William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa
Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly
Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George
Deborah Timothy Stephanie Ronald Rebecca Jason Laura Edward Sharon Jeffrey Cynthia Ryan
Kathleen Jacob Amy Gary Angela Nicholas Shirley Eric Anna Jonathan Brenda Stephen Pamela
Larry Emma Justin Nicole Scott Helen Brandon Samantha Benjamin Katherine Samuel Christine
Gregory Debra Alexander Rachel Priya Wei Aisha Mateo Sofia Hiroshi Fatima Lukas Chloe
Omar Ingrid Rafael Yuki Noah Zoe Diego Leila Arjun Freya"""
)
LAST_NAMES = _words(
    """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez
Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright
Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell
Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart
Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly
Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza
Patel Chen Okafor Schmidt Rossi Novak Tanaka Larsen Dubois Silva Kowalski Haddad"""
)
ORG_WORDS = _words(
    """Blue Harbor Summit Crest Iron Oak Silver Pine Golden Gate Red Rock North Star
Bright Path Green Valley Swift River Clear Lake Stone Bridge Maple Leaf Eagle Peak Cedar
Ridge Atlas Beacon Pioneer Vertex Horizon Keystone Lighthouse Meridian"""
)
ORG_KINDS = _words(
    """Logistics Software Foods Health Capital Energy Media Labs Retail Builders
Analytics Robotics Apparel Travel Partners Consulting Systems Dynamics Pharma Motors"""
)
ORG_SUFFIXES = ["Inc.", "LLC", "Ltd", "Group", "Co.", "GmbH", "Corp."]
FREE_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me"]
CITIES = ["New York", "Chicago", "Austin", "Denver", "Seattle", "Boston", "Atlanta", "Miami"]
CITIES += ["Portland", "Phoenix", "San Diego", "Nashville", "Toronto", "Vancouver", "London"]
CITIES += ["Manchester", "Dublin", "Berlin", "Munich", "Paris", "Lyon", "Madrid", "Lisbon"]
CITIES += ["Amsterdam", "Stockholm", "Sydney", "Melbourne", "Auckland", "Singapore", "Tokyo"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Blvd", "Lake Rd", "Hill St"]
AREA_CODES = [212, 312, 415, 512, 617, 646, 702, 713, 720, 206, 303, 305, 404, 503, 602]
INDUSTRIES = ["Software", "Retail", "Healthcare", "Finance", "Education", "Manufacturing"]
COMPANY_SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]
INTERESTS = ["Email Marketing", "CRM", "Automation", "Landing Pages", "SMS", "Reporting"]
NEWSLETTER_TOPICS = ["Product news", "Tips & tutorials", "Events", "Case studies"]
CAMPAIGNS = ["spring_promo", "webinar_q4", "partner_referral", "google_ads", "linkedin_abm"]
TAGS = [
    ("customer", "Paying customer"),
    ("lead", "New lead"),
    ("prospect", "Qualified prospect"),
    ("vip", "High-value contact"),
    ("newsletter", "Reads the newsletter"),
    ("webinar-attendee", "Attended a webinar"),
    ("webinar-no-show", "Registered, did not attend"),
    ("trial", "On a free trial"),
    ("trial-expired", "Trial ended without purchase"),
    ("churned", "Former customer"),
    ("partner", "Partner contact"),
    ("reseller", "Resells our product"),
    ("event-2025", "Met at the 2025 conference"),
    ("event-2026", "Registered for the 2026 conference"),
    ("ebook-download", "Downloaded an e-book"),
    ("pricing-page", "Visited the pricing page"),
    ("demo-requested", "Asked for a demo"),
    ("demo-done", "Had a demo"),
    ("decision-maker", ""),
    ("influencer", ""),
    ("technical", "Technical contact"),
    ("billing", "Billing contact"),
    ("support-ticket", "Opened a support ticket"),
    ("nps-promoter", "NPS 9-10"),
    ("nps-detractor", "NPS 0-6"),
    ("referral", "Came through a referral"),
    ("cold-outreach", ""),
    ("do-not-call", "Asked not to be called"),
    ("enterprise", "Enterprise segment"),
    ("smb", "Small business segment"),
    ("emea", "Region: EMEA"),
    ("apac", "Region: APAC"),
    ("americas", "Region: Americas"),
    ("beta-tester", "Tests new features"),
]
LISTS = [
    ("Newsletter", 0.7),
    ("Product Updates", 0.45),
    ("Events & Webinars", 0.3),
    ("Customers", 0.25),
    ("Partners", 0.08),
]
UNSUBSCRIBE_REASONS = ["Too many emails", "No longer relevant", "Never signed up", None]
JOB_TITLES = [
    "CEO",
    "CTO",
    "Marketing Manager",
    "Sales Director",
    "Office Manager",
    "Head of Growth",
    "Account Executive",
    "Operations Lead",
    "Product Manager",
    "",
]
USERS = [
    ("admin", "Alex", "Morgan"),
    ("jordan", "Jordan", "Blake"),
    ("sam", "Sam", "Rivera"),
    ("taylor", "Taylor", "Nguyen"),
    ("casey", "Casey", "Okafor"),
    ("riley", "Riley", "Schmidt"),
]
# (title, share of deals, stages, the users (indexes into USERS) allowed in; None: everyone)
PIPELINES = [
    (
        "Sales Pipeline",
        0.6,
        ["Lead In", "Qualified", "Demo Scheduled", "Proposal Sent", "Negotiation", "Closing"],
        None,
    ),
    ("Renewals", 0.28, ["Upcoming", "In Discussion", "Quote Sent", "Committed"], None),
    (
        "Partnerships",
        0.12,
        ["Intro", "Evaluation", "Agreement Draft", "Legal Review", "Signed"],
        [0, 1],
    ),
]
STAGE_COLORS = ["C481DF", "32B0FC", "18D499", "E6CE4B", "FF8A65", "00ECC5"]
PRODUCTS = [
    "Starter plan",
    "Plus plan",
    "Professional plan",
    "Enterprise plan",
    "Onboarding package",
    "Annual renewal",
    "Seat expansion",
    "Training",
]
TASK_TYPES = ["Call", "Email", "Lunch", "Meeting", "Demo", "Follow-up"]
OUTCOMES = [
    ("Interested", "POSITIVE", "0"),
    ("Not Interested", "NEGATIVE", "0"),
    ("Left a voicemail", "NEUTRAL", "0"),
    ("Meeting booked", "POSITIVE", "0"),
    ("No answer", "NEUTRAL", "0"),
    ("Wrong number", "NEGATIVE", "1"),
]
# Which outcomes each task type offers (indexes into TASK_TYPES / OUTCOMES).
TASKTYPE_OUTCOMES = {0: [0, 1, 2, 4, 5], 1: [0, 1, 3], 3: [0, 1, 3], 4: [0, 1, 3], 5: [0, 2, 4]}
TASK_NOTES = [
    "Call to discuss pricing",
    "Send the proposal",
    "Check in after the demo",
    "Confirm the decision timeline",
    "Share the case study",
    "Book the kick-off",
    "Follow up on the contract",
    "Introduce the account manager",
]
CONTACT_NOTES = [
    "Prefers email over phone.",
    "Met at the trade show booth.",
    "Asked about the API and integrations.",
    "Budget approved for next quarter.",
    "Out of office until the end of the month.",
    "Referred by an existing customer.",
]
DEAL_NOTES = [
    "Sent the updated quote.",
    "Legal is reviewing the contract.",
    "Champion is the head of marketing.",
    "Competing with two other vendors.",
    "Needs SSO before signing.",
    "Asked for a multi-year discount.",
]
GROUP_FLAGS = _words(
    """pgListAdd pgListEdit pgListDelete pgListHeaders pgListEmailaccount
pgListBounce pgMessageAdd pgMessageEdit pgMessageDelete pgMessageSend pgContactAdd
pgContactEdit pgContactDelete pgContactMerge pgContactImport pgContactApprove
pgContactExport pgContactSync pgContactFilters pgContactActions pgContactFields pg_user_add
pg_user_edit pg_user_delete pgGroupAdd pgGroupEdit pgGroupDelete pgTemplateAdd
pgTemplateEdit pgTemplateDelete pgPersonalizationAdd pgPersonalizationEdit
pgPersonalizationDelete pgAutomationManage pgFormEdit pgReportsCampaign pgReportsList
pgReportsUser pgReportsTrend pgStartupReports pgStartupGettingstarted pgDeal pgDealDelete
pgDealReassign pgDealGroupAdd pgDealGroupEdit pgDealGroupDelete
pgSavedResponsesManage"""
)
# Flags a sales rep's group lacks.
ADMIN_ONLY_FLAGS = {
    "pg_user_add",
    "pg_user_edit",
    "pg_user_delete",
    "pgGroupAdd",
    "pgGroupEdit",
    "pgGroupDelete",
    "pgDealGroupDelete",
    "pgListDelete",
}


# Writing -----------------------------------------------------------------------


class _Writer:
    """Buffers records per kind, inserts them in batches and tells the id each one gets.

    Ids come from the account's per-kind sequence, which starts at 1 in an account
    without records; handing them out here lets related records refer to each other
    before anything is written.

    Rows go in with one ``executemany`` per batch rather than ``store.bulk_create``: the
    ORM spends ~90 µs per row compiling the INSERT, which made the 20,000-contact account
    (~255,000 records) take 40 s; this takes a quarter of that. ``data`` is still prepared
    by the model field, so the JSON is stored exactly as the ORM would store it.
    """

    def __init__(self, account: SandboxAccount):
        self.account = account
        self.next_ids: dict[str, int] = defaultdict(lambda: 1)
        self.buffers: dict[str, list[tuple[int, int | None, str | None, dict]]] = defaultdict(list)
        self.counts: Counter[str] = Counter()

    def peek(self, kind: str) -> int:
        return self.next_ids[kind]

    def add(
        self, kind: str, data: dict[str, Any], parent: int | None = None, key: str | None = None
    ) -> int:
        rid = self.next_ids[kind]
        self.next_ids[kind] += 1
        self.buffers[kind].append((rid, parent, key, data))
        self.counts[kind] += 1
        if len(self.buffers[kind]) >= BATCH:
            self.flush(kind)
        return rid

    def flush(self, kind: str) -> None:
        rows = self.buffers.pop(kind, [])
        if not rows:
            return
        first = SandboxSequence.allocate(self.account, kind, len(rows))
        if first != rows[0][0]:
            raise RuntimeError(f"sandbox ids of {kind} are not the planned ones")
        db = connections[SandboxRecord.objects.db]
        prepare = SandboxRecord._meta.get_field("data").get_db_prep_save
        account = self.account.pk
        params = [
            (account, kind, rid, parent, key, prepare(data, db)) for rid, parent, key, data in rows
        ]
        with db.cursor() as cursor:
            cursor.executemany(_insert_sql(db), params)

    def close(self) -> None:
        for kind in list(self.buffers):
            self.flush(kind)


def _insert_sql(db: BaseDatabaseWrapper) -> str:
    meta = SandboxRecord._meta
    names = ["account", "kind", "rid", "parent", "key", "data"]
    columns = ", ".join(db.ops.quote_name(meta.get_field(n).column) for n in names)
    table = db.ops.quote_name(meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"


class _Clock:
    """Random moments before the anchor and the API's timestamp formats for them."""

    def __init__(self, account: SandboxAccount, rng: random.Random):
        self.account = account
        self.rng = rng
        self.tz = ZoneInfo(account.timezone)

    def days_ago(self, most: float, least: float = 0) -> datetime:
        seconds = self.rng.randint(int(least * 86400), int(most * 86400))
        return ANCHOR - timedelta(seconds=seconds)

    def between(self, start: datetime, end: datetime) -> datetime:
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, span))

    def iso(self, moment: datetime) -> str:
        return store.iso(self.account, moment)

    def plain(self, moment: datetime) -> str:
        return store.plain(self.account, moment)

    def utc(self, moment: datetime) -> str:
        return store.utc_plain(moment)

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, clock_time(hour, minute), tzinfo=self.tz)


def _bars(values: list[str]) -> str:
    """The API's encoding of multi-value contact fields: ``||a||b||``."""
    return "||" + "||".join(values) + "||"


def _perstag(title: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", title.upper()).strip("_")


# Custom field definitions: (title, type, options, share of records with a value, value).
Value = Callable[[random.Random, "_Clock", list[str]], Any]
FieldSpec = tuple[str, str, list[str], float, Value]


def _some(rng: random.Random, options: list[str]) -> list[str]:
    return rng.sample(options, rng.randint(1, min(3, len(options))))


CONTACT_FIELDS: list[FieldSpec] = [
    ("City", "text", [], 0.85, lambda r, c, o: r.choice(CITIES)),
    (
        "Mailing Address",
        "textarea",
        [],
        0.5,
        lambda r, c, o: f"{r.randint(1, 9999)} {r.choice(STREETS)}\n{r.choice(CITIES)}",
    ),
    (
        "Birthday",
        "date",
        [],
        0.4,
        lambda r, c, o: c.days_ago(365 * 60, 365 * 20).date().isoformat(),
    ),
    ("Last Webinar Attended", "datetime", [], 0.3, lambda r, c, o: c.iso(c.days_ago(400))),
    ("Industry", "dropdown", INDUSTRIES, 0.8, lambda r, c, o: r.choice(o)),
    ("Company Size", "dropdown", COMPANY_SIZES, 0.6, lambda r, c, o: r.choice(o)),
    ("Product Interests", "listbox", INTERESTS, 0.6, lambda r, c, o: _bars(_some(r, o))),
    (
        "Preferred Contact Method",
        "radio",
        ["Email", "Phone", "SMS"],
        0.7,
        lambda r, c, o: r.choice(o),
    ),
    ("Newsletter Topics", "checkbox", NEWSLETTER_TOPICS, 0.5, lambda r, c, o: _bars(_some(r, o))),
    ("UTM Campaign", "hidden", [], 0.45, lambda r, c, o: r.choice(CAMPAIGNS)),
]
# Deal and account custom fields: values as the custom-field-data endpoints take them
# (multi-value fields as lists, currency in cents as a number with a separate currency).
DEAL_FIELDS: list[FieldSpec] = [
    (
        "Lead Source",
        "dropdown",
        ["Website", "Referral", "Trade show", "Outbound", "Partner"],
        0.8,
        lambda r, c, o: r.choice(o),
    ),
    ("Products", "multiselect", PRODUCTS[:5], 0.6, lambda r, c, o: _some(r, o)),
    ("Expected Close", "date", [], 0.7, lambda r, c, o: c.days_ago(60, -120).date().isoformat()),
    ("Setup Fee", "currency", [], 0.4, lambda r, c, o: r.randrange(0, 500_000, 2500)),
    ("Seats", "number", [], 0.5, lambda r, c, o: str(r.randint(1, 500))),
    (
        "Competitor",
        "text",
        [],
        0.35,
        lambda r, c, o: r.choice(["Mailchimp", "HubSpot", "Klaviyo", "Brevo"]),
    ),
    ("Contract Notes", "textarea", [], 0.25, lambda r, c, o: r.choice(DEAL_NOTES)),
    ("Priority", "radio", ["High", "Medium", "Low"], 0.7, lambda r, c, o: r.choice(o)),
    (
        "Requirements",
        "checkbox",
        ["SSO", "API access", "Dedicated IP", "SLA"],
        0.4,
        lambda r, c, o: _some(r, o),
    ),
    ("Demo At", "datetime", [], 0.3, lambda r, c, o: c.iso(c.days_ago(200))),
    ("CRM Sync ID", "hidden", [], 0.5, lambda r, c, o: f"crm-{r.randint(10000, 99999)}"),
]
ACCOUNT_FIELDS: list[FieldSpec] = [
    ("Industry", "dropdown", INDUSTRIES, 0.9, lambda r, c, o: r.choice(o)),
    ("Employees", "number", [], 0.8, lambda r, c, o: str(r.choice([8, 25, 120, 450, 2300]))),
    ("Annual Revenue", "currency", [], 0.6, lambda r, c, o: r.randrange(10**7, 10**10, 10**6)),
    ("Customer Since", "date", [], 0.5, lambda r, c, o: c.days_ago(2000, 30).date().isoformat()),
    ("Tier", "radio", ["Gold", "Silver", "Bronze"], 0.7, lambda r, c, o: r.choice(o)),
    ("Regions", "multiselect", ["Americas", "EMEA", "APAC"], 0.6, lambda r, c, o: _some(r, o)),
    ("Account Notes", "textarea", [], 0.3, lambda r, c, o: r.choice(DEAL_NOTES)),
    ("Account Code", "text", [], 0.8, lambda r, c, o: f"AC-{r.randint(1000, 9999)}"),
]


# Defaults of some deal and account fields, by label (the others have none).
CUSTOM_DEFAULTS = {"Lead Source": "Website", "Priority": "Medium", "Seats": "1", "Tier": "Bronze"}


# Seeding -----------------------------------------------------------------------


def seed_account(
    slug: str,
    name: str,
    contacts: int,
    seed: int,
    reset: bool = False,
    today: date | None = None,
) -> SeedResult:
    """Create and fill the sandbox account ``slug``; an existing one is left alone unless
    ``reset``, which replaces its data (the account row and its settings stay)."""
    started = time.monotonic()
    with transaction.atomic():
        account = SandboxAccount.objects.filter(slug=slug).first()
        if account is not None and not reset:
            return SeedResult(slug, False, record_counts(account), time.monotonic() - started)
        if account is None:
            account = SandboxAccount.objects.create(slug=slug, name=name)
        else:
            account.records.all().delete()
            SandboxSequence.objects.filter(account=account).delete()
            account.name = name
            account.save(update_fields=["name"])
        today = today or timezone.localdate(timezone=ZoneInfo(account.timezone))
        writer = _Writer(account)
        _Generator(account, writer, random.Random(seed), today).run(contacts)
        writer.close()
        counts = dict(sorted(writer.counts.items()))
    return SeedResult(slug, True, counts, time.monotonic() - started)


def seed_demo_accounts(only: str | None = None, reset: bool = False) -> list[SeedResult]:
    return [
        seed_account(demo.slug, demo.name, demo.contacts, demo.seed, reset=reset)
        for demo in DEMO_ACCOUNTS
        if only is None or demo.slug == only
    ]


def record_counts(account: SandboxAccount) -> dict[str, int]:
    rows = account.records.values("kind").annotate(n=Count("id")).order_by("kind")
    return {row["kind"]: row["n"] for row in rows}


@dataclass
class _Person:
    first: str
    last: str
    org: int | None
    cdate: datetime


class _Generator:
    def __init__(self, account: SandboxAccount, writer: _Writer, rng: random.Random, today: date):
        self.account = account
        self.w = writer
        self.rng = rng
        self.today = today
        self.clock = _Clock(account, rng)
        self.domain = f"{account.slug}.example.com"
        # The new_*_data helpers of the resource modules read only the account from their
        # context (for timestamps, which the seed then replaces).
        self.ctx = cast(Ctx, SimpleNamespace(account=account))

    def run(self, contacts: int) -> None:
        self.users()
        self.lists()
        # About one organisation per 30 contacts, one deal per 5 (at least 200 if the
        # account has 100 contacts or more).
        orgs = self.organisations(max(10, contacts // 30))
        people = self.contacts(contacts, orgs)
        self.tags(people)
        self.contact_lists(people)
        self.contact_notes(people)
        self.pipelines()
        self.task_types()
        self.deals(people, orgs, max(contacts // 5, min(200, contacts * 2)))
        self.branding()

    # Users, groups, branding ---------------------------------------------------

    def users(self) -> None:
        created = self.clock.days_ago(1500, 1400)
        self.groups = []
        for title, descript in (
            ("Admin", "Administrators: manage users, lists and pipelines"),
            ("Sales", "Sales reps: contacts and deals"),
        ):
            flags = {
                f: "0" if title == "Sales" and f in ADMIN_ONLY_FLAGS else "1" for f in GROUP_FLAGS
            }
            flags["pgContactActions"] = "0"
            data = {
                "title": title,
                "descript": descript,
                "unsubscribelink": "0",
                "optinconfirm": "0",
                "p_admin": "1" if title == "Admin" else "0",
                **flags,
                "sdate": self.clock.iso(created),
                "reqApproval": "0",
                "reqApproval1st": "2",
                "reqApprovalNotify": "",
                "socialdata": "0",
            }
            self.groups.append(self.w.add("group", data))
        self.user_ids = []
        for username, first, last in USERS:
            joined = self.clock.between(created, ANCHOR - timedelta(days=300))
            data = {
                "username": username,
                "firstName": first,
                "lastName": last,
                "email": f"{username}@{self.domain}",
                "phone": f"+1-{self.rng.choice(AREA_CODES)}-555-{self.rng.randint(100, 199):04d}",
                "signature": None,
                "lang": "english",
                "localZoneid": self.account.timezone,
                "cdate": self.clock.iso(joined),
                "udate": self.clock.iso(joined),
            }
            user_id = self.w.add("user", data, key=username)
            self.user_ids.append(user_id)
            # One group per user, through a userGroup (parent = user id, key = group id).
            group = str(self.groups[0] if username == "admin" else self.groups[1])
            link = {"userid": str(user_id), "groupid": group, "group": group, "user": str(user_id)}
            self.w.add("userGroup", link, parent=user_id, key=group)
        self.reps = [str(rid) for rid in self.user_ids[1:]]

    def branding(self) -> None:
        name = self.account.name
        self.w.add(
            "branding",
            {
                "groupid": str(self.groups[0]),
                "siteName": name,
                "siteLogo": f"https://{self.domain}/static/logo.png",
                "siteLogoSmall": f"https://{self.domain}/static/logo-small.png",
                "headerTextValue": f"{name} — news and offers",
                "headerHtmlValue": f"<p><strong>{name}</strong> news and offers</p>",
                "footerTextValue": f"{name}, 100 Main St, Springfield",
                "footerHtmlValue": f"<p>{name}, 100 Main St, Springfield</p>",
                "copyright": "1",
                "version": "1",
                "license": "1",
                "links": "1",
                "help": "1",
                "adminTemplateHtm": "",
                "adminTemplateCss": "",
                "publicTemplateHtm": "",
                "publicTemplateCss": "",
                "favicon": None,
            },
        )

    # Lists, tags, contact fields -------------------------------------------------

    def lists(self) -> None:
        self.list_ids = []
        for title, _ in LISTS:
            data = new_list_data(
                self.ctx,
                title,
                re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
                cdate=self.clock.iso(self.clock.days_ago(1300, 1100)),
                udate=None,
                get_unsubscribe_reason="1",
                sender_name=self.account.name,
                sender_addr1="100 Main St",
                sender_city="Springfield",
                sender_state="IL",
                sender_zip="62701",
                sender_country="US",
                sender_url=f"https://{self.domain}",
                sender_reminder=f"You signed up for {title} at {self.account.name}.",
            )
            self.list_ids.append(self.w.add("list", data))

    def contact_fields(self) -> list[tuple[FieldSpec, int]]:
        fields = []
        for order, spec in enumerate(CONTACT_FIELDS, start=1):
            title, kind, options, _, _ = spec
            created = self.clock.iso(self.clock.days_ago(1200, 1000))
            data = {
                "title": title,
                "descript": "",
                "type": kind,
                "isrequired": "0",
                "perstag": _perstag(title),
                "defval": "",
                "show_in_list": "1" if order <= 3 else "0",
                "rows": "4" if kind == "textarea" else "0",
                "cols": "40" if kind == "textarea" else "0",
                "visible": "1",
                "service": "",
                "ordernum": str(order),
                "cdate": created,
                "udate": created,
            }
            field_id = self.w.add("field", data)
            for position, option in enumerate(options, start=1):
                option_data = {
                    "orderid": str(position),
                    "value": option,
                    "label": option,
                    "isdefault": "0",
                    "field": str(field_id),
                    "cdate": created,
                    "udate": created,
                }
                self.w.add("fieldOption", option_data, parent=field_id)
            # Newsletter topics only show on the newsletter list; the rest on all lists ("0").
            relid = str(self.list_ids[0]) if title == "Newsletter Topics" else "0"
            rel = {"field": str(field_id), "relid": relid, "dorder": "0", "cdate": created}
            self.w.add("fieldRel", rel, parent=field_id)
            fields.append((spec, field_id))
        return fields

    def tags(self, people: list[_Person]) -> None:
        rng = self.rng
        tag_ids = [
            self.w.add(
                "tag",
                {
                    "tagType": "contact",
                    "tag": name,
                    "description": description,
                    "cdate": self.clock.iso(self.clock.days_ago(1200, 900)),
                },
                key=name.lower(),
            )
            for name, description in TAGS
        ]
        # Popular tags first: their weights fall off as 1 / (rank + 2).
        weights = [1 / (rank + 2) for rank in range(len(TAGS))]
        for contact_id, person in enumerate(people, start=1):
            count = rng.choice([0, 1, 1, 2, 3, 4])
            for tag_id in sorted(set(rng.choices(tag_ids, weights, k=count))):
                data = {
                    "cdate": self.clock.iso(self.clock.between(person.cdate, ANCHOR)),
                    "contact": str(contact_id),
                    "tag": str(tag_id),
                }
                self.w.add("contactTag", data, parent=contact_id, key=str(tag_id))

    # Organisations and contacts ------------------------------------------------

    def organisations(self, count: int) -> list[tuple[int, str, str]]:
        rng = self.rng
        pairs = [f"{word} {kind}" for word in ORG_WORDS for kind in ORG_KINDS]
        fields = self.custom_field_meta("accountCustomFieldMeta", ACCOUNT_FIELDS)
        orgs = []
        for pair in rng.sample(pairs, min(count, len(pairs))):
            name = f"{pair} {rng.choice(ORG_SUFFIXES)}"
            domain = re.sub(r"[^a-z0-9]+", "", pair.lower()) + ".com"
            created = self.clock.days_ago(1100, 200)
            stamp = self.clock.iso(created)
            data = {
                "name": name,
                "accountUrl": f"https://www.{domain}" if rng.random() < 0.8 else None,
                "createdTimestamp": stamp,
                "updatedTimestamp": self.clock.iso(self.clock.between(created, ANCHOR)),
            }
            org_id = self.w.add("account", data)
            for spec, field_id in fields:
                if rng.random() < spec[3]:
                    datum = {
                        "accountCustomFieldMetumId": field_id,
                        "accountId": org_id,
                        "customFieldId": field_id,
                        "createdTimestamp": self.clock.plain(created),
                        "updatedTimestamp": self.clock.plain(created),
                        **self.custom_value(spec),
                    }
                    self.w.add("accountCustomFieldDatum", datum, parent=org_id, key=str(field_id))
            orgs.append((org_id, name, domain))
        return orgs

    def contacts(self, count: int, orgs: list[tuple[int, str, str]]) -> list[_Person]:
        rng, clock = self.rng, self.clock
        fields = self.contact_fields()
        used: set[str] = set()
        people = []
        for contact_id in range(1, count + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            org = rng.choice(orgs) if rng.random() < 0.45 else None
            domain = org[2] if org else rng.choice(FREE_DOMAINS)
            email = self.unique_email(first, last, domain, used)
            created = clock.days_ago(1000)
            updated = clock.between(created, ANCHOR)
            active = clock.between(created, ANCHOR) if rng.random() < 0.7 else None
            phone = ""
            if rng.random() < 0.75:
                area = rng.choice(AREA_CODES)
                phone = f"+1-{area}-555-{rng.randint(0, 9999):04d}"
            data = new_contact_data(
                self.ctx,
                email,
                firstName=first,
                lastName=last,
                phone=phone,
                orgid=str(org[0]) if org else "0",
                orgname=org[1] if org else "",
                organization=str(org[0]) if org else None,
                sentcnt=str(rng.randint(0, 120)),
                adate=clock.iso(active) if active else None,
                cdate=clock.iso(created),
                udate=clock.iso(updated),
                created_utc_timestamp=clock.utc(created),
                updated_utc_timestamp=clock.utc(updated),
                created_timestamp=clock.plain(created),
                updated_timestamp=clock.plain(updated),
            )
            self.w.add("contact", data, key=email)  # gets contact_id: ids count from 1
            stamp = clock.iso(created)
            for spec, field_id in fields:
                if rng.random() < spec[3]:
                    value = {
                        "contact": str(contact_id),
                        "field": str(field_id),
                        "value": spec[4](rng, clock, spec[2]),
                        "cdate": stamp,
                        "udate": stamp,
                        "created_by": "0",
                        "updated_by": "0",
                    }
                    self.w.add("fieldValue", value, parent=contact_id, key=str(field_id))
            if org:
                link = {
                    "account": str(org[0]),
                    "contact": str(contact_id),
                    "jobTitle": rng.choice(JOB_TITLES),
                    "createdTimestamp": stamp,
                    "updatedTimestamp": stamp,
                }
                self.w.add("accountContact", link, parent=contact_id, key=str(org[0]))
            people.append(_Person(first, last, org[0] if org else None, created))
        return people

    def unique_email(self, first: str, last: str, domain: str, used: set[str]) -> str:
        first, last = first.lower(), last.lower()
        pattern = self.rng.choice(
            [
                f"{first}.{last}",
                f"{first}{last}",
                f"{first[0]}{last}",
                f"{first}_{last}",
                f"{first}.{last[0]}",
                f"{first}",
            ]
        )
        local, n = pattern, 1
        while f"{local}@{domain}" in used:
            n += 1
            local = f"{pattern}{n}"
        used.add(f"{local}@{domain}")
        return f"{local}@{domain}"

    def contact_lists(self, people: list[_Person]) -> None:
        rng, clock = self.rng, self.clock
        for contact_id, person in enumerate(people, start=1):
            for list_id, (_, share) in zip(self.list_ids, LISTS, strict=True):
                if rng.random() >= share:
                    continue
                subscribed = clock.between(person.cdate, ANCHOR)
                unsubscribed = rng.random() < 0.12
                changed = clock.between(subscribed, ANCHOR) if unsubscribed else subscribed
                data = {
                    "contact": str(contact_id),
                    "list": str(list_id),
                    "form": None,
                    "seriesid": "0",
                    "sdate": clock.iso(subscribed),
                    "udate": clock.iso(changed),
                    "status": "2" if unsubscribed else "1",
                    "responder": "1",
                    "sync": "0",
                    "unsubreason": rng.choice(UNSUBSCRIBE_REASONS) if unsubscribed else None,
                    "campaign": None,
                    "message": None,
                    "first_name": person.first,
                    "last_name": person.last,
                    "ip4Sub": "0",
                    "sourceid": "0",
                    "autosyncLog": None,
                    "ip4_last": "0",
                    "ip4Unsub": "0",
                    "created_timestamp": clock.plain(subscribed),
                    "updated_timestamp": clock.plain(changed),
                    "created_by": None,
                    "updated_by": None,
                    "unsubscribeAutomation": None,
                    "automation": None,
                }
                self.w.add("contactList", data, parent=contact_id, key=str(list_id))

    def note(self, relid: int, reltype: str, text: str, after: datetime) -> None:
        written = self.clock.between(after, ANCHOR)
        author = self.rng.choice(self.user_ids)
        data = {
            "relid": str(relid),
            "reltype": reltype,
            "userid": str(author),
            "is_draft": "0",
            "cdate": self.clock.iso(written),
            "mdate": self.clock.iso(written),
            "note": text,
            "user": str(author),
        }
        self.w.add("note", data, parent=relid)

    def contact_notes(self, people: list[_Person]) -> None:
        for contact_id, person in enumerate(people, start=1):
            if self.rng.random() < 0.12:
                self.note(contact_id, "Subscriber", self.rng.choice(CONTACT_NOTES), person.cdate)

    # Custom field meta shared by deals and accounts ------------------------------

    def custom_field_meta(self, kind: str, specs: list[FieldSpec]) -> list[tuple[FieldSpec, int]]:
        fields = []
        for order, spec in enumerate(specs, start=1):
            title, field_type, options, _, _ = spec
            created = self.clock.plain(self.clock.days_ago(1200, 1000))
            data = {
                "fieldLabel": title,
                "fieldType": field_type,
                "fieldOptions": options or None,
                "fieldDefault": CUSTOM_DEFAULTS.get(title),
                "fieldDefaultCurrency": "usd" if field_type == "currency" else None,
                "isFormVisible": 1,
                "isRequired": 0,
                "displayOrder": order,
                "personalization": "",
                "knownFieldId": None,
                "hideFieldFlag": 1 if field_type == "hidden" else 0,
                "createdTimestamp": created,
                "updatedTimestamp": created,
            }
            fields.append((spec, self.w.add(kind, data)))
        return fields

    def custom_value(self, spec: FieldSpec) -> dict[str, Any]:
        value = spec[4](self.rng, self.clock, spec[2])
        if spec[1] == "currency":
            return {"fieldValue": value, "fieldCurrency": "usd"}
        return {"fieldValue": value}

    # Pipelines, deals, tasks ---------------------------------------------------

    def pipelines(self) -> None:
        self.pipeline_ids: list[int] = []
        self.stages: list[list[int]] = []
        self.deal_owners: list[list[str]] = []
        for title, _, stage_titles, members in PIPELINES:
            created = self.clock.days_ago(1200, 1000)
            stamp = self.clock.iso(created)
            everyone = "0" if members else "1"
            data = {
                "allgroups": everyone,
                "allusers": everyone,
                "autoassign": "1",
                "cdate": stamp,
                "currency": "usd",
                "title": title,
                "udate": stamp,
            }
            group_id = self.w.add("dealGroup", data)
            self.pipeline_ids.append(group_id)
            allowed = [str(self.user_ids[i]) for i in members] if members else self.reps
            for user in allowed if members else []:
                member = {"dealGroup": str(group_id), "user": user, "cdate": None}
                self.w.add("dealGroupUser", member, parent=group_id, key=user)
            self.deal_owners.append([u for u in allowed if u in self.reps])
            stage_ids = []
            for order, stage_title in enumerate(stage_titles, start=1):
                stage = {
                    "cardRegion1": "title",
                    "cardRegion2": "next-action",
                    "cardRegion3": "show-avatar",
                    "cardRegion4": "contact-fullname-orgname",
                    "cardRegion5": "value",
                    "cdate": stamp,
                    "color": STAGE_COLORS[(order - 1) % len(STAGE_COLORS)],
                    "dealOrder": "next-action DESC",
                    "group": str(group_id),
                    "order": str(order),
                    "title": stage_title,
                    "udate": stamp,
                    "width": "280",
                }
                stage_ids.append(self.w.add("dealStage", stage, parent=group_id))
            self.stages.append(stage_ids)

    def task_types(self) -> None:
        stamp = self.clock.iso(self.clock.days_ago(1200, 1000))
        self.tasktype_ids = [
            self.w.add(
                "dealTasktype",
                {"cdate": stamp, "defduration": "0", "status": "0", "title": title, "udate": stamp},
            )
            for title in TASK_TYPES
        ]
        self.outcome_ids = [
            self.w.add(
                "taskOutcome",
                {
                    "title": title,
                    "sentiment": sentiment,
                    "disabled": disabled,
                    "created_by": "1",
                    "updated_by": "1",
                    "created_utc_timestamp": stamp,
                    "updated_utc_timestamp": stamp,
                },
            )
            for title, sentiment, disabled in OUTCOMES
        ]
        moment = self.clock.days_ago(900, 800)
        for type_index, outcome_indexes in TASKTYPE_OUTCOMES.items():
            for position, outcome_index in enumerate(outcome_indexes):
                tasktype = str(self.tasktype_ids[type_index])
                outcome = str(self.outcome_ids[outcome_index])
                data = {
                    "tasktype_id": tasktype,
                    "outcome_id": outcome,
                    "display_order": str(position),
                    "created_by": "0",
                    "created_utc_timestamp": self.clock.iso(moment),
                    "updated_by": None,
                    "updated_utc_timestamp": self.clock.plain(moment),
                    "tasktype": tasktype,
                    "outcome": outcome,
                    "createdBy": "1",
                }
                rel_parent = self.tasktype_ids[type_index]
                self.w.add("tasktypeOutcomeRel", data, parent=rel_parent, key=outcome)

    def deals(self, people: list[_Person], orgs: list[tuple[int, str, str]], count: int) -> None:
        rng, clock = self.rng, self.clock
        fields = self.custom_field_meta("dealCustomFieldMeta", DEAL_FIELDS)
        org_names = {org_id: name for org_id, name, _ in orgs}
        members: dict[int, list[int]] = defaultdict(list)
        for contact_id, person in enumerate(people, start=1):
            if person.org:
                members[person.org].append(contact_id)
        pipeline_weights = [share for _, share, _, _ in PIPELINES]
        for _ in range(count):
            deal_id = self.w.peek("deal")
            contact_id = rng.randint(1, len(people))
            person = people[contact_id - 1]
            pipeline = rng.choices(range(len(PIPELINES)), pipeline_weights)[0]
            stages = self.stages[pipeline]
            status = rng.choices(["0", "1", "2"], [0.6, 0.25, 0.15])[0]
            if status == "1":
                stage = stages[-1]
            else:
                stage = rng.choices(stages, [len(stages) - i for i in range(len(stages))])[0]
            created = clock.between(max(person.cdate, ANCHOR - timedelta(days=540)), ANCHOR)
            modified = clock.between(created, ANCHOR)
            owner = rng.choice(self.deal_owners[pipeline])
            org = str(person.org) if person.org else None
            subject = org_names[person.org] if person.org else f"{person.first} {person.last}"
            next_task = self.tasks(deal_id, status, owner, created)
            probability = rng.randint(5, 95) if status == "0" and rng.random() < 0.6 else None
            # edate: when a closed deal closed, or when an open one is expected to.
            if status == "0":
                closing = clock.between(ANCHOR, ANCHOR + timedelta(days=120))
            else:
                closing = clock.between(modified, ANCHOR)
            data = {
                "owner": owner,
                "contact": str(contact_id),
                "organization": org,
                "group": str(self.pipeline_ids[pipeline]),
                "stage": str(stage),
                "title": f"{subject} – {rng.choice(PRODUCTS)}",
                "description": rng.choice(["", "", rng.choice(DEAL_NOTES)]),
                "percent": "0",
                "cdate": clock.iso(created),
                "mdate": clock.iso(modified),
                "nextdate": next_task[1] if next_task else None,
                # "0" when there is none, as deals side-loaded by GET /contacts/{id} show.
                "nexttaskid": str(next_task[0]) if next_task else "0",
                "value": str(rng.randrange(50_000, 15_000_000, 100)),
                "currency": "usd",
                "winProbability": probability,
                "winProbabilityMdate": clock.iso(modified) if probability is not None else None,
                "status": status,
                "activitycount": str(rng.randint(1, 40)),
                "nextdealid": str(deal_id),
                "edate": clock.plain(closing),
                "hash": f"{rng.getrandbits(32):08x}",
                "isDisabled": False,
                "account": org,
                "customerAccount": org,
            }
            self.w.add("deal", data, parent=contact_id)  # gets deal_id, peeked above
            for spec, field_id in fields:
                if rng.random() < spec[3]:
                    datum = {
                        "dealCustomFieldMetumId": field_id,
                        "dealId": deal_id,
                        "customFieldId": field_id,
                        "createdTimestamp": clock.plain(created),
                        "updatedTimestamp": clock.plain(modified),
                        **self.custom_value(spec),
                    }
                    self.w.add("dealCustomFieldDatum", datum, parent=deal_id, key=str(field_id))
            colleagues = [c for c in members.get(person.org or 0, []) if c != contact_id]
            if colleagues and rng.random() < 0.3:
                other = rng.choice(colleagues)
                stamp = clock.between(created, ANCHOR)
                link = {
                    "deal": str(deal_id),
                    "contact": str(other),
                    "role": None,
                    "cdate": clock.iso(stamp),
                    "created_timestamp": clock.plain(stamp),
                    "updated_timestamp": clock.plain(stamp),
                    "created_by": None,
                    "updated_by": None,
                }
                self.w.add("contactDeal", link, parent=deal_id, key=str(other))
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                self.note(deal_id, "Deal", rng.choice(DEAL_NOTES), created)

    def tasks(
        self, deal_id: int, status: str, owner: str, deal_created: datetime
    ) -> tuple[int, str] | None:
        """The deal's tasks; returns the id and due date of its next open task, if any."""
        rng, clock = self.rng, self.clock
        start_of_today = clock.local(self.today, 0)
        planned = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            # Only open deals have open tasks; open ones fall from 10 days ago to 3 weeks out.
            if status == "0" and rng.random() < 0.6:
                planned.append((False, rng.randint(-10, 21)))
            else:
                planned.append((True, rng.randint(-60, -1)))
        next_task: tuple[int, datetime] | None = None
        for done, offset in planned:
            due = clock.local(self.today + timedelta(days=offset), rng.choice([9, 10, 11, 14, 16]))
            created = min(
                max(deal_created, due - timedelta(days=rng.randint(1, 14))), start_of_today
            )
            type_index = rng.randrange(len(TASK_TYPES))
            outcome_id = outcome_info = finished = None
            if done:
                finished = min(due + timedelta(minutes=rng.randint(0, 36 * 60)), start_of_today)
                # Only enabled outcomes can be recorded (the API refuses disabled ones).
                options = [
                    o for o in TASKTYPE_OUTCOMES.get(type_index, []) if OUTCOMES[o][2] == "0"
                ]
                if options and rng.random() < 0.8:
                    outcome_id = self.outcome_ids[rng.choice(options)]
                    outcome_info = rng.choice([None, "Spoke with the decision maker."])
            data = {
                "relid": str(deal_id),
                "reltype": "Deal",
                "dealTasktype": str(self.tasktype_ids[type_index]),
                "user": owner,
                "assignee": owner if rng.random() < 0.8 else rng.choice(self.reps),
                "automation": None,
                "cdate": clock.iso(created),
                "duedate": clock.iso(due),
                "edate": clock.iso(due + timedelta(minutes=15)),
                "duration": "0",
                "status": "1" if done else "0",
                "title": rng.choice(["", TASK_TYPES[type_index]]),
                "note": rng.choice(TASK_NOTES),
                "donedate": clock.iso(finished) if finished else None,
                "doneAutomation": None,
                "udate": clock.iso(finished or created),
                "outcomeId": outcome_id,
                "outcomeInfo": outcome_info,
            }
            task_id = self.w.add("dealTask", data, parent=deal_id)
            if not done and (next_task is None or due < next_task[1]):
                next_task = (task_id, due)
        return (next_task[0], clock.iso(next_task[1])) if next_task else None
