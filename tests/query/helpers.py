"""Run SQL through the query engine and compare results strictly."""

import json

from apps.query.engine import QueryRequest, run_query


def run(sql: str, parameters=()) -> list:
    """The results of `sql`, one per statement, as a client reads them (through JSON)."""
    results = run_query(QueryRequest(sql, list(parameters)))
    return json.loads(json.dumps([result.as_wire() for result in results]))


def one(sql: str, parameters=()) -> dict:
    results = run(sql, parameters)
    assert len(results) == 1, results
    return results[0]


def rows(sql: str, parameters=()) -> list[list]:
    result = one(sql, parameters)
    assert result["status"] == "success", result["message"]
    return [row["value"] for row in result["data"]["row"]]


def same(actual, expected) -> bool:
    """Equal, counting 2 and 2.0 as the same number but True and 1 as different."""
    return _strict(actual) == _strict(expected)


def _strict(value):
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", round(float(value), 9))
    if isinstance(value, list | tuple):
        return [_strict(item) for item in value]
    return value


def named(name, value):
    return {"name": name, "value": value}


def indexed(index, value):
    return {"index": index, "value": value}
