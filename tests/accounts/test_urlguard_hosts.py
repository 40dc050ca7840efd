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


def _host(length: int) -> str:
    """An allowed host of exactly ``length`` (252-255) characters: three 63-character labels,
    then one of the rest."""
    prefix = ("a" * 63 + ".") * 3
    return prefix + "b" * (length - len(prefix) - len(".api-us1.com")) + ".api-us1.com"


@pytest.mark.parametrize("length", [252, 253])
def test_a_host_of_up_to_253_characters_is_accepted(length):
    host = _host(length)
    assert len(host) == length
    assert clean_api_url(f"https://{host}") == f"https://{host}"


@pytest.mark.parametrize("length", [254, 255])
def test_a_host_longer_than_253_characters_is_refused(length):
    host = _host(length)
    assert len(host) == length
    with pytest.raises(ValidationError) as refused:
        clean_api_url(f"https://{host}")
    assert refused.value.messages == ["The host name is longer than 253 characters."]


@pytest.mark.parametrize("length", [1, 62, 63])
def test_a_label_of_up_to_63_characters_is_accepted(length):
    host = "b" * length + ".api-us1.com"
    assert clean_api_url(f"https://{host}") == f"https://{host}"


@pytest.mark.parametrize("length", [64, 65])
def test_a_longer_label_is_refused_naming_its_start_and_length(length):
    label = ("abcdefghijklmnopqrstuvwxyz0123456789" * 2)[:length]
    with pytest.raises(ValidationError) as refused:
        clean_api_url(f"https://{label}.api-us1.com")
    assert refused.value.messages == [
        "Each part of the host name between dots may have at most 63 characters; "
        f"abcdefghijklmnopqrst… has {length}."
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://acme.api-us1.com?", "query string or fragment"),  # an empty query
        ("https://acme.api-us1.com#", "query string or fragment"),  # an empty fragment
        ("https://acme.api-us1.com/?", "query string or fragment"),
        ("https://acme.localhost", "local hosts"),
        ("https://LOCALHOST", "local hosts"),
        ("https://acme..api-us1.com", "empty part"),
        ("https://.acme.api-us1.com", "empty part"),
        ("https://-acme.api-us1.com", "not at either end"),
        ("https://acme_.api-us1.com", "not at either end"),
        ("https://ácme.api-us1.com", "plain ASCII"),
        ("https://ac me.api-us1.com", "control characters"),
        ("https://acme.api-us1.com\x00", "control characters"),
        ("https://[acme.api-us1.com", "not a valid URL"),
        ("https://acme.api-us1.com:https", "not a valid URL"),
    ],
)
def test_the_host_name_and_the_url_characters_are_checked(url, message):
    with pytest.raises(ValidationError) as refused:
        clean_api_url(url)
    assert message in " ".join(refused.value.messages)
    assert not is_allowed(url)


def test_local_hosts_are_refused_even_when_the_hosts_setting_allows_them(settings):
    settings.API_HOSTS = ["*"]
    for url in ("https://localhost", "https://acme.localhost", "https://10.0.0.1"):
        with pytest.raises(ValidationError, match="local hosts"):
            clean_api_url(url)


def test_an_https_sandbox_origin_matches_its_default_port_written_out(settings):
    settings.SANDBOX_ORIGIN = "https://sandbox.example.test"
    url = "https://sandbox.example.test:443/sandbox/acme"
    assert clean_api_url(url) == "https://sandbox.example.test/sandbox/acme"
    with pytest.raises(ValidationError, match="own address"):
        clean_api_url("https://sandbox.example.test:444/sandbox/acme")


def test_an_http_sandbox_origin_matches_its_default_port_written_out(settings):
    settings.SANDBOX_ORIGIN = "http://sandbox.example.test"
    url = "http://sandbox.example.test:80/sandbox/acme"
    assert clean_api_url(url) == "http://sandbox.example.test/sandbox/acme"
    with pytest.raises(ValidationError, match="own address"):
        clean_api_url("http://sandbox.example.test:81/sandbox/acme")


@pytest.mark.parametrize(
    "host",
    ["localhost-fans.api-us1.com", "my-localhost.activehosted.com", "zeta.api-us1.com"],
)
def test_hosts_that_only_contain_localhost_are_accounts(host):
    assert clean_api_url(f"https://{host}") == f"https://{host}"
