"""The audit trail as a dense django-tables2 table over the entries' queryset."""

from functools import cached_property

import django_tables2 as tables
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from .diff import Change, changes
from .models import AuditEntry

EMPTY = "—"
SHOWN_CHANGES = 4  # per row; the rest behind a disclosure
# Each object type that has a page, the URL name of that page.
OBJECT_PAGES = {"contact": "contacts:detail", "deal": "deals:detail", "task": "tasks:edit"}


def job_url(account_slug: str, job_id: int) -> str:
    """The job's progress page, or "" while no jobs app serves one (the trail keeps its id)."""
    try:
        return reverse("jobs:detail", kwargs={"account": account_slug, "job_id": job_id})
    except NoReverseMatch:
        return ""


def object_url(entry: AuditEntry) -> str:
    """The page of the entry's object, for objects that have one (not knowing yet whether
    the object still exists: ``AuditTable`` checks the trail for its deletion)."""
    name = OBJECT_PAGES.get(entry.object_type)
    if name is None or entry.account_id is None or not entry.object_id.isdigit():
        return ""
    try:
        return reverse(name, args=[entry.account_slug, int(entry.object_id)])
    except NoReverseMatch:  # an id past what the URL converter takes
        return ""


def who(entry: AuditEntry) -> str:
    if entry.user is None:
        return ""
    return entry.user.get_full_name() or entry.user.get_username()


def _side(value: str, tag: str) -> SafeString:
    """One side of a change: the value struck out or inserted, or a muted dash for none."""
    if not value:
        return format_html('<span class="muted" aria-label="nothing">{}</span>', EMPTY)
    return format_html("<{}>{}</{}>", tag, value, tag)


def _lines(found: list[Change]) -> SafeString:
    return format_html_join(
        "",
        '<li><span class="audit-field">{}</span> {} <span aria-label="to">→</span> {}</li>',
        ((c.field, _side(c.before, "del"), _side(c.after, "ins")) for c in found),
    )


def change_list(entry: AuditEntry, found: list[Change]) -> SafeString:
    """The changed keys as "field: before → after" lines, the first few shown; without
    any (a link added with nothing else to say), the entry's summary."""
    if not found:
        return format_html('<span class="muted">{}</span>', entry.summary or EMPTY)
    if len(found) <= SHOWN_CHANGES:
        return format_html('<ul class="audit-changes">{}</ul>', _lines(found))
    rest = found[SHOWN_CHANGES:]
    return format_html(
        '<ul class="audit-changes">{}</ul><details class="audit-more"><summary>{} more</summary>'
        '<ul class="audit-changes">{}</ul></details>',
        _lines(found[:SHOWN_CHANGES]),
        len(rest),
        _lines(rest),
    )


class AuditTable(tables.Table):
    at = tables.Column(verbose_name="When", order_by=("at", "pk"))
    user = tables.Column(verbose_name="Who", order_by=("user__username", "-at"), empty_values=())
    # By the name kept in the entry: the account itself may be gone (and is not loaded).
    account = tables.Column(
        verbose_name="Account", order_by=("account_name", "-at"), accessor="account_name"
    )
    object = tables.Column(
        verbose_name="Object", order_by=("object_type", "object_id", "-at"), accessor="pk"
    )
    action = tables.Column(verbose_name="Action", order_by=("action", "-at"))
    field = tables.Column(verbose_name="Field(s)", orderable=False, accessor="pk")
    change = tables.Column(verbose_name="Before → after", orderable=False, accessor="pk")
    job = tables.Column(verbose_name="Job", order_by=("job_id", "-at"), accessor="job_id")

    class Meta:
        order_by = ("-at",)
        order_by_field = "sort"
        page_field = "page"

    def __init__(self, data, *, sort: str, show_account: bool) -> None:
        super().__init__(
            data, order_by=sort.split(",")[:1], exclude=() if show_account else ("account",)
        )
        if not self.order_by:
            self.order_by = self._meta.order_by
        self._changes: dict[int, list[Change]] = {}

    def changes_of(self, entry: AuditEntry) -> list[Change]:
        if entry.pk not in self._changes:
            self._changes[entry.pk] = changes(entry.before, entry.after)
        return self._changes[entry.pk]

    @cached_property
    def _deleted(self) -> set[tuple[int, str, str]]:
        """The objects of this page whose deletion the trail records (one query): their
        pages are gone, so they are not linked."""
        records = (row.record for row in self.page.object_list)
        shown = [e for e in records if e.object_type in OBJECT_PAGES and e.account_id]
        if not shown:
            return set()
        match = Q()
        for entry in shown:
            match |= Q(
                account_id=entry.account_id,
                object_type=entry.object_type,
                object_id=entry.object_id,
            )
        found = AuditEntry.objects.filter(match, action="delete")
        return set(found.values_list("account_id", "object_type", "object_id"))

    def render_at(self, value) -> SafeString:
        moment = localtime(value)
        shown = f"{moment:%Y-%m-%d %H:%M:%S}"
        return format_html('<time datetime="{}">{}</time>', moment.isoformat(), shown)

    def render_user(self, record: AuditEntry) -> str:
        return who(record) or EMPTY

    def render_account(self, record: AuditEntry) -> SafeString:
        if record.account_id is None:
            return format_html(
                '{} <span class="muted small">(disconnected)</span>', record.account_name
            )
        return format_html("{}", record.account_name)

    def render_object(self, record: AuditEntry) -> SafeString:
        url = object_url(record)
        key = (record.account_id, record.object_type, record.object_id)
        shown = f"{record.object_type} {record.object_id}"
        if url and key not in self._deleted:
            return format_html('<a href="{}">{}</a>', url, shown)
        return format_html("{}", shown)

    def render_action(self, value: str) -> SafeString:
        return format_html('<span class="badge badge-muted">{}</span>', value)

    def render_field(self, record: AuditEntry) -> str:
        return ", ".join(dict.fromkeys(c.field for c in self.changes_of(record))) or EMPTY

    def render_change(self, record: AuditEntry) -> SafeString:
        return change_list(record, self.changes_of(record))

    def render_job(self, record: AuditEntry) -> SafeString | str:
        url = job_url(record.account_slug, record.job_id) if record.account_id else ""
        if url:
            return format_html('<a href="{}">Job {}</a>', url, record.job_id)
        return f"Job {record.job_id}"
