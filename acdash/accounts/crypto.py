"""Encryption of API tokens at rest (Fernet; MultiFernet so keys can be rotated).

Keys come from ``ACDASH_FERNET_KEYS`` (comma-separated, newest first). Without it,
development derives one key from SECRET_KEY; production settings require the variable.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables


@cache
def _fernet() -> MultiFernet:
    keys = [k.strip() for k in settings.FERNET_KEYS if k.strip()]
    if not keys:
        digest = hashlib.sha256(f"acdash-fernet:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k) for k in keys])


@sensitive_variables()  # error reports hide the plain token here and below
def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


@sensitive_variables()
def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "The stored API token cannot be decrypted with the configured keys"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (after a new key is put first in ACDASH_FERNET_KEYS)."""
    return _fernet().rotate(token.encode()).decode()
