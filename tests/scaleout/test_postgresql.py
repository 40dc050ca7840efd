"""The schema on PostgreSQL: every migration applies (the test database was built by them)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db]


def test_every_migration_applies_on_postgresql():
    executor = MigrationExecutor(connection)
    assert connection.vendor == "postgresql"
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
