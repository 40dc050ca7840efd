"""Recent campaigns with their send, open and click figures drawn as bars."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError

from .common import page_number, paginate, respond
from .tables import CampaignSource, CampaignTable


@account_view
@require_safe
def campaign_list(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The campaigns, the most recently sent first, 20 a page: one call."""
    context: dict[str, Any] = {"account": account, "section": "marketing", "tab": "campaigns"}
    page = page_number(request)
    try:
        client = client_for_account(account)
        source = CampaignSource(client, {}, offset=(page - 1) * 20, limit=20)
        table = CampaignTable(source, sort=request.GET.get("sort", ""))
        paginate(table, page)
        context["table"] = table
    except ApiError as exc:
        context["error"] = exc.message
    return respond(request, "marketing/campaigns.html", context)
