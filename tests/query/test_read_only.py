"""What the database itself enforces while a query runs: read-only, and on PostgreSQL the
query role, which can read the views and nothing else."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from apps.inventory.models import Cloud
from apps.query.execute import read_only
from apps.query.schema import ROLE

from .helpers import rows

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")


def write_during_a_query():
    with read_only(5000), connection.cursor() as cursor:
        cursor.execute("UPDATE inventory_cloud SET username = 'x'")


def test_database_refuses_writes_while_a_query_runs(inventory):
    with pytest.raises(DatabaseError, match="read"):
        write_during_a_query()

    assert not Cloud.objects.filter(username="x").exists()


@sqlite_only
def test_like_is_case_insensitive_again_for_the_orm_after_a_query(inventory):
    assert rows("select count(*) from clouds where name like 'ALPHA'") == [[0]]

    assert Cloud.objects.filter(name__contains="ALPHA").exists()


@sqlite_only
def test_create_query_role_needs_postgresql(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("create_query_role")


@postgres_only
def test_queries_run_as_the_query_role_once_it_exists(inventory):
    call_command("create_query_role", stdout=io.StringIO())

    with read_only(5000), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (ROLE,)
    assert rows("select name from clouds order by name") == [["alpha"], ["beta"]]


@postgres_only
def test_query_role_cannot_read_the_inventory_tables(inventory):
    call_command("create_query_role", stdout=io.StringIO())

    with (
        pytest.raises(DatabaseError, match="permission denied"),
        read_only(5000),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT password FROM inventory_cloud")
