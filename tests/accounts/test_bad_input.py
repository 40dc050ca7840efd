"""The connect and edit forms answer any URL or token with a message by the field: never a
500, nothing saved, no request sent anywhere."""

import pytest

from acdash.accounts.models import ConnectedAccount

LONG_LABEL = "a" * 64
LONG_HOST = ".".join(["a" * 63] * 4) + ".api-us1.com"  # 264 characters, every label valid

BAD_URLS = [
    ("https://a..api-us1.com", "empty part"),
    ("https://.acme.api-us1.com", "empty part"),
    ("https://acme.api-us1.com.", "empty part"),
    (f"https://{LONG_LABEL}.api-us1.com", "at most 63 characters"),
    (f"https://{LONG_HOST}", "longer than 253 characters"),
    ("https://-acme.api-us1.com", "only letters, digits, hyphens"),
    ("https://ac_me.api-us1.com", "only letters, digits, hyphens"),
    ("https://ac%2eme.api-us1.com", "only letters, digits, hyphens"),
    ("https://bücher.api-us1.com", "plain ASCII"),
    ("https://xn--bcher-kva.api-us1.com\u202e", "plain ASCII"),
    ("https://acme.api-us1.com🙂", "plain ASCII"),
    ("https://acme.api-us1.com\r\nX-Injected: 1", "control characters"),
    ("https://acme.api-us1.com/\tx", "control characters"),
    ("https://acme\x00.api-us1.com", "Null characters are not allowed"),
    ("https://[acme.api-us1.com", "not a valid URL"),
    ("https://acme.api-us1.com:99999", "not a valid URL"),
    ("https://acme.api-us1.com:port", "not a valid URL"),
    ("https://acme.api-us1.com?x=1", "query string"),
    ("javascript:alert(1)", "full account URL"),
    ("x" * 10_000, "at most 300 characters"),
    ("", "This field is required"),
]

BAD_TOKENS = [
    ("abc\r\nX-Injected: 1", "only letters, digits and punctuation"),
    ("abc def", "only letters, digits and punctuation"),
    ("tökén", "only letters, digits and punctuation"),
    ("\u202etoken", "only letters, digits and punctuation"),
    ("token🙂", "only letters, digits and punctuation"),
    ("tok\x00en", "Null characters are not allowed"),
    ("t" * 10_000, "at most 200 characters"),
]


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def field_errors(response, field: str) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
def test_a_bad_url_is_refused_by_the_field_on_connect(sandbox, admin, url, message):
    response = admin.post(
        "/manage/accounts/new/",
        {"name": "Acme", "slug": "acme", "api_url": url, "api_token": sandbox.account.api_token},
    )
    assert message in field_errors(response, "api_url")
    assert not ConnectedAccount.objects.exists()
    assert sandbox.log()["total"] == 0


@pytest.mark.parametrize(("token", "message"), BAD_TOKENS)
def test_a_token_that_cannot_be_sent_as_a_header_is_refused_before_any_request(
    sandbox, admin, token, message
):
    response = admin.post(
        "/manage/accounts/new/",
        {"name": "Acme", "slug": "acme", "api_url": sandbox.api_url, "api_token": token},
    )
    assert message in field_errors(response, "api_token")
    assert not ConnectedAccount.objects.exists()
    assert sandbox.log()["total"] == 0


def test_bad_urls_and_tokens_on_edit_change_nothing(connected, sandbox, admin):
    before = ConnectedAccount.objects.values().get()
    edit = f"/manage/accounts/{connected.slug}/"
    for url, message in BAD_URLS:
        data = {"name": "Renamed", "slug": "acme", "api_url": url, "api_token": ""}
        assert message in field_errors(admin.post(edit, data), "api_url"), url
    for token, message in BAD_TOKENS:
        data = {"name": "Renamed", "slug": "acme", "api_url": sandbox.api_url, "api_token": token}
        assert message in field_errors(admin.post(edit, data), "api_token"), token
    assert ConnectedAccount.objects.values().get() == before
    assert sandbox.log()["total"] == 0


def test_hostile_names_and_short_names_get_a_message_too(sandbox, admin):
    for name, slug, field in (
        ("x" * 10_000, "acme", "name"),
        ("Acme\x00", "acme", "name"),
        ("Acme", "not a slug!", "slug"),
        ("Acme", "x" * 10_000, "slug"),
        ("🙂", "", "slug"),
    ):
        data = {"name": name, "slug": slug, "api_url": sandbox.api_url, "api_token": "t" * 20}
        response = admin.post("/manage/accounts/new/", data)
        assert field_errors(response, field), (name, slug)
    assert not ConnectedAccount.objects.exists()
    assert sandbox.log()["total"] == 0
