"""SQLite's REGEXP (apps/inventory/regexp.py) answers as Django's own did: Python's syntax,
`re.search` on the value as text, NULL for NULL; timed or not."""

import re

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REGEXP"),
]

LONG = "x" * 50_000 + "web-01"  # long enough for every pattern to be timed
CASES = [
    ("^web-0[0-4]", "web-012"),
    ("^web-0[0-4]", "web-051"),
    ("eb-1", "web-1"),
    ("^W", "web-1"),
    ("(?i)^W", "web-1"),
    (r"eb-\d$", "web-2"),
    ("^(orphan|old)", "old-b"),
    (r"(?P<role>web)-(?P=role)", "web-web"),
    (r"web(?!-1)", "web-1"),
    (r"\bdb\b", "a db here"),
    ("^.$", "é"),
    ("^web-0[0-4]", LONG),
    ("web-0[0-4]", LONG),
    ("web-0[0-4]$", LONG),
    (r"(web|db)-\d+$", LONG),
]


def regexp(pattern, value):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s REGEXP %s", [value, pattern])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(("pattern", "value"), CASES)
def test_matches_as_python_re_search(pattern, value):
    assert regexp(pattern, value) == bool(re.search(pattern, value))


def test_numbers_are_matched_as_text():
    assert regexp(r"^4\.5$", 4.5) == 1


def test_null_in_is_null_out():
    assert regexp(None, "web-1") is None
    assert regexp("web", None) is None
