"""The time limit of the listings' reads (LISTING_TIME_LIMIT_MS): over it, a 400 that says so."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import override_settings

from apps.inventory import factories

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REGEXP")

URL = "/api/instances/"


@contextmanager
def table_locked(table: str):
    """`table` locked by another connection, so that reading it waits until the block ends
    (or, should nothing cancel the read, until PostgreSQL ends the idle holder)."""
    import psycopg

    other = psycopg.connect(**connection.get_connection_params())
    try:
        other.execute("SET lock_timeout = '10s'")
        other.execute("SET idle_in_transaction_session_timeout = '10s'")
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


@postgres_only
@override_settings(LISTING_TIME_LIMIT_MS=200)
def test_listing_over_the_time_limit_is_a_400(api):
    with table_locked("inventory_instance"):
        response = api.get(URL)

    assert response.status_code == 400
    assert response.json() == {
        "message": "The query ran longer than the time limit of 200 ms and was cancelled"
    }


@postgres_only
@override_settings(LISTING_TIME_LIMIT_MS=200)
def test_time_limit_does_not_outlive_the_listing(api, world):
    api.get(URL)

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)


@sqlite_only
@override_settings(LISTING_TIME_LIMIT_MS=1)
def test_regular_expression_stops_at_the_listing_time_limit(api, world):
    """SQLite's listings are bounded too: REGEXP stops a match at the listing's deadline,
    before its own limit on one value."""
    factories.InstanceFactory(project=world.projects["a"], name="a" * 40 + "!")

    response = api.get(URL, {"name__regex": "^(a|aa)+$"})

    assert response.status_code == 400
    assert response.json() == {
        "message": "The query ran longer than the time limit of 1 ms and was cancelled"
    }
