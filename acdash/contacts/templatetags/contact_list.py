"""``{% contact_list_url %}``: the contact list as a contact's page was opened from it."""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse

from acdash.contacts.forms import LIST_PARAMETERS

register = template.Library()
MAX_BACK = 2000  # characters of ``back`` read; a list's query string is far shorter


@register.simple_tag(takes_context=True)
def contact_list_url(context: template.Context) -> str:
    """The account's contact list with the filters, sort and page of ``?back=`` (which the
    list puts on each contact's link). Only the list's own parameters are kept, re-encoded,
    after the list's own path: ``back`` can never lead to another page or site."""
    url = reverse("contacts:list", args=[context["account"].slug])
    back = QueryDict(context["request"].GET.get("back", "")[:MAX_BACK])
    kept = [(name, back[name]) for name in LIST_PARAMETERS if back.get(name)]
    return f"{url}?{urlencode(kept)}" if kept else url
