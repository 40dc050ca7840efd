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
