"""Nothing in a request costs more than its budget: functions whose cost grows with their input
refuse inputs past their bounds before they run, every value and the whole answer stay within
QUERY_MAX_BYTES, and all of a request's statements share one time limit."""

import pytest
from django.db import connection
from django.test import override_settings

from apps.query import bounds
from apps.query.engine import QueryRequest, run_queries

from .helpers import named, one, rows, run

pytestmark = pytest.mark.django_db

TOO_MANY_DIGITS = "Function '{}' takes numbers of at most 1000 digits"
TOO_WIDE = "Function 'format' takes widths and precisions of at most 10000"
TOO_LONG = "Function 'format' makes strings of at most 1000000 characters"
ENDLESS = (
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) "
    "select count(*) from r"
)


def refusal(sql: str, parameters=()) -> str:
    result = one(sql, parameters)
    assert result["status"] == "evaluation_error", result
    return result["message"]


@pytest.mark.parametrize(
    "sql, value",
    [
        ("select conv(:n:, 16, 10)", "f" * 1001),
        ("select conv(:n:, 2, 36)", "-" + "1" * 1001),
        ("select conv(:n:, 36, 10)", "+" + "z" * 1001),
    ],
)
def test_conv_refuses_a_number_longer_than_its_bound(db, sql, value):
    """Converting is quadratic in the digits: 300,000 of them held SQLite for 6 s."""
    assert refusal(sql, [named("n", value)]) == TOO_MANY_DIGITS.format("conv")


def test_conv_converts_a_number_of_as_many_digits_as_its_bound(db):
    assert rows("select conv(:n:, 16, 16)", [named("n", "f" * bounds.MAX_DIGITS)]) == [
        ["f" * bounds.MAX_DIGITS]
    ]


@pytest.mark.parametrize("conversion", ["d", "x", "f"])
def test_format_refuses_a_number_of_more_digits_than_its_bound(db, conversion):
    """format('%d', '1e600000') held SQLite for 10 s."""
    message = refusal(f"select format('%{conversion}', '1e1000')")

    assert message == TOO_MANY_DIGITS.format("format")


def test_format_refuses_an_astronomical_number(db):
    assert one("select format('%d', '1e600000')")["status"] == "evaluation_error"


@pytest.mark.parametrize(
    "template",
    ["%0300000000d", "%-300000000s", "%.300000000f", "%10001s", "%.10001s", "%0000010001d"],
)
def test_format_refuses_a_width_or_precision_past_its_bound(db, template):
    """format('%0300000000d', 1) made a string of 300 MB."""
    assert refusal("select format(:f:, 1)", [named("f", template)]) == TOO_WIDE


def test_format_takes_a_width_as_large_as_its_bound(db):
    assert rows("select char_length(format('%10000d', 1))") == [[10000]]


