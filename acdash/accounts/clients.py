"""The bridge from a connected account to its API client (the guard is applied here too)."""

from django.views.decorators.debug import sensitive_variables

from acdash.activecampaign import ApiError, Client, client_for

from . import urlguard
from .models import ConnectedAccount


@sensitive_variables()  # the decrypted token passes through here
def client_for_account(account: ConnectedAccount) -> Client:
    """The account's shared client; refuses a URL the guard no longer allows
    (e.g. a sandbox URL once the sandbox is switched off)."""
    if not urlguard.is_allowed(account.api_url):
        raise ApiError(f"{account.api_url} is not an allowed ActiveCampaign URL")
    return client_for(account.api_url, account.api_token)
