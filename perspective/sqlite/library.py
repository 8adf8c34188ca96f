"""Which SQLite library Perspective opens, and the releases it refuses for giving wrong rows.

Python's own sqlite3 module is built against whatever SQLite the host's Python bundles (3.40.1
with Python 3.11 on Debian 12), and that one answers some of /query's joins with wrong rows. The
pysqlite3-binary wheel (requirements/base.txt) is the same DB-API module built with a current
SQLite; it is used wherever it installs, and Python's own module elsewhere. Either way a release
listed in WRONG_RESULTS is refused when Django loads the backend, so nothing starts on it.
"""

import importlib
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class KnownBug:
    first: tuple[int, int, int]  # the first release with the bug
    fixed: tuple[int, int, int]  # the first release without it
    description: str


# Releases of SQLite known to return wrong rows for query shapes that /query produces.
WRONG_RESULTS = (
    KnownBug(
        (3, 38, 0),
        (3, 41, 2),
        "a Bloom filter over an expression index drops rows from joins on the query views' id "
        "columns (SQLite check-in cdfb518, 2023-03-14)",
    ),
)


def dbapi():
    """The DB-API module to use: pysqlite3's when installed, else Python's own."""
    for name in ("pysqlite3.dbapi2", "sqlite3.dbapi2"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImproperlyConfigured("No SQLite module: install requirements/base.txt")


def known_bug(version: tuple[int, ...]) -> KnownBug | None:
    version = tuple(version[:3])
    return next((bug for bug in WRONG_RESULTS if bug.first <= version < bug.fixed), None)


def refuse_known_bugs(module) -> None:
    bug = known_bug(module.sqlite_version_info)
    if bug is not None:
        raise ImproperlyConfigured(
            f"SQLite {module.sqlite_version} (from {module.__name__}) returns wrong rows: "
            f"{bug.description}. Install requirements/base.txt (pysqlite3-binary) or run on a "
            f"SQLite of {'.'.join(map(str, bug.fixed))} or later."
        )
