"""What the OpenStack driver adds for actions: the operations it declares, and the status
listing the followers read."""

from datetime import UTC, datetime

import pytest

from apps.clouds import drivers
from apps.clouds.choices import Operation
from apps.clouds.drivers.base import Conflict

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def test_operations_lists_every_action_of_the_openstack_driver(api):
    expected = sorted(str(operation) for operation in Operation if operation != "migrateInstance")

    assert api.get("/operations").json()["openstack"] == expected


@pytest.fixture
def driver(cloud):
    return drivers.for_cloud(cloud)


def test_statuses_tell_a_resize_awaiting_confirmation(driver, simulator):
    server = simulator.control.create_server()
    driver.resize_server("RegionOne", server["id"], "2")

    (status,) = [s for s in driver.server_statuses("RegionOne", EPOCH) if s.real_id == server["id"]]

    assert (status.state, status.awaits_confirmation) == ("resizing", True)


def test_statuses_tell_a_deleted_server(driver, simulator):
    kept, gone = simulator.control.create_servers(2)
    driver.delete_server("RegionOne", gone["id"])

    statuses = {s.real_id: s.state for s in driver.server_statuses("RegionOne", EPOCH)}

    assert (statuses[kept["id"]], statuses[gone["id"]]) == ("launched", None)


def test_a_call_nova_refuses_in_that_state_is_a_conflict(driver, simulator):
    server = simulator.control.create_server(status="SHUTOFF")

    with pytest.raises(Conflict, match="Cannot 'pause' instance"):
        driver.pause_server("RegionOne", server["id"])
