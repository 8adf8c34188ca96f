"""The original's statuses and messages for statements that cannot run."""

import pytest

from .helpers import one, run

pytestmark = pytest.mark.django_db

CASES = [
    ("select * from nope", "syntax_error", 'Table "nope" does not exist'),
    ("select * from instances join nope on 1 = 1", "syntax_error", 'Table "nope" does not exist'),
    ("select * from main.instances", "syntax_error", 'Table "main.instances" does not exist'),
    ("select nope from instances", "syntax_error", 'Column "nope" is not available for selection'),
    (
        "select instances.nope from instances",
        "syntax_error",
        'Column "nope" is not available for selection',
    ),
    (
        "select x.name from instances",
        "syntax_error",
        'Column "x.name" is not available for selection',
    ),
    (
        "select name from instances where nope = 1",
        "syntax_error",
        'Column "nope" is not available for selection',
    ),
    (
        "select id from instances join projects on instances.project_id = projects.id",
        "syntax_error",
        'Ambiguous column name "id": found in instances, projects',
    ),
    (
        "select name from instances i, flavors f",
        "syntax_error",
        'Ambiguous column name "name": found in i, f',
    ),
    ("select * from instances, instances", "syntax_error", 'Duplicate alias "instances"'),
    ("select * from instances a join flavors a on 1 = 1", "syntax_error", 'Duplicate alias "a"'),
    (
        "with a as (select 1), a as (select 2) select * from a",
        "syntax_error",
        'Duplicate alias "a"',
    ),
    ("select nope(name) from instances", "evaluation_error", "Function 'nope' does not exist"),
    ("select 1 +", "syntax_error", None),
    ("selec 1", "syntax_error", None),
    ("select 'unterminated", "syntax_error", None),
    ("select name regexp '(' from instances", "evaluation_error", None),
    ("select format('%d', 'abc')", "evaluation_error", None),
]


@pytest.mark.parametrize(("sql", "status", "message"), CASES)
def test_statement_that_cannot_run_says_why(inventory, sql, status, message):
    result = one(sql)

    assert result["status"] == status
    assert result["count"] == 0
    assert result["data"] == {"columnName": [], "row": []}
    assert result["message"] == message if message else result["message"]


def test_bad_pattern_says_why_on_either_database(inventory):
    message = one("select name regexp '(' from instances")["message"]

    assert message.startswith("invalid regular expression: ")


def test_parse_error_gives_the_position_in_the_request(db):
    message = one("select name from instances where name = 'x' and and")["message"]

    assert message.startswith('Parse error: "Required keyword')
    assert message.endswith('near "and" at 1:48')


def test_parse_error_position_counts_placeholders_as_written(db):
    sql = "select 1;\nselect :long_name:, 1 from where"
    message = run(sql, [{"name": "long_name", "value": 1}])[1]["message"]

    assert message.endswith('near "where" at 2:27')


def test_one_failing_statement_does_not_stop_the_others(db):
    statuses = [result["status"] for result in run("select 1; select nope; select 2")]

    assert statuses == ["success", "syntax_error", "success"]


def test_empty_query_is_a_syntax_error(db):
    assert one("  -- nothing\n")["status"] == "syntax_error"
