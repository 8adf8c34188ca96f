"""The fault suite (marked `faults`): Perspective in real processes, with faults injected, on
PostgreSQL (other processes cannot see SQLite's in-memory test database) and a redis-server of
each test's own. Each test reports how long its fault took to settle; the figures are printed
at the end of the run."""

import shutil

import pytest
from django.db import connection

from .stack import Stack

SETTLED: list[tuple[str, float, str]] = []  # (fault, seconds, calls per item)


def needs_real_servers():
    """The marks of a test that starts processes on PostgreSQL and a redis-server."""
    return [
        pytest.mark.faults,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="needs PostgreSQL (DATABASE_URL=postgres://...): the processes it starts "
            "cannot see SQLite's in-memory test database",
        ),
        pytest.mark.skipif(
            shutil.which("redis-server") is None,
            reason="needs redis-server on the PATH (Debian: apt-get install redis-server): "
            "it starts a Redis of its own, to kill and restart",
        ),
    ]


@pytest.fixture
def stack(request, tmp_path):
    """A simulated cloud (`@pytest.mark.stack(servers=..., simulator=[options])`), its own
    Redis and the database proxy; the test starts Perspective's processes."""
    marker = request.node.get_closest_marker("stack")
    options = marker.kwargs if marker else {}
    with Stack(
        tmp_path, connection.settings_dict, options.get("servers", 40), options.get("simulator", [])
    ) as running:
        yield running


@pytest.fixture
def report():
    """Records how long a fault took to settle, and the calls made per item."""

    def record(fault: str, seconds: float, calls_per_item: str = "") -> None:
        SETTLED.append((fault, seconds, calls_per_item))

    return record


def pytest_terminal_summary(terminalreporter):
    if not SETTLED:
        return
    terminalreporter.section("faults: time until every item and run ended")
    for fault, seconds, calls in SETTLED:
        terminalreporter.write_line(f"{seconds:6.1f} s  {fault}" + (f" ({calls})" if calls else ""))
