"""`:name:` and `?` placeholders: bound as parameters anywhere a value goes, never inside
literals, and a value is only ever a value."""

import pytest

from .helpers import indexed, named, one, rows, run, same

pytestmark = pytest.mark.django_db

CASES = [
    # in every position a value can take
    ("select :x:", [named("x", "hello")], [["hello"]]),
    ("select ?", [indexed(1, 42)], [[42]]),
    ("select ?, ?", [indexed(1, "a"), indexed(2, "b")], [["a", "b"]]),
    ("select :a:, ?, :a:", [named("a", 1), indexed(1, 2)], [[1, 2, 1]]),
    ("select name from flavors where name = :n:", [named("n", "m1.tiny")], [["m1.tiny"]]),
    ("select name from flavors where vcpus > ?", [indexed(1, 2)], [["m1.large"]]),
    ("select name from flavors where vcpus > :v:", [named("v", "2")], [["m1.large"]]),
    (
        "select name from flavors where ram between ? and ?",
        [indexed(1, 100), indexed(2, 600)],
        [["m1.tiny"]],
    ),
    (
        "select name from instances where state in (:a:, :b:) order by name",
        [named("a", "error"), named("b", "shutoff")],
        [["db-1"], ["web-2"]],
    ),
    (
        "select name from instances where name like :p: order by name",
        [named("p", "web%")],
        [["web-1"], ["web-2"]],
    ),
    ("select name from instances where name regexp :r:", [named("r", "^db")], [["db-1"]]),
    ("select name from instances order by name limit ?", [indexed(1, 1)], [["Selenium-1"]]),
    ("select name from instances order by name limit :n:", [named("n", "1")], [["Selenium-1"]]),
    (
        "select name from instances order by name limit ?, ?",
        [indexed(1, 1), indexed(2, 1)],
        [["db-1"]],
    ),
    ("select upper(:s:)", [named("s", "abc")], [["ABC"]]),
    ("select :n: + 1", [named("n", 41)], [[42]]),
    ("select case when :b: then 'yes' else 'no' end", [named("b", True)], [["yes"]]),
    ("select :x: is null", [named("x", None)], [[True]]),
    (
        "select count(*) from instances where name in (select name from instances where state = ?)",
        [indexed(1, "launched")],
        [[2]],
    ),
    ("select :dotted.name_1:", [named("dotted.name_1", "ok")], [["ok"]]),
    (
        "select state from instances where name = :n: group by state having count(*) > ?",
        [named("n", "db-1"), indexed(1, 0)],
        [["error"]],
    ),
    # inside literals, identifiers and comments they are text, not placeholders
    ("select '?', ':x:', \"?\"", [], [["?", ":x:", "?"]]),
    ("select 'it''s :x: ?'", [], [["it's :x: ?"]]),
    ("select 'a\\'?'", [], [["a'?"]]),
    ("select 1 -- ? :x:\n", [], [[1]]),
    ("select /* ? */ 1", [], [[1]]),
    ("select 1 `?`", [], [[1]]),
    # values with quotes, backslashes, semicolons and SQL in them are just values
    ("select :v:", [named("v", "o'brien")], [["o'brien"]]),
    ("select :v:", [named("v", 'say "hi"')], [['say "hi"']]),
    ("select :v:", [named("v", "back\\slash\\")], [["back\\slash\\"]]),
    (
        "select :v:",
        [named("v", "a; drop table inventory_cloud; --")],
        [["a; drop table inventory_cloud; --"]],
    ),
    ("select :v:", [named("v", "' or '1'='1")], [["' or '1'='1"]]),
    ("select :v:", [named("v", "%s %(x)s %%")], [["%s %(x)s %%"]]),
    ("select :v:", [named("v", "?")], [["?"]]),
    ("select count(*) from instances where name = :v:", [named("v", "' or '1'='1")], [[0]]),
    ("select '100%', :v:", [named("v", "x")], [["100%", "x"]]),
    ("select :v:", [named("v", "ünïcödé ✓")], [["ünïcödé ✓"]]),
]


@pytest.mark.parametrize(("sql", "parameters", "expected"), CASES)
def test_placeholder_is_bound_as_a_value(inventory, sql, parameters, expected):
    assert same(rows(sql, parameters), expected)


def test_missing_named_parameter_is_reported_by_name(db):
    result = one("select :name:")

    assert result["status"] == "missing_parameters"
    assert result["message"] == 'Parameter for placeholder "name" is missing'


def test_missing_positional_parameter_is_reported_by_number(db):
    result = one("select ?, ?", [indexed(1, "a")])

    assert result["status"] == "missing_parameters"
    assert result["message"] == "Parameter for placeholder #2 is missing"


def test_positions_count_across_the_statements_of_a_request(db):
    results = run("select ?; select ?", [indexed(1, "first"), indexed(2, "second")])

    assert [r["data"]["row"][0]["value"] for r in results] == [["first"], ["second"]]


def test_named_parameter_applies_to_every_statement(db):
    results = run("select :x:; select :x:", [named("x", 7)])

    assert [r["data"]["row"][0]["value"] for r in results] == [[7], [7]]


def test_missing_parameter_is_reported_before_a_syntax_error(db):
    assert one("select :x: from")["status"] == "missing_parameters"


def test_a_colon_that_is_no_placeholder_is_a_syntax_error(db):
    assert one("select :x")["status"] == "syntax_error"
