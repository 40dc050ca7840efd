"""Recent campaigns over HTTP against a seeded sandbox account: the most recently sent
first, each with its send, unique open and unique click figures as labelled CSS bars."""

import re
from html import unescape

from acdash.activecampaign import count_api_calls
from acdash.sandbox.models import SandboxRecord
from tests.contacts import table_rows

URL = "/a/acme/campaigns/"


def _campaigns() -> list[SandboxRecord]:
    found = SandboxRecord.objects.filter(account__slug="acme", kind="campaign")
    return sorted(found, key=lambda r: r.data["sdate"], reverse=True)


def _bars(html: str) -> list[dict[str, tuple[str, str]]]:
    """Per row, each figure's bar width and its label."""
    rows = []
    for cell in re.findall(r'<td class="col-figures"[^>]*>(.*?)</td>', html, re.S):
        found = re.findall(
            r'figure-(\w+)">.*?data-width="([\d.]+)".*?figure-value">([^<]*)<', cell, re.S
        )
        rows.append({kind: (width, unescape(value)) for kind, width, value in found})
    return rows


def test_campaigns_show_their_figures_as_bars_newest_first(as_role):
    with count_api_calls() as calls:
        html = as_role("viewer").get(URL).content.decode()
    assert calls.count == 1
    expected = _campaigns()
    assert [row["name"] for row in table_rows(html)] == [
        r.data["name"] + r.data["type"] for r in expected
    ]
    most = max(int(r.data["send_amt"]) for r in expected)
    for bars, record in zip(_bars(html), expected, strict=True):
        sent, opens, clicks = (
            int(record.data[k]) for k in ("send_amt", "uniqueopens", "uniquelinkclicks")
        )
        assert bars["sent"] == (f"{sent / most * 100:.1f}", f"{sent:,}")
        assert bars["opens"] == (f"{opens / sent * 100:.1f}", f"{opens:,} ({opens / sent:.0%})")
        assert bars["clicks"] == (f"{clicks / sent * 100:.1f}", f"{clicks:,} ({clicks / sent:.0%})")


def test_the_oldest_first_sort_reverses_the_list(as_role):
    html = as_role("viewer").get(URL, {"sort": "sent_at"}).content.decode()
    names = [row["name"] for row in table_rows(html)]
    assert names == [r.data["name"] + r.data["type"] for r in reversed(_campaigns())]


def test_an_account_without_campaigns_says_so(as_role):
    SandboxRecord.objects.filter(account__slug="acme", kind="campaign").delete()
    assert "has sent no campaigns yet" in as_role("viewer").get(URL).content.decode()
