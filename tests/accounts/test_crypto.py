"""Token encryption refuses what the configured keys cannot open, with a clear error."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from acdash.accounts import crypto


@pytest.fixture
def keys(settings):
    def use(*names: str) -> None:
        settings.FERNET_KEYS = list(names)
        crypto._fernet.cache_clear()

    yield use
    crypto._fernet.cache_clear()


def test_a_token_from_another_key_is_a_clear_value_error(keys):
    first, second = (crypto.Fernet.generate_key().decode() for _ in range(2))
    keys(first)
    stored = crypto.encrypt("secret-token")
    assert stored != "secret-token" and crypto.decrypt(stored) == "secret-token"
    keys(second)
    with pytest.raises(ValueError, match="cannot be decrypted with the configured keys"):
        crypto.decrypt(stored)


def test_a_tampered_token_is_refused(keys):
    keys(crypto.Fernet.generate_key().decode())
    stored = crypto.encrypt("secret-token")
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB"))


def test_without_keys_one_is_derived_from_the_secret_key(keys, settings):
    keys()
    stored = crypto.encrypt("secret-token")
    assert crypto.decrypt(stored) == "secret-token"
    settings.SECRET_KEY = "another-secret"
    keys(" ", "")  # blank entries count as none
    with pytest.raises(ValueError):
        crypto.decrypt(stored)


class _Unencodable(str):
    """A token whose encoding fails, so the error is raised inside encrypt()."""

    def encode(self, *args, **kwargs):
        raise RuntimeError("cannot encode")


def _crypto_variables() -> str:
    """The variables an error report shows of the frames in crypto.py (the test's own frames
    hold the values, of course)."""
    request = RequestFactory().get("/")
    frames = ExceptionReporter(request, *sys.exc_info()).get_traceback_frames()
    shown = [frame["vars"] for frame in frames if frame["filename"] == crypto.__file__]
    assert shown
    return repr(shown)


def test_an_error_report_from_encrypting_never_shows_the_plain_token(keys):
    keys(crypto.Fernet.generate_key().decode())
    try:
        crypto.encrypt(_Unencodable("plain-secret-token"))
    except RuntimeError:
        shown = _crypto_variables()
    assert "plain-secret-token" not in shown


def test_an_error_report_from_decrypting_never_shows_the_stored_token(keys):
    first, second = (crypto.Fernet.generate_key().decode() for _ in range(2))
    keys(first)
    stored = crypto.encrypt("secret-token")
    keys(second)
    try:
        crypto.decrypt(stored)
    except ValueError:
        shown = _crypto_variables()
    assert stored not in shown
