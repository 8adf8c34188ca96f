"""The row cap and the time limit."""

import pytest
from django.db import connection
from django.test import override_settings

from apps.inventory import factories

from .helpers import one, rows

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REGEXP")

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


# Exponential for backtracking matchers, Python's `re` and the `regex` module alike: on 40
# letters, a minute with Django's REGEXP. (`^(a+)+$` no longer is: `regex` sees through it.)
RUNAWAY = "select name from instances where name regexp '^(a|aa)+$'"


@pytest.fixture
def runaway_name(inventory):
    factories.InstanceFactory(name="a" * 40 + "!", project=inventory["one"])


@sqlite_only
def test_runaway_regular_expression_is_stopped_and_says_so(runaway_name):
    result = one(RUNAWAY)

    assert result["status"] == "evaluation_error"
    assert result["message"].startswith("The regular expression took too long (over ")


def test_nested_repeat_that_used_to_be_catastrophic_answers(runaway_name):
    assert rows("select name from instances where name regexp '^(a+)+$'") == []


@sqlite_only
@override_settings(QUERY_TIME_LIMIT_MS=1)
def test_regular_expression_stops_at_the_query_time_limit(runaway_name):
    """Not at its own limit on one value, later: SQLite's progress handler cannot stop a
    match, REGEXP stops itself at the query's deadline."""
    result = one(RUNAWAY)

    assert result["message"] == "The query ran longer than the time limit of 1 ms and was cancelled"


@sqlite_only
def test_a_failing_function_after_a_stopped_match_is_not_blamed_on_regexp(runaway_name):
    one(RUNAWAY)

    assert one("select format('%d', 'abc')")["message"] == "user-defined function raised exception"


def test_pattern_too_large_to_compile_is_refused(inventory):
    """`regex` would write the repeats out and crash the process."""
    result = one("select name from instances where name regexp '(?:ab|c){200000}'")

    assert result["status"] == "evaluation_error"
    assert result["message"].startswith("invalid regular expression: ")


def test_connection_works_after_a_stopped_regular_expression(runaway_name):
    one(RUNAWAY)

    assert rows("select name from instances where name regexp '^web' order by name") == [
        ["web-1"],
        ["web-2"],
    ]
