"""Campaigns and their send, open and click figures."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .client import Client
from .paging import TypedPage, fetch_page
from .parsing import parse_datetime, parse_int


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    name: str
    type: str  # "single", "recurring", "split", "responder", …
    status: int
    sent_at: datetime | None  # sdate: when it was sent (None: not yet)
    sent: int  # send_amt: emails sent
    opens: int  # unique opens
    clicks: int  # unique link clicks
    unsubscribes: int
    bounces: int  # hard and soft

    @property
    def open_rate(self) -> float:
        return self.opens / self.sent if self.sent else 0.0

    @property
    def click_rate(self) -> float:
        return self.clicks / self.sent if self.sent else 0.0


def _campaign(raw: dict[str, Any]) -> Campaign:
    return Campaign(
        id=int(raw["id"]),
        name=str(raw.get("name") or ""),
        type=str(raw.get("type") or ""),
        status=parse_int(raw.get("status")),
        sent_at=parse_datetime(raw.get("sdate")),
        sent=parse_int(raw.get("send_amt")),
        opens=parse_int(raw.get("uniqueopens")),
        clicks=parse_int(raw.get("uniquelinkclicks")),
        unsubscribes=parse_int(raw.get("unsubscribes")),
        bounces=parse_int(raw.get("hardbounces")) + parse_int(raw.get("softbounces")),
    )


def recent_campaigns(
    client: Client, *, offset: int = 0, limit: int = 20, sort: str = "-sdate"
) -> TypedPage[Campaign]:
    """One page of campaigns, the most recently sent first (``orders[sdate]=DESC``): one
    call. ``sort`` is ``sdate`` or ``-sdate``."""
    direction = "ASC" if sort == "sdate" else "DESC"
    params = {"orders[sdate]": direction}
    page = fetch_page(client, "/campaigns", "campaigns", offset=offset, limit=limit, params=params)
    return TypedPage.of([_campaign(raw) for raw in page.items], page)
