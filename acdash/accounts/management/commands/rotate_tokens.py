"""``manage.py rotate_tokens``: re-encrypt every stored API token with the newest key.

Key rotation (docs/deploy.md): put the new key first in ACDASH_FERNET_KEYS on every
process, run this once, then drop the old key. Tokens the configured keys cannot decrypt
are named and left as they are (exit status 1), never overwritten.
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from acdash.accounts import crypto
from acdash.accounts.models import ConnectedAccount


class Command(BaseCommand):
    help = "Re-encrypt every stored API token with the first key of ACDASH_FERNET_KEYS."

    def handle(self, *args, **options) -> None:
        rotated, unreadable = 0, []
        with transaction.atomic():
            for account in ConnectedAccount.objects.select_for_update().order_by("pk"):
                try:
                    account.token_encrypted = crypto.rotate(account.token_encrypted)
                except InvalidToken:  # encrypted with a key no longer configured
                    unreadable.append(account.slug)
                    continue
                account.save(update_fields=["token_encrypted"])
                rotated += 1
        self.stdout.write(f"Re-encrypted {rotated} token(s) with the newest key.")
        if unreadable:
            raise CommandError("No configured key decrypts the token of: " + ", ".join(unreadable))
