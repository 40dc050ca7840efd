"""The base layout's account navigation, written in Python: its links (an account URL each)
were ten ``reverse`` calls and some forty template nodes on every page."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from acdash.accounts.access import AccountAccess

from ..tables import url_of

register = template.Library()

# (URL name, the page's ``section`` that marks the link current, label as HTML)
LINKS = (
    ("contacts:list", "contacts", "Contacts"),
    ("deals:pipelines", "deals", "Deals &amp; pipelines"),
    ("deals:list", "deal-list", "All deals"),
    ("tasks:list", "tasks", "Tasks"),
    ("setup:fields_home", "setup", "Setup"),
    ("marketing:campaigns", "marketing", "Marketing"),
    ("jobs:account_list", "jobs", "Jobs"),
    ("audit:account", "audit", "Audit"),  # the account's admins only
    ("console:index", "console", "API console"),
    ("accounts:home", "home", "Account"),
)


@register.simple_tag
def sidenav_links(access: AccountAccess, section: str | None) -> SafeString:
    """The ``<li>`` links of the account's pages, the current section's marked."""
    items = []
    for name, section_of, label in LINKS:
        if section_of == "audit" and not access.can_admin:
            continue
        href = escape(url_of(name, access.account.slug))
        mark = ' aria-current="page"' if section == section_of else ""
        items.append(f'<li><a href="{href}"{mark}>{label}</a></li>')
    return mark_safe("\n          ".join(items))  # every value is escaped above
