from django.http import HttpRequest

from acdash.accounts.access import accessible_accounts


def layout(request: HttpRequest) -> dict:
    """What the top bar needs on every page: the switcher's accounts and the current account."""
    if not request.user.is_authenticated:
        return {}
    return {
        "switcher_accounts": accessible_accounts(request.user).only("slug", "name"),
        "access": getattr(request, "access", None),
    }
