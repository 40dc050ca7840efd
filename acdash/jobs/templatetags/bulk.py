"""The selection toolbar of the contact, deal and task lists (``{% bulk_toolbar %}``)."""

from typing import Any

from django import template

from acdash.jobs.actions import actions_for

register = template.Library()


@register.inclusion_tag("jobs/toolbar.html", takes_context=True)
def bulk_toolbar(context: template.Context, object_type: str, total: int, noun: str) -> dict:
    """The toolbar for a list of ``object_type`` records: ``total`` match its filter, whose
    query string (the list's own, ``query`` in the page's context) "select all" sends."""
    query: Any = context.get("query", "")
    return {
        "account": context["account"],
        "object_type": object_type,
        "actions": actions_for(object_type),
        "total": total,
        "noun": noun,
        "query": query,
    }
