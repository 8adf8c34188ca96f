"""The SQLite Perspective runs on: the chosen library everywhere, and never one known to give
wrong rows."""

import json
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from perspective.sqlite import library

from .test_settings import manage

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite library matters on SQLite only"
)


@sqlite_only
def test_django_opens_the_chosen_library():
    chosen = library.dbapi()

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()")
        (version,) = cursor.fetchone()

    assert connection.Database is chosen
    assert version == chosen.sqlite_version
    assert library.known_bug(chosen.sqlite_version_info) is None


@sqlite_only
def test_pysqlite3_stands_for_sqlite3_in_the_whole_process():
    # So that anything opening SQLite by `import sqlite3` gets the same library.
    assert sys.modules["sqlite3"].sqlite_version == library.dbapi().sqlite_version
    assert sqlite3.sqlite_version == library.dbapi().sqlite_version


@pytest.mark.parametrize(
    ("version", "refused"),
    [
        ((3, 37, 2), False),
        ((3, 38, 0), True),
        ((3, 40, 1), True),
        ((3, 41, 1), True),
        ((3, 41, 2), False),
        ((3, 51, 1), False),
    ],
    ids=str,
)
def test_releases_with_the_bloom_filter_bug_are_refused(version, refused):
    assert (library.known_bug(version) is not None) == refused


def test_a_start_on_the_host_pythons_sqlite_is_refused_when_it_gives_wrong_rows(tmp_path):
    # pysqlite3 made unimportable: the backend falls back to Python's own sqlite3.
    (tmp_path / "pysqlite3").mkdir()
    (tmp_path / "pysqlite3" / "__init__.py").write_text("raise ImportError('hidden')\n")
    host = library.known_bug(_host_sqlite_version())

    result = manage(
        "check", DJANGO_SETTINGS_MODULE="perspective.settings", DEBUG="true", PYTHONPATH=tmp_path
    )

    if host is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0
        assert "returns wrong rows: a Bloom filter" in result.stderr


def _host_sqlite_version() -> tuple[int, ...]:
    code = "import _sqlite3, json; print(json.dumps(_sqlite3.sqlite_version))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return tuple(int(part) for part in json.loads(output).split("."))


def test_version_as_json_names_the_database(client):
    response = client.get("/version", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    body = response.json()
    if connection.vendor == "sqlite":
        assert body["database"] == f"SQLite {library.dbapi().sqlite_version}"
    else:
        assert body["database"].startswith("PostgreSQL ")
    assert body["version"] == client.get("/version").content.decode()
