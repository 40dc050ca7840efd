"""The console tests' fixtures: a seeded sandbox account and clients of its members."""

from tests.console.conftest import acme, as_role

__all__ = ["acme", "as_role"]
