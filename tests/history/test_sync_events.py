"""What syncs leave in the history: every change they see, one row per changed field with its
old and new values, caused by the sync run; a first load is told by its run alone."""

import pytest

from apps.clouds import drivers
from apps.history.models import Event
from apps.inventory.models import Flavor, Image, Instance

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=30, projects=1)]


def told(run) -> set[tuple]:
    """What the run told of the inventory (not of itself)."""
    events = Event.objects.filter(sync_run_id=run.id).exclude(kind="sync_run")
    return set(events.values_list("kind", "entity_id", "field", "old_value", "new_value"))


@pytest.fixture
def loaded(sync):
    sync("catalog"), sync("instances")
    return Instance.objects.order_by("real_id")


def test_a_first_load_tells_nothing_one_by_one(sync):
    sync("catalog")

    run = sync("instances")

    assert run.created == 30
    assert not told(run)


@pytest.mark.parametrize("kind", ["instances", "changes"])
def test_renames_states_resizes_and_metadata_become_rows(loaded, sync, simulator, kind):
    renamed, stopped, resized, tagged = loaded[:4]
    bigger = Flavor.objects.exclude(pk=resized.flavor_id).filter(project=resized.project).first()
    control = simulator.control
    control.update_server(renamed.real_id, name="renamed")
    control.update_server(stopped.real_id, status="SHUTOFF")
    control.update_server(resized.real_id, flavor=bigger.real_id)
    control.update_server(tagged.real_id, metadata={"role": "db"})

    run = sync(kind)

    assert told(run) == {
        ("instance", str(renamed.id), "name", renamed.name, "renamed"),
        ("instance", str(stopped.id), "state", stopped.state, "shutoff"),
        ("instance", str(resized.id), "flavor_id", str(resized.flavor_id), str(bigger.id)),
        ("instance", str(tagged.id), "metadata", "{}", '{"role": "db"}'),
    }
    event = Event.objects.get(sync_run_id=run.id, field="name")
    assert (event.name, event.cloud_id, event.project_id) == (
        "renamed",
        renamed.cloud_id,
        renamed.project_id,
    )
    assert (event.action_id, event.user) == (None, "")


@pytest.mark.parametrize("kind", ["instances", "changes"])
def test_appearing_and_disappearing_instances_become_rows(loaded, sync, simulator, kind):
    victim = loaded[0]
    simulator.control.delete_server(victim.real_id)
    simulator.control.create_server(name="newcomer", region=victim.project.region)

    run = sync(kind)

    newcomer = Instance.objects.get(name="newcomer")
    assert told(run) == {
        ("instance", str(victim.id), "exists", "yes", None),
        ("instance", str(newcomer.id), "exists", None, "yes"),
    }
    assert Event.objects.get(entity_id=victim.id).name == victim.name


def test_a_sync_that_sees_no_change_tells_nothing(loaded, sync):
    assert not told(sync("instances"))
    assert not told(sync("catalog"))


def test_rows_and_history_agree_on_a_bigger_listing(sync, simulator):
    """Every field a resync changes on 300 servers is told once, and nothing else is."""
    simulator.control.create_servers(270)
    sync("catalog"), sync("instances")
    stored = list(Instance.objects.order_by("real_id"))
    for number, instance in enumerate(stored[::3]):
        simulator.control.update_server(instance.real_id, name=f"renamed-{number}")

    run = sync("instances")

    after = dict(Instance.objects.values_list("id", "name"))
    renamed = [i for i in stored if after[i.id] != i.name]
    expected = {("instance", str(i.id), "name", i.name, after[i.id]) for i in renamed}
    assert len(expected) == 100
    assert told(run) == expected


def test_a_run_tells_its_start_and_its_end(sync, simulator):
    succeeded = sync("catalog")
    simulator.control.set_faults(services=["compute"], error_rate=1.0, error_status=500)
    failed = sync("instances")

    for run, end in ((succeeded, "succeeded"), (failed, "failed")):
        events = Event.objects.filter(sync_run_id=run.id, kind="sync_run").order_by("id")
        assert list(events.values_list("entity_id", "old_value", "new_value")) == [
            (str(run.id), "queued", "running"),
            (str(run.id), "running", end),
        ]
        assert events[0].name == f"{run.kind} sync of {run.cloud}"
        assert (events[0].cloud_id, events[0].project_id) == (run.cloud_id, None)


def test_an_image_deleted_behind_perspectives_back_is_told_by_the_catalog_sync(loaded, sync):
    image = Image.objects.filter(projects__isnull=False).order_by("name").first()
    project = image.projects.first()
    drivers.for_cloud(project.cloud).delete_image(project.region, image.real_id)

    run = sync("catalog")

    assert told(run) == {("image", str(image.id), "exists", "yes", None)}
    event = Event.objects.get(sync_run_id=run.id, kind="image")
    assert (event.name, event.cloud_id, event.project_id) == (image.name, image.cloud_id, None)
