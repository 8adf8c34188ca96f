"""The ``simulator`` pytest fixture: a fresh simulated cloud for each test.

Load it with ``pytest_plugins = ["openstack_simulator.pytest_plugin"]``; give a test
other options with ``@pytest.mark.simulator(servers=25, max_limit=10, ...)``.
"""

from collections.abc import Iterator

import pytest

from openstack_simulator.testing import RunningSimulator, running_simulator


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "simulator(**options): options of the simulator fixture's cloud"
    )


@pytest.fixture
def simulator(request: pytest.FixtureRequest) -> Iterator[RunningSimulator]:
    marker = request.node.get_closest_marker("simulator")
    with running_simulator(**(marker.kwargs if marker else {})) as running:
        yield running
