"""Branding over HTTP: every attribute in the form, a save round-trips through the API, and
the preview is its own inert document (the page's iframe is sandboxed; the preview's
answer carries a CSP with no script and the sandbox directive)."""

import re

from acdash.audit.models import AuditEntry

from . import form_values
from .conftest import records

PAGE = "/a/acme/branding/"


def _saved() -> dict:
    return records("branding")[0].data


def test_a_save_round_trips_every_changed_attribute(acme, admin_client):
    data = form_values(admin_client.get(PAGE).content.decode())
    assert {"site_name", "header_html", "footer_html", "public_template_css", "favicon"} <= set(
        data
    )
    data |= {
        "site_name": "Acme & Co",
        "header_html": '<h1 class="brand">Acme</h1>',
        "footer_text": "Acme, 1 Road",
        "public_template_css": ".brand { color: #c00; }",
        "favicon": "https://acme.example/favicon.ico",
    }
    data.pop("show_help", None)  # unticked
    response = admin_client.post(PAGE, data, follow=True)
    assert "Edited the branding: " in response.content.decode()
    saved = _saved()
    assert saved["siteName"] == "Acme & Co" and saved["headerHtmlValue"] == data["header_html"]
    assert saved["publicTemplateCss"] == ".brand { color: #c00; }"
    assert saved["help"] == "0" and saved["favicon"] == "https://acme.example/favicon.ico"
    again = form_values(admin_client.get(PAGE).content.decode())
    again.pop("csrfmiddlewaretoken"), data.pop("csrfmiddlewaretoken")
    assert again == data
    assert [e.object_type for e in AuditEntry.objects.all()] == ["branding"]
    admin_client.post(PAGE, form_values(admin_client.get(PAGE).content.decode()), follow=True)
    assert AuditEntry.objects.count() == 1  # nothing changed: nothing sent, nothing audited


def test_the_preview_is_sandboxed_and_carries_its_own_policy(acme, admin_client):
    html = admin_client.get(PAGE).content.decode()
    iframe = re.search(r"<iframe[^>]*>", html).group(0)
    assert re.search(r"\ssandbox(\s|>)", iframe) and "allow-" not in iframe
    assert 'src="/a/acme/branding/preview/"' in iframe
    payload = '<script>window.pwned=1</script><meta http-equiv="refresh" content="0;url=/">'
    for response in (
        admin_client.get(f"{PAGE}preview/"),
        admin_client.post(f"{PAGE}preview/", {"header_html": payload}),
    ):
        policy = response["Content-Security-Policy"]
        assert policy.startswith("sandbox;") and "script-src 'none'" in policy
        assert "default-src 'none'" in policy
        assert response["X-Frame-Options"] == "SAMEORIGIN"
    body = response.content.decode()
    assert "<script>window.pwned=1</script>" in body  # shown as given, inert by policy
    assert "http-equiv" not in body
