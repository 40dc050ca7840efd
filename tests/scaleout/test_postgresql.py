"""On PostgreSQL: every migration applies (the test database was built by them), and the
sandbox's queries run there too."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.sandbox.test_tasks import ids, make_contact, make_task, make_type

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db]


def test_every_migration_applies_on_postgresql():
    executor = MigrationExecutor(connection)
    assert connection.vendor == "postgresql"
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_the_sandbox_orders_and_filters_tasks_by_due_instant_on_postgresql(sandbox):
    """What the overview card and My tasks ask under `make run-scaled`: 01:30 CDT comes
    before 01:15 CST on 2021-11-07, although its text sorts after."""
    contact, tasktype = make_contact(sandbox), make_type(sandbox)
    cst = make_task(sandbox, contact, tasktype, "2021-11-07T07:15:00Z")
    cdt = make_task(sandbox, contact, tasktype, "2021-11-07T06:30:00Z")
    assert ids(sandbox, "orders[duedate]=ASC") == [cdt["id"], cst["id"]]
    assert ids(sandbox, "filters[status]=0&filters[due_before]=2021-11-07T07:00:00Z") == [cdt["id"]]
