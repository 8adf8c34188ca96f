"""Django's SQLite backend, on the SQLite library that library.dbapi() chooses.

Django's backend imports Python's `sqlite3` by name in several of its modules (and derives its
cursor class from that module's), so the chosen module is put in `sqlite3`'s place before
Django's backend is imported. Everything else in the process that opens SQLite then opens the
same library: the app, the tests, the benchmarks and the seeding commands.
"""

import sys

from django.core.exceptions import ImproperlyConfigured

from .library import dbapi, refuse_known_bugs

Database = dbapi()
refuse_known_bugs(Database)

if Database.__name__ != "sqlite3.dbapi2":
    _django = sys.modules.get("django.db.backends.sqlite3.base")
    if _django is not None and _django.Database is not Database:
        raise ImproperlyConfigured(
            "Django's SQLite backend was imported before perspective.sqlite, on another SQLite"
        )
    sys.modules["sqlite3"] = sys.modules[Database.__name__.rpartition(".")[0]]
    sys.modules["sqlite3.dbapi2"] = Database

from django.db.backends.sqlite3.base import DatabaseWrapper  # noqa: E402, F401