def test_format_refuses_a_result_longer_than_its_bound(db):
    half = "x" * (bounds.MAX_FORMAT_LENGTH // 2 + 1)

    assert refusal("select format('%s%s', :v:, :v:)", [named("v", half)]) == TOO_LONG


def test_format_refuses_a_template_longer_than_its_bound(db):
    template = "%%" * (bounds.MAX_FORMAT_LENGTH // 2 + 1)

    assert refusal("select format(:f:)", [named("f", template)]) == TOO_LONG


def test_format_reads_a_template_as_long_as_its_bound(db):
    """PostgreSQL's format read it in quadratic time, past the time limit."""
    template = "%%" * (bounds.MAX_FORMAT_LENGTH // 2)

    assert rows("select char_length(format(:f:))", [named("f", template)]) == [
        [bounds.MAX_FORMAT_LENGTH // 2]
    ]


def test_format_writes_a_large_number_in_fixed_point_as_postgresql_does(db):
    assert rows("select format('%.2f', 1e30)") == [["1000000000000000000000000000000.00"]]


def test_a_refused_call_does_not_name_a_later_failure(db):
    refusal("select format('%0300000000d', 1)")

    assert refusal("select format('%d', 'abc')") != TOO_WIDE


BIG_ROWS = (
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) "
    "select format('%01000d', n) from r"
)


@override_settings(QUERY_MAX_BYTES=100_000)
def test_rows_past_the_bytes_of_the_request_are_cut_and_say_so(db):
    """10,000 such rows of 10,000 characters answered 100 MB."""
    result = one(BIG_ROWS)

    assert result["status"] == "success"
    assert result["truncated"] is True
    assert 0 < result["count"] < 100  # 1,002 bytes a row
    assert sum(len(row["value"][0]) for row in result["data"]["row"]) <= 100_000


@override_settings(QUERY_MAX_BYTES=100_000)
def test_statements_of_a_request_share_its_bytes(db):
    first, second = run(f"{BIG_ROWS} limit 60; {BIG_ROWS} limit 60")

    assert (first["count"], "truncated" in first) == (60, False)
    assert second["truncated"] is True and second["count"] < 40


@override_settings(QUERY_MAX_BYTES=100_000)
def test_requests_of_a_body_share_its_bytes(db):
    first, second = run_queries([QueryRequest(f"{BIG_ROWS} limit 60")] * 2)

    assert (first.count, first.truncated) == (60, False)
    assert second.truncated and second.count < 40


@override_settings(QUERY_MAX_BYTES=100_000)
def test_answers_within_the_bytes_are_not_marked(db):
    assert "truncated" not in one(f"{BIG_ROWS} limit 10")


DOUBLED = (
    "with recursive r(s, n) as (select 'ab', 0 union all select concat(s, s), n + 1 from r "
    "where n < 20) select char_length(s) from r where n = 20"
)


@override_settings(QUERY_MAX_BYTES=100_000)
def test_a_value_longer_than_the_bytes_fails_where_it_would_be_made(db):
    """Doubled 28 times, the string took 3 GB and 14 s on SQLite, 7 s on PostgreSQL (over its
    time limit); here 2 MB, never made."""
    message = refusal(DOUBLED)

    assert message == "A value is longer than the limit of 100000 bytes (QUERY_MAX_BYTES)"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's length limit")
@override_settings(QUERY_MAX_BYTES=100_000)
def test_the_length_limit_does_not_outlive_the_query(db):
    refusal(DOUBLED)

    with connection.cursor() as cursor:
        cursor.execute("select length(zeroblob(200000))")
        assert cursor.fetchone() == (200_000,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's answer")
@override_settings(QUERY_MAX_BYTES=100_000)
def test_a_row_longer_than_the_bytes_is_never_sent(db):
    """PostgreSQL's driver receives a whole answer at once: 32 MB grew the process by 128 MB.
    The database stops at the bytes left, and says so."""
    result = one("select 1, :v:", [named("v", "x" * 200_000)])

    assert (result["status"], result["count"], result["truncated"]) == ("success", 0, True)


@pytest.mark.parametrize(
    "function", ["concat(s, s)", "join(s, s, s)", "replace(s, 'a', s)", "base64(base64(s))"]
)
@override_settings(QUERY_MAX_BYTES=100_000)
def test_every_function_that_grows_a_string_fails_past_the_bytes(db, function):
    grown = DOUBLED.replace("n < 20", "n < 15").replace("n = 20", "n = 15")

    message = refusal(grown.replace("char_length(s)", f"char_length({function})"))

    assert message == "A value is longer than the limit of 100000 bytes (QUERY_MAX_BYTES)"


@override_settings(QUERY_MAX_BYTES=100)
def test_replace_within_the_bytes_answers_as_before(db):
    assert rows("select replace('abcabc', 'b', 'xyz'), replace('abc', '', 'xyz')") == [
        ["axyzcaxyzc", "abc"]
    ]


def test_a_long_value_within_the_bytes_is_answered(db):
    assert rows(DOUBLED) == [[2**21]]


@override_settings(QUERY_TIME_LIMIT_MS=200)
def test_statements_of_a_request_share_its_time_limit(db):
    """Four endless statements took 4 x the limit."""
    first, *others = run(f"{ENDLESS}; {ENDLESS}; {ENDLESS}; select 1")

    assert (
        first["message"] == "The query ran longer than the time limit of 200 ms and was cancelled"
    )
    assert [result["message"] for result in others] == [
        "Not run: the statements before it used the request's time limit of 200 ms"
    ] * 3


@override_settings(QUERY_TIME_LIMIT_MS=200)
def test_requests_of_a_body_share_its_time_limit(db):
    first, second = run_queries([QueryRequest(ENDLESS), QueryRequest("select 1")])

    assert first.message.startswith("The query ran longer than the time limit of 200 ms")
    assert second.message.startswith("Not run: ")
