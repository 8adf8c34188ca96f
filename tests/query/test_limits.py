"""The row cap and the time limit."""

import pytest
from django.test import override_settings

from .helpers import one, rows

pytestmark = pytest.mark.django_db

SLOW = (
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) "
    "select count(*) from r"
)


@override_settings(QUERY_MAX_ROWS=2)
def test_result_over_the_cap_is_cut_and_says_so(inventory):
    result = one("select name from instances order by name")

    assert result["count"] == 2
    assert result["truncated"] is True
    assert [row["value"] for row in result["data"]["row"]] == [["Selenium-1"], ["db-1"]]


@override_settings(QUERY_MAX_ROWS=2)
def test_larger_limit_is_cut_to_the_cap(inventory):
    result = one("select name from instances limit 3")

    assert (result["count"], result["truncated"]) == (2, True)


@override_settings(QUERY_MAX_ROWS=2)
def test_result_within_the_cap_is_not_marked(inventory):
    result = one("select name from instances order by name limit 2")

    assert result["count"] == 2
    assert "truncated" not in result


@override_settings(QUERY_MAX_ROWS=3)
def test_cap_applies_to_unions_and_meta_functions(db):
    union = one("select 1 union all select 2 union all select 3 union all select 4")

    assert (union["count"], union["truncated"]) == (3, True)
    assert one("select tables()")["count"] == 3


@override_settings(QUERY_TIME_LIMIT_MS=200)
def test_query_over_the_time_limit_is_cancelled(db):
    result = one(SLOW)

    assert result["status"] == "evaluation_error"
    assert result["message"] == (
        "The query ran longer than the time limit of 200 ms and was cancelled"
    )


@override_settings(QUERY_TIME_LIMIT_MS=200)
def test_connection_works_after_a_cancelled_query(inventory):
    one(SLOW)

    assert rows("select count(*) from instances") == [[4]]


def test_time_limit_does_not_outlive_the_query(inventory):
    with override_settings(QUERY_TIME_LIMIT_MS=100):
        one("select 1")

    assert one(SLOW.replace("1000000000", "200000"))["status"] == "success"
