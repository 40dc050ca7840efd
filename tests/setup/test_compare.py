"""Compare over HTTP: two seeded accounts, the second changed on purpose in the sandbox;
the page reports exactly the expected create / update / identical / conflict rows per
part, matched by name; only accounts the user may see can be compared."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from acdash.accounts.models import Membership
from acdash.activecampaign import count_api_calls
from acdash.sandbox import faults
from acdash.sandbox.models import SandboxRecord
from tests.tasks.conftest import connect

URL = "/setup/compare/"


class _Diff(HTMLParser):
    """{part: {status: {item names}}} of the first target's section."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: dict[str, dict[str, set[str]]] = {}
        self.changes: dict[tuple[str, str], str] = {}
        self._part = self._status = self._cell = None
        self._name = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "details" and "data-part" in a:
            self._part = a["data-part"]
            self.parts[self._part] = {}
        elif tag == "tr" and "data-status" in a:
            self._status = a["data-status"]
        elif tag == "td" and self._status:
            self._cell = (a.get("class") or "").removeprefix("col-")

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "tr" and self._status:
            self.parts[self._part].setdefault(self._status, set()).add(self._name.strip())
            self._status, self._name = None, ""

    def handle_data(self, data):
        if self._cell == "name":
            self._name += data
        elif self._cell == "changes":
            key = (self._part, self._name.strip())
            self.changes[key] = self.changes.get(key, "") + data


def _diff(html: str) -> _Diff:
    parser = _Diff()
    parser.feed(html)
    return parser


def _rec(slug: str, kind: str, **data) -> SandboxRecord:
    return next(
        r
        for r in SandboxRecord.objects.filter(account__slug=slug, kind=kind).order_by("rid")
        if all(r.data.get(k) == v for k, v in data.items())
    )


@pytest.fixture
def two(live_server, transactional_db):
    cache.clear()
    faults.reset()
    yield (
        connect(live_server.url, "acme", "Acme", size=20),
        connect(live_server.url, "bolt", "Bolt", size=20),
    )
    faults.reset()


def _change_bolt() -> dict[str, str]:
    """Differences made on purpose in the target account."""
    industry = _rec("bolt", "field", title="Industry")
    SandboxRecord.objects.filter(account__slug="bolt", kind="fieldOption", parent=industry.rid)[
        :1
    ].get().delete()
    city = _rec("bolt", "field", title="City")
    city.data["type"] = "textarea"
    city.save()
    _rec("bolt", "field", title="Birthday").delete()
    deal_field = SandboxRecord.objects.filter(account__slug="bolt", kind="dealCustomFieldMeta")
    first = deal_field.order_by("rid").first()
    first.data["fieldLabel"] = "Renamed in Bolt"
    first.save()
    pipelines = list(SandboxRecord.objects.filter(account__slug="bolt", kind="dealGroup"))
    moved = SandboxRecord.objects.filter(
        account__slug="bolt", kind="dealStage", parent=pipelines[0].rid
    ).order_by("rid")[0]
    moved.parent, moved.data["group"] = pipelines[1].rid, pipelines[1].id_str
    moved.save()
    tag = SandboxRecord.objects.filter(account__slug="bolt", kind="tag").order_by("rid")[0]
    tag.data["tag"], tag.key = "Bolt only", "bolt only"
    tag.save()
    return {
        "pipeline": pipelines[0].data["title"],
        "stage": moved.data["title"],
        "other": pipelines[1].data["title"],
    }


def test_compare_reports_exactly_what_a_copy_would_do(two, admin_client):
    acme_deal_label = (
        SandboxRecord.objects.filter(account__slug="acme", kind="dealCustomFieldMeta")
        .order_by("rid")
        .first()
        .data["fieldLabel"]
    )
    first_tag = SandboxRecord.objects.filter(account__slug="acme", kind="tag").order_by("rid")[0]
    changed = _change_bolt()
    with count_api_calls() as calls:
        html = admin_client.get(URL, {"source": "acme", "targets": ["bolt"], "compare": "1"})
    diff = _diff(html.content.decode())
    contact = diff.parts["contact_fields"]
    assert contact["conflict"] == {"City"}
    assert contact["create"] == {"Birthday"}
    assert contact["update"] == {"Industry"}
    assert "options: +" in diff.changes[("contact_fields", "Industry")]
    assert "type textarea in the target, text here" in diff.changes[("contact_fields", "City")]
    assert "Birthday" not in contact["identical"] and "City" not in contact["identical"]
    assert diff.parts["deal_fields"]["create"] == {acme_deal_label}
    assert "update" not in diff.parts["deal_fields"]
    assert diff.parts["pipelines"]["conflict"] == {changed["pipeline"]}
    assert (
        f"stage “{changed['stage']}” is in the pipeline “{changed['other']}”"
        in (diff.changes[("pipelines", changed["pipeline"])])
    )
    assert diff.parts["tags"]["create"] == {first_tag.data["tag"]}
    assert set(diff.parts["lists"]) == {"identical"}
    assert set(diff.parts["task_types"]) == {"identical"}
    assert diff.parts["branding"] == {"update": {"Branding"}}
    assert "site name: Bolt → Acme" in diff.changes[("branding", "Branding")]
    assert calls.count <= 2 * 10  # each account's setup, once


def test_only_accounts_the_user_may_see_are_compared(two, client, django_user_model):
    user = django_user_model.objects.create_user("acme-only", password="pw")
    Membership.objects.create(user=user, account=two[0], role="viewer")
    client.force_login(user)
    page = client.get(URL, {"source": "acme"}).content.decode()
    assert "Bolt" not in page and "Acme" in page
    response = client.get(URL, {"source": "acme", "targets": ["bolt"], "compare": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in html
    assert "data-part=" not in html
    response = client.get(URL, {"source": "bolt", "targets": ["acme"], "compare": "1"})
    assert "data-part=" not in response.content.decode()
