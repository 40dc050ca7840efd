"""The account's branding over HTTP against the sandbox."""

import pytest

from acdash.activecampaign import NotFound, ValidationError, assert_api_calls, count_api_calls
from acdash.activecampaign.branding import (
    BRANDING_ATTRIBUTES,
    Branding,
    get_branding,
    update_branding,
)


def test_get_branding_is_typed_in_one_call(sandbox, client):
    with count_api_calls() as calls:
        branding = get_branding(client)
    assert calls.count == 1
    assert isinstance(branding, Branding)
    assert branding.site_name == sandbox.account.name
    assert (branding.site_logo, branding.header_html, branding.favicon) == ("", "", None)
    assert branding.show_copyright and branding.show_links and branding.show_help
    assert branding.group_id is not None


def test_update_branding_by_field_names(client):
    branding = get_branding(client)
    with assert_api_calls(max=1):
        updated = update_branding(
            client,
            branding_id=branding.id,
            site_name="Acme CRM",
            site_logo="https://acme.example/logo.png",
            footer_html="<p>Acme</p>",
            show_links=False,
            show_version=False,
        )
    assert (updated.id, updated.site_name, updated.site_logo, updated.footer_html) == (
        branding.id,
        "Acme CRM",
        "https://acme.example/logo.png",
        "<p>Acme</p>",
    )
    assert (updated.show_links, updated.show_version, updated.show_help) == (False, False, True)
    assert get_branding(client) == updated

    with count_api_calls() as calls:
        again = update_branding(client, show_links=True)  # the id is looked up first
    assert calls.count == 2
    assert again.show_links and again.site_name == "Acme CRM"


def test_update_branding_errors(client):
    with assert_api_calls(max=0), pytest.raises(TypeError):
        update_branding(client, branding_id=1, colour="red")
    with pytest.raises(ValidationError) as caught:
        update_branding(client, branding_id=1, site_name={"not": "text"})
    assert list(caught.value.field_errors) == [BRANDING_ATTRIBUTES["site_name"]]
    with pytest.raises(NotFound):
        update_branding(client, branding_id=999, site_name="Nobody")
