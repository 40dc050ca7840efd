"""Who may change an account's setup: its admins. Viewers and editors see every setup page
but are refused every write (and the forms of writes); non-members get 404 everywhere."""

import pytest

from acdash.audit.models import AuditEntry

from .conftest import records

PAGES = ["/a/acme/fields/", "/a/acme/fields/deal/", "/a/acme/fields/account/", "/a/acme/tags/"]
PAGES += ["/a/acme/lists/", "/a/acme/branding/", "/a/acme/branding/preview/"]


def _writes() -> list[tuple[str, dict]]:
    field, tag = records("field")[0], records("tag")[0]
    lst, deal_field = records("list")[0], records("dealCustomFieldMeta")[0]
    return [
        ("/a/acme/fields/contact/new/", {"label": "X", "field_type": "text"}),
        (f"/a/acme/fields/contact/{field.rid}/", {"label": "X"}),
        (f"/a/acme/fields/deal/{deal_field.rid}/delete/", {}),
        (f"/a/acme/tags/{tag.rid}/rename/", {"name": "X"}),
        (f"/a/acme/tags/{tag.rid}/merge/", {"into": records("tag")[1].rid}),
        (f"/a/acme/tags/{tag.rid}/delete/", {}),
        ("/a/acme/lists/new/", {"name": "X", "sender_url": "https://x.example"}),
        (f"/a/acme/lists/{lst.rid}/rename/", {"name": "X"}),
        ("/a/acme/branding/", {"site_name": "X"}),
    ]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewers_and_editors_look_but_change_nothing(as_role, role):
    client = as_role(role)
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "only the account's admins may change its setup." in html or "preview" in url
        assert ">Edit<" not in html and ">Rename<" not in html
    before = {
        kind: [r.data for r in records(kind)] for kind in ("field", "tag", "list", "branding")
    }
    for url, data in _writes():
        if "branding" not in url:
            assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    after = {kind: [r.data for r in records(kind)] for kind in before}
    assert after == before and not AuditEntry.objects.exists()


def test_non_members_get_404_on_every_setup_url(acme, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    for url in PAGES + [url for url, _ in _writes()]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
