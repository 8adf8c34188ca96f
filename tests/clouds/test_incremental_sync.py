import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.inventory.models import Instance

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=40, projects=1)]


def test_without_a_previous_sync_it_lists_everything(sync):
    run = sync("changes")

    assert run.status == "succeeded"
    assert run.changes_since is None
    assert Instance.objects.count() == 40


def test_it_asks_only_for_changes_since_the_last_sync(sync, simulator):
    first = sync("instances")
    simulator.control.clear_requests()

    run = sync("changes")

    assert run.changes_since < first.started_at
    paths = [r["path"] for r in simulator.control.requests() if "/servers" in r["path"]]
    assert paths and all("changes-since" in path for path in paths)
    assert (run.created, run.updated, run.deleted, run.unchanged) == (0, 0, 0, 0)


def test_it_picks_up_creations_changes_and_deletions(sync, simulator):
    sync("instances")
    control = simulator.control
    created = control.create_server(name="fresh", region="RegionTwo")
    victim, changed = list(Instance.objects.values_list("real_id", flat=True)[:2])
    control.delete_server(victim)
    control.update_server(changed, name="changed-name")

    run = sync("changes")

    assert (run.created, run.updated, run.deleted) == (1, 1, 1)
    assert Instance.objects.filter(real_id=created["id"]).exists()
    assert not Instance.objects.filter(real_id=victim).exists()
    assert Instance.objects.get(real_id=changed).name == "changed-name"
    assert Instance.objects.count() == 40


def test_it_deletes_nothing_it_was_not_told_about(sync, simulator):
    sync("instances")

    with CaptureQueriesContext(connection) as queries:
        sync("changes")

    assert not [q for q in queries if q["sql"].startswith("DELETE") and "inventory_" in q["sql"]]
