"""Names searched by their beginning (LIKE 'web-%', startswith) are read from an index on
both databases, not by a scan of every instance (migration inventory/0009)."""

import pytest
from django.db import connection

from apps.inventory.factories import InstanceFactory
from apps.inventory.models import Instance

pytestmark = pytest.mark.django_db


def plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the table is small here
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


def test_a_name_prefix_is_read_from_the_prefix_index():
    InstanceFactory.create_batch(3)

    assert "inv_instance_name_prefix" in plan(
        "SELECT id, name FROM inventory_instance WHERE name LIKE %s", ["web-0001%"]
    )


def test_a_startswith_filter_is_read_from_the_prefix_index_and_finds_its_rows():
    web, _ = InstanceFactory(name="web-000123"), InstanceFactory(name="db-000124")
    found = Instance.objects.filter(name__startswith="web-0001").order_by()
    sql, params = found.values("id").query.sql_with_params()

    assert "inv_instance_name_prefix" in plan(sql, params)
    assert list(found) == [web]
