"""When ActiveCampaign fails, every setup page says so with a Retry, and a write changes
nothing half-way and is not audited."""

from django.core.cache import cache

from acdash.audit.models import AuditEntry
from acdash.sandbox.models import SandboxAccount

from .conftest import records

PAGES = ["/a/acme/fields/", "/a/acme/fields/deal/", "/a/acme/tags/", "/a/acme/lists/"]
PAGES += ["/a/acme/branding/", "/a/acme/fields/contact/new/", "/a/acme/lists/new/"]


def test_every_page_shows_the_failure_with_a_retry(acme, admin_client):
    cache.clear()  # nothing cached: every page needs the API
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    for url in PAGES:
        response = admin_client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "could not be" in html and ">Retry</a>" in html, url


def test_a_failed_write_changes_nothing_and_is_not_audited(acme, admin_client):
    tag = records("tag")[0]
    admin_client.get(f"/a/acme/tags/{tag.rid}/rename/")
    SandboxAccount.objects.filter(slug="acme").update(error_rate=1.0)
    html = admin_client.post(f"/a/acme/tags/{tag.rid}/rename/", {"name": "Lost"}).content.decode()
    assert "could not be loaded" in html or "Nothing was saved" in html
    assert records("tag")[0].data["tag"] == tag.data["tag"]
    assert not AuditEntry.objects.exists()
