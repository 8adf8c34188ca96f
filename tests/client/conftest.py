"""The real client against a live server: pytest-django's live_server (in a thread of the test
process), a Celery worker in another thread and the simulator as its cloud.

`cli(...)` runs the client in this process (Click's test runner: what a pipe sees, JSON unless
`-o`), `script(...)` runs the installed `perspective` console script in a process of its own,
where importing Django, Celery or the project's packages fails."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection
from django.db.backends.signals import connection_created
from perspective_client.cli import cli as perspective
from rest_framework.authtoken.models import Token

from apps.operations.models import ActionItem
from tests.fixtures.operations import worker_thread

CONSOLE_SCRIPT = Path(sys.executable).with_name("perspective")
# Imported first by the console script's interpreter (via PYTHONPATH): the server's packages
# are out of reach, so any command that imported one would fail.
FORBIDDEN = """\
import importlib.abc, sys

class Forbidden(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"django", "rest_framework", "celery", "apps", "perspective"}:
            raise ImportError(f"the client must not import {name}")
        return None

sys.meta_path.insert(0, Forbidden())
"""


@dataclass(frozen=True)
class Ran:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def token(admin_user) -> str:
    return Token.objects.create(user=admin_user).key


@pytest.fixture
def home(tmp_path) -> Path:
    """The user's config directory's parent (XDG_CONFIG_HOME), empty."""
    path = tmp_path / "config"
    path.mkdir()
    return path


@pytest.fixture
def environment(live_server, token, home) -> dict[str, str]:
    return {
        "PERSPECTIVE_URL": live_server.url,
        "PERSPECTIVE_TOKEN": token,
        "XDG_CONFIG_HOME": str(home),
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }


@pytest.fixture
def cli(environment):
    """Runs `perspective ARGS` in this process; `input` is what standard input holds."""

    def run(*args: str, input: str | None = None, **env: str) -> Ran:
        runner = CliRunner(env={**environment, **env}, catch_exceptions=False)
        result = runner.invoke(perspective, list(args), input=input, prog_name="perspective")
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def process_environment(environment, tmp_path) -> dict[str, str]:
    """The environment of a client process: where the server's packages cannot be imported."""
    blocker = tmp_path / "forbidden"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(FORBIDDEN)
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIVE_")}
    return {**inherited, **environment, "PYTHONPATH": str(blocker)}


@pytest.fixture
def script(process_environment, tmp_path):
    """Runs the installed console script in a process of its own, standard output a pipe."""

    def run(*args: str, input: str = "", **env: str) -> Ran:
        done = subprocess.run(
            [str(CONSOLE_SCRIPT), *args],
            input=input,
            capture_output=True,
            text=True,
            env={**process_environment, **env},
            cwd=tmp_path,
            timeout=60,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


def _no_read_locks(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    """A Celery worker in a thread, on the actions and sync queues, for a module's tests
    (they wait for their actions to end: nothing is left for the next test).

    On SQLite the test database is in memory, shared by the threads' connections in SQLite's
    shared-cache mode, where a read meeting another connection's write fails at once
    ("database table is locked") instead of waiting as a file database does: the worker's
    writes would fail the live server's reads. Reads without read locks avoid that."""
    connection_created.connect(_no_read_locks)
    with django_db_blocker.unblock():
        _no_read_locks(None, connection)
    with worker_thread(["actions", "sync"]):
        yield
    connection_created.disconnect(_no_read_locks)


@pytest.fixture
def settled(simulator):
    """After the test, waits until every action item has ended (while its cloud still answers):
    the module's worker leaves nothing for the next test."""
    yield
    deadline = time.monotonic() + 20
    while ActionItem.objects.filter(status__in=["queued", "running"]).exists():
        assert time.monotonic() < deadline, "action items still going after the test"
        time.sleep(0.1)


# Servers of the fleet, by name: (status, locked).
FLEET = {
    "web-1": ("ACTIVE", False),
    "web-2": ("ACTIVE", False),
    "web-3": ("ACTIVE", False),
    "web-4": ("SHUTOFF", False),
    "db-1": ("ACTIVE", False),
    "db-2": ("ERROR", False),
    "vault": ("ACTIVE", True),
}


@pytest.fixture
def fleet(cloud, sync, simulator):
    """The simulator's cloud with the servers of FLEET, synced."""
    for name, (status, locked) in FLEET.items():
        simulator.control.create_server(name=name, status=status, locked=locked)
    assert sync("catalog").status == "succeeded"
    assert sync("instances").status == "succeeded"
    return cloud
