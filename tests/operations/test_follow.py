"""After the cloud accepts a call, the instance is followed until it leaves its interim state."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.clouds.sync.instances import sync_instances
from apps.operations import follow, tasks
from apps.operations.connections import driver_for
from apps.operations.models import ActionItem

from .helpers import ids, instances, states

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


@pytest.fixture
def accepted(act, synced, simulator, monkeypatch):
    """Runs a batch's calls, but leaves the polls to the test; the cloud's tasks last until
    the test completes them."""
    monkeypatch.setattr(tasks, "start_following", lambda project_id: None)
    simulator.control.set_delay(3600)

    def run(path: str, found) -> list[ActionItem]:
        response, work = act("put", path, ids(found))
        work()
        return list(ActionItem.objects.filter(action_id=response.json()["actionId"]))

    return run


def test_a_listing_asked_for_before_a_poll_does_not_undo_the_end_it_saw(
    accepted, synced, simulator
):
    found = instances(2)
    items = accepted("/instances/reboot", found)  # the cloud says REBOOT until completed
    driver = driver_for(synced)

    def listing_then_poll(region, changes_since=None):
        yield from driver.servers(region, changes_since=changes_since)  # says REBOOT
        simulator.control.complete_tasks()
        follow.poll(found[0].project_id)  # before the listing is reconciled: ACTIVE, the end

    sync_instances(SimpleNamespace(servers=listing_then_poll), synced, lambda *args: None)

    assert states(found) == {"launched"}
    assert {item.status for item in ActionItem.objects.filter(pk__in=[i.pk for i in items])} == {
        "succeeded"
    }


def test_a_poll_before_the_end_keeps_following_with_the_clouds_state(accepted, simulator):
    found = instances(2, "shutoff")
    items = accepted("/instances/start", found)

    assert follow.poll(found[0].project_id) == 2
    assert states(found) == {"starting"}
    simulator.control.complete_tasks()
    assert follow.poll(found[0].project_id) == 0

    assert states(found) == {"launched"}
    assert {item.status for item in ActionItem.objects.filter(id__in=[i.id for i in items])} == {
        "succeeded"
    }


def test_an_instance_deleted_meanwhile_fails_its_item(accepted, simulator):
    found = instances(1)
    (item,) = accepted("/instances/pause", found)
    simulator.control.delete_server(found[0].real_id)

    follow.poll(found[0].project_id)

    item.refresh_from_db()
    assert (item.status, item.reason) == ("failed", "The instance was deleted")
    assert states(found) == set()


@override_settings(ACTIONS_FOLLOW_SECONDS=60)
def test_following_stops_at_the_time_limit(accepted):
    found = instances(1)
    (item,) = accepted("/instances/suspend", found)
    ActionItem.objects.filter(pk=item.pk).update(accepted_at=timezone.now() - timedelta(hours=1))

    assert follow.poll(found[0].project_id) == 0

    item.refresh_from_db()
    assert item.status == "succeeded"
    assert item.reason == "Accepted by the cloud, not at its end state after 60 s"
    assert states(found) == {"launched"}  # what the cloud last said, until the next sync
