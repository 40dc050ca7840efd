"""The task list as a django-tables2 table over a lazy, API-backed data source."""

from contextlib import suppress
from datetime import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from acdash.activecampaign import ApiError, Client, deals
from acdash.activecampaign import tasks as task_api
from acdash.activecampaign.concurrency import gather
from acdash.activecampaign.dealboard import contact_names
from acdash.apisource import ApiPageSource

DATE_FORMAT = "Y-m-d H:i"


class TaskSource(ApiPageSource):
    """The tasks matching ``filters`` (``ApiPageSource``): one ``list_tasks`` call."""

    list_page = staticmethod(task_api.list_tasks)
    default_sort = "duedate"


class TaskTable(tables.Table):
    """Only what the list endpoint returns, named from cached metadata: no call per row."""

    due = tables.DateTimeColumn(verbose_name="Due", format=DATE_FORMAT, order_by=("duedate",))
    title = tables.Column(verbose_name="Task", empty_values=(), order_by=("title",))
    type = tables.Column(verbose_name="Type", accessor="task_type_id", orderable=False)
    related = tables.Column(verbose_name="For", accessor="related_id", orderable=False)
    assignee = tables.Column(verbose_name="Assignee", accessor="assignee_id", orderable=False)
    status = tables.Column(verbose_name="Status", accessor="done", order_by=("status",))
    actions = tables.Column(
        verbose_name="Actions",
        accessor="id",
        orderable=False,
        empty_values=(),
        attrs={"th": {"class": "actions"}},
    )
    select = tables.Column(  # bulk actions, editors only; last, after the row's own links
        verbose_name="Select", accessor="id", orderable=False, empty_values=()
    )

    class Meta:
        order_by = ("due",)
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"

    def __init__(
        self,
        data: TaskSource,
        *,
        sort: str,
        account_slug: str,
        can_edit: bool,
        types: dict[int, str],
        users: dict[int, str],
        now: datetime,
    ) -> None:
        super().__init__(
            data,
            order_by=sort.split(",")[:1],
            exclude=() if can_edit else ("select", "actions"),
        )
        if not self.order_by:
            self.order_by = self._meta.order_by
        self.account_slug = account_slug
        self.types = types
        self.users = users
        self.now = now
        self.deal_titles: dict[int, str] = {}
        self.contact_names: dict[int, str] = {}

    def render_select(self, record: task_api.Task) -> str:
        label = record.title or record.note[:60] or f"task {record.id}"
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="bulk-form" aria-label="Select {}">',
            record.id,
            label,
        )

    def render_title(self, record: task_api.Task) -> str:
        url = reverse("tasks:edit", args=[self.account_slug, record.id])
        text = record.title or record.note[:60] or f"Task {record.id}"
        return format_html('<a href="{}">{}</a>', url, text)

    def render_type(self, value: int) -> str:
        return self.types.get(value, f"Type {value}")

    def name_related(self, client: Client) -> None:
        """Name the page's deals and contacts: one batched call for each kind the page
        has, at once. Names are a nicety: when the lookup fails the ids are shown."""
        rows = [row.record for row in self.page.object_list] if hasattr(self, "page") else []
        wanted = {
            kind: [t.related_id for t in rows if t.related_type == kind and t.related_id]
            for kind in task_api.RelatedType
        }
        with suppress(ApiError):
            self.deal_titles, self.contact_names = gather(
                lambda: deals.deal_titles(client, wanted[task_api.RelatedType.DEAL]),
                lambda: contact_names(client, wanted[task_api.RelatedType.CONTACT]),
            )

    def render_related(self, record: task_api.Task) -> str:
        if record.related_type == task_api.RelatedType.CONTACT:
            url = reverse("contacts:detail", args=[self.account_slug, record.related_id])
            name = self.contact_names.get(record.related_id or 0)
            return format_html('<a href="{}">{}</a>', url, name or f"Contact {record.related_id}")
        if record.related_type == task_api.RelatedType.DEAL:
            url = reverse("deals:detail", args=[self.account_slug, record.related_id])
            title = self.deal_titles.get(record.related_id or 0)
            return format_html('<a href="{}">{}</a>', url, title or f"Deal {record.related_id}")
        return f"#{record.related_id}"

    def render_assignee(self, value: int) -> str:
        return self.users.get(value, f"User {value}")

    def render_status(self, record: task_api.Task) -> str:
        if record.done:
            return "Complete"
        if record.due and record.due < self.now:
            return mark_safe('<span class="badge badge-error">Overdue</span>')
        return "Open"

    def render_actions(self, record: task_api.Task) -> str:
        slug, name = self.account_slug, record.title or f"task {record.id}"
        if record.done:
            first = format_html(
                '<a href="{}" aria-label="Reopen {}">Reopen</a>',
                reverse("tasks:reopen", args=[slug, record.id]),
                name,
            )
        else:
            first = format_html(
                '<a href="{}" aria-label="Complete {}">Complete</a>',
                reverse("tasks:complete", args=[slug, record.id]),
                name,
            )
        delete = format_html(
            '<a href="{}" aria-label="Delete {}">Delete</a>',
            reverse("tasks:delete", args=[slug, record.id]),
            name,
        )
        return format_html("{} · {}", first, delete)
