"""Who reads which part of the trail.

The trail of an account is read by its admins (DESIGN.md: "admins … read the audit trail
of every change") and by superusers, who also read the entries of disconnected accounts.
Editors and viewers do not see the account-wide trail (its page is a 404 for them, as for
a stranger); they do see the history of a contact or deal on its own page, since it only
tells them about a record they can open anyway.
"""

from django.db.models import QuerySet

from acdash.accounts.access import AccountAccess
from acdash.accounts.models import ConnectedAccount, Role

from .models import AuditEntry


def trail_accounts(user) -> QuerySet[ConnectedAccount]:
    """The connected accounts whose trail ``user`` reads."""
    if user.is_superuser:
        return ConnectedAccount.objects.all()
    return ConnectedAccount.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)


def visible_entries(user) -> QuerySet[AuditEntry]:
    """Every entry ``user`` reads on /audit/: superusers all (disconnected accounts too)."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    # One membership per user and account: the join repeats no entry.
    return AuditEntry.objects.filter(
        account__memberships__user=user, account__memberships__role=Role.ADMIN
    )


def reads_trail(access: AccountAccess) -> bool:
    """Whether the account's trail (its page, its export, "see all") is open to this role."""
    return access.can_admin
