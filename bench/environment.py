"""What a benchmark ran on, printed with its figures: the versions of what was measured and the
machine's load (the machine may be shared; a figure means little without it)."""

import os
import platform
import tempfile
from pathlib import Path


def without_debug() -> None:
    """Settings as in production for what a benchmark runs (this process and those it starts):
    DEBUG off, since with it Django keeps the text of every query, which costs time and memory
    that production does not pay. The secret key is a throwaway one."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")


def temporary_var(prefix: str) -> Path:
    """A new folder for var/ (and an SQLite database in it unless DATABASE_URL names one), with
    the development settings a benchmark of this process runs under; the folder."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("PERSPECTIVE_VAR_DIR", str(folder))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    return folder


def versions() -> str:
    """Perspective, Python, Django and the database in use (Django must be set up)."""
    import django
    from django.conf import settings
    from django.db import connection

    from apps.service.api.views import database_version

    return (
        f"Perspective {settings.VERSION}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {database_version()}"
        + (f" ({connection.Database.__name__})" if connection.vendor == "sqlite" else "")
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores"


def print_environment() -> None:
    print(f"{versions()}; {load()}")
