from collections.abc import Iterator

import openstack
import pytest

from openstack_simulator.testing import RunningSimulator


@pytest.fixture
def conn(simulator: RunningSimulator) -> Iterator[openstack.connection.Connection]:
    connection = openstack.connect(**simulator.cloud_config())
    yield connection
    connection.close()
