"""The Python API behind POST /query."""

import pytest
from django.db import connection

from apps.query.engine import QueryRequest, compile_sql, run_queries

pytestmark = pytest.mark.django_db


def test_run_queries_returns_one_result_per_statement(inventory):
    results = run_queries(
        [
            QueryRequest("select name from flavors order by name; select count(*) from clouds"),
            QueryRequest(
                "select name from instances where state = ?", [{"index": 1, "value": "error"}]
            ),
        ]
    )

    assert [result.status for result in results] == ["success"] * 3
    assert results[0].columns == ("name",)
    assert [list(row) for row in results[0].rows] == [["m1.large"], ["m1.tiny"]]
    assert (results[1].count, results[1].truncated) == (1, False)
    assert results[2].as_wire()["data"]["row"] == [{"value": ("db-1",)}]


def test_translation_reads_the_views_with_bound_parameters(db):
    (compiled,) = compile_sql("select name from instances where name = :n:", connection.vendor, 10)

    assert '"query_instances" AS "instances"' in compiled.translation.sql
    assert "%s" in compiled.translation.sql
    assert compiled.translation.keys == (("name", "n"),)


def test_translation_is_shared_by_different_values(db):
    from apps.query.engine import _cached_compile

    _cached_compile.cache_clear()
    for value in ("a", "b"):
        run_queries([QueryRequest("select :v:", [{"name": "v", "value": value}])])

    assert _cached_compile.cache_info().hits == 1
