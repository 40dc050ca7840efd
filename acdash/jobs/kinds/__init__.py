"""The kinds of records jobs work on; importing this package registers them in ``KINDS``."""

from . import contact  # noqa: F401
