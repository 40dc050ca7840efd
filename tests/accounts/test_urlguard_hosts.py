"""The URL guard's host rule, case by case: a pattern's suffix matches only after a dot,
and nothing but an allowed host (or this server's sandbox, while enabled) gets through."""

import pytest
from django.core.exceptions import ValidationError

from acdash.accounts.urlguard import clean_api_url, is_allowed


@pytest.mark.parametrize(
    "url",
    [
        "https://evilapi-us1.com",  # ends in the same letters, not in ".api-us1.com"
        "https://evil-activehosted.com",
        "https://api-us1.com",  # the bare suffix is not an account
        "https://activehosted.com",
        "https://acme.api-us1.co",
    ],
)
def test_hosts_that_only_end_like_an_activecampaign_host_are_refused(url):
    with pytest.raises(ValidationError, match="not an ActiveCampaign API host"):
        clean_api_url(url)
    assert not is_allowed(url)


def test_the_allowed_hosts_come_from_the_setting(settings):
    settings.API_HOSTS = ["*.example-ac.test"]
    assert clean_api_url("https://acme.example-ac.test") == "https://acme.example-ac.test"
    with pytest.raises(ValidationError, match=r"allowed: \*\.example-ac\.test"):
        clean_api_url("https://acme.api-us1.com")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https:acme.api-us1.com", "full account URL"),  # a scheme, no host
        ("//acme.api-us1.com", "full account URL"),  # a host, no scheme
        ("https://user@acme.api-us1.com", "user name or password"),
        ("https://:pw@acme.api-us1.com", "user name or password"),
        ("https://acme.api-us1.com?next=1", "query string or fragment"),
        ("https://acme.api-us1.com#top", "query string or fragment"),
        ("wss://acme.api-us1.com", "https://"),
        ("ftp://acme.api-us1.com", "https://"),
        ("https://acme.api-us1.com:444", "standard https port"),
    ],
)
def test_each_part_of_a_url_is_checked_alone(url, message):
    with pytest.raises(ValidationError) as refused:
        clean_api_url(url)
    assert message in " ".join(refused.value.messages)
    assert not is_allowed(url)


def test_the_standard_port_may_be_written_out():
    assert clean_api_url("https://acme.api-us1.com:443") == "https://acme.api-us1.com"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://acme.api-us1.com", True),
        ("https://acme.api-us1.com/", True),
        ("https://acme.activehosted.com", True),
        ("https://ACME.api-us1.com", False),  # allowed only as stored: normalised
        ("https://acme.api-us1.com/api/3", False),
        ("https://acme.api-us1.com:443", False),
        ("http://127.0.0.1:8000/sandbox/acme", True),
        ("https://evil.example.com", False),
    ],
)
def test_is_allowed_only_for_an_already_clean_url(url, allowed):
    assert is_allowed(url) is allowed
