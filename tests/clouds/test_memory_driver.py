"""Sync and operations over the in-memory driver (tests/memory_driver.py): fast, and proof that
the Driver protocol is all they ask of a cloud."""

import inspect

import pytest

from apps.clouds.choices import Operation, SyncKind
from apps.clouds.drivers import Driver
from apps.clouds.drivers.openstack import OpenStackDriver
from apps.clouds.models import SyncRun
from apps.clouds.sync.runner import run_sync
from apps.inventory.models import Instance
from apps.operations import attempts, services
from apps.operations.models import ActionItem
from apps.operations.pacing import CallSlots
from tests.memory_driver import MemoryDriver

PROTOCOL = [
    name
    for name, member in vars(Driver).items()
    if inspect.isfunction(member) and not name.startswith("_")
]


@pytest.mark.parametrize("driver", [OpenStackDriver, MemoryDriver], ids=lambda d: d.__name__)
@pytest.mark.parametrize("method", PROTOCOL)
def test_every_driver_offers_the_whole_protocol(driver, method):
    wanted = inspect.signature(getattr(Driver, method)).parameters
    offered = inspect.signature(getattr(driver, method)).parameters

    assert list(offered) == list(wanted)


def test_the_protocol_is_what_sync_and_operations_call():
    calls = {"regions", "servers", "server_statuses", "image", "create_server", "confirm_resize"}

    assert calls <= set(PROTOCOL)
    assert len(PROTOCOL) == 26


def sync(cloud, kind=SyncKind.INSTANCES) -> SyncRun:
    run = run_sync(SyncRun.objects.create(cloud=cloud, kind=kind))
    run.refresh_from_db()
    return run


def names_and_states(cloud) -> set[tuple[str, str]]:
    return set(Instance.objects.filter(cloud=cloud).values_list("name", "state"))


def test_a_full_sync_takes_every_server(memory_cloud):
    cloud, memory = memory_cloud
    memory.add_server("RegionOne", "web-1")
    memory.add_server("RegionOne", "db-1", state="shutoff")

    run = sync(cloud)

    assert run.status == "succeeded"
    assert names_and_states(cloud) == {("web-1", "launched"), ("db-1", "shutoff")}


def test_a_changes_sync_takes_renames_and_deletions_alone(memory_cloud):
    cloud, memory = memory_cloud
    web, db = (memory.add_server("RegionOne", name) for name in ("web-1", "db-1"))
    memory.add_server("RegionOne", "cache-1")
    sync(cloud)
    memory.calls.clear()
    memory.change("RegionOne", web, name="web-renamed")
    memory.change("RegionOne", db, state=None)

    sync(cloud, SyncKind.CHANGES)

    assert names_and_states(cloud) == {("web-renamed", "launched"), ("cache-1", "launched")}
    assert [call[0] for call in memory.calls] == ["servers"]


def test_a_reboot_calls_the_cloud_once_however_often_its_message_comes(memory_cloud):
    cloud, memory = memory_cloud
    real_id = memory.add_server("RegionOne", "web-1")
    sync(cloud)
    instance = Instance.objects.get(cloud=cloud)

    outcome = services.instance_action(Operation.REBOOT_INSTANCE, [str(instance.id)])
    item = ActionItem.objects.get(action=outcome.action)
    for _ in range(2):  # the message, then the broker's redelivery of it
        with CallSlots() as slots:
            attempts.carry_out(attempts.load([str(item.id)]).get(str(item.id)), 0, slots)

    assert [call for call in memory.calls if call[0] == "reboot_server"] == [
        ("reboot_server", "RegionOne", real_id, False)
    ]
