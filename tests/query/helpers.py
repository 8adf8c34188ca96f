"""Run SQL through the query engine and compare results strictly."""

import json
import re

from apps.query.engine import QueryRequest, run_query


def run(sql: str, parameters=(), access=None) -> list:
    """The results of `sql`, one per statement, as a client reads them (through JSON); seen
    with `access` (None: unrestricted)."""
    results = run_query(QueryRequest(sql, list(parameters)), access)
    return json.loads(json.dumps([result.as_wire() for result in results]))


def one(sql: str, parameters=(), access=None) -> dict:
    results = run(sql, parameters, access)
    assert len(results) == 1, results
    return results[0]


def rows(sql: str, parameters=(), access=None) -> list[list]:
    result = one(sql, parameters, access)
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


def never_shown(results: list, secrets: set[str]) -> None:
    """No value or message of `results` holds one of `secrets` (as a whole word: "db-1" may be
    part of a random UUID)."""
    if not secrets:
        return
    texts = [result["message"] for result in results] + [
        str(value) for result in results for row in result["data"]["row"] for value in row["value"]
    ]
    words = "|".join(rf"(?<![\w-]){re.escape(secret)}(?![\w-])" for secret in secrets)
    assert not [text for text in texts if re.search(words, text)], results
