"""The original's functions: names (any case), results, and the meta functions."""

import math

import pytest
from django.conf import settings

from apps.query import catalog
from apps.query.functions import FUNCTIONS

from .helpers import one, rows, same

pytestmark = pytest.mark.django_db

CASES = [
    ("abs(-3)", 3),
    ("ABS(2.5)", 2.5),
    ("acos(1)", 0.0),
    ("asin(0)", 0.0),
    ("atan(0)", 0.0),
    ("round(cbrt(27), 6)", 3),
    ("round(cbrt(-8), 6)", -2),
    ("ceil(1.2)", 2),
    ("floor(1.8)", 1),
    ("floor(-1.2)", -2),
    ("cos(0)", 1.0),
    ("round(cot(1), 6)", 0.642093),
    ("degrees(pi())", 180.0),
    ("radians(180)", math.pi),
    ("e()", math.e),
    ("pi()", math.pi),
    ("exp(0)", 1.0),
    ("ln(e())", 1.0),
    ("log10(1000)", 3.0),
    ("log(2, 1024)", 10.0),
    ("round(log(e()), 6)", 1.0),
    ("mod(7, 3)", 1),
    ("mod(5.5, 2)", 1.5),
    ("power(2, 10)", 1024),
    ("rand() between 0 and 1", True),
    ("round(2.5)", 3),
    ("round(-2.5)", -3),
    ("round(3.14159, 2)", 3.14),
    ("truncate(3.999, 2)", 3.99),
    ("truncate(-3.999, 0)", -3),
    ("sign(-5)", -1),
    ("sign(0)", 0),
    ("sin(0)", 0.0),
    ("sqrt(16)", 4.0),
    ("tan(0)", 0.0),
    ("conv('ff', 16, 10)", "255"),
    ("conv(255, 10, 2)", "11111111"),
    ("conv('-z', 36, 10)", "-35"),
    ("conv('9', 8, 10)", None),
    ("base64('hello')", "aGVsbG8="),
    ("base64('Perspective, the original')", "UGVyc3BlY3RpdmUsIHRoZSBvcmlnaW5hbA=="),
    ("bit_length('abc')", 24),
    ("bit_length('é')", 16),
    ("char(72, 105)", "Hi"),
    ("char_length('héllo')", 5),
    ("concat('a', 'b', 'c')", "abc"),
    ("concat('n', 1)", "n1"),
    ("concat('a', null)", None),
    ("crc32('hello')", 907060870),
    ("crc32('')", 0),
    ("format('%s has %d vCPUs', 'm1', 4)", "m1 has 4 vCPUs"),
    ("format('%.2f|%8.3f|%-5s|%5s|', 3.14159, 2.5, 'ab', 'cd')", "3.14|   2.500|ab   |   cd|"),
    ("format('%05d|%x|%d%%', -42, 255, 7)", "-0042|ff|7%"),
    ("format('no values')", "no values"),
    ("join(', ', 'a', 'b', 'c')", "a, b, c"),
    ("join('-', 'x', 2)", "x-2"),
    ("lower('AbC')", "abc"),
    ("upper('AbC')", "ABC"),
    ("replace('a.b.c', '.', '/')", "a/b/c"),
    ("reverse('abc')", "cba"),
    ("substr('perspective', 4)", "spective"),
    ("substr('perspective', 4, 3)", "spe"),
    ("trim('  x  ')", "x"),
    ("typeof('x', 'STRING')", True),
    ("typeof(1, 'string')", False),
    ("typeof(1, 'INTEGER')", True),
    ("typeof(1.5, 'FLOAT')", True),
    ("typeof(null, 'NULL')", True),
    ("typeof(1, 'NULL')", False),
    ("VeRsIoN()", settings.VERSION),
    # Outside a function's domain, NULL on both databases (as MySQL), never an error.
    ("ln(0)", None),
    ("ln(-1)", None),
    ("log10(0)", None),
    ("log(0)", None),
    ("log(1, 8)", None),
    ("log(2, 0)", None),
    ("sqrt(-4)", None),
    ("mod(5, 0)", None),
    ("5 % 0", None),
    ("5 div 0", None),
    ("1.5 / 0", None),
    # Every letter changes case, on both databases, one letter at a time.
    ("lower('ÆRØ ÉÇŁЖΩ İ')", "ærø éçłжω i"),
    ("upper('ærø straße éçłжω')", "ÆRØ STRAßE ÉÇŁЖΩ"),
]


@pytest.mark.parametrize(("expression", "expected"), CASES)
def test_function_gives_the_original_result(db, expression, expected):
    assert same(rows(f"select {expression}"), [[expected]])


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select upper(name) from flavors order by name", [["M1.LARGE"], ["M1.TINY"]]),
        ("select name from instances where lower(name) = 'selenium-1'", [["Selenium-1"]]),
        (
            "select typeof(vcpus, 'INTEGER'), typeof(name, 'STRING') from flavors limit 1",
            [[True, True]],
        ),
        (
            "select concat(name, '@', cloud_id) from projects order by 1",
            [["alpha_RegionOne@alpha"], ["alpha_RegionTwo@alpha"], ["beta_RegionOne@beta"]],
        ),
        ("select join('/', cloud_id, name) from instances where name = 'db-1'", [["alpha/db-1"]]),
        (
            "select format('%s:%d', name, vcpus) from flavors order by vcpus",
            [["m1.tiny:1"], ["m1.large:4"]],
        ),
        ("select count(*) from instances where char_length(name) = 5", [[2]]),
    ],
)
def test_functions_apply_to_columns(inventory, sql, expected):
    assert same(rows(sql), expected)


def test_unknown_function_is_an_evaluation_error(db):
    result = one("select nope(1)")

    assert result["status"] == "evaluation_error"
    assert result["message"] == "Function 'nope' does not exist"


def test_wrong_number_of_arguments_says_the_signature(db):
    result = one("select abs(1, 2)")

    assert result["status"] == "evaluation_error"
    assert "ABS(X)" in result["message"]


def test_typeof_refuses_an_unknown_type(db):
    result = one("select typeof(1, 'DATE')")

    assert result["status"] == "evaluation_error"
    assert result["message"].startswith("Invalid data type \"'DATE'\"")


def test_format_refuses_a_missing_value(db):
    assert one("select format('%s and %s', 'one')")["status"] == "evaluation_error"


def test_tables_lists_every_exposed_table(db):
    result = one("select tables()")

    assert result["data"]["columnName"] == ["table_name"]
    assert rows("select tables()") == [[name] for name in sorted(catalog.TABLES)]


def test_columns_describes_a_table(db):
    result = one("select columns('flavors')")

    assert result["data"]["columnName"] == ["column_name", "type", "default_value", "indexed"]
    described = {row["value"][0]: row["value"] for row in result["data"]["row"]}
    assert list(described) == list(catalog.TABLES["flavors"].column_names)
    assert described["vcpus"] == ["vcpus", "integer", "null", "false"]
    assert described["has_swap"][1] == "boolean"
    assert described["id"][3] == "true"


def test_columns_of_an_unknown_table_says_so(db):
    result = one("select columns('auth_user')")

    assert result["message"] == 'Table "auth_user" does not exist'


def test_functions_lists_every_function_with_a_description(db):
    listed = {name: text for name, text in rows("select functions()")}

    assert {name.lower() for name in FUNCTIONS} <= set(listed)
    assert {"tables", "columns", "functions", "count"} <= set(listed)
    assert all(listed.values())


def test_meta_function_inside_a_larger_query_is_refused(inventory):
    result = one("select tables() from instances")

    assert result["status"] == "evaluation_error"
