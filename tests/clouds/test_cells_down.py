"""A Nova cell that is down: its servers come as partial records (microversion 2.69), which
are no news about them. Every field stays as the cloud last said, the instance is marked
unreachable where /query and the admin show it, nothing is deleted, and no action is taken on
it; once the cell is back, the next sync clears the mark."""

from datetime import UTC, datetime

import pytest

from apps.clouds import drivers
from apps.inventory.models import Instance, InstanceMetadata
from apps.operations.models import ActionItem

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=30, projects=1)]

FIELDS = ("name", "state", "flavor_id", "image_id", "addresses", "fqdn", "created")


def in_cell(simulator, cell: str) -> set[str]:
    regions = simulator.simulator.cloud.regions.values()
    return {s.id for region in regions for s in region.live_servers() if s.cell == cell}


def snapshot() -> dict:
    """What the inventory says of each instance, its metadata and networks."""
    return {
        i.real_id: (
            *(getattr(i, name) for name in FIELDS),
            set(InstanceMetadata.objects.filter(instance=i).values_list("key", "value")),
            set(i.networks.values_list("id", flat=True)),
        )
        for i in Instance.objects.all()
    }


@pytest.fixture
def cell_down(sync, simulator):
    """The cloud synced, then cell2 down: {the real ids of its servers}."""
    assert sync("instances").status == "succeeded"
    down = in_cell(simulator, "cell2")
    assert down and in_cell(simulator, "cell1")
    simulator.control.set_faults(cells_down=["cell2"])
    return down


def unreachable() -> set[str]:
    return set(
        Instance.objects.filter(unreachable_since__isnull=False).values_list("real_id", flat=True)
    )


def test_a_full_sync_keeps_every_field_of_the_down_cells_instances(sync, cell_down):
    before = snapshot()

    run = sync("instances")

    assert run.status == "succeeded"
    assert snapshot() == before
    assert unreachable() == cell_down
    assert run.deleted == 0


@pytest.mark.simulator(servers=30, projects=1, max_limit=4)
def test_a_full_sync_over_pages_deletes_nothing_nova_left_out(sync, simulator, cell_down):
    """Nova gives partial records on the first page only, and leaves the cell out of the next
    ones: a listing with partial records is not complete."""
    count = Instance.objects.count()

    run = sync("instances")

    assert (run.status, run.deleted, Instance.objects.count()) == ("succeeded", 0, count)
    assert unreachable() <= cell_down


def test_an_incremental_sync_applies_other_changes_and_keeps_the_down_cell(
    sync, simulator, cell_down
):
    before = snapshot()
    (other, *_) = in_cell(simulator, "cell1")
    simulator.control.update_server(other, name="renamed-meanwhile")

    run = sync("changes")

    assert run.status == "succeeded"
    assert Instance.objects.get(real_id=other).name == "renamed-meanwhile"
    after = snapshot()
    assert {real_id: after[real_id] for real_id in cell_down} == {
        real_id: before[real_id] for real_id in cell_down
    }


def test_the_mark_goes_once_the_cell_is_back(sync, simulator, cell_down):
    sync("instances")
    simulator.control.set_faults(cells_down=[])
    (gone, *_) = cell_down
    simulator.control.delete_server(gone)

    run = sync("changes")  # a whole listing while instances are marked

    assert run.status == "succeeded"
    assert unreachable() == set()
    assert not Instance.objects.filter(real_id=gone).exists()


def test_query_names_the_unreachable_instances(sync, cell_down, api):
    sync("instances")
    sql = "select i.real_id from instances i join unreachable_instances u on u.instance_id = i.id"

    (result,) = api.post("/query", [{"sql": sql}], format="json").json()

    assert {row["value"][0] for row in result["data"]["row"]} == cell_down


def test_the_admin_shows_which_instances_are_unreachable(sync, cell_down, admin_client):
    sync("instances")

    page = admin_client.get("/admin/inventory/instance/?reachable=no")

    assert page.status_code == 200
    assert len(page.context["cl"].result_list) == len(cell_down)
    assert "reachable" in page.content.decode().lower()


def test_actions_on_unreachable_instances_are_skipped_with_the_reason(sync, cell_down, api):
    sync("instances")
    instance = Instance.objects.get(real_id=next(iter(cell_down)))

    response = api.put("/instances/reboot", [str(instance.id)], format="json")

    assert response.json()["skipped"] == [
        {
            "id": str(instance.id),
            "reason": "The cloud cannot reach the instance (its Nova cell is down)",
        }
    ]
    assert ActionItem.objects.get().status == "skipped"


def test_the_driver_tells_partial_records_and_the_followers_skip_them(cloud, simulator):
    driver = drivers.for_cloud(cloud)
    simulator.control.set_faults(cells_down=["cell2"])
    every = in_cell(simulator, "cell2") | in_cell(simulator, "cell1")

    records = [r for region in ("RegionOne", "RegionTwo") for r in driver.servers(region)]
    partial = {r.real_id for r in records if r.is_partial}

    assert partial == in_cell(simulator, "cell2")
    assert not any(r.is_deleted for r in records)
    assert {r.real_id for r in records} == every
    statuses = driver.server_statuses("RegionOne", datetime(2000, 1, 1, tzinfo=UTC))
    assert not {s.real_id for s in statuses} & partial
