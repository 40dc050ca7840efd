"""The marketing lists as django-tables2 tables over lazy, API-backed data sources."""

from functools import cached_property

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from acdash.activecampaign import automations, campaigns, webhooks
from acdash.apisource import ApiPageSource

DATE_FORMAT = "Y-m-d H:i"


class WebhookSource(ApiPageSource):
    """The account's webhooks (``ApiPageSource``): one ``list_webhooks`` call."""

    list_page = staticmethod(webhooks.list_webhooks)
    default_sort = ""


class WebhookTable(tables.Table):
    """Webhooks in id order (the API documents no other)."""

    name = tables.Column(verbose_name="Name", orderable=False)
    url = tables.Column(verbose_name="URL", orderable=False)
    events = tables.Column(verbose_name="Events", orderable=False)
    sources = tables.Column(verbose_name="Sources", orderable=False)
    actions = tables.Column(verbose_name="Actions", accessor="id", orderable=False)

    class Meta:
        page_field = "page"

    def __init__(self, data: WebhookSource, *, account_slug: str, can_edit: bool) -> None:
        super().__init__(data, exclude=() if can_edit else ("actions",))
        self.account_slug = account_slug

    def render_name(self, record: webhooks.Webhook) -> str:
        return record.name or f"Webhook {record.id}"

    def render_events(self, value: tuple[str, ...]) -> str:
        return ", ".join(value)

    def render_sources(self, value: tuple[str, ...]) -> str:
        return ", ".join(value)

    def render_actions(self, record: webhooks.Webhook) -> str:
        label = record.name or f"webhook {record.id}"
        edit = reverse("marketing:webhook_edit", args=[self.account_slug, record.id])
        delete = reverse("marketing:webhook_delete", args=[self.account_slug, record.id])
        return format_html(
            '<a href="{}" aria-label="Edit {}">Edit</a> · '
            '<a href="{}" class="danger-link" aria-label="Delete {}">Delete…</a>',
            edit,
            label,
            delete,
            label,
        )


class AutomationSource(ApiPageSource):
    """The account's automations (``ApiPageSource``): one ``list_automations`` call."""

    list_page = staticmethod(automations.list_automations)
    default_sort = "name"


class AutomationTable(tables.Table):
    """Automations with their contact counts (the list's own figures: no call per row)."""

    name = tables.Column(verbose_name="Automation", order_by=("name",))
    status = tables.Column(verbose_name="Status", accessor="active", order_by=("status",))
    in_now = tables.Column(verbose_name="Contacts in it", orderable=False)
    entered = tables.Column(verbose_name="Entered", orderable=False)
    exited = tables.Column(verbose_name="Exited", orderable=False)
    modified = tables.DateTimeColumn(
        verbose_name="Changed", format=DATE_FORMAT, order_by=("mdate",)
    )

    class Meta:
        order_by = ("name",)
        order_by_field = "sort"
        page_field = "page"

    def __init__(self, data: AutomationSource, *, sort: str, account_slug: str) -> None:
        super().__init__(data, order_by=sort.split(",")[:1])
        if not self.order_by:
            self.order_by = self._meta.order_by
        self.account_slug = account_slug

    def render_name(self, record: automations.Automation) -> str:
        url = reverse("marketing:automation", args=[self.account_slug, record.id])
        return format_html('<a href="{}">{}</a>', url, record.name or f"Automation {record.id}")

    def render_status(self, value: bool) -> str:
        return "Active" if value else "Inactive"


class AutomationContactSource(ApiPageSource):
    """The contacts of one automation (``filters`` holds its id): one call."""

    list_page = staticmethod(automations.contacts_in)
    default_sort = ""


class AutomationContactTable(tables.Table):
    contact = tables.Column(verbose_name="Contact", accessor="contact_id", orderable=False)
    added = tables.DateTimeColumn(verbose_name="Entered", format=DATE_FORMAT, orderable=False)
    progress = tables.Column(verbose_name="Progress", orderable=False)

    class Meta:
        page_field = "page"

    def __init__(self, data: AutomationContactSource, *, account_slug: str) -> None:
        super().__init__(data)
        self.account_slug = account_slug
        self.names: dict[int, str] = {}

    def render_contact(self, value: int) -> str:
        url = reverse("contacts:detail", args=[self.account_slug, value])
        return format_html('<a href="{}">{}</a>', url, self.names.get(value) or f"Contact {value}")

    def render_progress(self, record: automations.ContactAutomation) -> str:
        done = "completed" if record.completed else f"{record.progress}%"
        return format_html(
            '<span class="meter" aria-hidden="true"><span data-width="{}"></span></span> {}',
            100 if record.completed else record.progress,
            done,
        )


class CampaignSource(ApiPageSource):
    """Campaigns, the most recently sent first (``ApiPageSource``): one call."""

    list_page = staticmethod(campaigns.recent_campaigns)
    default_sort = "-sdate"


def bars(campaign: campaigns.Campaign, most_sent: int) -> str:
    """The campaign's figures as CSS bars: emails sent against the page's largest send,
    unique opens and clicks against its own send. Each bar is labelled with its number."""
    rows = [
        ("Sent", campaign.sent, campaign.sent / most_sent if most_sent else 0, "sent"),
        ("Opened", campaign.opens, campaign.open_rate, "opens"),
        ("Clicked", campaign.clicks, campaign.click_rate, "clicks"),
    ]
    return format_html_join(
        "",
        '<div class="figure figure-{}"><span class="figure-label">{}</span>'
        '<span class="figure-bar" aria-hidden="true"><span data-width="{}"></span></span>'
        '<span class="figure-value">{}{}</span></div>',
        (
            (
                kind,
                label,
                f"{min(1.0, share) * 100:.1f}",
                f"{value:,}",
                f" ({share:.0%})" if kind != "sent" else "",
            )
            for label, value, share, kind in rows
        ),
    )


class CampaignTable(tables.Table):
    """Campaigns with their figures drawn as bars (``bars``), sorted by send date."""

    name = tables.Column(verbose_name="Campaign", orderable=False)
    sent_at = tables.DateTimeColumn(verbose_name="Sent", format=DATE_FORMAT, order_by=("sdate",))
    figures = tables.Column(verbose_name="Sent · opened · clicked", accessor="id", orderable=False)

    class Meta:
        order_by = ("-sent_at",)
        order_by_field = "sort"
        page_field = "page"

    def __init__(self, data: CampaignSource, *, sort: str) -> None:
        super().__init__(data, order_by=sort.split(",")[:1])
        if not self.order_by:
            self.order_by = self._meta.order_by

    def render_name(self, record: campaigns.Campaign) -> str:
        return format_html(
            '{}<div class="small muted">{}</div>',
            record.name or f"Campaign {record.id}",
            record.type,
        )

    @cached_property
    def most_sent(self) -> int:
        """The page's largest send: the sent bars' full width."""
        return max((row.record.sent for row in self.page.object_list), default=0)

    def render_figures(self, record: campaigns.Campaign) -> str:
        return bars(record, self.most_sent)
